import { issueApiToken } from '../../api/auth/api-token';
import { openDatabase } from '../../lib/boot';
import { storeDeps } from '../../store/index';
import { runCli } from './runtime';

/** `steward token issue <userid>`: a bearer token for the REST API, printed once and stored only as a hash. */
export function tokenCommand(action: string | undefined, userid: string | undefined, label: string | undefined): Promise<never> {
  return runCli(
    async (config, logger) => {
      if (action !== 'issue' || !userid) {
        process.stderr.write('Usage: steward token issue <userid> [--label TEXT]\n');
        return 2;
      }
      const { close } = await openDatabase(config, logger);
      try {
        if (!(await storeDeps().users.byUserid(userid))) {
          process.stderr.write(`No user ${userid} in the registry.\n`);
          return 1;
        }
        process.stdout.write((await issueApiToken(userid, label ?? 'cli')) + '\n');
        return 0;
      } finally {
        await close();
      }
    },
    { logLevel: process.env.LOG_LEVEL ?? 'warn' },
  );
}
