import { defaultCalendar, overrideSchedule, type WorkingCalendar, type YearScheduleFile } from '../core/calendar';
import { ValidationError, type FieldProblem } from '../core/errors';
import { checkOverrideFile } from '../core/calendar/override-file';
import type { CalendarOverrideInfo, CalendarOverrideStore, CalendarProvider } from '../core/calendar/calendar.ports';
import { CALENDAR_VERSION_KEY, CalendarVersionModel, CalendarYearModel, type CalendarYearDoc } from './calendar.model';

/** An override as stored: the year's dates plus who loaded it and when. */
export interface StoredOverride extends CalendarOverrideInfo {
  holidays: string[];
  makeupWorkdays: string[];
}

export { checkOverrideFile, type OverrideFileCheck } from '../core/calendar/override-file';

const toStored = (d: CalendarYearDoc): StoredOverride => ({
  year: d._id,
  holidays: d.holidays ?? [],
  makeupWorkdays: d.makeupWorkdays ?? [],
  note: d.note ?? null,
  loadedBy: d.loadedBy,
  loadedAt: d.loadedAt,
});

export const calendarRepo: CalendarOverrideStore & {
  listOverrides(): Promise<StoredOverride[]>;
  getOverride(year: number): Promise<StoredOverride | undefined>;
  version(): Promise<number>;
} = {
  /**
   * Stores a year's override: ONE single-document upsert keyed by the year (loading a year again replaces
   * it whole), then an atomic `$inc` of the change marker so every running instance reloads on its next call.
   * The file is checked again here, so nothing invalid is ever written whoever calls.
   */
  async saveOverride(file: YearScheduleFile, loadedBy: string, now: Date = new Date()): Promise<{ year: number; created: boolean }> {
    const check = checkOverrideFile(file);
    if (!check.ok) throw new ValidationError(check.problems);
    const schedule = overrideSchedule(check.file);
    const result = await CalendarYearModel.replaceOne(
      { _id: schedule.year },
      {
        holidays: [...schedule.holidays],
        makeupWorkdays: [...schedule.makeupWorkdays],
        note: check.file.note ?? null,
        loadedBy,
        loadedAt: now,
      },
      { upsert: true },
    );
    await CalendarVersionModel.updateOne({ _id: CALENDAR_VERSION_KEY }, { $inc: { version: 1 }, $set: { at: now } }, { upsert: true });
    return { year: schedule.year, created: result.upsertedCount > 0 };
  },

  async listOverrides(): Promise<StoredOverride[]> {
    return (await CalendarYearModel.find().sort({ _id: 1 }).lean<CalendarYearDoc[]>()).map(toStored);
  },

  async getOverride(year: number): Promise<StoredOverride | undefined> {
    const d = await CalendarYearModel.findById(year).lean<CalendarYearDoc>();
    return d ? toStored(d) : undefined;
  },

  /** The change marker: 0 before the first save, then one more on every save from any process. */
  async version(): Promise<number> {
    const d = await CalendarVersionModel.findById(CALENDAR_VERSION_KEY, { version: 1 }).lean<{ version?: number }>();
    return d?.version ?? 0;
  },
};

type Snapshot = { calendar: WorkingCalendar; overrides: CalendarOverrideInfo[] };

export interface CalendarProviderOptions {
  /** A stored year that fails the file checks (edited by hand in the database) is left out and reported here. */
  onInvalidOverride?: (year: number, problems: FieldProblem[]) => void;
}

/**
 * The calendar every instance computes deadlines with: `defaultCalendar(overrides)`, built once and cached,
 * but each `current()` first reads the change marker (one findOne by _id) and rebuilds when it moved, so an
 * override loaded by `steward calendar load` in another process is used on the very next call, no restart.
 * The marker is read before the overrides, so a save racing a rebuild only costs one extra rebuild later.
 */
export function createCalendarProvider(opts: CalendarProviderOptions = {}): Required<CalendarProvider> {
  const onInvalid =
    opts.onInvalidOverride ??
    ((year: number, problems: FieldProblem[]) =>
      process.emitWarning(`calendar override ${year} in the database is invalid and ignored: ${problems.map((p) => `${p.field} ${p.code}`).join('; ')}`));
  let cache: { version: number; snapshot: Snapshot } | undefined;
  let loading: { version: number; promise: Promise<Snapshot> } | undefined;

  async function build(): Promise<Snapshot> {
    const valid: YearScheduleFile[] = [];
    const overrides: CalendarOverrideInfo[] = [];
    for (const stored of await calendarRepo.listOverrides()) {
      const check = checkOverrideFile({
        year: stored.year,
        holidays: stored.holidays,
        makeupWorkdays: stored.makeupWorkdays,
        ...(stored.note !== null ? { note: stored.note } : {}),
      });
      if (!check.ok) {
        onInvalid(stored.year, check.problems);
        continue;
      }
      valid.push(check.file);
      overrides.push({ year: stored.year, loadedBy: stored.loadedBy, loadedAt: stored.loadedAt, note: stored.note });
    }
    return { calendar: defaultCalendar(valid.map(overrideSchedule)), overrides };
  }

  async function snapshot(): Promise<Snapshot> {
    const version = await calendarRepo.version();
    if (cache?.version === version) return cache.snapshot;
    if (loading?.version !== version) {
      const promise: Promise<Snapshot> = build()
        .then((built) => {
          cache = { version, snapshot: built };
          return built;
        })
        .finally(() => {
          if (loading?.promise === promise) loading = undefined;
        });
      loading = { version, promise };
    }
    return loading.promise;
  }

  return {
    async current() {
      return (await snapshot()).calendar;
    },
    async overrides() {
      return (await snapshot()).overrides.map((o) => ({ ...o }));
    },
  };
}

// The process's one provider is built by the composition root (lib/services.ts), so every command shares its cache.
