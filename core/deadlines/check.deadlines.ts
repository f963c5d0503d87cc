import { chinaStartOf } from '../calendar/civil-date';
import type { CheckSite, CheckStatus, SiteCheck } from '../campaigns/campaign.types';
import { addDaysTo } from '../obligations/obligation.schedule';
import { deadlineId, type OpenDeadline, type RegisteredDeadline } from './deadline.types';

const DUE_STAGE = 'due';

/** Every register key a site's check may hold: what a write sets or clears. */
export const checkDeadlineKeys = (checkId: string): string[] => [deadlineId('check', checkId, DUE_STAGE)];

/** What the campaign reminders need of one open check: its state and how many findings the site still owes. */
export interface CheckRow {
  checkId: string;
  campaignId: string;
  unitCode: string;
  period: string;
  dueDate: string;
  status: CheckStatus;
  /** Findings not acknowledged by the site, and acknowledged but not rectified. */
  toAck: number;
  toRectify: number;
  site: CheckSite;
}

/** A check as the campaign reminders count it. */
export function checkRowOf(c: Pick<SiteCheck, 'id' | 'campaignId' | 'unitCode' | 'period' | 'dueDate' | 'status' | 'findings' | 'site'>): CheckRow {
  return {
    checkId: c.id,
    campaignId: c.campaignId,
    unitCode: c.unitCode,
    period: c.period,
    dueDate: c.dueDate,
    status: c.status,
    toAck: c.findings.filter((f) => !f.acknowledgedAt && !f.rectifiedAt).length,
    toRectify: c.findings.filter((f) => f.acknowledgedAt && !f.rectifiedAt).length,
    site: c.site,
  };
}

/**
 * The register entry a site's check (art. 32) should have, from the check alone: open from the campaign's
 * opening until the supervisor closes it, due at the end of the campaign's publication day. The checker (the
 * campaign unit's supervisors) acts while the site is unchecked or the check can be closed; the site's admins
 * while findings are open. Pure, so the write path, the repair and the backfill agree.
 */
export function checkOpenDeadlines(c: Pick<SiteCheck, 'id' | 'campaignId' | 'unitCode' | 'period' | 'dueDate' | 'site' | 'scopeUnits' | 'status' | 'findings' | 'version'>): OpenDeadline[] {
  if (c.status === 'closed') return [];
  const row = checkRowOf(c);
  const siteOwes = row.toAck + row.toRectify > 0;
  return [
    {
      id: checkDeadlineKeys(c.id)[0]!,
      kind: 'check',
      subjectId: c.id,
      stage: DUE_STAGE,
      state: c.status,
      ref: c.site.ref,
      dueAt: chinaStartOf(addDaysTo(c.dueDate, 1)),
      siteId: c.site.id,
      siteName: c.site.name,
      unitCode: c.unitCode,
      scopeUnits: [...c.scopeUnits],
      acts: siteOwes ? { kind: 'site_admins', siteId: c.site.id } : { kind: 'supervisors', unitCode: c.unitCode },
      version: c.version,
      detail: { campaignId: c.campaignId, period: c.period, dueDate: c.dueDate, toAck: row.toAck, toRectify: row.toRectify, hostUnit: c.site.hostUnit, supervisingUnit: c.site.supervisingUnit },
    },
  ];
}

/** A check entry as the campaign reminders read it. */
export function toCheckRow(e: Pick<RegisteredDeadline, 'subjectId' | 'state' | 'ref' | 'siteId' | 'siteName' | 'unitCode' | 'detail'>): CheckRow {
  const d = e.detail ?? {};
  return {
    checkId: e.subjectId,
    campaignId: String(d.campaignId),
    unitCode: e.unitCode ?? '',
    period: String(d.period),
    dueDate: String(d.dueDate),
    status: e.state as CheckStatus,
    toAck: Number(d.toAck ?? 0),
    toRectify: Number(d.toRectify ?? 0),
    site: { id: e.siteId ?? '', name: e.siteName ?? '', ref: e.ref, hostUnit: String(d.hostUnit ?? ''), supervisingUnit: String(d.supervisingUnit ?? '') },
  };
}
