import { chinaDateOf, dayNumberOf } from '../calendar/civil-date';
import type { Site } from '../registry/types';
import { defaultOffsetMinutes } from './probe-plan';
import type {
  AvailabilityFigures,
  ColumnKind,
  CrawlResult,
  InspectionProfile,
  InspectionReport,
  InspectionSettings,
  JudgedColumn,
  ProbeResult,
  VetoReason,
} from './inspection.types';

/** The profile a site has before anyone edits it: its first domain's home page over https, no key columns yet, the national 20 probes a day. */
export function defaultProfileFor(site: Pick<Site, 'id' | 'domains'>, settings: Pick<InspectionSettings, 'probesPerDay'>): InspectionProfile {
  const domain = site.domains[0];
  return {
    siteId: site.id,
    homeUrls: domain ? [`https://${domain}/`] : [],
    columns: [],
    probesPerDay: settings.probesPerDay,
    offsetMinutes: defaultOffsetMinutes(site.id, settings.probesPerDay),
    crawlDepth: 1,
    enabled: true,
  };
}

/** China civil days from a publication date to the China-local day of `now` (0 on the same day); undefined without a date. */
export function daysSince(lastUpdate: string | undefined, now: Date): number | undefined {
  if (!lastUpdate) return undefined;
  return dayNumberOf(chinaDateOf(now)) - dayNumberOf(lastUpdate);
}

/** Probes, failures and their ratio; every outcome but `ok` is a failure (a blocked address is not a pass either). */
export function availabilityOf(probes: readonly ProbeResult[]): AvailabilityFigures {
  const failed = probes.filter((p) => p.outcome !== 'ok').length;
  return { probes: probes.length, failed, ratio: probes.length ? failed / probes.length : 0 };
}

/** Float-safe `a ≥ b` for ratios such as 7/140 ≥ 0.05. */
const atLeast = (a: number, b: number) => a >= b - 1e-9;

/**
 * The availability veto of the national check (站点无法访问): over the week, failures reach `failureRatio` of the
 * probes, provided the sample is the one the rule describes — at least `minProbesPerDay` probes for each past
 * day probed (today, still under way, counts in full; on a site's first day today alone must have them).
 * Fewer probes than that (the service was down, the site just added) judge nothing either way.
 */
export function availabilityVeto(week: readonly ProbeResult[], settings: InspectionSettings, now: Date): boolean {
  if (!week.length) return false;
  const today = chinaDateOf(now);
  const past = week.filter((p) => chinaDateOf(p.at) !== today);
  const pastDays = new Set(past.map((p) => chinaDateOf(p.at))).size;
  if (pastDays ? past.length < settings.veto.minProbesPerDay * pastDays : week.length < settings.veto.minProbesPerDay) return false;
  const { failed, probes } = availabilityOf(week);
  return atLeast(failed / probes, settings.veto.failureRatio);
}

/**
 * Whether a page has gone too long without a new item: `daysSince ≥ limit` (a home page last updated 14 days
 * ago has had no new item for 2 weeks). A fetched page with no date at all counts as not updated (national
 * rules, 2015 note); a page that could not be fetched says nothing about its freshness.
 */
function staleness(fetched: boolean, days: number | undefined, limit: number, near: number): { stale: boolean; nearLimit: boolean } {
  if (!fetched) return { stale: false, nearLimit: false };
  if (days === undefined) return { stale: true, nearLimit: false };
  const stale = days >= limit;
  return { stale, nearLimit: !stale && days >= limit - near };
}

/** The kinds the first column-veto line counts: 动态/要闻 against 2 weeks, 通知公告/政策文件 against 6 months. */
const NEWS_LIKE: readonly ColumnKind[] = ['news', 'notice', 'policy'];

export interface JudgeInput {
  site: Pick<Site, 'id' | 'name'>;
  profile: InspectionProfile;
  /** The latest crawl; without one only availability is judged. */
  crawl: CrawlResult | undefined;
  probesToday: readonly ProbeResult[];
  /** The last 7 China days' probes, today included. */
  probesWeek: readonly ProbeResult[];
  now: Date;
  settings: InspectionSettings;
}

/**
 * Judges a crawl and the probes the way the national check (国办秘函〔2019〕19号 单项否决) counts: availability
 * today and over 7 days, the home page's and each key column's days since their last update against their
 * limits, blank columns, and the veto lines reached. Pure: the same facts give the same report.
 */
export function judgeInspection(input: JudgeInput): InspectionReport {
  const { crawl, settings, now } = input;
  const today = availabilityOf(input.probesToday);
  const week = availabilityOf(input.probesWeek);
  const availabilityVetoed = availabilityVeto(input.probesWeek, settings, now);

  const home = crawl?.homepage;
  const homeDays = daysSince(home?.lastUpdate, now);
  const homeState = home ? staleness(home.fetched, homeDays, settings.homepageLimitDays, 0) : { stale: false };

  const columns: JudgedColumn[] = (crawl?.columns ?? []).map((c) => {
    const limitDays = settings.columnLimitDays[c.kind];
    const days = daysSince(c.lastUpdate, now);
    const blank = c.fetched && c.blank;
    const { stale, nearLimit } = blank ? { stale: false, nearLimit: false } : staleness(c.fetched, days, limitDays, settings.nearLimitDays);
    return {
      url: c.url,
      ...(c.name ? { name: c.name } : {}),
      kind: c.kind,
      ...(c.lastUpdate ? { lastUpdate: c.lastUpdate } : {}),
      ...(days !== undefined ? { daysSince: days } : {}),
      limitDays,
      stale,
      blank,
      nearLimit,
    };
  });

  const veto: VetoReason[] = [];
  if (availabilityVetoed) veto.push('availability');
  if (homeState.stale) veto.push('homepage_stale');
  if (columns.filter((c) => c.stale && NEWS_LIKE.includes(c.kind)).length >= settings.veto.staleNewsColumns) veto.push('news_columns_stale');
  if (columns.filter((c) => c.stale).length >= settings.veto.staleColumns) veto.push('columns_stale');
  if (columns.filter((c) => c.blank).length >= settings.veto.blankColumns) veto.push('columns_blank');

  return {
    siteId: input.site.id,
    siteName: input.site.name,
    at: now,
    availability: { today, week, veto: availabilityVetoed },
    homepage: {
      url: home?.url ?? input.profile.homeUrls[0] ?? '',
      ...(home?.lastUpdate ? { lastUpdate: home.lastUpdate } : {}),
      ...(homeDays !== undefined ? { daysSince: homeDays } : {}),
      stale: homeState.stale,
    },
    columns,
    brokenLinks: crawl?.brokenLinks ?? [],
    elements: { missing: crawl?.elements.missing ?? [], mismatched: crawl?.elements.mismatched ?? [] },
    veto,
  };
}
