import { chinaStartOf, dayNumberOf, formatDayNumber, tryDayNumber } from '../calendar/civil-date';
import { dateOutsideWindow, type DateWindow } from '../calendar/date-window';
import { DomainError, ValidationError } from '../errors';

/** A China-local clock time on a date (hours may exceed 24 or be negative to move across days). */
export function chinaTimeOn(date: string, hours: number): Date {
  return new Date(chinaStartOf(date).getTime() + hours * 60 * 60 * 1000);
}

export function addDays(date: string, n: number): string {
  return formatDayNumber(dayNumberOf(date) + n);
}

/** Days of a window counted inclusively: 2027-03-01..2027-03-10 is 10 days. */
export function daysInclusive(start: string, end: string): number {
  return dayNumberOf(end) - dayNumberOf(start) + 1;
}

export function yearOfDate(date: string): number {
  return Number(date.slice(0, 4));
}

export function isRealDate(date: unknown): date is string {
  return tryDayNumber(date) !== undefined;
}

/** A window that ends before it starts: bad input, so a 400 like any other (not a rule of the Measures). */
export function windowReversed(start: string, end: string): DomainError {
  return new DomainError('window_end_before_start', { start, end }, 400);
}

/**
 * Refuses the dates of a request that lie outside their window (core/calendar/date-window.ts), each named by
 * its field, as one 400: a typo such as 9999-12-31 is said at filing, not found later as a date with no day
 * after it.
 */
export function checkDatesIn(dates: { field: string; date: string; window: DateWindow }[]): void {
  const problems = dates.flatMap(({ field, date, window }) => dateOutsideWindow(field, date, window) ?? []);
  if (problems.length) throw new ValidationError(problems);
}
