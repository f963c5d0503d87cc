import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** True when a process with this pid exists (signal 0 only probes). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A cross-process mutex on a directory: mkdir is atomic on every local file system. A lock whose holder has
 * died is taken over, so a crash never wedges the data directory.
 */
export async function withDirLock<T>(dir: string, fn: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  const lockDir = path.join(dir, '.lock');
  const owner = path.join(lockDir, 'owner');
  const deadline = Date.now() + timeoutMs;
  await mkdir(dir, { recursive: true });
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(owner, String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(await readFile(owner, 'utf8').catch(() => ''));
      if (holder && !isAlive(holder)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the lock on ${dir} (held by pid ${holder || 'unknown'})`, { cause: err });
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
