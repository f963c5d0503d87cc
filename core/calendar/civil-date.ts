/**
 * Calendar dates ('YYYY-MM-DD') as plain day numbers, with no time zone and no `Date` parsing.
 *
 * `Date` parsing depends on the host time zone and maps years 0–99 to 1900–1999, so the calendar does its
 * date arithmetic on integers instead (Howard Hinnant's days-from-civil algorithm, proleptic Gregorian).
 */

/** Milliseconds in one civil day; China has no DST, so every China-local day is exactly this long. */
export const MS_PER_DAY = 86_400_000;

/*
 * China time, the one place it is written. Asia/Shanghai is UTC+8 all year (no DST since 1991), so a fixed offset
 * gives China-local dates and wall-clock times exactly, with no time-zone database and whatever the host's TZ is.
 * Every deadline rule is computed in China time (ARCHITECTURE.md, convention 7); working days themselves come
 * from the WorkingCalendar, never from here.
 */

/** Asia/Shanghai's offset from UTC in milliseconds. */
export const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Asia/Shanghai's offset as ISO 8601 writes it: the zone of a wall-clock time a person typed without one. */
export const CHINA_UTC_OFFSET = '+08:00';

const MS_PER_MINUTE = 60_000;
const MINUTES_PER_DAY = 24 * 60;

/** The China-local day number of an instant, for any instant (no date string, so no year limit). */
export function chinaDayNumberOf(instant: Date): number {
  return chinaDayNumberOfMs(instant.getTime());
}

/** `chinaDayNumberOf` for an instant already in epoch milliseconds (the calendar's inner loops). */
export function chinaDayNumberOfMs(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / MS_PER_DAY);
}

/** The China-local date of an instant: what "today" means for the people using the product. */
export function chinaDateOf(instant: Date): string {
  return formatDayNumber(chinaDayNumberOf(instant));
}

/** Epoch milliseconds of 00:00 China time on a China-local day number. */
export function chinaStartOfDayNumberMs(dayNumber: number): number {
  return dayNumber * MS_PER_DAY - CHINA_OFFSET_MS;
}

/** 00:00 China time of a China-local date ('YYYY-MM-DD'), as a UTC instant. */
export function chinaStartOf(date: string): Date {
  return new Date(chinaStartOfDayNumberMs(dayNumberOf(date)));
}

/** `HH:MM` (00:00–23:59, or 24:00 for the end of a day) as minutes after local midnight; throws on anything else. */
export function parseHhmm(hhmm: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm.trim());
  if (!m || (m[1] === '24' && m[2] !== '00')) throw new RangeError(`not a time of day: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The instant `hhmm` China time on the China-local day `date` ('YYYY-MM-DD'). */
export function chinaInstant(date: string, hhmm: string): Date {
  return new Date(chinaStartOf(date).getTime() + parseHhmm(hhmm) * MS_PER_MINUTE);
}

/** Minutes after China-local midnight of an instant. */
export function chinaMinuteOfDay(at: Date): number {
  return Math.floor((at.getTime() + CHINA_OFFSET_MS) / MS_PER_MINUTE) % MINUTES_PER_DAY;
}

/** China-local wall-clock time of an instant, `YYYY-MM-DD HH:mm`: the way people read times in chat and on cards. */
export function chinaDateTimeOf(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a proleptic Gregorian date; exact for any year, unlike `Date.UTC`. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/**
 * The day number of a 'YYYY-MM-DD' string, or undefined when it is malformed or not a real date
 * (2026-02-30): for validators that report instead of throwing.
 */
export function tryDayNumber(date: unknown): number | undefined {
  if (typeof date !== 'string') return undefined;
  const match = DATE_PATTERN.exec(date);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const n = daysFromCivil(year, month, day);
  const back = civilFromDays(n);
  return back.year === year && back.month === month && back.day === day ? n : undefined;
}

/** The day number of a 'YYYY-MM-DD' string; a bad date is a programming error, so it throws a RangeError. */
export function dayNumberOf(date: string): number {
  const n = tryDayNumber(date);
  if (n === undefined) {
    throw new RangeError(`calendar_invalid_date: ${JSON.stringify(date)} is not a real YYYY-MM-DD date`);
  }
  return n;
}

/** The 'YYYY-MM-DD' string of a day number; only years 0001–9999 have such a string, so others throw. */
export function formatDayNumber(dayNumber: number): string {
  const { year, month, day } = civilFromDays(dayNumber);
  if (year < 1 || year > 9999) throw new RangeError(`calendar_date_out_of_range: year ${year} is outside 0001–9999`);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The calendar year of a day number, needed to find the schedule a day belongs to. */
export function yearOfDayNumber(dayNumber: number): number {
  return civilFromDays(dayNumber).year;
}

/** The month (1–12) and day of month of a day number, for fixed-date rules such as "1 October". */
export function monthDayOfDayNumber(dayNumber: number): { month: number; day: number } {
  const { month, day } = civilFromDays(dayNumber);
  return { month, day };
}

/** 0 = Sunday … 6 = Saturday, like `Date#getDay`, without going through a host time zone. */
export function weekdayOfDayNumber(dayNumber: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** Saturdays and Sundays are off unless the State Council's schedule makes them make-up workdays. */
export function isWeekendDayNumber(dayNumber: number): boolean {
  const weekday = weekdayOfDayNumber(dayNumber);
  return weekday === 0 || weekday === 6;
}
