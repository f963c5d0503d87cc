import type { Deps } from '../core/ports';
import type { JobEnv, JobSpec } from './job';
import { JOBS, ON_EVENT, type JobEvent, type JobName } from './schedule';

/** Jobs that move effects on (dispatch, publish) run before delivery, which sends what they stored. */
const ORDER: readonly JobName[] = ['tick', 'complaint-outbox', 'notice-publish', 'deliver-notifications'];

/**
 * Runs an event's jobs (jobs/schedule.ts `ON_EVENT`) in this process right after a commit, so an effect of
 * a chat or card action reaches its channel at once instead of at the next periodic run. Kicks coalesce: a
 * kick while a pass runs adds its jobs to the next pass, so a burst of commits costs a few passes, not one
 * each. The periodic agenda jobs stay the safety net after a crash; every job is idempotent, so a kicked run
 * beside an agenda run of the same job changes nothing twice.
 */
export interface EffectsKicker {
  kick(event: JobEvent): void;
  /** Resolves when no pass is running or queued (tests, shutdown). */
  idle(): Promise<void>;
  /** No new passes; waits for the running one. */
  stop(): Promise<void>;
}

export function createEffectsKicker(env: JobEnv, jobs: readonly JobSpec[] = JOBS): EffectsKicker {
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const queued = new Set<JobName>();
  let pass: Promise<void> | null = null;
  let stopped = false;
  let failing = false;

  async function drain(): Promise<void> {
    while (queued.size && !stopped) {
      const name = ORDER.find((n) => queued.has(n)) ?? [...queued][0]!;
      queued.delete(name);
      const job = byName.get(name);
      if (!job) continue;
      try {
        const started = performance.now();
        const result = await job.run(env, env.deps.clock.now());
        env.logger.debug({ job: name, ms: Math.round(performance.now() - started), result }, 'kicked job done');
        if (name !== 'deliver-notifications' && storedSomething(result)) queued.add('deliver-notifications');
        if (failing) env.logger.info({ job: name }, 'kicked effects run again');
        failing = false;
      } catch (err) {
        // The periodic job retries; say it once per run of failures, not once per kick.
        if (!failing) env.logger.warn({ err, job: name }, 'kicked effects failed; the periodic job will retry');
        failing = true;
      }
    }
  }

  function schedule(): void {
    if (pass || stopped) return;
    pass = (async () => {
      // Let the caller's reply go first: the kick runs on the next turn of the event loop.
      await new Promise((r) => setImmediate(r));
      await drain();
    })().finally(() => {
      pass = null;
      if (queued.size && !stopped) schedule();
    });
  }

  return {
    kick(event) {
      if (stopped) return;
      for (const name of ON_EVENT[event]) queued.add(name);
      schedule();
    },
    async idle() {
      while (pass) await pass;
    },
    async stop() {
      stopped = true;
      queued.clear();
      while (pass) await pass;
    },
  };
}

/** Whether a job's result says it stored notifications (or fired timers that may have). */
export function storedSomething(result: unknown): boolean {
  if (!result || typeof result !== 'object') return false;
  const r = result as Record<string, unknown>;
  return ['inserted', 'notifications', 'fired'].some((k) => typeof r[k] === 'number' && (r[k] as number) > 0);
}

/**
 * The ports with a kick after each write that leaves effects behind: a request filed or moved on, an error
 * report stored or changed, a notice created or its messages stored. Used by the composition root; command
 * handlers stay unaware of it.
 */
export function kickAfterCommits(deps: Deps, kicker: Pick<EffectsKicker, 'kick'>): Deps {
  const after =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>, event: JobEvent) =>
    async (...args: A): Promise<R> => {
      const result = await fn(...args);
      kicker.kick(event);
      return result;
    };
  // A port may be a class instance: the wrapper inherits from it and overrides only the writes.
  const wrap = <T extends object>(port: T, over: Partial<T>): T => Object.assign(Object.create(port) as T, over);
  const { requests, complaints, notices } = deps;
  return {
    ...deps,
    requests: wrap(requests, { create: after(requests.create.bind(requests), 'request.changed'), commit: after(requests.commit.bind(requests), 'request.changed') }),
    complaints: wrap(complaints, { insertMany: after(complaints.insertMany.bind(complaints), 'complaint.changed'), save: after(complaints.save.bind(complaints), 'complaint.changed') }),
    notices: wrap(notices, { create: after(notices.create.bind(notices), 'notice.published'), store: after(notices.store.bind(notices), 'notification.created') }),
  };
}
