import mongoose from 'mongoose';
import { redactUri } from './database';

/**
 * Opens the mongoose connection and builds every index the models declare before anything reads or
 * writes, so uniqueness (natural keys, dedup keys) holds from the first request.
 */
export async function connectMongo(uri: string, dbName: string): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  try {
    // A heartbeat every 2 s (the driver's default is 10 s): after the database comes back, the service sees it
    // within seconds even while it sends no queries (it refuses requests meanwhile, lib/database-supervisor.ts).
    await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 10_000, heartbeatFrequencyMS: 2000, autoIndex: false });
  } catch (err) {
    throw new Error(`Cannot reach MongoDB at ${redactUri(uri)}: ${(err as Error).message}`, { cause: err });
  }
  await syncIndexes();
  await dropRetiredCollections();
  return mongoose;
}

/**
 * Collections that earlier versions kept and nothing reads any more. `version_claims` held one insert per state
 * change while FerretDB v1 could not make a conditional update atomic; the embedded server's write-gating front
 * does now (tools/ferretdb/front.go), so the plain conditional update is the guard again. `delivery_claims`
 * held one insert per send attempt of a notification for the same reason; a lease on the notification does it.
 */
export const RETIRED_COLLECTIONS = ['version_claims', 'delivery_claims'] as const;

export async function dropRetiredCollections(): Promise<string[]> {
  const db = mongoose.connection.db;
  if (!db) return [];
  const present = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  const dropped: string[] = [];
  for (const name of RETIRED_COLLECTIONS) {
    if (!present.has(name)) continue;
    await db.dropCollection(name).catch((err: { codeName?: string }) => {
      if (err.codeName !== 'NamespaceNotFound') throw err; // another instance dropped it first
    });
    dropped.push(name);
  }
  return dropped;
}

/** Creates declared indexes; `syncIndexes` would also drop ones we did not declare, which we never want. */
export async function syncIndexes(): Promise<void> {
  for (const model of Object.values(mongoose.models)) await model.createIndexes();
}

export async function disconnectMongo(): Promise<void> {
  await mongoose.disconnect();
}

/** For /readyz: a ping that answers within the deadline or says no. */
/** Whether the mongoose connection is open now (no round trip): the API's quick 503 check. */
export const isConnected = (): boolean => mongoose.connection.readyState === 1;

export async function pingDatabase(timeoutMs = 2000): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== 1) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([db.admin().ping(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)))]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
