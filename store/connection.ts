import mongoose from 'mongoose';
import { redactUri } from './database';

/**
 * Opens the mongoose connection and builds every index the models declare before anything reads or
 * writes, so uniqueness (natural keys, dedup keys) holds from the first request.
 */
export async function connectMongo(uri: string, dbName: string): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  try {
    await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 10_000, autoIndex: false });
  } catch (err) {
    throw new Error(`Cannot reach MongoDB at ${redactUri(uri)}: ${(err as Error).message}`, { cause: err });
  }
  await syncIndexes();
  return mongoose;
}

/** Creates declared indexes; `syncIndexes` would also drop ones we did not declare, which we never want. */
export async function syncIndexes(): Promise<void> {
  for (const model of Object.values(mongoose.models)) await model.createIndexes();
}

export async function disconnectMongo(): Promise<void> {
  await mongoose.disconnect();
}

/** For /readyz: a ping that answers within the deadline or says no. */
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
