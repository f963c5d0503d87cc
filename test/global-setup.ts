import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveDatabase, type ResolvedDatabase } from '../store/database';

declare global {
  var __STEWARD_TEST_DB__: ResolvedDatabase | undefined;
}

/**
 * One real database server for the whole run, chosen by the same module `npm start` uses: MONGODB_URI if set,
 * else an embedded mongod or FerretDB on a throw-away data directory. Test files each take their own database
 * on it (test/db.ts), so they run in parallel without seeing each other.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'steward-test-'));
  const db = await resolveDatabase({ mongodbUri: process.env.MONGODB_URI, dataDir, log: (m) => process.stderr.write(`[test db] ${m}\n`) });
  process.stderr.write(`\n[test db] ${db.description}\n`);
  globalThis.__STEWARD_TEST_DB__ = db;
  process.env.STEWARD_TEST_MONGODB_URI = db.uri;
  process.env.STEWARD_TEST_DB_KIND = db.kind;
  process.env.STEWARD_TEST_DATA_DIR = dataDir;
}
