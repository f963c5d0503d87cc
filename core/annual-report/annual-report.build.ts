import { chinaDateOf, dayNumberOf } from '../calendar/civil-date';
import type { SiteCheck } from '../campaigns/campaign.types';
import type { StatRow } from '../complaints/complaint.ports';
import { computeStats } from '../complaints/complaint.stats';
import { NO_INSPECTION_FIGURES, type AnnualReportDraft, type InspectionFigures, type MonthFigures, type NoticeFigures, type OfflinePeriod, type RequestRow, type StoredFigures } from './annual-report.types';

const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** Offline requests that really took the site down (or are down now); withdrawn and refused ones did not. */
const WENT_OFFLINE: Record<string, string[]> = { temp_offline: ['offline', 'completed'], emergency_shutdown: ['acknowledged', 'ended'] };

function offlinePeriod(r: RequestRow, year: number): OfflinePeriod | null {
  if ((r.type !== 'temp_offline' && r.type !== 'emergency_shutdown') || !WENT_OFFLINE[r.type]!.includes(r.status) || !r.start) return null;
  const end = r.end ?? `${year}-12-31`;
  const from = Math.max(dayNumberOf(r.start), dayNumberOf(`${year}-01-01`));
  const to = Math.min(dayNumberOf(end), dayNumberOf(`${year}-12-31`));
  return { requestId: r.id, type: r.type, start: r.start, end, days: Math.max(0, to - from + 1) };
}

export interface DraftInputs {
  site: AnnualReportDraft['site'];
  year: number;
  now: Date;
  complaintRows: StatRow[];
  requests: RequestRow[];
  checks: SiteCheck[];
  securitySelfChecks: number;
  specialMeeting: boolean;
  /** From noticeFigures (annual-report.notices.ts). */
  notices: NoticeFigures;
  stored: StoredFigures | undefined;
  /** From inspectionFigures (annual-report.inspection.ts); none measured when absent. */
  inspection?: InspectionFigures;
}

/** Pure: the draft from everything loaded. Monthly figures are by month of receipt (China time). */
export function buildDraft(i: DraftInputs): AnnualReportDraft {
  const { totals } = computeStats(i.complaintRows, i.now);
  const monthly: MonthFigures[] = Array.from({ length: 12 }, (_, k) => ({ month: k + 1, received: 0, answered: 0, answeredOnTime: 0, onTimeRate: null }));
  for (const r of i.complaintRows) {
    const m = monthly[Number(chinaDateOf(r.receivedAt).slice(5, 7)) - 1]!;
    m.received += 1;
    if (r.answeredAt) m.answered += 1;
    if (r.answerOnTime) m.answeredOnTime += 1;
  }
  for (const m of monthly) m.onTimeRate = rate(m.answeredOnTime, m.answered);
  const offlinePeriods = i.requests.map((r) => offlinePeriod(r, i.year)).filter((p): p is OfflinePeriod => p !== null);
  const live = (r: RequestRow) => r.status !== 'withdrawn' && r.status !== 'rejected';
  return {
    site: i.site,
    year: i.year,
    generatedAt: i.now,
    complaints: {
      received: totals.received,
      transferred: totals.transferred,
      transferredOnTime: totals.transferredOnTime,
      answered: totals.answered,
      answeredOnTime: totals.answeredOnTime,
      onTimeRate: rate(totals.answeredOnTime, totals.answered),
      untrue: totals.untrue,
      published: totals.published,
      meanHandlingDays: totals.meanHandlingDays,
    },
    monthly,
    requests: {
      changeRecords: i.requests.filter((r) => r.type === 'change_record' && live(r)).length,
      tempOffline: offlinePeriods.filter((p) => p.type === 'temp_offline').length,
      emergencyShutdowns: offlinePeriods.filter((p) => p.type === 'emergency_shutdown').length,
      offlineDays: offlinePeriods.reduce((s, p) => s + p.days, 0),
      offlinePeriods,
    },
    checks: {
      checks: i.checks.length,
      findings: i.checks.reduce((s, c) => s + c.findings.length, 0),
      rectified: i.checks.reduce((s, c) => s + c.findings.filter((f) => f.rectifiedAt).length, 0),
    },
    obligations: { securitySelfChecks: i.securitySelfChecks, specialMeeting: i.specialMeeting },
    notices: { ...i.notices },
    inspection: { ...(i.inspection ?? NO_INSPECTION_FIGURES) },
    figures: i.stored?.figures ?? {},
    figuresUpdatedAt: i.stored?.updatedAt ?? null,
    figuresUpdatedBy: i.stored?.updatedBy.name ?? null,
  };
}
