import { Types } from 'mongoose';
import { ApiTokenModel, type ApiTokenDoc } from './api-token.model';

/** What an operator may see of a REST API token: everything but the secret (only its hash is stored anyway). */
export interface ApiTokenInfo {
  id: string;
  userid: string;
  label: string;
  createdAt: Date | null;
  /** Refreshed at most once a minute (api/auth/api-token.ts), so "last used" is accurate to the minute. */
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

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
