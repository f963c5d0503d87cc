import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

import type { WechatyInboundDoc } from '../core/channels/wechaty.ports';
export type { WechatyInboundDoc } from '../core/channels/wechaty.ports';

const schema = new Schema<WechatyInboundDoc>(
  { _id: String, talkerId: { type: String, required: true }, roomId: String, receivedAt: { type: Date, required: true } },
  { versionKey: false },
);
// No TTL index (FerretDB v1 has none): pruneWechatyInbound() is the cleanup, for a daily job.
schema.index({ receivedAt: 1 });

export const WechatyInboundModel = mongoose.model<WechatyInboundDoc>('WechatyInbound', schema, 'wechaty_inbound');

/** True for the first caller with this message id; false for a re-delivery or a second instance. */
export async function claimWechatyMessage(messageId: string, doc: Omit<WechatyInboundDoc, '_id'>): Promise<boolean> {
  try {
    await WechatyInboundModel.create({ _id: `m:${messageId}`, ...doc });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Forgets message ids older than `before`. Keep more than the channel's maximum message age. */
export async function pruneWechatyInbound(before: Date): Promise<number> {
  const res = await WechatyInboundModel.deleteMany({ receivedAt: { $lt: before } });
  return res.deletedCount ?? 0;
}
