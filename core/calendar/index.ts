import { packageSchedules } from './package-schedules';
import type { YearSchedule } from './schedule';
import { WorkingCalendar, mergeSchedules } from './working-calendar';

export { missingScheduleWarning } from './next-year-warning';
export { PACKAGE_SCAN_FIRST_YEAR, PACKAGE_SCAN_LAST_YEAR, packageSchedules } from './package-schedules';
export { OVERRIDE_YEAR_MAX, OVERRIDE_YEAR_MIN, overrideSchedule, yearScheduleFileSchema } from './schedule';
export type { YearSchedule, YearScheduleFile } from './schedule';
export { MAX_WALK_DAYS, WorkingCalendar, mergeSchedules } from './working-calendar';
export type { DayInfo, DayReason, Deadline, WorkingDayResult } from './working-calendar';

/**
 * The calendar the product runs on: the package's official years, with the operator's overrides (loaded by
 * the caller from storage, since core/ does no I/O) replacing package years and adding new ones.
 */
export function defaultCalendar(overrides: readonly YearSchedule[] = []): WorkingCalendar {
  return new WorkingCalendar(mergeSchedules(packageSchedules().values(), overrides));
}
