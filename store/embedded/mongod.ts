import { spawnSync } from 'node:child_process';
import type { ServerRecipe } from './shared-server';

/** A `mongod` on PATH, if this machine has one. */
function mongodOnPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v mongod'], { encoding: 'utf8' });
  const bin = found.stdout.trim();
  return found.status === 0 && bin ? bin : undefined;
}

/**
 * A mongod from mongodb-memory-server's cache (or its MONGOMS_SYSTEM_BINARY), never downloading one: this
 * machine cannot reach MongoDB's download host, so a runtime download would only hang.
 */
async function mongodFromMemoryServerCache(): Promise<string | undefined> {
  try {
    process.env.MONGOMS_RUNTIME_DOWNLOAD = 'false';
    const { MongoBinary } = await import('mongodb-memory-server-core');
    return await MongoBinary.getPath({ checkMD5: false });
  } catch {
    return undefined;
  }
}

export async function findMongod(): Promise<{ binary: string; from: string } | undefined> {
  const onPath = mongodOnPath();
  if (onPath) return { binary: onPath, from: 'PATH' };
  const cached = await mongodFromMemoryServerCache();
  if (cached) return { binary: cached, from: 'mongodb-memory-server cache' };
  return undefined;
}

export function mongodRecipe(binary: string): ServerRecipe {
  return {
    kind: 'mongod',
    binary,
    args: (port, storageDir) => ['--port', String(port), '--bind_ip', '127.0.0.1', '--dbpath', storageDir, '--quiet'],
  };
}
