import { obligationKey } from '../obligations/obligation.schedule';
import type { Deps } from '../ports';
import type { Site } from '../registry/types';
import { chinaInstant } from '../calendar/civil-date';
import { buildDraft } from './annual-report.build';
import { noticeFigures } from './annual-report.notices';
import { inspectionFigures } from './annual-report.inspection';
import type { AnnualReportDraft, AnnualReportRepo } from './annual-report.types';

export function annualReportRepoOf(deps: Deps): AnnualReportRepo {
  return deps.annualReports;
}

/**
 * Loads everything the draft of `site` for `year` needs, in a handful of bulk queries (error reports of the
 * year, requests, checks, acknowledgements, notices and their acknowledgements, the inspection's year of probes and
 * latest crawl, entered figures), and builds it.
 */
export async function loadAnnualReportDraft(deps: Deps, site: Site, year: number): Promise<AnnualReportDraft> {
  const repo = annualReportRepoOf(deps);
  const now = deps.clock.now();
  const from = chinaInstant(`${year}-01-01`, '00:00');
  const before = chinaInstant(`${year + 1}-01-01`, '00:00');
  const [complaintRows, requests, checks, stored, host, acks, noticeRows, calendar, probeYear, crawl] = await Promise.all([
    deps.complaints.statRows({ scope: { all: true }, siteId: site.id, receivedFrom: from, receivedBefore: before }),
    repo.requestRows(site.id, year),
    deps.campaigns.checksOfSite(site.id, { periodPrefix: `${year}-` }),
    repo.getFigures(site.id, year),
    deps.units.get(site.hostUnit),
    deps.obligations.acksByKeys([obligationKey('security_self_check', site.id, `${year}-H1`), obligationKey('security_self_check', site.id, `${year}-H2`), obligationKey('special_meeting', site.id, String(year))]),
    repo.noticeAckRows(site.id, from, before),
    deps.calendar.current(),
    deps.inspections.yearAvailability(site.id, year),
    deps.inspections.latestCrawl(site.id),
  ]);
  return buildDraft({
    site: { id: site.id, name: site.name, ref: site.code ?? site.domains[0] ?? site.id, hostUnit: site.hostUnit, hostUnitName: host?.name ?? site.hostUnit },
    year,
    now,
    complaintRows,
    requests,
    checks,
    securitySelfChecks: [...acks.keys()].filter((k) => k.startsWith('security_self_check:')).length,
    specialMeeting: [...acks.keys()].some((k) => k.startsWith('special_meeting:')),
    notices: noticeFigures(noticeRows, site, calendar),
    stored,
    inspection: inspectionFigures(probeYear, crawl),
  });
}
