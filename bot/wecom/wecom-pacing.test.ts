import { createLogger } from '../../lib/logger';
import { WecomOutboxDoneModel } from '../../store/wecom-outbox.model';
import { useTestDatabase } from '../../test/db';
import type { FakeWecom } from '../../test/fake-wecom/fake-wecom';
import { startWecomHarness, type WecomHarness } from '../../test/fake-wecom/harness';
import type { Wecom } from './wecom';

useTestDatabase();

const logger = createLogger('silent');
let fake: FakeWecom;
let instances: Wecom[] = [];
let harness: WecomHarness;

/** WeCom's 30 per minute, with the minute shortened to 600 ms so the story runs in seconds. */
const WINDOW_MS = 600;
const LIMIT = 30;

beforeAll(async () => {
  // Two app instances draining one outbox, as behind a load balancer.
  harness = await startWecomHarness(
    { retryBaseMs: 10, pace: { perMinute: LIMIT, minuteMs: WINDOW_MS, marginMs: 150 }, outbox: { pollMs: 100, workers: 2, backoffBaseMs: 20 } },
    { instances: 2, logger },
  );
  ({ fake, instances } = harness);
});

afterAll(async () => {
  await harness?.close();
});

describe('#wecom outbox pacing', () => {
  it('paces a burst of 200 messages to one member under the per-minute limit, delivers all in order, none twice', async () => {
    // One after another (concurrent sends have no order to keep), alternating between the two instances.
    for (let i = 0; i < 200; i++) await instances[i % 2]!.channel.send('burst.member', { kind: 'text', text: `#${i}` });
    // Someone else is not held up by the burst.
    await instances[0]!.channel.send('other.member', { kind: 'text', text: 'hello' });
    await fake.waitFor(() => fake.sentTo('other.member').length === 1, 3000, 'the other member');
    // (Within a few windows, long before the burst is through; the margin is for a loaded CI box.)
    expect(fake.sentTo('burst.member').length).toBeLessThan(4 * LIMIT);

    // ~5 s on an idle machine (the pacing floor is 7 windows); the margin is for a loaded CI box.
    // Seconds on an idle machine; minutes when FerretDB shares two cores with the rest of the suite.
    await fake.waitFor(() => fake.sentTo('burst.member').length === 200, 240_000, 'the whole burst');
    const got = fake.sentTo('burst.member');
    const contents = got.map((r) => (r.body.text as { content: string }).content);
    expect(new Set(contents).size).toBe(200);
    expect(contents).toEqual(Array.from({ length: 200 }, (_, i) => `#${i}`));
    // Sliding window at the receiver: never more than LIMIT in any WINDOW_MS.
    const times = got.map((r) => r.at).sort((a, b) => a - b);
    for (let i = LIMIT; i < times.length; i++) expect(times[i]! - times[i - LIMIT]!).toBeGreaterThanOrEqual(WINDOW_MS);
    // It really was held back: 200 messages need at least six more windows after the first.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(6 * WINDOW_MS);

    // Every message is marked sent (the last mark may trail its HTTP answer), and nothing went out twice.
    for (let i = 0; i < 100 && (await WecomOutboxDoneModel.countDocuments({ to: 'burst.member', status: 'sent' })) < 200; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await WecomOutboxDoneModel.countDocuments({ to: 'burst.member', status: 'sent' })).toBe(200);
    expect(fake.sentTo('burst.member')).toHaveLength(200);
    expect(fake.suppressed).toHaveLength(0);
    // Both instances shared one access token through MongoDB.
    expect(fake.tokensIssued).toBe(1);
  }, 300_000);
});
