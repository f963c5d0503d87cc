import type { WorkingCalendar } from './working-calendar';

/** The State Council publishes next year's arrangement in early–mid November; from this day on, lacking it is news. */
const WARN_FROM_MONTH = 11;
const WARN_FROM_DAY = 15;

/**
 * The year whose holiday schedule an operator should load now, or null. From 15 November (China time) on,
 * next year's notice is out and deadlines soon cross into it, so a missing next year is reported. A missing
 * *current* year is reported all year round: without it every deadline is provisional, and staying silent
 * from 1 January on (when "next year" moves on) would hide exactly the case that matters most.
 */
export function missingScheduleWarning(now: Date, cal: WorkingCalendar): { year: number } | null {
  const today = cal.localDateOf(now);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const day = Number(today.slice(8, 10));
  if (!cal.hasSchedule(year)) return { year };
  const pastNotice = month > WARN_FROM_MONTH || (month === WARN_FROM_MONTH && day >= WARN_FROM_DAY);
  if (pastNotice && !cal.hasSchedule(year + 1)) return { year: year + 1 };
  return null;
}
