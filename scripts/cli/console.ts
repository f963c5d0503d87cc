import { createChatEngine } from '../../bot/chat-engine';
import { createShellChannel } from '../../bot/shell/shell-channel';
import { openDatabase } from '../../lib/boot';
import { consoleLogger, warningsToLog } from '../../lib/console-log';
import { translatorFor } from '../../lib/i18n';
import { createServices } from '../../lib/services';
import { runCli } from './runtime';

/**
 * `steward console --as <userid>`: chat with the bot in the terminal as a registry user. It shares the data
 * directory (and the embedded server) with a running service, so both see the same data.
 */
export function consoleCommand(as: string | undefined): Promise<never> {
  return runCli(
    async (config) => {
      // The terminal is the conversation: the log (and any warning) goes to a file (lib/console-log.ts).
      const { logger } = consoleLogger(config.STEWARD_DATA_DIR, process.env.LOG_LEVEL ?? 'info');
      warningsToLog(logger);
      if (!as) {
        process.stderr.write('Usage: npm run console -- --as <userid>   (e.g. --as demo.siteadmin)\n');
        return 2;
      }
      const { close } = await openDatabase(config, logger);
      try {
        const { deps } = createServices({ logger });
        const user = await deps.users.byUserid(as);
        const t = translatorFor(user?.locale ?? config.STEWARD_LOCALE);
        if (!user) {
          process.stderr.write(t('bot:console_unknown_user', { userid: as }) + '\n');
          return 1;
        }
        const interactive = Boolean(process.stdin.isTTY);
        const engine = createChatEngine({ deps, logger, defaultLocale: config.STEWARD_LOCALE });
        const shell = createShellChannel({ engine, as, input: process.stdin, output: process.stdout, interactive, greeting: t('bot:greeting', { name: user.name }) });
        await shell.start();
        await shell.done;
        if (interactive) process.stdout.write(t('bot:bye') + '\n');
        return 0;
      } finally {
        await close();
      }
    },
    { logLevel: process.env.LOG_LEVEL ?? 'warn' },
  );
}
