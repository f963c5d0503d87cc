import mongoose, { Schema } from 'mongoose';
import type { WecomOutboxDoc } from '../core/channels/wecom.ports';
export type { WecomOutboxStatus, WecomOutboxKind, WecomOutboxDoc } from '../core/channels/wecom.ports';

const schema = new Schema<WecomOutboxDoc>(
  {
    _id: String,
    kind: { type: String, required: true },
    to: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    fallback: { type: Schema.Types.Mixed, default: null },
    status: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    seq: { type: Number, required: true },
    leaseUntil: { type: Date, default: null },
    claim: { type: String, default: null },
    claims: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
    msgid: { type: String, default: null },
    lastError: { type: String, default: null },
  },
  { versionKey: false, minimize: false },
);
schema.index({ status: 1, nextAttemptAt: 1, seq: 1 });
schema.index({ to: 1, status: 1 });

export const WecomOutboxModel = mongoose.model<WecomOutboxDoc>('WecomOutbox', schema, 'wecom_outbox');

/**
 * Messages that finished (`sent` or `failed`), moved out of `wecom_outbox` by `finishWecomOutbox`. The live
 * collection is what the drainers search without an `_id` (next due recipient, a recipient's head), and
 * FerretDB v1 answers those by reading the whole collection: keeping only unfinished messages there keeps
 * every drain step as cheap on the millionth message as on the first. Same shape; kept for dedup and audit
 * until the prune job.
 */
export const WecomOutboxDoneModel = mongoose.model<WecomOutboxDoc>('WecomOutboxDone', schema.clone().clearIndexes().index({ createdAt: 1 }), 'wecom_outbox_done');

/**
 * One claim on one outbox message, by a unique `_id` (`<message id>:<claim number>`). Inserting it is the
 * claim: a unique-key insert is atomic on MongoDB and on FerretDB v1 alike, whereas FerretDB v1 lets two
 * concurrent conditional updates (findOneAndUpdate with a status filter) both succeed.
 */
export interface WecomOutboxClaimDoc {
  _id: string;
  at: Date;
}

export const WecomOutboxClaimModel = mongoose.model<WecomOutboxClaimDoc>(
  'WecomOutboxClaim',
  new Schema<WecomOutboxClaimDoc>({ _id: String, at: { type: Date, required: true } }, { versionKey: false }).index({ at: 1 }),
  'wecom_outbox_claims',
);

/**
 * The k-th message/send to one recipient, by a unique `_id` (`<userid>:<k>`): taking slot k is inserting
 * it, allowed once slot k-30 is a minute old and slot k-1000 an hour old (WeCom's per-member limits). The
 * unique insert makes two instances unable to take the same slot.
 */
export interface WecomPaceSlotDoc {
  _id: string;
  to: string;
  k: number;
  at: number;
}

const slotSchema = new Schema<WecomPaceSlotDoc>(
  { _id: String, to: { type: String, required: true }, k: { type: Number, required: true }, at: { type: Number, required: true } },
  { versionKey: false },
);
slotSchema.index({ to: 1, k: -1 });
slotSchema.index({ at: 1 });

export const WecomPaceSlotModel = mongoose.model<WecomPaceSlotDoc>('WecomPaceSlot', slotSchema, 'wecom_pace_slots');
