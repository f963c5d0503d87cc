import mongoose, { Schema, type mongo } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';
import { createInsertBatcher } from './insert-batcher';
import { WecomOutboxClaimModel } from './wecom-outbox.model';
import type { WecomInboundDoc } from '../core/channels/wecom.ports';
export type { WecomInboundDoc } from '../core/channels/wecom.ports';

const schema = new Schema<WecomInboundDoc>(
  {
    _id: String,
    from: { type: String, required: true },
    kind: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    status: { type: String },
    fields: { type: Schema.Types.Mixed },
    requestId: { type: String },
    runs: { type: Number },
    runAt: { type: Date },
    doneAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
// No TTL index (FerretDB v1 has none): pruneWecomInbound() is the cleanup, for a daily job.
schema.index({ receivedAt: 1 });
schema.index({ status: 1, runAt: 1 });

export const WecomInboundModel = mongoose.model<WecomInboundDoc>('WecomInbound', schema, 'wecom_inbound');

// Claims go out in batches under load (one insert per callback would make the acknowledgement wait on a
// commit each); mongoose's create() would also validate and cast what we build ourselves right here.
const inboundClaims = createInsertBatcher<WecomInboundDoc>(() => WecomInboundModel.collection as unknown as mongo.Collection<WecomInboundDoc>);

/** True for the first caller with this key; false for a retry or a duplicate. */
export async function claimWecomInbound(key: string, doc: Omit<WecomInboundDoc, '_id'>): Promise<boolean> {
  return inboundClaims.insert({ _id: key, doneAt: null, ...doc });
}

/**
 * Claims run `run` of an inbound message (a unique insert). A claim older than `staleMs` whose runner never
 * recorded it (it died between the insert and the update) is passed over for the next number.
 * Returns the run number claimed, or undefined when another runner holds the message.
 */
export async function claimWecomInboundRun(key: string, run: number, now: Date, staleMs: number): Promise<number | undefined> {
  for (let n = run; n < run + 3; n++) {
    const _id = `inbound:${key}:${n}`;
    try {
      await WecomOutboxClaimModel.create({ _id, at: now });
      await WecomInboundModel.updateOne({ _id: key }, { $set: { runs: n, runAt: now } });
      return n;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const held = await WecomOutboxClaimModel.findById(_id, { at: 1 }).lean<{ at: Date }>();
      if (held && now.getTime() - new Date(held.at).getTime() <= staleMs) return undefined;
    }
  }
  return undefined;
}

export async function finishWecomInbound(key: string, status: 'done' | 'failed', at: Date): Promise<void> {
  await WecomInboundModel.updateOne({ _id: key }, { $set: { status, doneAt: at } });
}

/** Messages left `received` whose current run started before `before` (their runner died or hung). */
export async function staleWecomInbound(before: Date, limit = 50): Promise<WecomInboundDoc[]> {
  return WecomInboundModel.find({ status: 'received', runAt: { $lte: before } })
    .sort({ runAt: 1 })
    .limit(limit)
    .lean<WecomInboundDoc[]>();
}

/** Forgets keys older than `before`; WeCom retries within seconds, so a day's history is plenty. */
export async function pruneWecomInbound(before: Date): Promise<number> {
  const res = await WecomInboundModel.deleteMany({ receivedAt: { $lt: before }, status: { $ne: 'received' } });
  return res.deletedCount ?? 0;
}
