import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import { constants, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServerRecipe } from './shared-server';
import { withDirLock } from './process-lock';

export const FERRETDB_VERSION = 'v1.24.2';

/**
 * Where the FerretDB build lives: a git-ignored, project-local cache, one binary per pinned version and per
 * version of our wrapper (a change to tools/ferretdb builds anew instead of running a stale binary).
 * `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` would build a binary that panics at start
 * (its module archive lacks the generated build/version/version.txt), so tools/ferretdb wraps the same pinned
 * module through FerretDB's embeddable package (`github.com/FerretDB/FerretDB/ferretdb`), pinned by go.sum.
 */
export function ferretdbBinaryPath(projectRoot: string): string {
  return path.join(projectRoot, '.cache', 'ferretdb', `ferretdb-${FERRETDB_VERSION}-${wrapperDigest(projectRoot)}`);
}

/** A short digest of the wrapper's sources (Go files, go.mod, go.sum). */
function wrapperDigest(projectRoot: string): string {
  const dir = path.join(projectRoot, 'tools', 'ferretdb');
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.go') || n === 'go.mod' || n === 'go.sum').sort()) {
    hash.update(`${name}\0`).update(readFileSync(path.join(dir, name))).update('\0');
  }
  return hash.digest('hex').slice(0, 10);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => resolve({ code: -1, output: String(err) }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** Builds FerretDB into the project cache the first time it is needed (about a minute on 2 cores). */
export async function ensureFerretdbBinary(projectRoot: string, log: (msg: string) => void): Promise<string> {
  const binary = ferretdbBinaryPath(projectRoot);
  if (await exists(binary)) return binary;
  const cacheDir = path.dirname(binary);
  await mkdir(cacheDir, { recursive: true });
  return withDirLock(cacheDir, async () => {
    if (await exists(binary)) return binary;
    log(`building FerretDB ${FERRETDB_VERSION} with Go into ${cacheDir} (first time only, about a minute)`);
    const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly', GOTOOLCHAIN: 'local' };
    const { code, output } = await run('go', ['build', '-trimpath', '-o', binary, '.'], path.join(projectRoot, 'tools', 'ferretdb'), env);
    if (code !== 0) throw new Error(`go build of FerretDB failed (exit ${code}):\n${output.trim().split('\n').slice(-20).join('\n')}`);
    return binary;
  });
}

export function ferretdbRecipe(binary: string): ServerRecipe {
  return {
    kind: 'ferretdb',
    binary,
    args: (port, storageDir) => ['--listen-addr', `127.0.0.1:${port}`, '--data-dir', storageDir, '--log-level', 'warn'],
  };
}
