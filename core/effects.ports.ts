import type { QuietHours } from './reminders/quiet-hours';

/**
 * The effects dispatchers (one per workflow store), as the jobs and the effects kicker run them. Each runs
 * every pending effect of its workflow idempotently by effect id, then marks it done; safe to run twice or
 * from two processes at once.
 */
export interface EffectDispatchers {
  /** Requests: pending effects, then the timers that are due, then the effects they caused (a full tick). */
  requests(now: Date): Promise<{ fired: number }>;
  /** Error reports: pending effects → one notification per person (not before quiet hours end). */
  complaints(now: Date, opts: { quietHours: QuietHours | null }): Promise<{ complaints: number; notifications: number }>;
}
