/**
 * What the REST API keeps in MongoDB for signing in, as a port: API tokens (their hashes) and the
 * mini-program's sessions, refresh tokens, bind tickets and bound openids. store/api-auth.store.ts implements
 * it; the composition root (lib/services.ts) hands it to the API, which imports no store/ module.
 */

/** Whose API token this is. Whether that user may still act (registered, active) is the caller's question. */
export interface ResolvedApiToken {
  userid: string;
  label: string;
}

/** A mini-program login's tokens. */
export interface MpSessionPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds. */
  expiresIn: number;
  refreshExpiresIn: number;
}

/** The kinds of mini-program token: a session, its refresh token, a bind ticket. */
export type MpTokenKind = 'access' | 'refresh' | 'bind';

/** The API's sign-in storage port (store/api-auth.store.ts). */
export interface ApiAuthStore {
  /** Whose token this is, or undefined when it is malformed, unknown or revoked. */
  resolveApiToken(token: string, now?: Date): Promise<ResolvedApiToken | undefined>;
  /** Whether a string has the shape of a mini-program token (of `kind`, when given). */
  isMpToken(token: string, kind?: MpTokenKind): boolean;
  /** Whose live session token this is; undefined when malformed, unknown, expired or revoked. */
  resolveMpSession(token: string, now?: Date): Promise<{ userid: string; family: string } | undefined>;
  /** A new login: a session token and its refresh token, in a new family. */
  issueMpSession(userid: string, ttlSec: number, now: Date, openid?: string): Promise<MpSessionPair>;
  /** A refresh token works once; a replay of a spent one revokes the whole family. */
  rotateMpRefresh(token: string, ttlSec: number, now: Date): Promise<{ userid: string; family: string; session: MpSessionPair } | { replayed: boolean }>;
  revokeMpFamily(family: string, now: Date): Promise<void>;
  /** A WeChat identity without a user yet may only bind, for ten minutes. */
  issueBindTicket(openid: string, now: Date): Promise<{ bindToken: string; expiresIn: number }>;
  resolveBindTicket(token: string, now: Date): Promise<{ openid: string; family: string } | undefined>;
  /** Spends a bind ticket (once). */
  spendBindTicket(token: string, now: Date): Promise<boolean>;
  /** Spends a binding code (once, atomically): the user it was given to, or undefined. */
  consumeBindingCode(code: string, now: Date): Promise<string | undefined>;
  userForOpenid(appid: string, openid: string): Promise<string | undefined>;
  /** Binds an openid once. Answers the user it is bound to (an earlier binding wins). */
  bindOpenid(appid: string, openid: string, userid: string, now: Date): Promise<string>;
}
