import { hostname } from 'node:os';
import { Agenda } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Db } from 'mongodb';
import type { Deps } from '../core/ports';
import { DEFAULT_REMINDER_SETTINGS, type ReminderSettings } from '../core/reminders/reminder.settings';
import type { Logger } from '../lib/logger';
import type { DeliveryChannel, DeliveryStore } from '../bot/deliver';
import type { Housekeeping } from '../core/housekeeping.ports';
import type { JobEnv } from './job';
import { storedSomething } from './kick';
import { EVERY, JOBS, ON_EVENT, type JobEvent, type JobName } from './schedule';

export const AGENDA_COLLECTION = 'agendaJobs';

/** agenda's recommended index for its "find and lock the next job" query (same name as the backend's own). */
export const AGENDA_INDEX = { key: { name: 1, nextRunAt: 1, priority: -1, lockedAt: 1, disabled: 1 }, name: 'findAndLockNextJobIndex' } as const;

export interface JobRunnerOptions {
  deps: Deps;
  /** The composition root's housekeeping port (indexes, pruning). */
  housekeeping: Housekeeping;
  /** The stored notifications as delivery claims and records them (the composition root's). */
  delivery: DeliveryStore;
  logger: Logger;
  settings?: ReminderSettings;
  /** A mongodb `Db` (default: the connection's, from `housekeeping`). */
  db?: unknown;
  /** This instance's name in agenda's `lastModifiedBy`, claims and logs (default host:pid). */
  name?: string;
  /** Polling interval of agenda (ms or '10 seconds'). */
  processEvery?: string | number;
  /** At most this many jobs locked by this instance at once. */
  lockLimit?: number;
  /** A job locked longer than this is presumed dead and may be taken by another instance. */
  lockLifetimeMs?: number;
  /** Create the recurring schedule (`every`); tests turn it off and trigger jobs themselves. */
  recurring?: boolean;
  /** Trigger the `start` event's jobs (catch-up) once started. */
  catchUp?: boolean;
  channels?: readonly DeliveryChannel[];
}

export interface JobRunner {
  agenda: Agenda;
  /** Runs the jobs an event maps to (jobs/schedule.ts), through agenda. */
  trigger(event: JobEvent): Promise<void>;
  /** Runs one job now, through agenda. */
  now(name: JobName): Promise<void>;
  /** Stops polling, unlocks jobs not begun, waits (up to `timeoutMs`) for running ones to finish. */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * The job engine: agenda 6 with @agendajs/mongo-backend on our database, every job of jobs/schedule.ts
 * defined with a lock lifetime, one running copy per instance and job, a lock limit per instance; its
 * recommended index created at start; `error` and `fail` logged. Agenda's lock (a `findOneAndUpdate`) is
 * exclusive on MongoDB and on the embedded FerretDB (its write-gating front makes the read-modify-write
 * atomic); handlers are still idempotent, because a job that outlives its lock lifetime runs again.
 */
export async function startJobs(opts: JobRunnerOptions): Promise<JobRunner> {
  const db = (opts.db ?? opts.housekeeping.jobDatabase()) as Db | undefined;
  if (!db) throw new Error('startJobs: no database (connect first)');
  const name = opts.name ?? `${hostname()}:${process.pid}`;
  const log = opts.logger.child({ component: 'jobs', instance: name });
  const lockLifetime = opts.lockLifetimeMs ?? 10 * 60_000;
  const env: JobEnv = { deps: opts.deps, housekeeping: opts.housekeeping, delivery: opts.delivery, settings: opts.settings ?? DEFAULT_REMINDER_SETTINGS, logger: log, instance: name, ...(opts.channels ? { channels: opts.channels } : {}) };

  await db.collection(AGENDA_COLLECTION).createIndex({ ...AGENDA_INDEX.key }, { name: AGENDA_INDEX.name });
  // Our own collections' indexes, whether or not mongoose built them before this module loaded.
  await opts.housekeeping.ensureJobIndexes();

  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db, collection: AGENDA_COLLECTION, ensureIndex: false }),
    name,
    processEvery: opts.processEvery ?? '10 seconds',
    lockLimit: opts.lockLimit ?? 10,
    defaultLockLimit: 1,
    defaultConcurrency: 1,
    maxConcurrency: 10,
    defaultLockLifetime: lockLifetime,
    removeOnComplete: true,
  });
  let running = 0;
  agenda.on('start', () => void running++);
  agenda.on('complete', () => void running--);
  agenda.on('error', (err) => log.error({ err }, 'agenda error'));
  agenda.on('fail', (err, job) => log.error({ err, job: (job as { attrs?: { name?: string } }).attrs?.name }, 'job failed'));

  const runner: JobRunner = {
    agenda,
    async now(job) {
      await agenda.now(job);
    },
    async trigger(event) {
      for (const job of ON_EVENT[event]) await agenda.now(job);
    },
    async stop(timeoutMs = 10_000) {
      // Stops polling and unlocks the jobs this instance locked but had not begun (another instance takes
      // them at once), then lets the running ones finish and record their state before the caller closes the DB.
      await agenda.stop(false);
      const until = Date.now() + timeoutMs;
      while (running > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      if (running > 0) log.warn({ running }, 'jobs still running at stop; their locks expire after lockLifetime');
    },
  };
  for (const spec of JOBS) {
    agenda.define(
      spec.name,
      async () => {
        const result = await spec.run(env, opts.deps.clock.now());
        log.debug({ job: spec.name, result }, 'job done');
        // Fresh notifications go out now rather than at the next delivery run.
        if (spec.name !== 'deliver-notifications' && storedSomething(result)) await runner.trigger('notification.created');
      },
      { concurrency: 1, lockLimit: 1, lockLifetime },
    );
  }
  await agenda.start();
  if (opts.recurring !== false) {
    for (const spec of JOBS) await agenda.every(EVERY[spec.name as JobName], spec.name, undefined, { skipImmediate: true });
  }
  if (opts.catchUp !== false) await runner.trigger('start');
  log.info({ jobs: JOBS.map((j) => j.name), lockLifetime }, 'jobs started');
  return runner;
}
