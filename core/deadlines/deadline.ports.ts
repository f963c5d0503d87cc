import type { ComplaintScope } from '../complaints/complaint.ports';
import type { DeadlineKind, OpenDeadline, RegisteredDeadline } from './deadline.types';
import type { SiteOutage } from './request.deadlines';

/** Which open deadlines to read: one kind, ending at or before `until` (every open one without), optionally within a scope of sites and units. */
export interface DeadlineQuery {
  kind: DeadlineKind;
  until?: Date;
  scope?: ComplaintScope;
}

/**
 * The register of open deadlines (store/deadline.repo.ts): one small document per open deadline, set when it
 * opens and cleared when it closes by the write path of its workflow. Reminders, escalations, digests and the
 * due/overdue lists read it, never the workflows' collections.
 */
export interface DeadlineRegister {
  /** Open deadlines due by `until`, oldest deadline first. */
  dueBy(q: DeadlineQuery): Promise<RegisteredDeadline[]>;
  /**
   * The approved temporary offline window or filed emergency shutdown (art. 14, 15) that covers `siteId` at
   * `now`, from the register alone; null when none does. A window covers from its first day's 00:00 until
   * the 00:00 after its last day; an emergency shutdown from its start until the site is reported back
   * online (its end is only expected).
   */
  coveringOutage(siteId: string, now: Date): Promise<SiteOutage | null>;
  /** Every open outage: approved windows not yet over or overrun (the site not back), and filed emergency shutdowns not ended. One read. */
  openOutages(): Promise<SiteOutage[]>;
  /**
   * For a kind whose deadlines open by the calendar rather than by a write (obligations): makes the register's
   * entries of that kind exactly `entries`, writing only what differs. Idempotent.
   */
  replace(kind: 'obligation', entries: readonly OpenDeadline[]): Promise<{ set: number; cleared: number }>;
  /** Clears these entries (an obligation acknowledged meanwhile). Idempotent. */
  close(ids: readonly string[]): Promise<void>;
  /**
   * The repair of one kind, for the job that reads it: applies the entries of workflow writes whose register
   * write is missing (a crash between the two; the backfill of a database older than the register). Reads the
   * workflow's collection, so a job runs it now and then, never per read. Idempotent.
   */
  repair(kind: 'check' | 'review' | 'outage', now: Date): Promise<{ applied: number }>;
  /**
   * Upkeep, for a periodic job: the repair of every kind whose write sets the register (at the first run,
   * then hourly) and the people who act on error reports. Idempotent.
   */
  maintain(now: Date): Promise<{ applied: number; resolved: number; checked: number }>;
}
