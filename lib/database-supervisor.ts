import mongoose from 'mongoose';
import type { ResolvedDatabase } from '../store/database';
import type { Logger } from './logger';

/** Whether the service can reach its database now: the API answers 503 `database_unavailable` while not. */
export interface DatabaseHealth {
  up(): boolean;
}

export interface SupervisorOptions {
  db: ResolvedDatabase;
  logger: Logger;
  /** Connects the process to the restarted server when it came back on another port. */
  reconnect(uri: string): Promise<void>;
  /** How often the embedded server's process is looked at (ms). */
  pollMs?: number;
  /** Waits between restart attempts: doubling from the first to the last (ms). */
  backoffMs?: { first: number; max: number };
  /** Whether the driver is connected; mongoose's connection state by default. */
  driverConnected?: () => boolean;
}

export interface DatabaseSupervisor extends DatabaseHealth {
  stop(): void;
  /** Restarts of the embedded server so far (for tests and /metrics). */
  restarts(): number;
}

/**
 * Watches the database the service uses. The embedded server is a supervised child: when its process is gone
 * it is started again on the same data directory, with backoff, and the driver reconnects by itself (same
 * port) or is pointed at the new one. With MONGODB_URI the driver's own reconnect is the recovery. Either
 * way `up()` turns false as soon as the loss is seen, so requests fail fast instead of waiting on the driver,
 * and the log says so once per change of state, not once per failed request.
 */
export function superviseDatabase(opts: SupervisorOptions): DatabaseSupervisor {
  const { db, logger } = opts;
  const log = logger.child({ component: 'database' });
  const pollMs = opts.pollMs ?? 250;
  const backoff = opts.backoffMs ?? { first: 250, max: 10_000 };
  const driverConnected = opts.driverConnected ?? (() => mongoose.connection.readyState === 1);

  let serverRunning = true;
  let restarting = false;
  let nextAttemptAt = 0;
  let waitMs = backoff.first;
  let restartCount = 0;
  let stopped = false;
  let reported: boolean | undefined; // the state last logged

  const up = () => serverRunning && driverConnected();

  const report = () => {
    const now = up();
    if (now === reported) return;
    if (reported !== undefined) {
      if (now) log.info({ database: 'up', kind: db.kind }, 'database available again');
      else log.warn({ database: 'down', kind: db.kind }, 'database unavailable: requests answer 503 until it is back');
    }
    reported = now;
  };

  async function restart(): Promise<void> {
    restarting = true;
    try {
      const uri = await db.process!.restart();
      restartCount++;
      if (uri !== db.uri) {
        db.uri = uri;
        await opts.reconnect(uri);
      }
      serverRunning = true;
      waitMs = backoff.first;
      log.info({ restarts: restartCount }, 'embedded database restarted');
    } catch (err) {
      nextAttemptAt = Date.now() + waitMs;
      log.error({ err: (err as Error).message, retryInMs: waitMs }, 'embedded database did not restart');
      waitMs = Math.min(backoff.max, waitMs * 2);
    } finally {
      restarting = false;
    }
  }

  const tick = () => {
    if (stopped) return;
    if (db.process && !restarting) {
      if (!db.process.alive()) serverRunning = false;
      if (!serverRunning && Date.now() >= nextAttemptAt) void restart().finally(report);
    }
    report();
  };

  const onDriverChange = () => report();
  mongoose.connection.on('disconnected', onDriverChange);
  mongoose.connection.on('connected', onDriverChange);
  mongoose.connection.on('reconnected', onDriverChange);
  const timer = setInterval(tick, pollMs);
  timer.unref();
  report();

  return {
    up,
    restarts: () => restartCount,
    stop() {
      stopped = true;
      clearInterval(timer);
      mongoose.connection.off('disconnected', onDriverChange);
      mongoose.connection.off('connected', onDriverChange);
      mongoose.connection.off('reconnected', onDriverChange);
    },
  };
}
