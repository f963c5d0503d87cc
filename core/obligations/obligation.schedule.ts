import { dayNumberOf, formatDayNumber, tryDayNumber } from '../calendar/civil-date';
import type { Level, SiteKind } from '../registry/types';
import { OBLIGATION_IDS, type ObligationConfig, type ObligationId } from './obligation.config';

/** Whom an obligation binds: each site, or each supervising unit (its 办公厅/室). */
export type SubjectKind = 'site' | 'unit';

export const SUBJECT_OF: Record<ObligationId, SubjectKind> = {
  quarterly_check: 'unit',
  supervision_report: 'unit',
  security_self_check: 'site',
  special_meeting: 'site',
  annual_report_public: 'site',
  annual_report_sealed: 'site',
  mailbox_check: 'site',
};

/** Articles of the Measures, for the messages. */
export const ARTICLE_OF: Record<ObligationId, number> = {
  quarterly_check: 32,
  supervision_report: 32,
  security_self_check: 29,
  special_meeting: 30,
  annual_report_public: 36,
  annual_report_sealed: 36,
  mailbox_check: 23,
};

/**
 * One occurrence of an obligation: its period (`2026-Q4`, `2026`, `2027-H1`, `2027-03-05`), the first day
 * it can be done and reminded of, and the China-local day by whose end it is due. Dates are `YYYY-MM-DD`.
 */
