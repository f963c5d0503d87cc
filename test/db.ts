import { createHash, randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { connectMongo } from '../store/connection';
import '../store/index';

/** The server the global setup started (or MONGODB_URI). */
export function testDatabaseUri(): string {
  const uri = process.env.STEWARD_TEST_MONGODB_URI;
  if (!uri) throw new Error('No test database: run the tests with `npm test` (the global setup starts one).');
  return uri;
}

/** A database name of our own: from the test file's path plus a random suffix, under 38 characters. */
export function uniqueDbName(prefix = 't'): string {
  const file = expect.getState().testPath ?? 'unknown';
  const hash = createHash('sha1').update(file).digest('hex').slice(0, 10);
  return `${prefix}_${hash}_${randomBytes(4).toString('hex')}`;
}

/**
 * Connects this test file to its own database on the real server for the whole file, and drops it after.
 * Call at the top level of a test file.
 */
export function useTestDatabase(): { name: () => string } {
  let dbName = '';
  beforeAll(async () => {
    dbName = uniqueDbName();
    await connectMongo(testDatabaseUri(), dbName);
  });
  afterAll(async () => {
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });
  return { name: () => dbName };
}

/** Empties every collection, keeping indexes: for tests that want a clean slate between cases. */
export async function clearDatabase(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) return;
  for (const c of await db.collections()) await c.deleteMany({});
}
