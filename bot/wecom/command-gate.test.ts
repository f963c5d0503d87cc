import { jest } from '@jest/globals';
import { createCommandGate } from './command-gate';

/** A gate on a hand-driven clock; `busyUntil` is what the test says it is. */
function gateAt(opts: { quiet?: number; busy?: number; maxDeferMs?: number }) {
  let now = 1_000;
  let busyUntil = 0;
  const flush = () => new Promise((r) => setImmediate(r));
  const gate = createCommandGate({ quiet: opts.quiet ?? 3, busy: opts.busy ?? 1, maxDeferMs: opts.maxDeferMs ?? 2000, busyUntil: () => busyUntil, now: () => now });
  const started: number[] = [];
  const abandoned: number[] = [];
  const startedAt = new Map<number, number>();
  const enter = (n: number) =>
    void gate.acquire().then((at) => {
      if (at === undefined) return void abandoned.push(n);
      started.push(n);
      startedAt.set(n, at);
    });
  return {
    gate,
    started,
    abandoned,
    enter,
    release: (n: number) => gate.release(startedAt.get(n)!),
    setBusyUntil: (t: number) => (busyUntil = t),
    flush,
    /** Moves the clock to `t`, fires the timers due by then, and lets what they started settle. */
    at: async (t: number) => {
      const step = t - now;
      now = t;
      jest.advanceTimersByTime(step);
      await flush();
    },
  };
}

describe('command gate', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  test('when quiet, up to `quiet` run at once and the next starts as one ends', async () => {
    const g = gateAt({ quiet: 2 });
    for (const n of [1, 2, 3]) g.enter(n);
    await g.flush();
    expect(g.started).toEqual([1, 2]);
    g.release(1);
    await g.flush();
    expect(g.started).toEqual([1, 2, 3]);
  });

  test('during a burst nothing starts until the oldest has waited maxDeferMs, then one at a time', async () => {
    const g = gateAt({ quiet: 3, busy: 1, maxDeferMs: 2000 });
    g.setBusyUntil(Infinity);
    for (const n of [1, 2, 3]) g.enter(n);
    await g.flush();
    expect(g.started).toEqual([]);
    await g.at(2_999);
    expect(g.started).toEqual([]);
    await g.at(3_000);
    expect(g.started).toEqual([1]);
    // The first ran 300 ms: during the burst its slot stays taken 300 ms more, then the next starts.
    await g.at(3_300);
    g.release(1);
    await g.flush();
    expect(g.started).toEqual([1]);
    await g.at(3_599);
    expect(g.started).toEqual([1]);
    await g.at(3_600);
    expect(g.started).toEqual([1, 2]);
  });

  test('once the burst is over, a finished command frees its slot at once', async () => {
    const g = gateAt({ quiet: 1, maxDeferMs: 2000 });
    g.enter(1);
    g.enter(2);
    await g.flush();
    expect(g.started).toEqual([1]);
    await g.at(1_500);
    g.release(1);
    await g.flush();
    expect(g.started).toEqual([1, 2]);
  });

  test('abandons the waiting ones (a stop), leaving the running one be', async () => {
    const g = gateAt({ quiet: 1 });
    for (const n of [1, 2, 3]) g.enter(n);
    await g.flush();
    expect(g.gate.abandonWaiting()).toBe(2);
    await g.flush();
    expect(g.started).toEqual([1]);
    expect(g.abandoned).toEqual([2, 3]);
    g.release(1);
    await g.flush();
    expect(g.started).toEqual([1]);
  });

  test('the gap between two acknowledgements is still the burst; once it is over, the waiting ones start', async () => {
    const g = gateAt({ quiet: 3, maxDeferMs: 2000 });
    g.setBusyUntil(1_100); // the last acknowledgement ended at 1,000, quiet after 100 ms
    g.enter(1);
    g.enter(2);
    await g.flush();
    expect(g.started).toEqual([]);
    await g.at(1_100);
    expect(g.started).toEqual([1, 2]);
  });

  test('a new acknowledgement in the gap pushes the start back', async () => {
    const g = gateAt({ quiet: 3, maxDeferMs: 2000 });
    g.setBusyUntil(1_100);
    g.enter(1);
    await g.flush();
    g.setBusyUntil(1_150); // another callback acknowledged at 1,050
    await g.at(1_050);
    g.gate.pump();
    await g.at(1_100);
    expect(g.started).toEqual([]);
    await g.at(1_150);
    expect(g.started).toEqual([1]);
  });
});
