import { chinaDateOf, chinaMinuteOfDay, dayNumberOf, formatDayNumber, parseHhmm } from '../core/calendar/civil-date';
import type { InspectionSchedule } from '../core/inspection/inspection.config';
import { inspectSiteNow } from '../core/inspection/inspect-now';
import { createLimiter, hostOf } from './inspection-limiter';
import { inspectedSites } from './inspection-probes.job';
import type { JobEnv, JobSpec } from './job';

/** The end of the crawl window `now` falls in (China time; the window may pass midnight), or undefined outside it. */
export function crawlWindowEnd(now: Date, s: Pick<InspectionSchedule, 'crawlFrom' | 'crawlTo'>): Date | undefined {
  const from = parseHhmm(s.crawlFrom);
  const to = parseHhmm(s.crawlTo);
  const m = chinaMinuteOfDay(now);
  const inside = from <= to ? m >= from && m < to : m >= from || m < to;
  if (!inside) return undefined;
  const minutesLeft = (to - m + 1440) % 1440 || 1440;
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000 + minutesLeft * 60_000);
}

export interface CrawlRunResult {
  skipped?: 'outside_window';
  crawled: number;
  failed: number;
  pruned: number;
}

/** A run starts no crawl after this long, so it ends well within the job's lock lifetime; the next run goes on. */
export const CRAWL_RUN_BUDGET_MS = 8 * 60_000;

/**
 * The nightly crawls: within the crawl window, each online site's crawl is claimed until the window ends (so
 * two instances, or this run and the next, never crawl a site twice in one night), run through
 * `inspectSiteNow` (judge, save, veto alerts), a few sites at a time and one at a time per host. Once a night
 * it also prunes probe records older than `keepProbeDays`.
 */
export async function runInspectionCrawls(env: Pick<JobEnv, 'deps' | 'instance' | 'logger'>, now: Date, opts: { budgetMs?: number } = {}): Promise<CrawlRunResult> {
  const { deps } = env;
  const schedule = deps.inspections.schedule;
  const until = crawlWindowEnd(now, schedule);
  if (!until) return { skipped: 'outside_window', crawled: 0, failed: 0, pruned: 0 };
  const sites = await inspectedSites(deps, ['online', 'closing']);
  const result: CrawlRunResult = { crawled: 0, failed: 0, pruned: 0 };

  const marker = `inspection-prune:${chinaDateOf(now)}`;
  if (!(await deps.runs.done(marker))) {
    const before = formatDayNumber(dayNumberOf(chinaDateOf(now)) - schedule.keepProbeDays);
    result.pruned = await deps.inspections.pruneProbes(
      sites.map((s) => s.site.id),
      before,
      7,
    );
    await deps.runs.mark(marker, now);
  }

  const startedAt = performance.now();
  const budget = opts.budgetMs ?? CRAWL_RUN_BUDGET_MS;
  // A crawl fetches many pages itself: a few sites at a time, one per host.
  const limiter = createLimiter(Math.max(1, Math.floor(schedule.globalConcurrency / 8)), 1);
  await Promise.all(
    sites.map(({ site, profile }) =>
      limiter.run(hostOf(profile.homeUrls[0]!), async () => {
        if (performance.now() - startedAt > budget) return;
        if (!(await deps.inspections.claimCrawl(site.id, now, until))) return;
        try {
          await inspectSiteNow(deps, site.id);
          result.crawled++;
        } catch (err) {
          result.failed++;
          env.logger.warn({ err, site: site.id }, 'inspection crawl failed');
        }
      }),
    ),
  );
  return result;
}

export const inspectionCrawlsJob: JobSpec = { name: 'inspection-crawls', run: runInspectionCrawls };
