import {
  MS_PER_DAY,
  chinaDayNumberOfMs,
  chinaStartOfDayNumberMs,
  dayNumberOf,
  formatDayNumber,
  isWeekendDayNumber,
  monthDayOfDayNumber,
  yearOfDayNumber,
} from './civil-date';
import type { YearSchedule } from './schedule';

/**
 * Longest walk, in calendar days, of one computation (about ten years). No real deadline or handling time
 * comes near it; it turns a runaway input (n = 1e9, a corrupt timestamp) into an error instead of a hang.
 */
export const MAX_WALK_DAYS = 3660;

/**
 * Statutory holidays fixed on the Gregorian calendar (《全国年节及纪念日放假办法》, 2024 revision): 元旦 1/1,
 * 劳动节 5/1–5/2, 国庆节 10/1–10/3. For a year without a published schedule these are the only days off we can
 * be sure of; the lunar ones (春节, 清明, 端午, 中秋) and all 调休 need the State Council's notice.
 */
const FIXED_STATUTORY_HOLIDAYS: readonly (readonly [month: number, day: number])[] = [
  [1, 1],
  [5, 1],
  [5, 2],
  [10, 1],
  [10, 2],
  [10, 3],
];

/** Why a day is or is not a working day, so a reply can explain a deadline ("10-10 is a make-up Saturday"). */
export type DayReason = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

/** One China-local day. `provisional` means its year has no official schedule, so the answer is a guess. */
export type DayInfo = { date: string; working: boolean; reason: DayReason; provisional: boolean };

/** A date reached by counting working days; provisional if the count went through a year we had to guess. */
export type WorkingDayResult = { date: string; provisional: boolean };

/** A deadline "by the end of" `dueDate` (China time): an instant strictly before `dueAt` is on time. */
export type Deadline = { dueDate: string; dueAt: Date; provisional: boolean };

type CompiledYear = { holidays: ReadonlySet<number>; makeupWorkdays: ReadonlySet<number> };

/**
 * The schedules to build a calendar from: the package's years, each replaced by an operator override of the
 * same year when there is one. Overrides exist because the package lags the State Council's notice (and may
 * carry a mistake); two overrides for one year are ambiguous, so that throws.
 */
export function mergeSchedules(packageOnes: Iterable<YearSchedule>, overrides: Iterable<YearSchedule>): YearSchedule[] {
  const byYear = new Map<number, YearSchedule>();
  for (const schedule of packageOnes) byYear.set(schedule.year, schedule);
  const overridden = new Set<number>();
  for (const schedule of overrides) {
    if (overridden.has(schedule.year)) {
      throw new Error(`calendar_duplicate_override: more than one override for ${schedule.year}`);
    }
    overridden.add(schedule.year);
    byYear.set(schedule.year, schedule);
  }
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

function assertInstant(instant: Date, name: string): number {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`calendar_invalid_instant: ${name} is not a valid Date`);
  return ms;
}

function assertCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`calendar_invalid_count: the number of working days must be a non-negative integer, got ${n}`);
  }
}

/**
 * Working days in China by the official calendar: weekends off except make-up workdays (调休上班), statutory
 * holidays off. Every deadline in working days goes through here, so 补班 Saturdays count and holiday weeks
 * do not. Years without a schedule fall back to weekends plus the fixed-date statutory holidays and every
 * answer touching them says `provisional`, so the product can warn instead of guessing silently.
 * Pure: the clock always comes in as an argument.
 */
export class WorkingCalendar {
  private readonly years = new Map<number, CompiledYear>();

  /** Throws when two schedules share a year (merge them with `mergeSchedules` first) or hold a bad date. */
  constructor(schedules: Iterable<YearSchedule>) {
    for (const schedule of schedules) {
      if (this.years.has(schedule.year)) {
        throw new Error(`calendar_duplicate_year: two schedules for ${schedule.year}; merge them with mergeSchedules`);
      }
      const compile = (dates: readonly string[]): Set<number> =>
        new Set(
          dates.map((date) => {
            const dayNumber = dayNumberOf(date);
            if (yearOfDayNumber(dayNumber) !== schedule.year) {
              throw new RangeError(`calendar_date_outside_year: ${date} in the schedule for ${schedule.year}`);
            }
            return dayNumber;
          }),
        );
      this.years.set(schedule.year, { holidays: compile(schedule.holidays), makeupWorkdays: compile(schedule.makeupWorkdays) });
    }
  }

  /** Whether `year` has an official (package or override) schedule; without one every answer is provisional. */
  hasSchedule(year: number): boolean {
    return this.years.has(year);
  }

  /** The years with a schedule, ascending: for the operator's "which years do we know" view. */
  scheduledYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  /** Whether a 'YYYY-MM-DD' day is worked and why; throws a RangeError for a malformed or unreal date. */
  dayInfo(date: string): DayInfo {
    return { date, ...this.classify(dayNumberOf(date)) };
  }

  /** Shorthand for `dayInfo(date).working`. */
  isWorkingDay(date: string): boolean {
    return this.classify(dayNumberOf(date)).working;
  }

