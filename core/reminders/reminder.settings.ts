import { parseHhmm } from '../calendar/civil-date';
import { parseQuietHours, type QuietHours } from './quiet-hours';

/**
 * When the reminder engine speaks, all China time. Built once from the configuration (core/config.schema.ts,
 * STEWARD_REMINDER_*) and handed to every job, so tests choose their own.
 */
export interface ReminderSettings {
  /** First reminder, on the due working day. */
  startAt: string;
  /** Second reminder, the same day, some hours before the deadline (the end of the day). */
  beforeEndAt: string;
  /** The daily digest, on working days. */
  digestAt: string;
  /** The daily "next year's holiday schedule is missing" warning to province admins. */
  calendarWarningAt: string;
  /** Nothing but escalations is delivered in these hours; the rest waits for their end. */
  quietHours: QuietHours | null;
  /** A reminder created this long after its time was missed (the service was down) is marked late. */
  lateAfterMs: number;
  delivery: {
    /** After this many failed sends a notification stays `failed` (still readable in-app). */
    maxAttempts: number;
    /** First retry after this; doubling each time up to `maxBackoffMs`. */
    backoffMs: number;
    maxBackoffMs: number;
    /** A send claimed longer ago than this whose sender never reported back (crash) is retried. */
    staleClaimMs: number;
  };
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = {
  startAt: '09:00',
  beforeEndAt: '16:00',
  digestAt: '08:30',
  calendarWarningAt: '09:00',
  quietHours: { from: '22:00', to: '08:00' },
  lateAfterMs: 15 * 60_000,
  delivery: { maxAttempts: 10, backoffMs: 30_000, maxBackoffMs: 3_600_000, staleClaimMs: 5 * 60_000 },
};

/** Reminder settings from the validated configuration's STEWARD_REMINDER_* / STEWARD_QUIET_HOURS / STEWARD_DELIVERY_* values. */
export function reminderSettingsOf(cfg: {
  STEWARD_REMINDER_START_AT: string;
  STEWARD_REMINDER_BEFORE_END_AT: string;
  STEWARD_DIGEST_AT: string;
  STEWARD_CALENDAR_WARNING_AT: string;
  STEWARD_QUIET_HOURS: string;
  STEWARD_REMINDER_LATE_AFTER_MIN: number;
  STEWARD_DELIVERY_MAX_ATTEMPTS: number;
  STEWARD_DELIVERY_BACKOFF_SEC: number;
}): ReminderSettings {
  for (const t of [cfg.STEWARD_REMINDER_START_AT, cfg.STEWARD_REMINDER_BEFORE_END_AT, cfg.STEWARD_DIGEST_AT, cfg.STEWARD_CALENDAR_WARNING_AT]) parseHhmm(t);
  return {
    startAt: cfg.STEWARD_REMINDER_START_AT,
    beforeEndAt: cfg.STEWARD_REMINDER_BEFORE_END_AT,
    digestAt: cfg.STEWARD_DIGEST_AT,
    calendarWarningAt: cfg.STEWARD_CALENDAR_WARNING_AT,
    quietHours: parseQuietHours(cfg.STEWARD_QUIET_HOURS),
    lateAfterMs: cfg.STEWARD_REMINDER_LATE_AFTER_MIN * 60_000,
    delivery: { ...DEFAULT_REMINDER_SETTINGS.delivery, maxAttempts: cfg.STEWARD_DELIVERY_MAX_ATTEMPTS, backoffMs: cfg.STEWARD_DELIVERY_BACKOFF_SEC * 1000 },
  };
}

/** Delay before retry number `attempts` (1-based count of failures so far): exponential, capped. */
export function backoffMs(attempts: number, s: ReminderSettings['delivery']): number {
  return Math.min(s.maxBackoffMs, s.backoffMs * 2 ** Math.max(0, attempts - 1));
}
