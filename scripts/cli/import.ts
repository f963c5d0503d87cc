import { describeError, describeProblem } from '../../core/presenters/error.presenter';
import type { Translate } from '../../core/i18n';
import { localeSchema } from '../../core/config.schema';
import { DomainError } from '../../core/errors';
import { openDatabase } from '../../lib/boot';
import { translatorFor } from '../../lib/i18n';
import { createServices } from '../../lib/services';
import { IMPORT_ENTITIES, type ImportEntity, type ImportReport } from '../../core/registry/import.ports';
// A file reader, not a repository: the file is read (and a bad one refused) before the database is opened.
import { readRows } from '../../store/import/read-rows';
import { progressReporter } from './progress';
import { runCli } from './runtime';

const ENTITIES = IMPORT_ENTITIES;

/**
 * `steward import units|sites|users FILE`: imports the good rows, lists each bad row with its reason, and exits
 * 1 when any row was refused. Every row is one single-document write, so nothing is ever half-written, and
 * importing the same file again changes nothing.
 */
export function importCommand(entity: string | undefined, file: string | undefined, opts: { json: boolean; lng?: string }): Promise<never> {
  return runCli(
    async (config, logger) => {
      const lng = localeSchema.catch(config.STEWARD_LOCALE).parse(opts.lng ?? config.STEWARD_LOCALE);
      const t = translatorFor(lng);
      if (!entity || !ENTITIES.includes(entity as never) || !file) {
        process.stderr.write(`Usage: steward import ${ENTITIES.join('|')} FILE [--json] [--lng zh-CN|en]\n`);
        return 2;
      }
      let rows;
      try {
        rows = await readRows(file, entity);
      } catch (err) {
        if (err instanceof DomainError) {
          process.stderr.write(describeError(err, t, '-').message + '\n');
          return 1;
        }
        throw err;
      }
      const { close } = await openDatabase(config, logger, { seedDemo: false });
      let report: ImportReport;
      const progress = progressReporter(t(`import:entity.${entity}`));
      try {
        report = await createServices({ logger }).imports.registry[entity as ImportEntity](rows, (done, total) => progress.update(done, total));
      } finally {
        progress.stop();
        await close();
      }
      return writeImportReport(report, t, opts.json, t('import:summary', { ...report, entity: t(`import:entity.${entity}`), failed: report.failedRows }));
    },
    { logLevel: process.env.LOG_LEVEL ?? 'warn' },
  );
}

/**
 * Prints an import's outcome for the operator — the summary line and each refused row with its reason, or
 * the whole report as JSON — and gives the exit code: 1 when any row was refused.
 */
export function writeImportReport(
  report: { failedRows: number; failed: { row: number; field: string; code: string; params?: Record<string, unknown> }[] },
  t: Translate,
  json: boolean,
  summary: string,
): number {
  if (json) {
    process.stdout.write(JSON.stringify({ ...report, failed: report.failed.map((f) => ({ ...f, message: describeProblem(f, t) })) }, null, 2) + '\n');
  } else {
    process.stdout.write(summary + '\n');
    for (const f of report.failed) process.stdout.write(t('import:bad_row', { row: f.row, field: f.field, reason: describeProblem(f, t) }) + '\n');
  }
  return report.failedRows > 0 ? 1 : 0;
}
