/**
 * The operator's account administration (`steward user …`, `steward token …`), as a port:
 * store/account.repo.ts implements it and the composition root (lib/services.ts) hands it to the CLI.
 */

/** What a deactivation revoked: REST API tokens, and mini-program session and refresh tokens. */
export interface RevokedCredentials {
  apiTokens: number;
  mpCredentials: number;
}

export type SetActiveResult =
  | { found: false }
  | { found: true; userid: string; name: string; active: boolean; changed: boolean; revoked?: RevokedCredentials };

/** What an operator may see of a REST API token: everything but the secret (only its hash is stored anyway). */
export interface ApiTokenInfo {
  id: string;
  userid: string;
  label: string;
  createdAt: Date | null;
  /** Refreshed at most once a minute when the token is used, so "last used" is accurate to the minute. */
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface AccountAdmin {
  /**
   * Activates or deactivates a user: one conditional write of the user's `active` flag, then (deactivation
   * only) the revocation of every credential they hold. Safe to repeat.
   */
  setUserActive(userid: string, active: boolean, now: Date): Promise<SetActiveResult>;
  /** Whether each of these users is active (absent: not in the registry), in one query. */
  activeByUserid(userids: string[]): Promise<Map<string, boolean>>;
  /** A new bearer token for `userid`, with its id; only its hash is stored. */
  issueApiToken(userid: string, label: string): Promise<{ id: string; token: string }>;
  /** Every token (of one user, when given), oldest first. */
  listApiTokens(userid?: string): Promise<ApiTokenInfo[]>;
  /** One token by its id, or by its secret (an operator pasting a leaked one). */
  findApiToken(ref: { id: string } | { token: string }): Promise<ApiTokenInfo | undefined>;
  /** Revokes one token: the token as it now is, and whether this call revoked it. */
  revokeApiToken(id: string, now: Date): Promise<{ token: ApiTokenInfo; revoked: boolean } | undefined>;
}
