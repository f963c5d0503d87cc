import { DomainError } from '../errors';
import type { ObligationConfig } from '../obligations/obligation.config';
import { currentOccurrence, daysBetween, isPeriodOf, nextDue, occurrenceOf } from '../obligations/obligation.schedule';

/**
 * Which quarter a check opens and why, so the supervisor reads the reason instead of guessing:
 * - `requested`: the quarter they named;
 * - `window_open`: the quarter whose check window is open now (art. 32: a finished quarter's check runs until
 *   the end of its publication month);
 * - `past_due`: no window is open (between the last due day and the next window), so the latest quarter,
 *   already past its due day; `next` says when the next window opens.
 */
export interface CheckPeriodChoice {
  period: string;
  reason: 'requested' | 'window_open' | 'past_due';
  windowStart: string;
  dueDate: string;
  /** Days since the due day (past_due; 0 otherwise). */
  daysPastDue: number;
  /** The next quarter whose window has not opened yet, when the default fell on a past-due one. */
  next: { period: string; windowStart: string } | null;
}

/**
 * The quarter to open on `today` (China-local `YYYY-MM-DD`): the one asked for, refused with a clear reason
 * when its window has not opened (a check of a quarter not yet over has nothing to check), else the current
 * one by the obligation's schedule. Pure.
 */
export function chooseCheckPeriod(cfg: ObligationConfig, today: string, requested?: string): CheckPeriodChoice {
  if (requested !== undefined) {
    if (!isPeriodOf('quarterly_check', requested)) throw new DomainError('campaign_period_invalid', { period: requested }, 400);
    const occ = occurrenceOf(cfg, 'quarterly_check', requested);
    if (occ.windowStart > today) throw new DomainError('campaign_window_not_open', { period: requested, start: occ.windowStart, end: occ.dueDate }, 409);
    return { period: occ.period, reason: 'requested', windowStart: occ.windowStart, dueDate: occ.dueDate, daysPastDue: Math.max(0, daysBetween(occ.dueDate, today)), next: null };
  }
  const occ = currentOccurrence(cfg, 'quarterly_check', today);
  if (occ.dueDate >= today) return { period: occ.period, reason: 'window_open', windowStart: occ.windowStart, dueDate: occ.dueDate, daysPastDue: 0, next: null };
  const upcoming = nextDue(cfg, 'quarterly_check', today);
  return {
    period: occ.period,
    reason: 'past_due',
    windowStart: occ.windowStart,
    dueDate: occ.dueDate,
    daysPastDue: daysBetween(occ.dueDate, today),
    next: { period: upcoming.period, windowStart: upcoming.windowStart },
  };
}

const PERIOD_WORD = /^\d{4}-[Qq][1-4]$/;

/**
 * Chat gives `开启季度检查 2026-Q4` and `开启季度检查 130100 2026-Q4` as one positional text (the unit arg):
 * a word shaped like a quarter is the period, the rest the unit.
 */
export function unitAndPeriodOf(unit: string | undefined, period: string | undefined): { unit?: string; period?: string } {
  const words = (unit ?? '').split(/\s+/).filter(Boolean);
  const quarter = period ?? words.find((w) => PERIOD_WORD.test(w))?.toUpperCase();
  const rest = words.filter((w) => !PERIOD_WORD.test(w)).join(' ');
  return { ...(rest ? { unit: rest } : {}), ...(quarter ? { period: quarter } : {}) };
}
