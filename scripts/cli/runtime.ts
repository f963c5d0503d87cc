import type { Config } from '../../core/config.schema';
import { ConfigError, loadConfig } from '../../lib/config';
import { createLogger, type Logger } from '../../lib/logger';
import { DatabaseUnavailableError } from '../../lib/boot';

/**
 * Loads the configuration and a logger for a CLI command, and turns the errors an operator can fix
 * (bad settings, no database) into one clear message and exit code 1 instead of a stack trace.
 */
export async function runCli(fn: (config: Config, logger: Logger) => Promise<number | void>, opts: { logLevel?: string } = {}): Promise<never> {
  let code: number;
  try {
    const config = loadConfig();
    const logger = createLogger(opts.logLevel ?? config.LOG_LEVEL);
    code = (await fn(config, logger)) ?? 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DatabaseUnavailableError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    code = 1;
  }
  process.exit(code);
}
