import { createHash, randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { ApiTokenModel, type ApiTokenDoc } from './api-token.model';
import type { ResolvedApiToken } from '../core/api-auth.ports';
import type { ApiTokenInfo } from '../core/accounts.ports';
import { API_TOKEN_PREFIX, isApiTokenShaped } from '../core/api-token';

export type { ApiTokenInfo } from '../core/accounts.ports';

const infoOf = (d: ApiTokenDoc): ApiTokenInfo => ({
  id: String(d._id),
  userid: d.userid,
  label: d.label ?? '',
  createdAt: d.createdAt ?? null,
  lastUsedAt: d.lastUsedAt ?? null,
  revokedAt: d.revokedAt ?? null,
});

/** Every token (of one user, when given), oldest first: `steward token list`. */
export async function listApiTokens(userid?: string): Promise<ApiTokenInfo[]> {
  const docs = await ApiTokenModel.find(userid ? { userid } : {}, { hash: 0 }).sort({ _id: 1 }).lean<ApiTokenDoc[]>();
  return docs.map(infoOf);
}

/** One token by its id (the id `steward token list` shows), or by the hash of its secret. */
export async function findApiToken(ref: { id: string } | { hash: string }): Promise<ApiTokenInfo | undefined> {
  if ('id' in ref && !Types.ObjectId.isValid(ref.id)) return undefined;
  const filter = 'id' in ref ? { _id: new Types.ObjectId(ref.id) } : { hash: ref.hash };
  const doc = await ApiTokenModel.findOne(filter, { hash: 0 }).lean<ApiTokenDoc>();
  return doc ? infoOf(doc) : undefined;
}

/**
 * Revokes one token: one conditional write, so of two operators revoking at once one revokes and the other
 * finds it done. Every request checks `revokedAt`, so the token is refused from the next request on.
 * Answers the token as it now is, and whether this call revoked it.
 */
export async function revokeApiToken(id: string, now: Date): Promise<{ token: ApiTokenInfo; revoked: boolean } | undefined> {
  if (!Types.ObjectId.isValid(id)) return undefined;
  const _id = new Types.ObjectId(id);
  const res = await ApiTokenModel.updateOne({ _id, revokedAt: null }, { $set: { revokedAt: now } });
  const token = await findApiToken({ id });
  return token ? { token, revoked: res.matchedCount === 1 } : undefined;
}

/** Revokes every live token of a user (deactivation): how many it revoked. */
export async function revokeApiTokensOf(userid: string, now: Date): Promise<number> {
  const res = await ApiTokenModel.updateMany({ userid, revokedAt: null }, { $set: { revokedAt: now } });
  return res.modifiedCount;
}

export { API_TOKEN_PREFIX, isApiTokenShaped } from '../core/api-token';

/** Only the hash is stored, so a copy of the database does not hand out working tokens. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * A new bearer token for `userid`, shown to the operator once (`steward token issue`): the caller prints it,
 * we keep only its sha256. The label says what it is for ("monitoring", "Li Lei's laptop").
 */
export async function issueApiToken(userid: string, label: string): Promise<string> {
  return (await issueApiTokenWithId(userid, label)).token;
}

/** The same, with the id `steward token list` shows and `steward token revoke <id>` takes. */
export async function issueApiTokenWithId(userid: string, label: string): Promise<{ id: string; token: string }> {
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const doc = await ApiTokenModel.create({ hash: hashApiToken(token), userid, label });
  return { id: String(doc._id), token };
}

export type { ResolvedApiToken } from '../core/api-auth.ports';

/** How stale `lastUsedAt` may get before a request refreshes it: one write a minute per token, not per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Whose token this is, or undefined when it is malformed, unknown or revoked. Whether that user may still act
 * (registered, active) is the caller's question: a token outlives changes to the registry.
 */
export async function resolveApiToken(token: string, now: Date = new Date()): Promise<ResolvedApiToken | undefined> {
  if (!isApiTokenShaped(token)) return undefined;
  const doc = await ApiTokenModel.findOne({ hash: hashApiToken(token), revokedAt: null }).lean();
  if (!doc) return undefined;
  if (!doc.lastUsedAt || now.getTime() - doc.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await ApiTokenModel.updateOne({ _id: doc._id }, { $set: { lastUsedAt: now } });
  }
  return { userid: doc.userid, label: doc.label };
}
