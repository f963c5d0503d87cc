import type { Deps } from '../core/ports';
import type { ReminderSettings } from '../core/reminders/reminder.settings';
import type { Logger } from '../lib/logger';
import type { DeliveryChannel, DeliveryStore } from '../bot/deliver';
import type { Housekeeping } from '../core/housekeeping.ports';

/** What every job handler gets: the ports, the reminder settings, a logger, who runs it. */
export interface JobEnv {
  deps: Deps;
  /** Indexes and pruning of the bookkeeping collections (the composition root's). */
  housekeeping: Housekeeping;
  /** The stored notifications as delivery claims and records them. */
  delivery: DeliveryStore;
  settings: ReminderSettings;
  logger: Logger;
  /** This process's name in claims and logs. */
  instance: string;
  /** Push channels; defaults to the registry of bot/deliver.ts. */
  channels?: readonly DeliveryChannel[];
}

/**
 * One job: a name, and a handler that takes an explicit `now` (tests pass one; agenda passes the clock's).
 * Handlers carry no data, re-load their state and are idempotent — agenda runs one again when it outlives
 * its lock lifetime (the previous run is presumed dead).
 */
export interface JobSpec {
  name: string;
  run(env: JobEnv, now: Date): Promise<unknown>;
}
