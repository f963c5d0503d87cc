import mongoose, { Schema } from 'mongoose';
import { WecomOutboxClaimModel } from './wecom-outbox.model';
import { isDuplicateKey } from './duplicate-key';

export interface WecomCardButtonDoc {
  /** What WeCom echoes as EventKey: short (`b0`…`b5`), so the button's command and input stay on our side. */
  eventKey: string;
  key: string;
  text: string;
  command: string;
  input: Record<string, unknown>;
  style?: string;
}

/**
 * A button card we sent, by its task_id: the lookup from a click (TaskId + EventKey) back to the command it
 * runs, and the single-use marker (`actedAt`) that makes a card act once however often it is clicked.
 */
export interface WecomCardDoc {
  _id: string;
  to: string;
  title: string;
  body: string;
  buttons: WecomCardButtonDoc[];
  /** The mini-program link the card was sent with (`card_action` + `quote_area`), kept through its update. */
  link?: Record<string, unknown> | null;
  createdAt: Date;
  actedAt: Date | null;
  actedBy: string | null;
  actedKey: string | null;
}

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
