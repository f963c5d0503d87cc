import { chinaMinuteOfDay, parseHhmm } from '../calendar/civil-date';

const DAY_MIN = 24 * 60;

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
