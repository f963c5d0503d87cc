import type { ComplaintScope } from '../complaints/complaint.ports';
import type { DeadlineKind, RegisteredDeadline } from './deadline.types';

/** Which open deadlines to read: one kind, ending at or before `until`, optionally within a scope of sites and units. */
export interface DeadlineQuery {
  kind: DeadlineKind;
  until: Date;
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
   * Upkeep, for a periodic job: applies the entries of workflow writes whose register write is missing (a crash
   * between the two; the backfill of a database older than the register) and resolves the people who act.
   * Idempotent.
   */
  maintain(now: Date): Promise<{ applied: number; resolved: number; checked: number }>;
}
