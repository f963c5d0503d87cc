import type { FieldProblem } from '../errors';
import { chinaDayNumberOf, dayNumberOf, monthDayOfDayNumber, tryDayNumber, yearOfDayNumber } from './civil-date';

/**
 * The dates a person may plausibly mean, by kind, from today's China-local date. Outside them a date is a
 * typo (1900-01-01, 9999-12-31), and letting it in only fails later and worse: a deadline or a window end
 * past year 9999 has no date string, so the calendar throws and the request becomes a 500 or aborts an import.
 *
 * - an **event** that happened (a report's receipt, a period of reports asked for): from 2000-01-01, the
 *   earliest the product has data for, to the end of next year (a clock or a time zone may be off, a
 *   platform may stamp a date ahead; a year and more ahead is a mistake);
 * - a **plan** (a temporary offline window, another request window): from today to the same day two years on.
 */
export interface DateWindow {
  kind: 'event' | 'plan';
  /** First China-local date allowed, 'YYYY-MM-DD'. */
  from: string;
  /** Last China-local date allowed, inclusive. */
  to: string;
}

/** Nothing the product tracks happened before this: the site registry and the Measures are later. */
export const EARLIEST_EVENT_DATE = '2000-01-01';
/** How far ahead a plan may reach: no request of the Measures is filed years in advance. */
export const PLAN_HORIZON_YEARS = 2;

/** Events: 2000-01-01 … 31 December of next year. */
export function eventWindow(today: string): DateWindow {
  const year = yearOfDayNumber(dayNumberOf(today));
  return { kind: 'event', from: EARLIEST_EVENT_DATE, to: `${year + 1}-12-31` };
}

/** Plans: today … the same day `PLAN_HORIZON_YEARS` years on (29 February → 28 February). */
export function planWindow(today: string): DateWindow {
  const n = dayNumberOf(today);
  const year = yearOfDayNumber(n) + PLAN_HORIZON_YEARS;
  const { month, day } = monthDayOfDayNumber(n);
  const mm = String(month).padStart(2, '0');
  const last = tryDayNumber(`${year}-${mm}-${String(day).padStart(2, '0')}`) === undefined ? `${year}-${mm}-28` : `${year}-${mm}-${String(day).padStart(2, '0')}`;
  return { kind: 'plan', from: today, to: last };
}

/** The problem of a 'YYYY-MM-DD' date outside the window, naming the field; none when inside (or not a date: other rules say so). */
export function dateOutsideWindow(field: string, date: string, window: DateWindow): FieldProblem | undefined {
  const n = tryDayNumber(date);
  if (n === undefined || (n >= dayNumberOf(window.from) && n <= dayNumberOf(window.to))) return undefined;
  return { field, code: 'date_out_of_range', params: { field, value: date, from: window.from, to: window.to } };
}

/** The same for an instant (a report's `receivedAt`), judged by its China-local date. */
export function instantOutsideWindow(field: string, instant: Date, window: DateWindow, shown: string): FieldProblem | undefined {
  const n = chinaDayNumberOf(instant);
  if (n >= dayNumberOf(window.from) && n <= dayNumberOf(window.to)) return undefined;
  return { field, code: 'date_out_of_range', params: { field, value: shown, from: window.from, to: window.to } };
}
