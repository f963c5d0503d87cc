import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../store/database';
import { NODE, STEWARD } from '../../test/cli';


/** Starts `steward start` on the embedded default and resolves with its port once it listens. */
function startService(dataDir: string): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, STEWARD_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  delete env.MONGODB_URI;
  const child = spawn(NODE, [...STEWARD, 'start'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output}`)), 90_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /listening on http:\/\/localhost:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`service exited with ${code}:\n${output}`)));
  });
}

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('#steward start', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'steward-start-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('comes up ready on the embedded default with the demo data, and keeps its data across a restart', async () => {
    const first = await startService(dataDir);
    expect(first.output()).toMatch(/embedded (FerretDB|mongod).*data in/);
    await waitFor(() => first.output().includes('"seeded":true'));
    expect(first.output()).toMatch(/"units":30,"sites":28,"users":12/);
    const base = `http://127.0.0.1:${first.port}`;
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ ok: true, database: 'up' });
    const unauth = await fetch(`${base}/api/v1/sites`);
    expect(unauth.status).toBe(401);
    expect(await stop(first.child)).toBe(0);

    const second = await startService(dataDir);
    const ready = await fetch(`http://127.0.0.1:${second.port}/readyz`);
    expect(ready.status).toBe(200);
    // Same data: the demo is not loaded again, because the units from the first run are still there.
    expect(second.output()).not.toContain('"seeded":true');
    expect(await stop(second.child)).toBe(0);
  }, 180_000);
});
