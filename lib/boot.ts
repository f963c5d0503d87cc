import type { Config } from '../core/config.schema';
import { connectMongo, disconnectMongo, resolveDatabase, type ResolvedDatabase } from '../store/index';

/** Refused database resolution (no MongoDB and no embedded one): the CLI turns it into one clear line. */
export { DatabaseUnavailableError } from '../store/database';
import { superviseDatabase, type DatabaseSupervisor } from './database-supervisor';
import { seedDemoIfEmpty } from '../store/demo/seed-demo';
import { ensureTrackingSince } from '../store/tracking-since';
import { playDemoStory } from './demo-story';
import { createDeps } from './services';
import type { Logger } from './logger';

export interface OpenDatabase {
  db: ResolvedDatabase;
  /** Present when asked for (`supervise`): the long-running service watches and restarts its database. */
  supervisor?: DatabaseSupervisor;
  close(): Promise<void>;
}

/**
 * Resolves, connects and (for the embedded default on an empty database) loads the demo data: the same
 * sequence for the service, the console and every CLI command, so they all see the same data.
 */
export async function openDatabase(config: Config, logger: Logger, opts: { seedDemo?: boolean; supervise?: boolean } = {}): Promise<OpenDatabase> {
  const db = await resolveDatabase({ mongodbUri: config.MONGODB_URI, dataDir: config.STEWARD_DATA_DIR, log: (m) => logger.info(m) });
  logger.info({ database: db.kind, storageDir: db.storageDir }, `database: ${db.description}`);
  try {
    await connectMongo(db.uri, config.STEWARD_DB_NAME);
    if (opts.seedDemo !== false && db.kind !== 'external' && config.STEWARD_DEMO_DATA === 'auto') {
      const seeded = await seedDemoIfEmpty();
      if (seeded.seeded) {
        logger.info(seeded, 'empty database: loaded the Hebei demo data (see README, "Demo users")');
        // The demo's day in the life (README, "A five-minute tour"); a failure leaves the registry usable.
        await playDemoStory(createDeps(), new Date(), logger).catch((err: unknown) => logger.warn({ err }, 'demo story not played'));
      }
    }
    // The first start records when this database began tracking deadlines (core/obligations/tracking.ts).
    await ensureTrackingSince(new Date());
  } catch (err) {
    await db.release();
    throw err;
  }
  const supervisor = opts.supervise
    ? superviseDatabase({
        db,
        logger,
        reconnect: async (uri) => {
          await disconnectMongo().catch(() => undefined);
          await connectMongo(uri, config.STEWARD_DB_NAME);
        },
      })
    : undefined;
  let closed = false;
  return {
    db,
    ...(supervisor ? { supervisor } : {}),
    close: async () => {
      if (closed) return;
      closed = true;
      supervisor?.stop();
      await disconnectMongo().catch(() => undefined);
      await db.release();
    },
  };
}
