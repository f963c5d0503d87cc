import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

/**
 * One WeCom callback we accepted, keyed by its dedup key (`msg:<MsgId>` or
 * `evt:<FromUserName>:<CreateTime>:<Event>:<EventKey>:<TaskId>`). The `_id` is the unique index: WeCom's
 * retries and a second app instance lose the insert race and run nothing.
 */
export interface WecomInboundDoc {
  _id: string;
  from: string;
  kind: string;
  receivedAt: Date;
}

const schema = new Schema<WecomInboundDoc>(
  { _id: String, from: { type: String, required: true }, kind: { type: String, required: true }, receivedAt: { type: Date, required: true } },
  { versionKey: false },
);
// No TTL index (FerretDB v1 has none): pruneWecomInbound() is the cleanup, for a daily job.
schema.index({ receivedAt: 1 });

export const WecomInboundModel = mongoose.model<WecomInboundDoc>('WecomInbound', schema, 'wecom_inbound');

/** True for the first caller with this key; false for a retry or a duplicate. */
export async function claimWecomInbound(key: string, doc: Omit<WecomInboundDoc, '_id'>): Promise<boolean> {
  try {
    await WecomInboundModel.create({ _id: key, ...doc });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Forgets keys older than `before`; WeCom retries within seconds, so a day's history is plenty. */
export async function pruneWecomInbound(before: Date): Promise<number> {
  const res = await WecomInboundModel.deleteMany({ receivedAt: { $lt: before } });
  return res.deletedCount ?? 0;
}
