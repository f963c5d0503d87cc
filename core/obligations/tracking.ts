import { formatDayNumber, tryDayNumber } from '../calendar/civil-date';

/**
 * The deployment's tracking start: deadlines before it belong to a time the system did not know about, so
 * nobody is told they missed them. `YYYY-MM-DD` (China-local day); null when not known (tests, tools).
 */
export type TrackingSince = string | null;

/**
 * Whether a deadline counts: due on or after the day tracking started. A quarter that ended before the
 * system existed is not "overdue 93 days" on its first morning (an honest first run). Pure. Applied where
 * a recurring deadline is judged: `obligationItems` (so the digest, the escalations, the obligations list and
 * the register entries built from it), the campaigns' escalations (`campaignDuties`) and a check's progress
 * counts (`computeProgress`). A reader that judges these deadlines elsewhere applies it too.
 */
export function isTracked(dueDate: string, since: TrackingSince | undefined): boolean {
  return !since || dueDate >= since;
}

/** `STEWARD_TRACKING_SINCE` as a day, undefined when it is not a real `YYYY-MM-DD` date. */
export function parseTrackingSince(text: string): string | undefined {
  const day = tryDayNumber(text.trim());
  return day === undefined ? undefined : formatDayNumber(day);
}
