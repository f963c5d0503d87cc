import type { AccountAdmin, RevokedCredentials, SetActiveResult } from '../core/accounts.ports';
import { findApiToken, hashApiToken, issueApiTokenWithId, listApiTokens, revokeApiToken, revokeApiTokensOf } from './api-token.repo';
import { revokeMpSessionsOf } from './mp-auth.repo';
import { UserModel, type UserDoc } from './user.model';

export type { RevokedCredentials, SetActiveResult } from '../core/accounts.ports';

/**
 * Revokes every credential a user holds, so that a later re-activation does not bring a leaked token back.
 * The user's `active` flag already stops them on the next request (api/middlewares/auth.ts, the mini-program
 * refresh, every chat channel); this makes it permanent.
 */
export async function revokeCredentialsOf(userid: string, now: Date): Promise<RevokedCredentials> {
  const apiTokens = await revokeApiTokensOf(userid, now);
  const mpCredentials = await revokeMpSessionsOf(userid, now);
  return { apiTokens, mpCredentials };
}

/**
 * `steward user activate|deactivate`: one conditional write of the user's `active` flag (a user without the
 * field counts as active, as the registry reads it). The write comes first: from then on every request of the
 * user is refused whatever tokens they hold. A deactivation then revokes those tokens and sessions; it does so
 * even when the user was already inactive, so running it again finishes a revocation a crash interrupted.
 * Re-activation revokes nothing and restores nothing: revoked credentials stay revoked.
 */
export async function setUserActive(userid: string, active: boolean, now: Date): Promise<SetActiveResult> {
  const res = await UserModel.updateOne({ userid, active: active ? false : { $ne: false } }, { $set: { active } });
  const doc = await UserModel.findOne({ userid }, { userid: 1, name: 1, active: 1 }).lean<Pick<UserDoc, 'userid' | 'name' | 'active'>>();
  if (!doc) return { found: false };
  const base = { found: true as const, userid: doc.userid, name: doc.name, active: doc.active !== false, changed: res.matchedCount === 1 };
  return active ? base : { ...base, revoked: await revokeCredentialsOf(userid, now) };
}

/** Whether each of these users is active (absent: not in the registry), in one query. */
export async function activeByUserid(userids: string[]): Promise<Map<string, boolean>> {
  if (userids.length === 0) return new Map();
  const docs = await UserModel.find({ userid: { $in: userids } }, { userid: 1, active: 1 }).lean<Pick<UserDoc, 'userid' | 'active'>[]>();
  return new Map(docs.map((u) => [u.userid, u.active !== false]));
}

/** The operator's account administration (core/accounts.ports.ts), for the CLI through the composition root. */
export const accountAdmin: AccountAdmin = {
  setUserActive,
  activeByUserid,
  issueApiToken: issueApiTokenWithId,
  listApiTokens,
  findApiToken: (ref) => findApiToken('token' in ref ? { hash: hashApiToken(ref.token) } : ref),
  revokeApiToken,
};
