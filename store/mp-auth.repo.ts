import { createHash, randomBytes, randomInt } from 'node:crypto';
import { MP_BINDING_CODE_TTL_MS, type MpBindingCodes } from '../core/commands/mp.command';
import { MpBindingCodeModel, MpIdentityModel, MpSpentModel, MpTokenModel, type MpTokenDoc } from './mp-auth.model';
import { isDuplicateKey } from './duplicate-key';
import type { MpSessionPair } from '../core/api-auth.ports';

/** Spends a one-time secret: true for the one caller that did, false when it was already spent. */
async function spend(key: string, now: Date): Promise<boolean> {
  try {
    await MpSpentModel.create({ _id: key, at: now });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Two refreshes this close together are one client racing itself, not a stolen token being replayed. */
const REFRESH_RACE_MS = 10_000;

export const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** Prefixes make a leaked token recognisable; the shape check spares the database from junk. */
export const MP_TOKEN_PREFIX = { access: 'mps_', refresh: 'mpr_', bind: 'mpb_' } as const;
const SHAPE = /^mp[srb]_[A-Za-z0-9_-]{43}$/;

export const isMpToken = (token: string, kind?: MpTokenDoc['kind']) => SHAPE.test(token) && (!kind || token.startsWith(MP_TOKEN_PREFIX[kind]));

/**
 * Inserts a freshly drawn secret; a clash with an existing hash (astronomically unlikely for 32 random bytes,
 * likelier for an 8-character binding code) is met by the unique index and drawn again, never overwritten.
 */
async function insertUnique<T>(draw: () => string, insert: (secret: string) => Promise<T>, tries = 5): Promise<{ secret: string; doc: T }> {
  for (let i = 0; ; i++) {
    const secret = draw();
    try {
      return { secret, doc: await insert(secret) };
    } catch (err) {
      if (!isDuplicateKey(err) || i >= tries - 1) throw err;
    }
  }
}

async function newToken(kind: MpTokenDoc['kind'], fields: Pick<MpTokenDoc, 'family'> & Partial<Pick<MpTokenDoc, 'userid' | 'openid'>>, ttlMs: number, now: Date): Promise<string> {
  const { secret } = await insertUnique(
    () => `${MP_TOKEN_PREFIX[kind]}${randomBytes(32).toString('base64url')}`,
    (token) => MpTokenModel.create({ hash: sha256(token), kind, ...fields, expiresAt: new Date(now.getTime() + ttlMs), createdAt: now }),
  );
  return secret;
}

export type { MpSessionPair } from '../core/api-auth.ports';

export const REFRESH_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const BIND_TICKET_TTL_MS = 10 * 60 * 1000;

async function pair(userid: string, family: string, openid: string | undefined, ttlSec: number, now: Date): Promise<MpSessionPair> {
  const base = { family, userid, ...(openid ? { openid } : {}) };
  const accessToken = await newToken('access', base, ttlSec * 1000, now);
  const refreshToken = await newToken('refresh', base, REFRESH_TTL_MS, now);
  return { accessToken, refreshToken, expiresIn: ttlSec, refreshExpiresIn: REFRESH_TTL_MS / 1000 };
}

/** A new login: a session token and its refresh token, in a new family. */
export function issueMpSession(userid: string, ttlSec: number, now: Date, openid?: string): Promise<MpSessionPair> {
  return pair(userid, randomBytes(12).toString('hex'), openid, ttlSec, now);
}

/** Whose live session token this is; undefined when malformed, unknown, expired or revoked. */
export async function resolveMpSession(token: string, now: Date = new Date()): Promise<{ userid: string; family: string } | undefined> {
  if (!isMpToken(token, 'access')) return undefined;
  const doc = await MpTokenModel.findOne({ hash: sha256(token), kind: 'access', revokedAt: null }).lean();
  if (!doc || !doc.userid || doc.expiresAt <= now) return undefined;
  return { userid: doc.userid, family: doc.family };
}

/**
 * Rotation: a refresh token works once. The first use is claimed with a unique insert (so two concurrent
 * refreshes cannot both win) and gets a new pair in the same family; a later use of the spent token is a
 * replay and revokes the whole family (every session and refresh token of that login). A second use within
 * seconds is the client racing itself: refused, without ending the login.
 */
export async function rotateMpRefresh(token: string, ttlSec: number, now: Date): Promise<{ userid: string; family: string; session: MpSessionPair } | { replayed: boolean }> {
  if (!isMpToken(token, 'refresh')) return { replayed: false };
  const hash = sha256(token);
  const doc = await MpTokenModel.findOne({ hash, kind: 'refresh', revokedAt: null }).lean();
  if (!doc?.userid || doc.expiresAt <= now) return { replayed: false };
  if (!(await spend(`refresh:${hash}`, now))) {
    const spent = await MpSpentModel.findById(`refresh:${hash}`).lean();
    if (spent && now.getTime() - new Date(spent.at).getTime() < REFRESH_RACE_MS) return { replayed: false };
    await revokeMpFamily(doc.family, now);
    return { replayed: true };
  }
  await MpTokenModel.updateOne({ _id: doc._id }, { $set: { usedAt: now } });
  // The session token this refresh token came with is retired with it.
  await MpTokenModel.updateMany({ family: doc.family, kind: 'access', revokedAt: null }, { $set: { revokedAt: now } });
  return { userid: doc.userid, family: doc.family, session: await pair(doc.userid, doc.family, doc.openid, ttlSec, now) };
}

export async function revokeMpFamily(family: string, now: Date): Promise<void> {
  await MpTokenModel.updateMany({ family, revokedAt: null }, { $set: { revokedAt: now } });
}

/**
 * Ends every mini-program login of a user at once (deactivation): their session and refresh tokens are
 * revoked, so the next API call and the next refresh are refused. Answers how many credentials it revoked.
 */
export async function revokeMpSessionsOf(userid: string, now: Date): Promise<number> {
  const res = await MpTokenModel.updateMany({ userid, kind: { $in: ['access', 'refresh'] }, revokedAt: null }, { $set: { revokedAt: now } });
  return res.modifiedCount;
}

/** A WeChat identity without a user yet may only bind, for ten minutes. */
export async function issueBindTicket(openid: string, now: Date): Promise<{ bindToken: string; expiresIn: number }> {
  const bindToken = await newToken('bind', { family: randomBytes(12).toString('hex'), openid }, BIND_TICKET_TTL_MS, now);
  return { bindToken, expiresIn: BIND_TICKET_TTL_MS / 1000 };
}

export async function resolveBindTicket(token: string, now: Date): Promise<{ openid: string; family: string } | undefined> {
  if (!isMpToken(token, 'bind')) return undefined;
  const doc = await MpTokenModel.findOne({ hash: sha256(token), kind: 'bind', revokedAt: null, usedAt: null }).lean();
  if (!doc?.openid || doc.expiresAt <= now) return undefined;
  return { openid: doc.openid, family: doc.family };
}

/** Binding codes: 8 characters without look-alikes (0/O, 1/I/L), typed by hand on a phone. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const drawCode = () => Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
export const normalizeBindingCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();

export const mpBindingCodes: MpBindingCodes = {
  async issue(userid, now) {
    // A new code replaces the user's unused ones: only the latest works.
    await MpBindingCodeModel.updateMany({ userid, usedAt: null }, { $set: { usedAt: now } });
    const expiresAt = new Date(now.getTime() + MP_BINDING_CODE_TTL_MS);
    const { secret } = await insertUnique(drawCode, (code) => MpBindingCodeModel.create({ hash: sha256(code), userid, expiresAt, createdAt: now }));
    return { code: secret, expiresAt };
  },
};

/** Spends a binding code (once, atomically): the user it was given to, or undefined. */
export async function consumeBindingCode(code: string, now: Date): Promise<string | undefined> {
  const normalized = normalizeBindingCode(code);
  if (!/^[A-Z0-9]{8}$/.test(normalized)) return undefined;
  const hash = sha256(normalized);
  const doc = await MpBindingCodeModel.findOne({ hash, usedAt: null }).lean();
  if (!doc || doc.expiresAt <= now || !(await spend(`code:${hash}`, now))) return undefined;
  await MpBindingCodeModel.updateOne({ _id: doc._id }, { $set: { usedAt: now } });
  return doc.userid;
}

/** Spends a bind ticket (once). */
export function spendBindTicket(token: string, now: Date): Promise<boolean> {
  return spend(`bind:${sha256(token)}`, now);
}

export async function userForOpenid(appid: string, openid: string): Promise<string | undefined> {
  return (await MpIdentityModel.findOne({ appid, openid }).lean())?.userid;
}

/** Binds an openid once. Answers the user it is bound to (an earlier binding wins). */
export async function bindOpenid(appid: string, openid: string, userid: string, now: Date): Promise<string> {
  try {
    await MpIdentityModel.create({ appid, openid, userid, boundAt: now });
    return userid;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return (await userForOpenid(appid, openid)) ?? userid;
  }
}

