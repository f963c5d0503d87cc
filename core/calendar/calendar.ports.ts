import type { WorkingCalendar } from './working-calendar';
import type { YearScheduleFile } from './schedule';

/** A year an operator loaded with `steward calendar load`, replacing the package's data for that year or adding it. */
export interface CalendarOverrideInfo {
  year: number;
  loadedBy: string;
  loadedAt: Date;
  note: string | null;
}

/** Where `steward calendar load` stores a year's override (store/calendar.repo.ts), used at once by every instance. */
export interface CalendarOverrideStore {
  /** Stores a year's override, replacing one loaded before; the file is checked again, so nothing invalid is written. */
  saveOverride(file: YearScheduleFile, loadedBy: string, now?: Date): Promise<{ year: number; created: boolean }>;
}

/**
 * The working-day calendar in force: the package's official years plus the operator's overrides from the
 * database. `current()` always reflects the latest `steward calendar load`, from any process, without restart.
 */
export interface CalendarProvider {
  current(): Promise<WorkingCalendar>;
  /** The overrides inside the calendar `current()` gives; optional so a test double may leave it out. */
  overrides?(): Promise<CalendarOverrideInfo[]>;
}
