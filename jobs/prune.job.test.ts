import { MpSpentModel } from '../store/mp-auth.model';
import { WechatyInboundModel } from '../store/wechaty-inbound.model';
import { WecomInboundModel } from '../store/wecom-inbound.model';
import { useTestDatabase } from '../test/db';
import { createServices } from '../lib/services';
import { RETENTION, runPrune } from './prune.job';

useTestDatabase();

const now = new Date('2026-11-24T04:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

/** FerretDB v1 has no TTL index: the prune job keeps bookkeeping collections from growing for ever. */
describe('#prune job', () => {
  it('forgets dedup keys and claims past their retention, and keeps recent and still-needed ones', async () => {
    await WecomInboundModel.create([
      { _id: 'old-done', from: 'a', kind: 'text', receivedAt: ago(RETENTION.wecomInbound + 1000), status: 'done' },
      { _id: 'old-unrun', from: 'a', kind: 'text', receivedAt: ago(RETENTION.wecomInbound + 1000), status: 'received' },
      { _id: 'recent', from: 'a', kind: 'text', receivedAt: ago(1000), status: 'done' },
    ]);
    await WechatyInboundModel.create([
      { _id: 'w-old', talkerId: 't', receivedAt: ago(RETENTION.wechatyInbound + 1000) },
      { _id: 'w-new', talkerId: 't', receivedAt: ago(1000) },
    ]);
    await MpSpentModel.create([
      { _id: 's-old', at: ago(RETENTION.mpSpent + 1000) },
      { _id: 's-new', at: ago(RETENTION.mpSpent - 60_000) },
    ]);

    const out = await runPrune(createServices(), now);
    expect(out).toMatchObject({ wecomInbound: 1, wechatyInbound: 1, mpSpent: 1 });
    // A received-but-never-run callback stays for recovery, whatever its age.
    expect((await WecomInboundModel.find().lean()).map((d) => d._id).sort()).toEqual(['old-unrun', 'recent']);
    expect((await WechatyInboundModel.find().lean()).map((d) => d._id)).toEqual(['w-new']);
    expect((await MpSpentModel.find().lean()).map((d) => d._id)).toEqual(['s-new']);

    expect(await runPrune(createServices(), now)).toMatchObject({ wecomInbound: 0, mpSpent: 0 });
  });
});
