import { PassThrough } from 'node:stream';
import type { ResolvedDatabase } from '../store/database';
import { superviseDatabase } from './database-supervisor';
import { createLogger } from './logger';

/** A stand-in for the embedded server's process: it can die, and a restart brings it back on some port. */
function fakeEmbedded(opts: { failRestarts?: number; portAfterRestart?: number } = {}) {
  let alive = true;
  let failures = opts.failRestarts ?? 0;
  const restarts: number[] = [];
  const db: ResolvedDatabase = {
    uri: 'mongodb://127.0.0.1:4000/',
    kind: 'ferretdb',
    description: 'test',
    release: async () => undefined,
    process: {
      alive: () => alive,
      restart: async () => {
        restarts.push(Date.now());
        if (failures-- > 0) throw new Error('port busy');
        alive = true;
        return `mongodb://127.0.0.1:${opts.portAfterRestart ?? 4000}/`;
      },
    },
  };
  return { db, restarts, die: () => (alive = false) };
}

function capture() {
  const out = new PassThrough();
  const lines: { msg: string; database?: string }[] = [];
  out.on('data', (d: Buffer) => d.toString().trim().split('\n').filter(Boolean).forEach((l) => lines.push(JSON.parse(l))));
  return { logger: createLogger('info', out), lines };
}

const waitFor = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('#database supervisor', () => {
  it('sees the embedded server die, restarts it, and logs once per change of state', async () => {
    const e = fakeEmbedded();
    const { logger, lines } = capture();
    const reconnects: string[] = [];
    const sup = superviseDatabase({ db: e.db, logger, reconnect: async (uri) => void reconnects.push(uri), pollMs: 10, driverConnected: () => true });
    try {
      expect(sup.up()).toBe(true);
      e.die();
      await waitFor(() => sup.restarts() === 1 && sup.up());
      expect(reconnects).toEqual([]); // same port: the driver finds it by itself
      await new Promise((r) => setTimeout(r, 100));
      expect(lines.filter((l) => l.database === 'down')).toHaveLength(1);
      expect(lines.filter((l) => l.database === 'up')).toHaveLength(1);
    } finally {
      sup.stop();
    }
  });

  it('is down at once and stays down, retrying with backoff, while restarts fail; reconnects when the port changed', async () => {
    const e = fakeEmbedded({ failRestarts: 3, portAfterRestart: 4001 });
    const { logger, lines } = capture();
    const reconnects: string[] = [];
    const sup = superviseDatabase({ db: e.db, logger, reconnect: async (uri) => void reconnects.push(uri), pollMs: 5, backoffMs: { first: 20, max: 80 }, driverConnected: () => true });
    try {
      e.die();
      await waitFor(() => !sup.up(), 500);
      await waitFor(() => sup.up(), 3000);
      expect(e.restarts).toHaveLength(4);
      const gaps = e.restarts.slice(1).map((t, i) => t - e.restarts[i]!);
      expect(gaps[0]).toBeGreaterThanOrEqual(15);
      expect(gaps[2]).toBeGreaterThanOrEqual(gaps[0]!); // doubling, capped
      expect(reconnects).toEqual(['mongodb://127.0.0.1:4001/']);
      expect(e.db.uri).toBe('mongodb://127.0.0.1:4001/');
      expect(lines.filter((l) => l.database === 'down')).toHaveLength(1);
    } finally {
      sup.stop();
    }
  });

  it('with MONGODB_URI follows the driver: down while it is disconnected, up when it reconnects', async () => {
    let connected = true;
    const db: ResolvedDatabase = { uri: 'mongodb://db.example/', kind: 'external', description: 'x', release: async () => undefined };
    const { logger, lines } = capture();
    const sup = superviseDatabase({ db, logger, reconnect: async () => undefined, pollMs: 5, driverConnected: () => connected });
    try {
      connected = false;
      expect(sup.up()).toBe(false);
      await waitFor(() => lines.some((l) => l.database === 'down'));
      connected = true;
      await waitFor(() => lines.some((l) => l.database === 'up'));
      expect(sup.restarts()).toBe(0);
    } finally {
      sup.stop();
    }
  });
});
