import { createHash, randomInt } from 'node:crypto';
import type { WechatyBindingPort } from '../core/commands/binding.ports';
import type { RedeemResult } from '../core/channels/wechaty.ports';
import { WechatyBindingCodeModel, WechatyBindingCodeUseModel, WechatyBindingModel, type WechatyBindingDoc } from './wechaty-binding.model';
import { WechatyInboundModel } from './wechaty-inbound.model';
import { WechatyRoomModel, type WechatyRoomDoc } from './wechaty-room.model';
import { isDuplicateKey as isDuplicate } from './duplicate-key';

/** How long a binding code stays valid. */
export const BINDING_CODE_TTL_MS = 10 * 60_000;
/** No 0/O, 1/I/L: codes are read off one screen and typed on another. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** What users type: case, spaces and dashes do not matter. */
export function normalizeBindingCode(input: string): string {
  return input.replace(/[\s-]+/g, '').toUpperCase();
}

/** Codes are kept hashed: whoever reads the collection cannot bind themselves as someone else. */
const keyOf = (code: string) => createHash('sha256').update(normalizeBindingCode(code)).digest('hex');

/**
 * Issues a single-use code that binds a Wechaty contact to `userid` when sent to the bot (`绑定 <code>`).
 * The user's earlier unused codes are withdrawn, so only the newest one works.
 */
export async function issueBindingCode(userid: string, opts: { now?: Date; ttlMs?: number } = {}): Promise<{ code: string; expiresAt: Date }> {
  const now = opts.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (opts.ttlMs ?? BINDING_CODE_TTL_MS));
  await WechatyBindingCodeModel.deleteMany({ userid });
  for (let attempt = 0; ; attempt++) {
    const code = newCode();
    try {
      await WechatyBindingCodeModel.create({ _id: keyOf(code), userid, issuedAt: now, expiresAt });
      return { code, expiresAt };
    } catch (err) {
      if (!isDuplicate(err) || attempt >= 4) throw err;
    }
  }
}

export type { RedeemResult } from '../core/channels/wechaty.ports';

/**
 * Redeems a code for a contact: works once (the use is an insert on the code as unique key), and only before
 * the code expires. A user who binds a second contact loses the first binding.
 */
export async function redeemBindingCode(input: string, contact: { id: string; name?: string }, now: Date = new Date()): Promise<RedeemResult> {
  const code = keyOf(input);
  const issued = await WechatyBindingCodeModel.findById(code).lean<{ _id: string; userid: string; expiresAt: Date }>();
  if (!issued) return { ok: false, reason: 'invalid' };
  if (issued.expiresAt.getTime() <= now.getTime()) {
    await WechatyBindingCodeModel.deleteOne({ _id: code });
    return { ok: false, reason: 'expired' };
  }
  try {
    await WechatyBindingCodeUseModel.create({ _id: code, contactId: contact.id, usedAt: now });
  } catch (err) {
    if (isDuplicate(err)) return { ok: false, reason: 'invalid' };
    throw err;
  }
  await WechatyBindingCodeModel.deleteOne({ _id: code });
  const old = await WechatyBindingModel.deleteMany({ userid: issued.userid });
  try {
    await WechatyBindingModel.create({ _id: contact.id, userid: issued.userid, contactName: contact.name, boundAt: now });
  } catch (err) {
    if (isDuplicate(err)) return { ok: false, reason: 'contact_bound' };
    throw err;
  }
  return { ok: true, userid: issued.userid, replaced: (old.deletedCount ?? 0) > 0 };
}

export async function useridOfContact(contactId: string): Promise<string | undefined> {
  return (await WechatyBindingModel.findById(contactId).lean<WechatyBindingDoc>())?.userid;
}

export async function contactOfUserid(userid: string): Promise<string | undefined> {
  return (await WechatyBindingModel.findOne({ userid }).lean<WechatyBindingDoc>())?._id;
}

/** Every room bound to the unit (usually one). */
export async function roomsOfUnit(unitCode: string): Promise<string[]> {
  return (await WechatyRoomModel.find({ unitCode }).lean<WechatyRoomDoc[]>()).map((r) => r._id);
}

export const wechatyBindingStore: WechatyBindingPort = {
  issueCode: (userid, now) => issueBindingCode(userid, { now }),
  async roomBinding(roomId) {
    const doc = await WechatyRoomModel.findById(roomId).lean<WechatyRoomDoc>();
    return doc ? { unitCode: doc.unitCode } : undefined;
  },
  async bindRoom({ roomId, unitCode, topic, boundBy, at }) {
    try {
      await WechatyRoomModel.create({ _id: roomId, unitCode, topic, boundBy, boundAt: at });
    } catch (err) {
      if (!isDuplicate(err)) throw err;
      // Already bound (the command checked the right to move it): rebind.
      await WechatyRoomModel.updateOne({ _id: roomId }, { $set: { unitCode, topic, boundBy, boundAt: at } });
    }
  },
};

/** Creates the collections' indexes even if these models were loaded after connectMongo ran. */
export async function ensureWechatyIndexes(): Promise<void> {
  for (const model of [WechatyBindingModel, WechatyBindingCodeModel, WechatyBindingCodeUseModel, WechatyRoomModel, WechatyInboundModel]) await model.createIndexes();
}

/** Forgets expired codes and code uses older than `before`, for a daily job (FerretDB v1 has no TTL index). */
export async function pruneWechatyBindingCodes(now: Date, before: Date = new Date(now.getTime() - 24 * 3_600_000)): Promise<number> {
  const codes = await WechatyBindingCodeModel.deleteMany({ expiresAt: { $lt: now } });
  const uses = await WechatyBindingCodeUseModel.deleteMany({ usedAt: { $lt: before } });
  return (codes.deletedCount ?? 0) + (uses.deletedCount ?? 0);
}
