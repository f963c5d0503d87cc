import type { AvailabilityFigures, CrawlResult } from '../inspection/inspection.types';
import type { InspectionFigures } from './annual-report.types';

const ratio = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : null);

/**
 * The annual report's inspection figures: 首页可用性 as the share of the year's probes that opened the home
 * page, 链接可用性 as the broken links of the latest crawl, home page and other pages apart (the national
 * table's two counts). Pure: the store hands in the year's probe count and the crawl.
 */
export function inspectionFigures(year: AvailabilityFigures, crawl: CrawlResult | undefined): InspectionFigures {
  const home = crawl?.homepage.url;
  const onHome = crawl ? crawl.brokenLinks.filter((l) => l.page === home).length : null;
  return {
    probes: year.probes,
    failedProbes: year.failed,
    availability: ratio(year.probes - year.failed, year.probes),
    linksInspectedAt: crawl?.at ?? null,
    linksChecked: crawl ? crawl.links : null,
    brokenLinks: crawl ? crawl.brokenLinks.length : null,
    homepageBrokenLinks: onHome,
    otherBrokenLinks: crawl && onHome !== null ? crawl.brokenLinks.length - onHome : null,
  };
}
