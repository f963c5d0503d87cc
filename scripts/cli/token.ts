import { DomainError } from '../../core/errors';
import { describeError } from '../../core/presenters/error.presenter';
import { chinaTime } from '../../bot/render/complaint.render';
import { translatorFor } from '../../lib/i18n';
import type { ApiTokenInfo } from '../../core/accounts.ports';
import { isApiTokenShaped } from '../../core/api-token';
import { cliLocale, databaseOf, table, type CliIo, type WithDatabase } from './io';
import { runCli } from './runtime';

export const TOKEN_USAGE = [
  'Usage: steward token issue <userid> [--label TEXT] [--json] [--lng zh-CN|en]',
  '       steward token list [<userid>] [--json] [--lng zh-CN|en]',
  '       steward token revoke <token-id> [--json] [--lng zh-CN|en]',
].join('\n') + '\n';

/** A refusal the operator can act on, in their language, on stderr: exit 1. */
function refuse(io: CliIo, code: string, params: Record<string, unknown>): number {
  io.stderr.write(describeError(new DomainError(code, params), io.t, '-').message + '\n');
  return 1;
}

const time = (d: Date | null) => (d ? chinaTime(d.toISOString()) : '—');

/**
 * `steward token issue <userid>`: a bearer token for the REST API, printed once on stdout (alone, so a script
 * can capture it) and stored only as a hash; its id, for `token revoke`, goes to stderr. Only registered,
 * active users get one.
 */
export async function tokenIssue(userid: string, label: string, io: CliIo, withDb: WithDatabase): Promise<number> {
  return withDb(async ({ deps, accounts }) => {
    const user = await deps.users.byUserid(userid);
    if (!user) return refuse(io, 'user_not_registered', { userid });
    if (!user.active) return refuse(io, 'api_token_user_inactive', { userid });
    const { id, token } = await accounts.issueApiToken(userid, label);
    if (io.json) io.stdout.write(JSON.stringify({ id, userid, label, token }) + '\n');
    else {
      io.stdout.write(token + '\n');
      io.stderr.write(io.t('commands:accounts.token.issued', { id, userid, label }) + '\n');
    }
    return 0;
  });
}

type TokenStatus = 'active' | 'revoked' | 'user_inactive' | 'user_unknown';

/** Whether a token works now: a live token of a deactivated or unregistered user is refused all the same. */
function statusOf(token: ApiTokenInfo, users: Map<string, boolean>): TokenStatus {
  if (token.revokedAt) return 'revoked';
  const active = users.get(token.userid);
  return active === undefined ? 'user_unknown' : active ? 'active' : 'user_inactive';
}

/**
 * `steward token list [<userid>]`: every token with its id, user, label, creation, last use (to the minute)
 * and whether it works; never the secret, which is not stored. A table in the operator's language, or JSON.
 */
export async function tokenList(userid: string | undefined, io: CliIo, withDb: WithDatabase): Promise<number> {
  return withDb(async ({ deps, accounts }) => {
    const tokens = await accounts.listApiTokens(userid);
    if (userid && tokens.length === 0 && !(await deps.users.byUserid(userid))) return refuse(io, 'user_not_registered', { userid });
    const users = await accounts.activeByUserid([...new Set(tokens.map((x) => x.userid))]);
    const rows = tokens.map((token) => ({ ...token, status: statusOf(token, users) }));
    if (io.json) {
      io.stdout.write(JSON.stringify({ tokens: rows }, null, 2) + '\n');
      return 0;
    }
    if (rows.length === 0) {
      io.stdout.write((userid ? io.t('commands:accounts.token.none_of', { userid }) : io.t('commands:accounts.token.none')) + '\n');
      return 0;
    }
    const h = (k: string) => io.t(`commands:accounts.token.header.${k}`);
    const lines = table([
      [h('id'), h('user'), h('created'), h('last_used'), h('status'), h('label')],
      ...rows.map((r) => [r.id, r.userid, time(r.createdAt), time(r.lastUsedAt), io.t(`commands:accounts.token.status.${r.status}`, { at: time(r.revokedAt) }), r.label]),
    ]);
    io.stdout.write([...lines, io.t('commands:accounts.token.summary', { count: rows.length, live: rows.filter((r) => r.status === 'active').length })].join('\n') + '\n');
    return 0;
  });
}

/**
 * `steward token revoke <token-id>`: that token is refused from the next request on (every request checks).
 * Takes the id `token list` shows, or the token itself when an operator found a leaked one. Revoking a revoked
 * token says when it was revoked and succeeds: the operator's wish already holds.
 */
export async function tokenRevoke(ref: string, io: CliIo, withDb: WithDatabase, now: Date = new Date()): Promise<number> {
  const byId = /^[0-9a-f]{24}$/i.test(ref);
  if (!byId && !isApiTokenShaped(ref)) return refuse(io, 'api_token_ref_invalid', { ref });
  return withDb(async ({ accounts }) => {
    const id = byId ? ref.toLowerCase() : (await accounts.findApiToken({ token: ref }))?.id;
    const out = id ? await accounts.revokeApiToken(id, now) : undefined;
    // A pasted secret is never echoed back: the id names the token from here on.
    if (!out) return refuse(io, 'api_token_not_found', { ref: byId ? ref : `${ref.slice(0, 8)}…` });
    const { token, revoked } = out;
    if (io.json) io.stdout.write(JSON.stringify({ id: token.id, userid: token.userid, label: token.label, revokedAt: token.revokedAt, alreadyRevoked: !revoked }) + '\n');
    else if (revoked) io.stdout.write(io.t('commands:accounts.token.revoked', { id: token.id, userid: token.userid, label: token.label }) + '\n');
    else io.stdout.write(io.t('commands:accounts.token.already_revoked', { id: token.id, userid: token.userid, label: token.label, at: time(token.revokedAt) }) + '\n');
    return 0;
  });
}

/** The `steward token …` entry point: configuration, language, the database, exit code. */
export function tokenCommand(action: string | undefined, arg: string | undefined, opts: { label?: string; lng?: string; json?: boolean } = {}): Promise<never> {
  return runCli(
    async (config, logger) => {
      const io: CliIo = { stdout: process.stdout, stderr: process.stderr, t: translatorFor(cliLocale(config, opts.lng)), json: Boolean(opts.json) };
      const withDb = databaseOf(config, logger);
      if (action === 'issue' && arg) return tokenIssue(arg, opts.label ?? 'cli', io, withDb);
      if (action === 'list') return tokenList(arg, io, withDb);
      if (action === 'revoke' && arg) return tokenRevoke(arg.trim(), io, withDb);
      process.stderr.write(TOKEN_USAGE);
      return 2;
    },
    { logLevel: process.env.LOG_LEVEL ?? 'warn' },
  );
}