export interface Occurrence {
  obligation: ObligationId;
  period: string;
  windowStart: string;
  dueDate: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const addDays = (date: string, n: number) => formatDayNumber(dayNumberOf(date) + n);

/** The last day of month `m` of year `y`; months past 12 or before 1 roll into the neighbouring years. */
export function endOfMonth(y: number, m: number): string {
  const months = y * 12 + (m - 1) + 1;
  return addDays(ymd(Math.floor(months / 12), (months % 12) + 1, 1), -1);
}

/** `MM-DD` in year `y`; 02-29 in a common year is the last day of February. */
function monthDayIn(y: number, md: string): string {
  const date = `${y}-${md}`;
  return tryDayNumber(date) !== undefined ? date : endOfMonth(y, Number(md.slice(0, 2)));
}

const monthOf = (md: string) => Number(md.slice(0, 2));

const PERIOD_PATTERNS: Record<ObligationId, RegExp> = {
  quarterly_check: /^(\d{4})-Q([1-4])$/,
  supervision_report: /^(\d{4})$/,
  security_self_check: /^(\d{4})-H([12])$/,
  special_meeting: /^(\d{4})$/,
  annual_report_public: /^(\d{4})$/,
  annual_report_sealed: /^(\d{4})$/,
  mailbox_check: /^(\d{4})-(\d{2})-(\d{2})$/,
};

export function isPeriodOf(obligation: ObligationId, period: string): boolean {
  const m = PERIOD_PATTERNS[obligation].exec(period);
  if (!m) return false;
  const year = Number(m[1]);
  if (year < 2000 || year > 2200) return false;
  return obligation !== 'mailbox_check' || tryDayNumber(period) !== undefined;
}

/** The occurrence of one period; throws a RangeError for a period that does not fit the obligation. */
export function occurrenceOf(cfg: ObligationConfig, obligation: ObligationId, period: string): Occurrence {
  if (!isPeriodOf(obligation, period)) throw new RangeError(`obligation_period_invalid: ${obligation} ${period}`);
  const m = PERIOD_PATTERNS[obligation].exec(period)!;
  const y = Number(m[1]);
  const occ = (windowStart: string, dueDate: string): Occurrence => ({ obligation, period, windowStart, dueDate });
  switch (obligation) {
    case 'quarterly_check': {
      const q = Number(m[2]);
      const offset = cfg.quarterly_check.monthsAfterQuarter;
      const lastMonth = q * 3;
      // Results of a finished quarter (offset > 0) can be worked on once it is over; otherwise within it.
      const windowStart = offset > 0 ? addDays(endOfMonth(y, lastMonth), 1) : ymd(y, lastMonth - 2, 1);
      return occ(windowStart, endOfMonth(y, lastMonth + offset));
    }
    case 'supervision_report':
      return occ(ymd(y + 1, 1, 1), monthDayIn(y + 1, cfg.supervision_report.due));
    case 'security_self_check': {
      const h = Number(m[2]);
      const md = h === 1 ? cfg.security_self_check.firstHalfDue : cfg.security_self_check.secondHalfDue;
      const dueYear = h === 2 && monthOf(md) < 7 ? y + 1 : y;
      return occ(ymd(y, h === 1 ? 1 : 7, 1), monthDayIn(dueYear, md));
    }
    case 'special_meeting':
      return occ(ymd(y, 1, 1), monthDayIn(y, cfg.special_meeting.due));
    case 'annual_report_public':
      return occ(ymd(y + 1, 1, 1), monthDayIn(y + 1, cfg.annual_report_public.due));
    case 'annual_report_sealed':
      return occ(ymd(y + 1, 1, 1), monthDayIn(y + 1, cfg.annual_report_sealed.due));
    case 'mailbox_check':
      return occ(period, period);
  }
}

/** The periods of an obligation that belong to calendar year `y`. */
function periodsOfYear(obligation: ObligationId, y: number): string[] {
  switch (obligation) {
    case 'quarterly_check':
      return [1, 2, 3, 4].map((q) => `${y}-Q${q}`);
    case 'security_self_check':
      return [`${y}-H1`, `${y}-H2`];
    case 'mailbox_check':
      throw new RangeError('mailbox_check periods are days');
    default:
      return [String(y)];
  }
}

/** Every occurrence due within `from`..`to` (inclusive, `YYYY-MM-DD`), in due order. */
export function occurrencesDueBetween(cfg: ObligationConfig, obligation: ObligationId, from: string, to: string): Occurrence[] {
  const a = dayNumberOf(from);
  const b = dayNumberOf(to);
  if (b < a) return [];
  if (obligation === 'mailbox_check') {
    const out: Occurrence[] = [];
    for (let d = a; d <= b; d++) out.push(occurrenceOf(cfg, obligation, formatDayNumber(d)));
    return out;
  }
  const out: Occurrence[] = [];
  // A period's due date lies at most a year after the period's year (and never before it).
  for (let y = Number(from.slice(0, 4)) - 2; y <= Number(to.slice(0, 4)) + 1; y++) {
    for (const period of periodsOfYear(obligation, y)) {
      const o = occurrenceOf(cfg, obligation, period);
      const due = dayNumberOf(o.dueDate);
      if (due >= a && due <= b) out.push(o);
    }
  }
  return out.sort((x, y) => x.dueDate.localeCompare(y.dueDate) || x.period.localeCompare(y.period));
}

/** The first occurrence due on or after `date`: what a reminder points at next. */
export function nextDue(cfg: ObligationConfig, obligation: ObligationId, date: string): Occurrence {
  return occurrencesDueBetween(cfg, obligation, date, addDays(date, 800))[0]!;
}

/**
 * The occurrence someone saying "done" on `date` most likely means: the earliest one whose window has opened
 * and which is not yet past due; failing that, the one most recently past due.
 */
export function currentOccurrence(cfg: ObligationConfig, obligation: ObligationId, date: string): Occurrence {
  const open = occurrencesDueBetween(cfg, obligation, date, addDays(date, 800)).find((o) => o.windowStart <= date);
  if (open) return open;
  const past = occurrencesDueBetween(cfg, obligation, addDays(date, -800), addDays(date, -1));
  return past[past.length - 1] ?? nextDue(cfg, obligation, date);
}

export function enabledObligations(cfg: ObligationConfig): ObligationId[] {
  return OBLIGATION_IDS.filter((id) => cfg[id].enabled);
}

/** Whether a site-bound obligation binds this site (the sealed copy binds only cities and provincial departments by default). */
export function appliesToSite(cfg: ObligationConfig, obligation: ObligationId, site: { level: Level; kind: SiteKind }): boolean {
  if (SUBJECT_OF[obligation] !== 'site') return false;
  if (obligation !== 'annual_report_sealed') return true;
  return cfg.annual_report_sealed.appliesTo.some((f) => f.level === site.level && (!f.kind || f.kind === site.kind));
}

/** The exactly-once key of one acknowledgement: `<obligation>:<subject>:<period>`. */
export const obligationKey = (obligation: ObligationId, subjectId: string, period: string) => `${obligation}:${subjectId}:${period}`;

export const daysBetween = (from: string, to: string) => dayNumberOf(to) - dayNumberOf(from);
export { addDays as addDaysTo };
