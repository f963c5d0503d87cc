/**
 * `npm run faults`: the fault suite (test/faults) in its long form — the database killed during a burst, the
 * service killed mid-broadcast and mid-approval, WeCom's API failing for a while, 20-way races, malformed
 * input on every route — then each case's figures in one table. `npm test` runs the same cases, shorter.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const figuresFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'steward-faults-')), 'figures.jsonl');
const started = Date.now();
const jest = spawnSync(
  process.execPath,
  // `npm run faults -- <pattern>` narrows the run to some cases (`database-down`, `races`…).
  ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', 'node_modules/jest/bin/jest.js', '--runInBand', ...(process.argv.length > 2 ? process.argv.slice(2).map((p) => `test/faults/.*${p}`) : ['test/faults'])],
  { cwd: PROJECT_ROOT, stdio: 'inherit', env: { ...process.env, STEWARD_FAULTS: 'full', STEWARD_FAULT_FIGURES: figuresFile } },
);

process.stdout.write(`\nFault suite figures (${Math.round((Date.now() - started) / 1000)} s)\n`);
const lines = existsSync(figuresFile) ? readFileSync(figuresFile, 'utf8').trim().split('\n').filter(Boolean) : [];
for (const line of lines) {
  const { case: name, ...figures } = JSON.parse(line) as Record<string, unknown>;
  process.stdout.write(`- ${String(name)}: ${Object.entries(figures).map(([k, v]) => `${k} ${String(v)}`).join(', ')}\n`);
}
if (!lines.length) process.stdout.write('- (no case recorded figures)\n');
process.exit(jest.status ?? 1);
