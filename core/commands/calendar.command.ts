import { z } from 'zod';
import { OVERRIDE_YEAR_MAX, OVERRIDE_YEAR_MIN, missingScheduleWarning, packageSchedules, type WorkingCalendar } from '../calendar';
import { CHINA_UTC_OFFSET, dayNumberOf, formatDayNumber, tryDayNumber } from '../calendar/civil-date';
import type { CalendarOverrideInfo } from '../calendar/calendar.ports';
import { strictInt } from '../strict-input';
import { defineCommand } from './command';

/** The most working days one `calendar.deadline` counts: far beyond any deadline in the Measures. */
export const DEADLINE_MAX_DAYS = 1000;

const yearParam = strictInt({ min: OVERRIDE_YEAR_MIN, max: OVERRIDE_YEAR_MAX, message: 'calendar_year_param_invalid' });

const sourceEnum = z.enum(['package', 'override']);

/** One year the calendar has an official schedule for, and where that schedule comes from. */
export const calendarYearEntryDto = z.object({
  year: z.number().int(),
  source: sourceEnum,
  /** An override that replaces the package's own data for the year (a correction), not a year it lacked. */
  replacesPackage: z.boolean(),
  loadedBy: z.string().nullable(),
  loadedAt: z.string().nullable(),
  note: z.string().nullable(),
});
export type CalendarYearEntryDTO = z.infer<typeof calendarYearEntryDto>;

/** A consecutive run of days off, for reading "10-01 – 10-07 (7 days)" instead of seven dates. */
export const holidayBlockDto = z.object({ from: z.string(), to: z.string(), days: z.number().int() });

/** One year in detail. Without a schedule (`scheduled: false`) only the fixed-date holidays are known: provisional. */
export const calendarYearDetailDto = z.object({
  year: z.number().int(),
  scheduled: z.boolean(),
  provisional: z.boolean(),
  source: sourceEnum.nullable(),
  replacesPackage: z.boolean(),
  loadedBy: z.string().nullable(),
  loadedAt: z.string().nullable(),
  note: z.string().nullable(),
  holidays: z.array(z.string()),
  holidayBlocks: z.array(holidayBlockDto),
  makeupWorkdays: z.array(z.string()),
});
export type CalendarYearDetailDTO = z.infer<typeof calendarYearDetailDto>;

export const calendarStatusDto = z.object({
  today: z.string(),
  currentYear: z.number().int(),
  currentYearCovered: z.boolean(),
  nextYearCovered: z.boolean(),
  years: z.array(calendarYearEntryDto),
  /** The year an operator should load now (`missingScheduleWarning`), or null. */
  warning: z.object({ year: z.number().int() }).nullable(),
  detail: calendarYearDetailDto.nullable(),
});
export type CalendarStatusDTO = z.infer<typeof calendarStatusDto>;

/** Where each scheduled year comes from; without override data (a test double) a year the package lacks is an override. */
export function calendarYearEntries(cal: WorkingCalendar, overrides: readonly CalendarOverrideInfo[] | undefined): CalendarYearEntryDTO[] {
  const pkg = packageSchedules();
  const byYear = new Map((overrides ?? []).map((o) => [o.year, o]));
  return cal.scheduledYears().map((year) => {
    const o = byYear.get(year);
    const source = o || (!overrides && !pkg.has(year)) ? 'override' : 'package';
    return {
      year,
      source,
      replacesPackage: source === 'override' && pkg.has(year),
      loadedBy: o?.loadedBy ?? null,
      loadedAt: o ? o.loadedAt.toISOString() : null,
      note: o?.note ?? null,
    };
  });
}

/** Consecutive dates ('YYYY-MM-DD', sorted) grouped into runs. */
export function holidayBlocks(dates: readonly string[]): z.infer<typeof holidayBlockDto>[] {
  const blocks: z.infer<typeof holidayBlockDto>[] = [];
  let prev = Number.NaN;
  for (const date of dates) {
    const n = dayNumberOf(date);
    const last = blocks[blocks.length - 1];
    if (last && n === prev + 1) {
      last.to = date;
      last.days += 1;
    } else {
      blocks.push({ from: date, to: date, days: 1 });
    }
    prev = n;
  }
  return blocks;
}

/** A year's days off and make-up workdays as the calendar in force sees them. */
export function calendarYearDetail(cal: WorkingCalendar, year: number, entries: readonly CalendarYearEntryDTO[]): CalendarYearDetailDTO {
  const holidays: string[] = [];
  const makeupWorkdays: string[] = [];
  for (let n = dayNumberOf(`${year}-01-01`), last = dayNumberOf(`${year}-12-31`); n <= last; n += 1) {
    const info = cal.dayInfo(formatDayNumber(n));
    if (info.reason === 'holiday') holidays.push(info.date);
    else if (info.reason === 'makeup_workday') makeupWorkdays.push(info.date);
  }
  const entry = entries.find((e) => e.year === year);
  return {
    year,
    scheduled: Boolean(entry),
    provisional: !entry,
    source: entry?.source ?? null,
    replacesPackage: entry?.replacesPackage ?? false,
    loadedBy: entry?.loadedBy ?? null,
    loadedAt: entry?.loadedAt ?? null,
    note: entry?.note ?? null,
    holidays,
    holidayBlocks: holidayBlocks(holidays),
    makeupWorkdays,
  };
}

