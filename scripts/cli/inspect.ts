import { reportLines } from '../../bot/render/inspection.render';
import { inspectSiteNow } from '../../core/inspection/inspect-now';
import type { CrawlProgress } from '../../core/inspection/inspection.ports';
import { describeError } from '../../core/presenters/error.presenter';
import { presentInspectionReport } from '../../core/presenters/inspection.presenter';
import { notFound } from '../../core/errors';
import { translatorFor } from '../../lib/i18n';
import { cliLocale, databaseOf, type CliIo, type WithDatabase } from './io';
import { runCli } from './runtime';

export const INSPECT_USAGE = 'Usage: steward inspect <site> [--json] [--lng zh-CN|en]   (site: 网站标识码 or domain)\n';

/**
 * Progress of the crawl on stderr, so stdout stays the report: on a terminal one line rewritten in place, in
 * a pipe (CI logs) a line at the start, every 10 pages and at the end. Nothing at all with `--json`, where
 * scripts read stdout only.
 */
function progressOn(stderr: CliIo['stderr'] & { isTTY?: boolean }, t: CliIo['t']): { update(p: CrawlProgress): void; done(): void } {
  let last: CrawlProgress | undefined;
  let printed: CrawlProgress | undefined;
  const line = (p: CrawlProgress) => t('bot:inspect_view.cli_progress', { pages: p.pages, links: p.links, current: p.current ?? '' });
  return {
    update(p) {
      last = p;
      if (stderr.isTTY) stderr.write(`\r\x1b[2K${line(p).slice(0, 160)}`);
      else if (!printed || Math.floor(p.pages / 10) > Math.floor(printed.pages / 10)) {
        printed = p;
        stderr.write(line(p) + '\n');
      }
    },
    done() {
      if (stderr.isTTY) {
        if (last) stderr.write('\n');
      } else if (last && last !== printed) stderr.write(line({ ...last, current: '' }).trimEnd() + '\n');
    },
  };
}

/**
 * `steward inspect <site>`: inspects one site now, as `巡检` does, with the composition root's ports — the
 * inspector honours `STEWARD_INSPECT_RESOLVE` — and saves the crawl and the report. With `--json` stdout is one
 * JSON document (availability, homepage, columns, brokenLinks, elements, veto, problems) and nothing else.
 * Operators' runs send no alerts: the nightly job and the chat command do. Exit 1 for an unknown site.
 */
export async function inspectCommandRun(ref: string, io: CliIo & { stderr: { isTTY?: boolean } }, withDb: WithDatabase): Promise<number> {
  return withDb(async ({ deps }) => {
    const site = await deps.sites.findByRef(ref);
    if (!site) {
      io.stderr.write(describeError(notFound('site', ref), io.t, '-').message + '\n');
      return 1;
    }
    const progress = io.json ? undefined : progressOn(io.stderr, io.t);
    if (progress) io.stderr.write(io.t('bot:inspect_view.cli_start', { site: site.name, ref }) + '\n');
    let report;
    try {
      report = await inspectSiteNow(deps, site.id, { alert: false, ...(progress ? { onProgress: (p: CrawlProgress) => progress.update(p) } : {}) });
    } finally {
      progress?.done();
    }
    const dto = presentInspectionReport(report, site);
    if (io.json) io.stdout.write(JSON.stringify(dto, null, 2) + '\n');
    else io.stdout.write(reportLines(dto, io.t).join('\n') + '\n');
    return 0;
  });
}

/** The `steward inspect …` entry point: configuration, language, the database, exit code. */
export function inspectCommand(ref: string | undefined, opts: { lng?: string; json?: boolean } = {}): Promise<never> {
  return runCli(
    async (config, logger) => {
      const io: CliIo = { stdout: process.stdout, stderr: process.stderr, t: translatorFor(cliLocale(config, opts.lng)), json: Boolean(opts.json) };
      if (!ref?.trim()) {
        process.stderr.write(INSPECT_USAGE);
        return 2;
      }
      return inspectCommandRun(ref.trim(), io, databaseOf(config, logger));
    },
    { logLevel: process.env.LOG_LEVEL ?? 'warn' },
  );
}
