import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireSharedServer, type SharedServer } from './embedded/shared-server';
import { ensureFerretdbBinary, ferretdbRecipe, FERRETDB_VERSION } from './embedded/ferretdb';
import { findMongod, mongodRecipe } from './embedded/mongod';

/** The repository root, found from this file so it works from any working directory. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The database this process talks to, and how it was chosen. */
export interface ResolvedDatabase {
  uri: string;
  kind: 'external' | 'mongod' | 'ferretdb';
  /** Where the data lives, for the embedded kinds. */
  storageDir?: string;
  /** One line for the operator: what was chosen and where the data is. */
  description: string;
  /** Lets go of an embedded server; the last process using it stops it. */
  release(): Promise<void>;
  /**
   * The embedded server's process, for the supervisor (lib/database-supervisor.ts): whether it runs, and a
   * restart on the same data directory that answers the URI to reach it. Absent for MONGODB_URI, where the
   * driver's own reconnect is the recovery.
   */
  process?: { alive(): boolean; restart(): Promise<string> };
}

const embeddedProcess = (server: SharedServer) => ({
  alive: () => server.alive(),
  restart: async () => `mongodb://127.0.0.1:${await server.restart()}/`,
});

export class DatabaseUnavailableError extends Error {}

/** Removes credentials from a connection string before it is printed. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]+@/, '//***@');
}

export interface ResolveOptions {
  mongodbUri?: string;
  dataDir: string;
  log?: (msg: string) => void;
  /** For tests of the fallback itself. */
  skipMongod?: boolean;
  /** Where tools/ferretdb and the .cache live; the repository root unless a test says otherwise. */
  projectRoot?: string;
}

/**
 * The one place that decides which database to use, for `npm start`, the console, imports and the tests:
 * MONGODB_URI if set → a mongod this machine has (PATH or mongodb-memory-server's cache) → FerretDB v1 with
 * its SQLite backend, built into a project-local cache on first use. The embedded kinds keep their files in
 * the data directory, so data survives restarts.
 */
export async function resolveDatabase(opts: ResolveOptions): Promise<ResolvedDatabase> {
  const log = opts.log ?? (() => undefined);
  if (opts.mongodbUri) {
    return {
      uri: opts.mongodbUri,
      kind: 'external',
      description: `MongoDB at ${redactUri(opts.mongodbUri)} (MONGODB_URI)`,
      release: async () => undefined,
    };
  }
  const dataDir = path.resolve(opts.dataDir);
  const tried: string[] = ['MONGODB_URI: not set'];

  if (!opts.skipMongod) {
    const mongod = await findMongod();
    if (mongod) {
      try {
        const server = await acquireSharedServer(mongodRecipe(mongod.binary), dataDir);
        return {
          uri: `mongodb://127.0.0.1:${server.port}/`,
          kind: 'mongod',
          storageDir: server.storageDir,
          description: `embedded mongod (${mongod.from}) on 127.0.0.1:${server.port}, data in ${server.storageDir}`,
          release: server.release,
          process: embeddedProcess(server),
        };
      } catch (err) {
        tried.push(`mongod from ${mongod.from}: ${(err as Error).message}`);
      }
    } else {
      tried.push('mongod: none on PATH and none in the mongodb-memory-server cache (this machine cannot download one)');
    }
  }

  try {
    const binary = await ensureFerretdbBinary(opts.projectRoot ?? PROJECT_ROOT, log);
    const server = await acquireSharedServer(ferretdbRecipe(binary), dataDir);
    return {
      uri: `mongodb://127.0.0.1:${server.port}/`,
      kind: 'ferretdb',
      storageDir: server.storageDir,
      description: `embedded FerretDB ${FERRETDB_VERSION} (SQLite) on 127.0.0.1:${server.port}, data in ${server.storageDir}`,
      release: server.release,
      process: embeddedProcess(server),
    };
  } catch (err) {
    tried.push(`FerretDB ${FERRETDB_VERSION}: ${(err as Error).message}`);
  }

  throw new DatabaseUnavailableError(
    [
      'No database could be started. Tried, in order:',
      ...tried.map((t) => `  - ${t}`),
      'Fix: set MONGODB_URI to a MongoDB server (e.g. MONGODB_URI=mongodb://127.0.0.1:27017/steward),',
      '     or install Go (for the embedded FerretDB) or a mongod on PATH.',
    ].join('\n'),
  );
}
