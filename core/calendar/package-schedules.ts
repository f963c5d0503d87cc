import chineseDays from 'chinese-days';
import { dayNumberOf, formatDayNumber } from './civil-date';
import type { YearSchedule } from './schedule';

/**
 * Years scanned for package data. chinese-days 1.5.7 has 2004–2026; the window is wide so that a package
 * update adding years is picked up without a code change.
 */
export const PACKAGE_SCAN_FIRST_YEAR = 2000;
export const PACKAGE_SCAN_LAST_YEAR = 2100;

let cache: ReadonlyMap<number, YearSchedule> | undefined;

/**
 * Every year for which chinese-days has the official arrangement, as YearSchedules.
 *
 * Why not just call `isWorkday`: for a year it lacks, chinese-days silently answers "plain Mon–Fri", which
 * would make us compute confident deadlines from a guess. So a year counts as covered only if the package has
 * at least one holiday entry in it. Its `isInLieu` marks weekdays given off (调休), not make-up workdays, so it
 * is not used; make-up workdays are the package's `workdays` entries.
 *
 * How: the package keeps its data in a closure, so we walk every day with `getDayDetail` and keep the days
 * it found in its tables — their `name` is "English,中文,n"; days it only derived from the weekday are named
 * "Monday" etc. We pass the date as a 'YYYY-MM-DD' string on purpose: the package builds its table keys by
 * parsing such strings as UTC midnight and formatting them in the host's local time, and a lookup with the
 * same string goes through the same steps, so hits are right in every host time zone (on hosts west of UTC its
 * returned `date` and weekday fallback are a day off, so we use neither). Built once, lazily (~0.1 s).
 */
export function packageSchedules(): ReadonlyMap<number, YearSchedule> {
  cache ??= buildPackageSchedules();
  return cache;
}

function buildPackageSchedules(): ReadonlyMap<number, YearSchedule> {
  const schedules = new Map<number, YearSchedule>();
  for (let year = PACKAGE_SCAN_FIRST_YEAR; year <= PACKAGE_SCAN_LAST_YEAR; year += 1) {
    const holidays: string[] = [];
    const makeupWorkdays: string[] = [];
    const first = dayNumberOf(`${year}-01-01`);
    const last = dayNumberOf(`${year}-12-31`);
    for (let dayNumber = first; dayNumber <= last; dayNumber += 1) {
      const date = formatDayNumber(dayNumber);
      const detail = chineseDays.getDayDetail(date);
      if (!detail.name.includes(',')) continue;
      (detail.work ? makeupWorkdays : holidays).push(date);
    }
    if (holidays.length === 0) continue;
    schedules.set(
      year,
      Object.freeze({ year, holidays: Object.freeze(holidays), makeupWorkdays: Object.freeze(makeupWorkdays), source: 'package' }),
    );
  }
  return schedules;
}
