import { createLogger } from '../lib/logger';
import type { Deps } from '../core/ports';
import type { JobEnv, JobSpec } from './job';
import { createEffectsKicker, kickAfterCommits } from './kick';

/** Job specs that record their runs; `tick` can be held open to see what kicks meanwhile do. */
function recorder() {
  const runs: string[] = [];
  let release: (() => void) | undefined;
  let hold = false;
  const spec = (name: string, result: unknown = {}): JobSpec => ({
    name,
    async run() {
      runs.push(name);
      if (name === 'tick' && hold) await new Promise<void>((r) => (release = r));
      return result;
    },
  });
  return {
    runs,
    hold: () => void (hold = true),
    release: () => {
      hold = false;
      release?.();
    },
    spec,
  };
}

const env = (): JobEnv => ({ deps: { clock: { now: () => new Date() } } as unknown as Deps, housekeeping: {} as JobEnv['housekeeping'], delivery: {} as JobEnv['delivery'], settings: {} as JobEnv['settings'], logger: createLogger('silent'), instance: 'test' });

describe('#effects kicker', () => {
  it("runs an event's jobs at once, effects before delivery", async () => {
    const r = recorder();
    const k = createEffectsKicker(env(), [r.spec('deliver-notifications'), r.spec('tick'), r.spec('complaint-outbox')]);
    k.kick('request.changed');
    await k.idle();
    expect(r.runs).toEqual(['tick', 'deliver-notifications']);
    k.kick('complaint.changed');
    await k.idle();
    expect(r.runs.slice(2)).toEqual(['complaint-outbox', 'deliver-notifications']);
  });

  it('coalesces kicks that come while a pass runs into one more pass', async () => {
    const r = recorder();
    const k = createEffectsKicker(env(), [r.spec('deliver-notifications'), r.spec('tick')]);
    r.hold();
    k.kick('request.changed');
    await new Promise((res) => setTimeout(res, 20));
    for (let i = 0; i < 50; i++) k.kick('request.changed');
    r.release();
    await k.idle();
    // The held tick, one more tick for all 50 kicks, and one delivery after both.
    expect(r.runs).toEqual(['tick', 'tick', 'deliver-notifications']);
  });

  it('delivers after a job that stored notifications, even for an event without delivery', async () => {
    const r = recorder();
    const k = createEffectsKicker(env(), [r.spec('deliver-notifications'), r.spec('notice-publish', { inserted: 3 })]);
    k.kick('notice.published');
    await k.idle();
    expect(r.runs).toEqual(['notice-publish', 'deliver-notifications']);
  });

  it('keeps going after a failing job and runs nothing once stopped', async () => {
    const runs: string[] = [];
    const failing: JobSpec = { name: 'tick', run: async () => Promise.reject(new Error('database down')) };
    const deliver: JobSpec = { name: 'deliver-notifications', run: async () => void runs.push('deliver') };
    const k = createEffectsKicker(env(), [failing, deliver]);
    k.kick('request.changed');
    await k.idle();
    expect(runs).toEqual(['deliver']);
    await k.stop();
    k.kick('request.changed');
    await k.idle();
    expect(runs).toEqual(['deliver']);
  });

  it('kicks after the writes of the wrapped ports, not after reads', async () => {
    const kicks: string[] = [];
    const calls: string[] = [];
    const port = (name: string, methods: string[]) => Object.fromEntries(methods.map((m) => [m, async () => void calls.push(`${name}.${m}`)]));
    const deps = {
      requests: port('requests', ['create', 'commit', 'get']),
      complaints: port('complaints', ['insertMany', 'save', 'list']),
      notices: port('notices', ['create', 'store', 'get']),
    } as unknown as Deps;
    const kicked = kickAfterCommits(deps, { kick: (e) => void kicks.push(e) });
    await kicked.requests.get('R1');
    await kicked.complaints.list({} as never);
    expect(kicks).toEqual([]);
    await kicked.requests.create((() => ({})) as never, new Date());
    await kicked.requests.commit({} as never, {} as never, new Date());
    await kicked.complaints.save({} as never);
    await kicked.notices.store([], new Date());
    expect(kicks).toEqual(['request.changed', 'request.changed', 'complaint.changed', 'notification.created']);
    expect(calls).toContain('requests.get');
  });
});
