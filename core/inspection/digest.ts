import type { InspectionReport } from './inspection.types';

/** One site's line in the daily digest: availability, days since the home page was updated, columns near their limit, broken links. */
export interface InspectionDigestLine {
  siteId: string;
  siteName: string;
  /** Today's and the week's failure ratio, as percentages with one decimal. */
  availabilityToday: string;
  availabilityWeek: string;
  homeDays: number | null;
  nearLimit: number;
  stale: number;
  brokenLinks: number;
}

const percent = (ok: number, total: number) => (total ? ((100 * ok) / total).toFixed(1) : '-');

/** The digest line of a judged report (availability given as the share of probes that passed). */
export function digestLineOf(report: InspectionReport): InspectionDigestLine {
  const t = report.availability.today;
  const w = report.availability.week;
  return {
    siteId: report.siteId,
    siteName: report.siteName,
    availabilityToday: percent(t.probes - t.failed, t.probes),
    availabilityWeek: percent(w.probes - w.failed, w.probes),
    homeDays: report.homepage.daysSince ?? null,
    nearLimit: report.columns.filter((c) => c.nearLimit).length,
    stale: report.columns.filter((c) => c.stale).length,
    brokenLinks: report.brokenLinks.length,
  };
}
