import mongoose, { Schema } from 'mongoose';
import { WecomOutboxClaimModel } from './wecom-outbox.model';
import { isDuplicateKey } from './duplicate-key';
import type { WecomTokenDoc } from '../core/channels/wecom.ports';
export type { WecomTokenDoc } from '../core/channels/wecom.ports';

const schema = new Schema<WecomTokenDoc>(
  {
    _id: String,
    token: { type: String, default: null },
    expiresAt: { type: Date, required: true },
    fetchedAt: { type: Date, default: null },
    gen: { type: Number, default: 0 },
  },
  { versionKey: false },
);

export const WecomTokenModel = mongoose.model<WecomTokenDoc>('WecomToken', schema, 'wecom_tokens');

export async function readWecomToken(key: string): Promise<WecomTokenDoc | null> {
  return WecomTokenModel.findById(key).lean<WecomTokenDoc>();
}

/**
 * True when this caller may refresh now. The claim is a unique insert keyed on the token generation and a
 * time bucket of `lockMs` (atomic on FerretDB v1 too, where conditional updates are not): one caller per
 * generation, and another may try once the bucket has passed if that one died.
 */
export async function lockWecomTokenRefresh(key: string, now: Date, lockMs: number): Promise<boolean> {
  const gen = (await WecomTokenModel.findById(key, { gen: 1 }).lean<{ gen?: number }>())?.gen ?? 0;
  try {
    await WecomOutboxClaimModel.create({ _id: `token:${key}:${gen + 1}:${Math.floor(now.getTime() / lockMs)}`, at: now });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

export async function saveWecomToken(key: string, token: string, expiresAt: Date, now: Date): Promise<void> {
  await WecomTokenModel.updateOne({ _id: key }, { $set: { token, expiresAt, fetchedAt: now }, $inc: { gen: 1 } }, { upsert: true });
}

/** After a failed refresh: lets the next caller try at once rather than after the lock bucket. */
export async function releaseWecomTokenLock(key: string, now: Date, lockMs: number): Promise<void> {
  const gen = (await WecomTokenModel.findById(key, { gen: 1 }).lean<{ gen?: number }>())?.gen ?? 0;
  await WecomOutboxClaimModel.deleteOne({ _id: `token:${key}:${gen + 1}:${Math.floor(now.getTime() / lockMs)}` });
}

/** Marks this exact token stale (WeCom said 40014/42001); a token another instance already replaced stays. */
export async function invalidateWecomToken(key: string, token: string): Promise<void> {
  await WecomTokenModel.updateOne({ _id: key, token }, { $set: { expiresAt: new Date(0) } });
}
