/**
 * China-local wall-clock arithmetic for reminder times. China has kept UTC+8 all year since 1991 (no DST),
 * so a fixed offset is exact; working days themselves come from the WorkingCalendar, never from here.
 */
const OFFSET_MS = 8 * 3600_000;
const DAY_MIN = 24 * 60;

/** `HH:MM` (00:00–23:59, or 24:00 for the end of a day) as minutes after local midnight; throws on anything else. */
export function parseHhmm(hhmm: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm.trim());
  if (!m || (m[1] === '24' && m[2] !== '00')) throw new RangeError(`not a time of day: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The instant `hhmm` China time on the China-local day `date` ('YYYY-MM-DD'). */
export function chinaInstant(date: string, hhmm: string): Date {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + parseHhmm(hhmm) * 60_000);
}

/** Minutes after China-local midnight of an instant. */
export function chinaMinuteOfDay(at: Date): number {
  return Math.floor((at.getTime() + OFFSET_MS) / 60_000) % DAY_MIN;
}

/** The China-local 'YYYY-MM-DD' of an instant. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** Quiet hours as minutes of the day; `from > to` wraps midnight (22:00–08:00). Equal bounds mean none. */
export interface QuietHours {
  from: string;
  to: string;
}

/** Parses `22:00-08:00` (or `off`): the form the STEWARD_QUIET_HOURS setting takes. */
export function parseQuietHours(spec: string): QuietHours | null {
  const s = spec.trim().toLowerCase();
  if (s === 'off' || s === '') return null;
  const m = /^(\d\d:\d\d)\s*-\s*(\d\d:\d\d)$/.exec(s);
  if (!m) throw new RangeError(`quiet hours must look like 22:00-08:00 or off: ${spec}`);
  parseHhmm(m[1]!);
  parseHhmm(m[2]!);
  return m[1] === m[2] ? null : { from: m[1]!, to: m[2]! };
}

/** Whether `at` falls in the quiet hours (China time). */
export function isQuiet(at: Date, quiet: QuietHours | null): boolean {
  if (!quiet) return false;
  const m = chinaMinuteOfDay(at);
  const from = parseHhmm(quiet.from);
  const to = parseHhmm(quiet.to);
  return from < to ? m >= from && m < to : m >= from || m < to;
}

/** `at` itself outside quiet hours, else the instant the quiet hours end (the next `to`, China time). */
export function afterQuietHours(at: Date, quiet: QuietHours | null): Date {
  if (!quiet || !isQuiet(at, quiet)) return at;
  const minutes = (parseHhmm(quiet.to) - chinaMinuteOfDay(at) + DAY_MIN) % DAY_MIN;
  const startOfMinute = Math.floor(at.getTime() / 60_000) * 60_000;
  return new Date(startOfMinute + minutes * 60_000);
}
