import { DomainError } from '../../core/errors';
import { describeError } from '../../core/presenters/error.presenter';
import { translatorFor } from '../../lib/i18n';
import { cliLocale, databaseOf, type CliIo, type WithDatabase } from './io';
import { runCli } from './runtime';

export const USER_USAGE = 'Usage: steward user deactivate|activate <userid> [--json] [--lng zh-CN|en]\n';

/**
 * `steward user deactivate <userid>`: the user is refused at once everywhere (REST API, mini-program, chat)
 * and their API tokens and mini-program sessions are revoked, so re-activating them later brings no leaked
 * token back. `steward user activate <userid>` lets them in again, with new credentials only. Both are safe
 * to repeat; exit 1 when the registry has no such user.
 */
export async function userSetActive(userid: string, active: boolean, io: CliIo, withDb: WithDatabase, now: Date = new Date()): Promise<number> {
  const out = await withDb(({ accounts }) => accounts.setUserActive(userid, active, now));
  if (!out.found) {
    io.stderr.write(describeError(new DomainError('user_not_registered', { userid }), io.t, '-').message + '\n');
    return 1;
  }
  const { changed, name, revoked } = out;
  if (io.json) {
    io.stdout.write(JSON.stringify({ userid, name, active: out.active, changed, ...(revoked ? { revoked } : {}) }) + '\n');
    return 0;
  }
  const key = active ? (changed ? 'activated' : 'already_active') : changed ? 'deactivated' : 'already_inactive';
  io.stdout.write(io.t(`commands:accounts.user.${key}`, { userid, name, apiTokens: revoked?.apiTokens ?? 0, mpCredentials: revoked?.mpCredentials ?? 0 }) + '\n');
  return 0;
}

/** The `steward user …` entry point: configuration, language, the database, exit code. */
export function userCommand(action: string | undefined, userid: string | undefined, opts: { lng?: string; json?: boolean } = {}): Promise<never> {
  return runCli(
    async (config, logger) => {
      const io: CliIo = { stdout: process.stdout, stderr: process.stderr, t: translatorFor(cliLocale(config, opts.lng)), json: Boolean(opts.json) };
      if ((action === 'deactivate' || action === 'activate') && userid) return userSetActive(userid.trim(), action === 'activate', io, databaseOf(config, logger));
      process.stderr.write(USER_USAGE);
      return 2;
    },
    { logLevel: process.env.LOG_LEVEL ?? 'warn' },
  );
}
