import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { createLogger, type Logger } from './logger';

/**
 * The console's log: a file under the data directory, not the terminal. In `steward console` the terminal
 * is the conversation, so a log line or a library's warning printed there reads as if the bot had said it.
 */
export function consoleLogger(dataDir: string, level: string): { logger: Logger; file: string } {
  const dir = path.resolve(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'console.log');
  // Synchronous: the console ends with process.exit, which would drop what an asynchronous stream still holds.
  const destination = pino.destination({ dest: file, sync: true, mkdir: true }) as unknown as NodeJS.WritableStream;
  return { logger: createLogger(level, destination), file };
}

/**
 * Sends the process's warnings (`process.emitWarning`: deprecations from mongoose or the driver, experimental
 * features) to the log instead of Node's default printing on stderr.
 */
export function warningsToLog(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (w: Error & { code?: string }) => logger.warn({ warning: { name: w.name, code: w.code, message: w.message } }, 'process warning'));
}
