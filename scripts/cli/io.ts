import type { Config } from '../../core/config.schema';
import { localeSchema, type Locale } from '../../core/config.schema';
import type { Translate } from '../../core/i18n';
import { openDatabase } from '../../lib/boot';
import type { Logger } from '../../lib/logger';
import { createServices, type Services } from '../../lib/services';

/** Where an account command (`steward user …`, `steward token …`) writes, in which language and form. */
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  t: Translate;
  /** `--json`: what succeeded as one JSON document on stdout, for scripts; errors stay text on stderr. */
  json: boolean;
}

/**
 * Runs `fn` with the database open and the composition root's services built on it (and closes it after);
 * tests pass `(fn) => fn(createServices())` on their own connection.
 */
export type WithDatabase = <T>(fn: (services: Services) => Promise<T>) => Promise<T>;

/** The operator's language: `--lng`, else STEWARD_LOCALE. */
export const cliLocale = (config: Pick<Config, 'STEWARD_LOCALE'>, lng: string | undefined): Locale => localeSchema.catch(config.STEWARD_LOCALE).parse(lng ?? config.STEWARD_LOCALE);

/** Opens the configured database (never loading demo data) around one command. */
export function databaseOf(config: Config, logger: Logger): WithDatabase {
  return async (fn) => {
    const { close } = await openDatabase(config, logger, { seedDemo: false });
    try {
      return await fn(createServices({ logger }));
    } finally {
      await close();
    }
  };
}

/** Columns padded to the widest cell, counting a CJK character as two columns as terminals show it. */
export function table(rows: string[][]): string[] {
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - width(cell)))).join('  ').trimEnd());
}