  /**
   * The n-th working day strictly after `date` (n ≥ 1); for n = 0, `date` itself if it is worked, else the
   * next working day. Provisional if any day examined lies in a year without a schedule.
   */
  addWorkingDays(date: string, n: number): WorkingDayResult {
    assertCount(n);
    let dayNumber = dayNumberOf(date);
    let provisional = false;
    let remaining = n;
    if (n === 0) {
      const today = this.classify(dayNumber);
      if (today.working) return { date, provisional: today.provisional };
      provisional = today.provisional;
      remaining = 1;
    }
    for (let walked = 1; remaining > 0; walked += 1) {
      if (walked > MAX_WALK_DAYS) {
        throw new RangeError(`calendar_walk_limit: counting ${n} working days from ${date} passes ${MAX_WALK_DAYS} days`);
      }
      dayNumber += 1;
      const day = this.classify(dayNumber);
      provisional ||= day.provisional;
      if (day.working) remaining -= 1;
    }
    return { date: formatDayNumber(dayNumber), provisional };
  }

  /** The China-local 'YYYY-MM-DD' of an instant: the day an event "happened on" for deadline rules. */
  localDateOf(instant: Date): string {
    const ms = assertInstant(instant, 'instant');
    return formatDayNumber(chinaDayNumberOfMs(ms));
  }

  /** The instant 00:00 China time begins `date`. */
  startOfLocalDay(date: string): Date {
    return new Date(chinaStartOfDayNumberMs(dayNumberOf(date)));
  }

  /**
   * The instant 24:00 China time ends `date` (= the next day's 00:00). Deadlines are "by the end of" a day,
   * so an instant strictly before this is on time; comparing with `<` avoids 23:59:59.999 rounding games.
   */
  endOfLocalDay(date: string): Date {
    return new Date(chinaStartOfDayNumberMs(dayNumberOf(date) + 1));
  }

  /**
   * "By the end of the n-th working day after the day of the event": counting starts the day after the
   * event's China-local date, whatever the hour (a report at 23:59 gets no less time than one at 00:01).
   * n = 0 means by the end of the event's day, or of the next working day if that day is not worked.
   */
  deadlineAfterWorkingDays(event: Date, n: number): Deadline {
    const { date, provisional } = this.addWorkingDays(this.localDateOf(event), n);
    return { dueDate: date, dueAt: this.endOfLocalDay(date), provisional };
  }

  /**
   * Elapsed working time from `from` to `to`, in working days, for "mean handling time in working days".
   * Definition: each China-local working day counts as one whole unit spread evenly over its 24 hours
   * (00:00–24:00); non-working days count nothing. The result is the length of [from, to) measured that
   * way, so a working day fully inside counts 1, a partial one its fraction (12:00 → 18:00 on a workday is
   * 0.25), and a span that only covers a weekend or holiday is 0. Office hours are deliberately not modelled:
   * deadlines run to 24:00 too, and this keeps the two consistent. `to` before `from` gives the negative.
   * Years without a schedule use the provisional rule. Spans longer than MAX_WALK_DAYS throw a RangeError.
   */
  workingDaysBetween(from: Date, to: Date): number {
    const fromMs = assertInstant(from, 'from');
    const toMs = assertInstant(to, 'to');
    if (toMs < fromMs) return -this.workingDaysBetween(to, from);
    const firstDay = chinaDayNumberOfMs(fromMs);
    const lastDay = chinaDayNumberOfMs(toMs);
    if (lastDay - firstDay > MAX_WALK_DAYS) {
      throw new RangeError(`calendar_walk_limit: the span from ${from.toISOString()} to ${to.toISOString()} passes ${MAX_WALK_DAYS} days`);
    }
    let total = 0;
    for (let dayNumber = firstDay; dayNumber <= lastDay; dayNumber += 1) {
      if (!this.classify(dayNumber).working) continue;
      const dayStart = chinaStartOfDayNumberMs(dayNumber);
      const overlap = Math.min(toMs, dayStart + MS_PER_DAY) - Math.max(fromMs, dayStart);
      if (overlap > 0) total += overlap / MS_PER_DAY;
    }
    return total;
  }

  private classify(dayNumber: number): Omit<DayInfo, 'date'> {
    const year = this.years.get(yearOfDayNumber(dayNumber));
    if (year) {
      if (year.makeupWorkdays.has(dayNumber)) return { working: true, reason: 'makeup_workday', provisional: false };
      if (year.holidays.has(dayNumber)) return { working: false, reason: 'holiday', provisional: false };
      if (isWeekendDayNumber(dayNumber)) return { working: false, reason: 'weekend', provisional: false };
      return { working: true, reason: 'workday', provisional: false };
    }
    const { month, day } = monthDayOfDayNumber(dayNumber);
    if (FIXED_STATUTORY_HOLIDAYS.some(([m, d]) => m === month && d === day)) {
      return { working: false, reason: 'holiday', provisional: true };
    }
    if (isWeekendDayNumber(dayNumber)) return { working: false, reason: 'weekend', provisional: true };
    return { working: true, reason: 'workday', provisional: true };
  }
}
