import mongoose, { Schema } from 'mongoose';
import { WecomOutboxClaimModel } from './wecom-outbox.model';
import { isDuplicateKey } from './duplicate-key';
import type { WecomCardDoc } from '../core/channels/wecom.ports';
export type { WecomCardButtonDoc, WecomCardDoc } from '../core/channels/wecom.ports';

const schema = new Schema<WecomCardDoc>(
  {
    _id: String,
    to: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, default: '' },
    buttons: { type: [{ _id: false, eventKey: String, key: String, text: String, command: String, input: Schema.Types.Mixed, style: String }], default: [] },
    link: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
    actedAt: { type: Date, default: null },
    actedBy: { type: String, default: null },
    actedKey: { type: String, default: null },
  },
  { versionKey: false, minimize: false },
);

export const WecomCardModel = mongoose.model<WecomCardDoc>('WecomCard', schema, 'wecom_cards');

export async function saveWecomCard(doc: WecomCardDoc): Promise<void> {
  await WecomCardModel.updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true });
}

export async function findWecomCard(taskId: string): Promise<WecomCardDoc | null> {
  return WecomCardModel.findById(taskId).lean<WecomCardDoc>();
}

/**
 * The card for the first click only; null when someone (or an earlier click) already acted on it. The claim
 * is a unique insert (atomic on FerretDB v1 too); the card document then records who acted, for display.
 */
export async function claimWecomCard(taskId: string, by: string, eventKey: string, now: Date): Promise<WecomCardDoc | null> {
  try {
    await WecomOutboxClaimModel.create({ _id: `card:${taskId}`, at: now });
  } catch (err) {
    if (isDuplicateKey(err)) return null;
    throw err;
  }
  return WecomCardModel.findOneAndUpdate({ _id: taskId }, { $set: { actedAt: now, actedBy: by, actedKey: eventKey } }, { returnDocument: 'after' }).lean<WecomCardDoc>();
}

/** Reopens a card whose command was refused, so its owner may click again once the cause is fixed. */
export async function releaseWecomCard(taskId: string, by: string): Promise<void> {
  await WecomCardModel.updateOne({ _id: taskId, actedBy: by }, { $set: { actedAt: null, actedBy: null, actedKey: null } });
  await WecomOutboxClaimModel.deleteOne({ _id: `card:${taskId}` });
}
