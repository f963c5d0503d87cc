import { localeSchema } from '../../core/config.schema';
import { DomainError } from '../../core/errors';
import { describeError } from '../../core/presenters/error.presenter';
import { openDatabase } from '../../lib/boot';
import { translatorFor } from '../../lib/i18n';
import { createServices } from '../../lib/services';
import { renderIntake } from '../../bot/render/complaint.render';
import { replyText } from '../../bot/reply';
import { writeImportReport } from './import';
import { progressReporter } from './progress';
import { runCli } from './runtime';

/**
 * `steward import complaints FILE`: the national platform's export through the same intake as the REST API.
 * Known platform ids are skipped (the same file twice changes nothing); rows naming no known site are stored
 * in the unmatched queue and listed; bad rows are listed with their reason and make the exit code 1.
 */
export function importComplaintsCommand(file: string | undefined, opts: { json: boolean; lng?: string }): Promise<never> {
  return runCli(
    async (config, logger) => {
      const lng = localeSchema.catch(config.STEWARD_LOCALE).parse(opts.lng ?? config.STEWARD_LOCALE);
      const t = translatorFor(lng);
      if (!file) {
        process.stderr.write('Usage: steward import complaints FILE [--json] [--lng zh-CN|en]\n');
        return 2;
      }
      const { close } = await openDatabase(config, logger, { seedDemo: false });
      const progress = progressReporter('complaints');
      let report;
      try {
        report = await createServices({ logger }).imports.complaintsFile(file, { onProgress: (done, total) => progress.update(done, total) });
      } catch (err) {
        if (err instanceof DomainError) {
          process.stderr.write(describeError(err, t, '-').message + '\n');
          return 1;
        }
        throw err;
      } finally {
        progress.stop();
        await close();
      }
      return writeImportReport(report, t, opts.json, replyText(renderIntake(report, t)));
    },
    { logLevel: process.env.LOG_LEVEL ?? 'warn' },
  );
}
