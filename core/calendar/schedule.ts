import { z } from 'zod';
import { isWeekendDayNumber, tryDayNumber, yearOfDayNumber } from './civil-date';

/**
 * One year of the official holiday arrangement (《关于YYYY年部分节假日安排的通知》). The arrangement cannot be
 * derived from rules, so it is data: from the `chinese-days` package, or from an operator's override when the
 * State Council publishes a year the package does not have yet (or corrects one).
 * Dates are 'YYYY-MM-DD' in China local time.
 */
export type YearSchedule = {
  year: number;
  /** Days off by the arrangement, weekends inside a holiday block included. */
  holidays: readonly string[];
  /** Weekend days that are working days (调休上班, 补班). */
  makeupWorkdays: readonly string[];
  source: 'package' | 'override';
};

/** Years an override may describe; anything else in an operator's file is certainly a typo. */
export const OVERRIDE_YEAR_MIN = 2000;
export const OVERRIDE_YEAR_MAX = 2100;

/** A date element: its own issue names the element, so the operator sees which entry is wrong. */
const calendarDateSchema = z.string('calendar_date_not_a_string').superRefine((value, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'calendar_date_malformed', params: { date: value } });
  } else if (tryDayNumber(value) === undefined) {
    ctx.addIssue({ code: 'custom', message: 'calendar_date_not_real', params: { date: value } });
  }
});

/**
 * An operator's override file for one year, checked strictly because a wrong date silently moves every
 * deadline: every date real and inside `year`, no duplicates, no date both off and on, and make-up workdays
 * only on weekends (a weekday is a working day anyway, so one there means the file is wrong).
 * Issue messages are stable codes; the offending date is in `params.date` and the path points at it.
 */
export const yearScheduleFileSchema = z
  .strictObject(
    {
      year: z
        .number('calendar_year_not_a_number')
        .int('calendar_year_not_integer')
        .min(OVERRIDE_YEAR_MIN, 'calendar_year_out_of_range')
        .max(OVERRIDE_YEAR_MAX, 'calendar_year_out_of_range'),
      holidays: z.array(calendarDateSchema, 'calendar_holidays_not_a_list'),
      makeupWorkdays: z.array(calendarDateSchema, 'calendar_makeup_workdays_not_a_list'),
      note: z.string('calendar_note_not_a_string').optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? 'calendar_unknown_key' : undefined) },
  )
  .superRefine((file, ctx) => {
    const yearValid = Number.isInteger(file.year) && file.year >= OVERRIDE_YEAR_MIN && file.year <= OVERRIDE_YEAR_MAX;
    const holidaySet = new Set<string>();
    const lists = [
      ['holidays', file.holidays],
      ['makeupWorkdays', file.makeupWorkdays],
    ] as const;
    for (const [key, dates] of lists) {
      const seen = new Set<string>();
      dates.forEach((date, index) => {
        const dayNumber = tryDayNumber(date);
        if (dayNumber === undefined) return; // already reported by the element schema
        const path = [key, index];
        if (yearValid && yearOfDayNumber(dayNumber) !== file.year) {
          ctx.addIssue({ code: 'custom', message: 'calendar_date_outside_year', path, params: { date, year: file.year } });
        }
        if (seen.has(date)) {
          ctx.addIssue({ code: 'custom', message: 'calendar_date_duplicate', path, params: { date } });
        }
        seen.add(date);
        if (key === 'holidays') {
          holidaySet.add(date);
        } else {
          if (holidaySet.has(date)) {
            ctx.addIssue({ code: 'custom', message: 'calendar_date_both_holiday_and_makeup', path, params: { date } });
          }
          if (!isWeekendDayNumber(dayNumber)) {
            ctx.addIssue({ code: 'custom', message: 'calendar_makeup_not_weekend', path, params: { date } });
          }
        }
      });
    }
  });

/** The validated content of an operator's override file. */
export type YearScheduleFile = z.infer<typeof yearScheduleFileSchema>;

/** Turns a validated override file into the schedule the calendar uses, sorted so it reads and diffs well. */
export function overrideSchedule(file: YearScheduleFile): YearSchedule {
  return {
    year: file.year,
    holidays: [...file.holidays].sort(),
    makeupWorkdays: [...file.makeupWorkdays].sort(),
    source: 'override',
  };
}