/** The whole status view: shared by the chat/REST commands and `steward calendar show`. */
export function calendarStatus(cal: WorkingCalendar, overrides: readonly CalendarOverrideInfo[] | undefined, now: Date, year?: number): CalendarStatusDTO {
  const today = cal.localDateOf(now);
  const currentYear = Number(today.slice(0, 4));
  const years = calendarYearEntries(cal, overrides);
  return {
    today,
    currentYear,
    currentYearCovered: cal.hasSchedule(currentYear),
    nextYearCovered: cal.hasSchedule(currentYear + 1),
    years,
    warning: missingScheduleWarning(now, cal),
    detail: year === undefined ? null : calendarYearDetail(cal, year, years),
  };
}

export const calendarStatusCommand = defineCommand({
  id: 'calendar.status',
  input: z.object({ year: yearParam.optional() }),
  output: calendarStatusDto,
  roles: [],
  http: { method: 'get', path: '/calendar' },
  chat: { words: { 'zh-CN': ['日历', '工作日历'], en: ['calendar'] }, args: ['year'] },
  /** Which years have an official holiday schedule, whether this and next year are covered, and what to load. */
  async handler(ctx, input) {
    const cal = await ctx.deps.calendar.current();
    const overrides = await ctx.deps.calendar.overrides?.();
    return calendarStatus(cal, overrides, ctx.deps.clock.now(), input.year);
  },
});

export const calendarYearCommand = defineCommand({
  id: 'calendar.year',
  input: z.object({ year: yearParam }),
  output: calendarStatusDto,
  roles: [],
  http: { method: 'get', path: '/calendar/years/:year' },
  /** One year's days off and make-up workdays, with the same status around it; chat uses `日历 2027`. */
  async handler(ctx, input) {
    const cal = await ctx.deps.calendar.current();
    const overrides = await ctx.deps.calendar.overrides?.();
    return calendarStatus(cal, overrides, ctx.deps.clock.now(), input.year);
  },
});

const FROM_PATTERN = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The event a count starts from: a China-local date ('2026-09-30', taken as its 00:00), a China-local time
 * ('2026-09-30T17:00') or an instant with an offset ('2026-09-30T09:00Z'). Only its China-local date matters.
 */
const fromParam = z
  .string('calendar_deadline_from_invalid')
  .trim()
  .transform((value, ctx) => {
    const m = FROM_PATTERN.exec(value);
    const year = m ? Number(m[1]!.slice(0, 4)) : Number.NaN;
    if (!m || tryDayNumber(m[1]) === undefined || year < 1900 || year > 2200) {
      ctx.addIssue({ code: 'custom', message: 'calendar_deadline_from_invalid', params: { value } });
      return z.NEVER;
    }
    const [, date, hh = '00', mm = '00', ss = '00', offset] = m;
    const zone = offset === undefined ? CHINA_UTC_OFFSET : offset === 'Z' ? 'Z' : offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
    const at = new Date(`${date}T${hh}:${mm}:${ss}${zone}`);
    if (Number.isNaN(at.getTime()) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) {
      ctx.addIssue({ code: 'custom', message: 'calendar_deadline_from_invalid', params: { value } });
      return z.NEVER;
    }
    return at;
  });

export const calendarDeadlineDto = z.object({
  /** The event's China-local date; counting starts the day after it. */
  fromDate: z.string(),
  days: z.number().int(),
  dueDate: z.string(),
  /** The instant the deadline passes (24:00 China time of dueDate): anything strictly before is on time. */
  dueAt: z.string(),
  provisional: z.boolean(),
  /** Years the count went through without an official schedule. */
  provisionalYears: z.array(z.number().int()),
  holidaysSkipped: z.array(z.string()),
  makeupWorkdaysCounted: z.array(z.string()),
});
export type CalendarDeadlineDTO = z.infer<typeof calendarDeadlineDto>;

export const calendarDeadlineCommand = defineCommand({
  id: 'calendar.deadline',
  input: z.object({
    from: fromParam,
    days: strictInt({ min: 0, max: DEADLINE_MAX_DAYS, message: 'calendar_deadline_days_invalid' }),
  }),
  output: calendarDeadlineDto,
  roles: [],
  http: { method: 'get', path: '/calendar/deadline' },
  chat: { words: { 'zh-CN': ['工作日'], en: ['workdays'] }, args: ['from', 'days'] },
  /** "By the end of the N-th working day after" an event, as every deadline of the product is computed. */
  async handler(ctx, input) {
    const cal = await ctx.deps.calendar.current();
    const deadline = cal.deadlineAfterWorkingDays(input.from, input.days);
    const fromDate = cal.localDateOf(input.from);
    const holidaysSkipped: string[] = [];
    const makeupWorkdaysCounted: string[] = [];
    const provisionalYears = new Set<number>();
    const first = dayNumberOf(fromDate) + (input.days === 0 ? 0 : 1);
    for (let n = first, last = dayNumberOf(deadline.dueDate); n <= last; n += 1) {
      const info = cal.dayInfo(formatDayNumber(n));
      if (info.provisional) provisionalYears.add(Number(info.date.slice(0, 4)));
      if (info.reason === 'holiday') holidaysSkipped.push(info.date);
      else if (info.reason === 'makeup_workday') makeupWorkdaysCounted.push(info.date);
    }
    return {
      fromDate,
      days: input.days,
      dueDate: deadline.dueDate,
      dueAt: deadline.dueAt.toISOString(),
      provisional: deadline.provisional,
      provisionalYears: [...provisionalYears].sort((a, b) => a - b),
      holidaysSkipped,
      makeupWorkdaysCounted,
    };
  },
});

export const calendarCommands = [calendarStatusCommand, calendarYearCommand, calendarDeadlineCommand];
