import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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
 * module through FerretDB's embeddable package (`github.com/FerretDB/FerretDB/ferretdb`), pinned by go.sum,
 * with the small source patches of tools/ferretdb/*.patch.json applied to a copy of the module at build time.
 */
export function ferretdbBinaryPath(projectRoot: string): string {
  return path.join(projectRoot, '.cache', 'ferretdb', `ferretdb-${FERRETDB_VERSION}-${wrapperDigest(projectRoot)}`);
}

/** A short digest of the wrapper's sources (Go files, go.mod, go.sum). */
function wrapperDigest(projectRoot: string): string {
  const dir = path.join(projectRoot, 'tools', 'ferretdb');
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.go') || n.endsWith('.patch.json') || n === 'go.mod' || n === 'go.sum').sort()) {
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

interface SourcePatch {
  module: string;
  file: string;
  from: string;
  to: string;
  count: number;
}

/**
 * The pinned FerretDB module, copied from the Go module cache and patched (tools/ferretdb/*.patch.json), and
 * a modfile that builds the wrapper against the copy. The copy lives in the build cache beside the binary.
 */
async function patchedModfile(wrapperDir: string, buildDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const patches = readdirSync(wrapperDir)
    .filter((n) => n.endsWith('.patch.json'))
    .sort()
    .map((n) => JSON.parse(readFileSync(path.join(wrapperDir, n), 'utf8')) as SourcePatch);
  const goMod = await readFile(path.join(wrapperDir, 'go.mod'), 'utf8');
  const replaces: string[] = [];
  for (const module of [...new Set(patches.map((p) => p.module))]) {
    // `go mod download` fetches the pinned version (go.sum checks it) on a machine that never built it.
    const listed = await run('go', ['mod', 'download', '-json', module], wrapperDir, env);
    const json = listed.output.slice(listed.output.indexOf('{'), listed.output.lastIndexOf('}') + 1);
    const dir = listed.code === 0 && json ? (JSON.parse(json) as { Dir?: string }).Dir : undefined;
    if (!dir) throw new Error(`go mod download ${module} failed:\n${listed.output.trim()}`);
    const copy = path.join(buildDir, 'src', module.replace(/[^A-Za-z0-9.-]+/g, '_'));
    await rm(copy, { recursive: true, force: true });
    await cp(dir, copy, { recursive: true });
    await run('chmod', ['-R', 'u+w', copy], buildDir, env); // the module cache is read-only, and so is its copy
    for (const p of patches.filter((q) => q.module === module)) {
      const file = path.join(copy, p.file);
      const text = await readFile(file, 'utf8');
      const found = text.split(p.from).length - 1;
      if (found !== p.count) throw new Error(`FerretDB patch for ${p.file}: expected ${p.count} match(es), found ${found}`);
      await writeFile(file, text.split(p.from).join(p.to));
    }
    replaces.push(`replace ${module} => ${copy}`);
  }
  const modfile = path.join(buildDir, 'go.build.mod');
  await writeFile(modfile, `${goMod.trimEnd()}\n\n${replaces.join('\n')}\n`);
  await copyFile(path.join(wrapperDir, 'go.sum'), path.join(buildDir, 'go.build.sum'));
  return modfile;
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
    const wrapperDir = path.join(projectRoot, 'tools', 'ferretdb');
    const buildDir = `${binary}.build`;
    await mkdir(buildDir, { recursive: true });
    const modfile = await patchedModfile(wrapperDir, buildDir, env);
    const { code, output } = await run('go', ['build', `-modfile=${modfile}`, '-trimpath', '-o', binary, '.'], wrapperDir, env);
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
