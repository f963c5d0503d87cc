import { chinaDateOf, chinaStartOf, dayNumberOf, formatDayNumber } from '../calendar/civil-date';
import type { PersonRef } from '../complaints/complaint.ports';
import { notFound } from '../errors';
import type { Deps } from '../ports';
import type { Site } from '../registry/types';
import { vetoAlertIntents } from './alerts';
import type { CrawlProgress } from './inspection.ports';
import type { InspectionReport } from './inspection.types';
import { defaultProfileFor, judgeInspection } from './judge';

export type InspectDeps = Pick<Deps, 'clock' | 'sites' | 'units' | 'inspections' | 'inspector' | 'people' | 'notifications'>;

export interface InspectNowOptions {
  onProgress?: (p: CrawlProgress) => void;
  signal?: AbortSignal;
  /** Send the veto-risk alerts the report raises (default true; once per site, reason and day whoever asks). */
  alert?: boolean;
}

/**
 * The people an inspection alert goes to: the site's admins and the supervisors of `units` (the supervising
 * unit for a veto risk or a suspected shutdown, the whole chain for a site not restored after its window).
 */
export async function alertPeople(people: Deps['people'], site: Pick<Site, 'id'>, units: readonly string[]): Promise<PersonRef[]> {
  const admins = (await people.siteAdminsBySite([site.id])).get(site.id) ?? [];
  const supervisors = [...(await people.supervisorsByUnit([...new Set(units)])).values()].flat();
  return [...admins, ...supervisors];
}

/** The probes of the week the veto line looks at (7 China days, today included), and today's. */
export async function weekProbes(deps: Pick<Deps, 'inspections'>, siteId: string, now: Date) {
  const today = chinaDateOf(now);
  const week = (await deps.inspections.probesSince(siteId, chinaStartOf(formatDayNumber(dayNumberOf(today) - 6)))).filter((p) => p.at <= now);
  return { week, today: week.filter((p) => chinaDateOf(p.at) === today) };
}

/**
 * One inspection of one site now: crawl it (home page, key columns, links to the profile's depth, required
 * elements), judge the crawl with today's and the week's recorded probes, save both, and raise the veto risks
 * at once. Used by the 巡检 command, the CLI's `inspect` and the nightly crawl job.
 */
export async function inspectSiteNow(deps: InspectDeps, siteId: string, opts: InspectNowOptions = {}): Promise<InspectionReport> {
  const site = await deps.sites.getById(siteId);
  if (!site) throw notFound('site', siteId);
  const settings = deps.inspections.settings;
  const profile = (await deps.inspections.profileOf(site.id)) ?? defaultProfileFor(site, settings);
  const hostUnit = await deps.units.get(site.hostUnit);
  const crawl = await deps.inspector.crawl(
    profile,
    { domains: site.domains, ...(site.code ? { code: site.code } : {}), hostUnit: site.hostUnit, ...(hostUnit ? { hostUnitName: hostUnit.name } : {}) },
    { ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), ...(opts.signal ? { signal: opts.signal } : {}) },
  );
  await deps.inspections.saveCrawl(crawl);
  const now = deps.clock.now();
  const probes = await weekProbes(deps, site.id, now);
  const report = judgeInspection({ site, profile, crawl, probesToday: probes.today, probesWeek: probes.week, now, settings });
  await deps.inspections.saveReport(report);
  if (opts.alert !== false && report.veto.length) {
    const people = await alertPeople(deps.people, site, [site.supervisingUnit]);
    await deps.notifications.insert(vetoAlertIntents(site, report, people, now), now);
  }
  return report;
}
