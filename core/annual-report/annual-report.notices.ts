import type { WorkingCalendar } from '../calendar';
import type { Site } from '../registry/types';
import type { NoticeAckRow, NoticeFigures } from './annual-report.types';

/**
 * A notice is acknowledged on time when it is acknowledged by the end of this many working days after the
 * day it went out (China time). One: the notice-reminders job chases non-acknowledgers from the first
 * working day after publication, so "on time" means before that day is over.
 */
export const NOTICE_ACK_WORKING_DAYS = 1;

const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : null);

/**
 * Whether a notice's audience covers the site, by the rule the audience was resolved with
 * (core/notices resolveAudience): `admins` → every site in the sender unit's subtree (all sites for a
 * province-wide notice); `units` → the sites the selected units host or supervise; `none` → groups only,
 * nobody to acknowledge. This keeps a notice that reached an admin of several sites through one of them
 * out of the others' figures.
 */
export function noticeCoversSite(n: Pick<NoticeAckRow, 'audience' | 'unitCode'>, site: Pick<Site, 'scopeUnits' | 'hostUnit' | 'supervisingUnit'>): boolean {
  if (n.audience.people === 'admins') return n.unitCode === null || site.scopeUnits.includes(n.unitCode);
  if (n.audience.people === 'units') return n.audience.units.includes(site.hostUnit) || n.audience.units.includes(site.supervisingUnit);
  return false;
}

/**
 * The site's notice figures. A notice counts when it asked for acknowledgement, went out in the year, its
 * audience covers the site and at least one of the site's admins got it; the site acknowledged it when one
 * of those admins did (the earliest acknowledgement counts), on time when that was by the end of the
 * NOTICE_ACK_WORKING_DAYS-th working day after the day it went out.
 */
export function noticeFigures(rows: readonly NoticeAckRow[], site: Pick<Site, 'scopeUnits' | 'hostUnit' | 'supervisingUnit'>, calendar: Pick<WorkingCalendar, 'deadlineAfterWorkingDays'>): NoticeFigures {
  let received = 0;
  let acknowledged = 0;
  let acknowledgedOnTime = 0;
  for (const n of rows) {
    if (!n.recipients.length || !noticeCoversSite(n, site)) continue;
    received += 1;
    const to = new Set(n.recipients);
    const first = Math.min(...n.acks.filter((a) => to.has(a.userid)).map((a) => a.at.getTime()));
    if (!Number.isFinite(first)) continue;
    acknowledged += 1;
    if (first < calendar.deadlineAfterWorkingDays(n.sentAt, NOTICE_ACK_WORKING_DAYS).dueAt.getTime()) acknowledgedOnTime += 1;
  }
  return { received, acknowledged, acknowledgedOnTime, ackRate: rate(acknowledged, received), onTimeRate: rate(acknowledgedOnTime, received) };
}
