import { createLogger } from '../../lib/logger';
import { claimWecomInbound, WecomInboundModel } from '../../store/wecom-inbound.model';
import { WecomOutboxClaimModel } from '../../store/wecom-outbox.model';
import { useTestDatabase } from '../../test/db';
import type { InboundMessage } from './callback';
import { createServices } from '../../lib/services';
import { createInboundRunner } from './inbound-runner';
import { buildWecomSettings } from './settings';

useTestDatabase();

const LEASE = 60_000;
const settings = buildWecomSettings(
  { corpId: 'wwcorp', agentId: 1000002, secret: 's', token: 't', aesKey: 'a'.repeat(43), apiBase: 'http://127.0.0.1:9', defaultLocale: 'zh-CN' },
  { inbound: { leaseMs: LEASE } },
);

/** A message as the callback records it before its 200: run 1 is the accepting process's. */
async function accepted(key: string, at: Date): Promise<InboundMessage> {
  const fields = { FromUserName: 'demo.siteadmin', MsgType: 'text', Content: 'whoami' };
  expect(await claimWecomInbound(key, { from: 'demo.siteadmin', kind: 'text', receivedAt: at, status: 'received', fields, requestId: key, runs: 1, runAt: at })).toBe(true);
  return { key, fields, from: 'demo.siteadmin', requestId: key, acceptedAt: at };
}

function runnerAt(clock: { now: Date }) {
  const ran: string[] = [];
  const runner = createInboundRunner({ settings, handle: async (m) => void ran.push(m.key), logger: createLogger('silent'), store: createServices().wecomStore, now: () => clock.now });
  return { runner, ran };
}

describe('#wecom inbound runs', () => {
  it('runs an accepted message at once without a second claim, and marks it done', async () => {
    const clock = { now: new Date('2026-11-24T08:00:00Z') };
    const { runner, ran } = runnerAt(clock);
    const msg = await accepted('msg:1', clock.now);
    await runner.runAccepted(msg);
    expect(ran).toEqual(['msg:1']);
    expect(await WecomInboundModel.findById('msg:1').lean()).toMatchObject({ status: 'done', runs: 1 });
    expect(await WecomOutboxClaimModel.countDocuments({ _id: /^inbound:msg:1:/ })).toBe(0);
  });

  it('does not run a message that waited in memory past half its lease and was recovered elsewhere meanwhile', async () => {
    const t0 = new Date('2026-11-24T08:00:00Z');
    const clock = { now: t0 };
    const here = runnerAt(clock);
    const elsewhere = runnerAt(clock);
    const msg = await accepted('msg:2', t0);
    // A long burst: the message is still queued here when another instance's recovery finds it stale.
    clock.now = new Date(t0.getTime() + LEASE + 1);
    expect(await elsewhere.runner.recover(clock.now)).toBe(1);
    expect(elsewhere.ran).toEqual(['msg:2']);
    await here.runner.runAccepted(msg);
    expect(here.ran).toEqual([]);
    expect(await WecomInboundModel.findById('msg:2').lean()).toMatchObject({ status: 'done', runs: 2 });
  });

  it('claims the run of a message that waited past half its lease, so a recovery after it finds nothing to do', async () => {
    const t0 = new Date('2026-11-24T09:00:00Z');
    const clock = { now: new Date(t0.getTime() + LEASE / 2 + 1) };
    const here = runnerAt(clock);
    const elsewhere = runnerAt(clock);
    const msg = await accepted('msg:3', t0);
    await here.runner.runAccepted(msg);
    expect(here.ran).toEqual(['msg:3']);
    expect(await WecomInboundModel.findById('msg:3').lean()).toMatchObject({ status: 'done', runs: 2 });
    expect(await elsewhere.runner.recover(new Date(t0.getTime() + 2 * LEASE))).toBe(0);
    expect(elsewhere.ran).toEqual([]);
  });
});
