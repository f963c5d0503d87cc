import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serviceEnv, startService, until } from '../../test/service';

/** `steward start` on the embedded default (no MONGODB_URI), logging at info so the demo seeding shows. */
const startOn = (dataDir: string) => startService(serviceEnv({ MONGODB_URI: undefined, STEWARD_DATA_DIR: dataDir, LOG_LEVEL: 'info' }), 90_000);

describe('#steward start', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'steward-start-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('comes up ready on the embedded default with the demo data, and keeps its data across a restart', async () => {
    const first = await startOn(dataDir);
    expect(first.output()).toMatch(/embedded (FerretDB|mongod).*data in/);
    await until(() => first.output().includes('"seeded":true'), 10_000, 'the demo data to be loaded');
    expect(first.output()).toMatch(/"units":30,"sites":28,"users":12/);
    const base = `http://127.0.0.1:${first.port}`;
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ ok: true, database: 'up' });
    const unauth = await fetch(`${base}/api/v1/sites`);
    expect(unauth.status).toBe(401);
    expect(await first.stop()).toBe(0);

    const second = await startOn(dataDir);
    const ready = await fetch(`http://127.0.0.1:${second.port}/readyz`);
    expect(ready.status).toBe(200);
    // Same data: the demo is not loaded again, because the units from the first run are still there.
    expect(second.output()).not.toContain('"seeded":true');
    expect(await second.stop()).toBe(0);
  }, 180_000);
});
