import { useTestDatabase } from '../test/db';
import { WecomOutboxDoneModel, WecomOutboxModel, WecomPaceSlotModel } from './wecom-outbox.model';
import { claimWecomOutbox, enqueueWecomOutbox, finishWecomOutbox, findWecomOutbox, reserveWecomSendSlot, wecomOutboxCounts, wecomRecipientHead } from './wecom-outbox.repo';

useTestDatabase();

const now = new Date('2026-11-24T02:00:00Z');
const item = (id: string, to = 'li.jing') => ({ id, kind: 'send' as const, to, payload: { msgtype: 'text', text: { content: id } } });

async function sendHead(to: string) {
  const head = await wecomRecipientHead(to);
  const doc = await claimWecomOutbox(head!, now, 60_000);
  expect(doc).not.toBeNull();
  return finishWecomOutbox(doc!, { status: 'sent', sentAt: now, msgid: 'm1', lastError: null });
}

describe('#wecom outbox (live queue and finished messages)', () => {
  it('moves a sent message out of the live queue, and a re-run of the same answer enqueues nothing', async () => {
    expect(await enqueueWecomOutbox([item('cb:1:0')], now)).toBe(1);
    expect(await sendHead('li.jing')).toBe(true);
    expect(await WecomOutboxModel.countDocuments({})).toBe(0);
    expect(await WecomOutboxDoneModel.findById('cb:1:0').lean()).toMatchObject({ status: 'sent', msgid: 'm1' });
    expect(await findWecomOutbox('cb:1:0')).toMatchObject({ status: 'sent' });

    expect(await enqueueWecomOutbox([item('cb:1:0'), item('cb:1:1')], now)).toBe(1);
    expect((await WecomOutboxModel.find({}).lean()).map((d) => d._id)).toEqual(['cb:1:1']);
    expect(await wecomOutboxCounts()).toEqual({ sent: 1, pending: 1 });
  });

  it('keeps a message that is only retried later in the live queue', async () => {
    await enqueueWecomOutbox([item('cb:2:0')], now);
    const head = await wecomRecipientHead('li.jing');
    const doc = await claimWecomOutbox(head!, now, 60_000);
    await finishWecomOutbox(doc!, { status: 'pending', nextAttemptAt: new Date(now.getTime() + 1000) });
    expect(await WecomOutboxModel.exists({ _id: 'cb:2:0', status: 'pending' })).toBeTruthy();
    expect(await WecomOutboxDoneModel.exists({ _id: 'cb:2:0' })).toBeNull();
  });

  it('finishes a message only for the claim that holds it: a drainer whose lease ran out changes nothing', async () => {
    await enqueueWecomOutbox([item('cb:3:0', 'wang.lei')], now);
    const first = await claimWecomOutbox((await wecomRecipientHead('wang.lei'))!, now, 60_000);
    const later = new Date(now.getTime() + 61_000);
    const second = await claimWecomOutbox((await wecomRecipientHead('wang.lei'))!, later, 60_000);
    expect(second).toMatchObject({ claim: 'cb:3:0:2', claims: 2, attempts: 2 });
    expect(await finishWecomOutbox(first!, { status: 'sent', sentAt: now, msgid: 'late', lastError: null })).toBe(false);
    expect(await finishWecomOutbox(first!, { status: 'pending', nextAttemptAt: later })).toBe(false);
    expect(await WecomOutboxModel.findById('cb:3:0').lean()).toMatchObject({ status: 'sending', claim: 'cb:3:0:2' });
    expect(await finishWecomOutbox(second!, { status: 'sent', sentAt: later, msgid: 'm2', lastError: null })).toBe(true);
    expect(await findWecomOutbox('cb:3:0')).toMatchObject({ status: 'sent', msgid: 'm2', claim: null, attempts: 2 });
  });

  it('drops, without sending, a message its drainer archived but died before taking out of the live queue', async () => {
    await enqueueWecomOutbox([item('cb:4:0', 'zhao.min')], now);
    const doc = await claimWecomOutbox((await wecomRecipientHead('zhao.min'))!, now, 60_000);
    // The archive copy was written; the process died before the delete.
    await WecomOutboxDoneModel.collection.insertOne({ ...doc!, status: 'sent', claim: null, leaseUntil: null } as never);
    const afterLease = new Date(now.getTime() + 61_000);
    expect(await claimWecomOutbox((await wecomRecipientHead('zhao.min'))!, afterLease, 60_000)).toBeNull();
    expect(await WecomOutboxModel.exists({ _id: 'cb:4:0' })).toBeNull();
    expect(await wecomRecipientHead('zhao.min')).toBeNull();
  });

  it('paces one recipient by slot numbers, also when its slots were taken before this process knew of them', async () => {
    const limits = { perMinute: 2, minuteMs: 60_000, perHour: 100, hourMs: 3_600_000 };
    const t = now.getTime();
    expect(await reserveWecomSendSlot('pace.a', t, limits)).toEqual({ ok: true });
    expect(await reserveWecomSendSlot('pace.a', t + 1, limits)).toEqual({ ok: true });
    expect(await reserveWecomSendSlot('pace.a', t + 2, limits)).toEqual({ ok: false, retryAt: t + 60_001 });
    expect(await reserveWecomSendSlot('pace.a', t + 60_001, limits)).toEqual({ ok: true });

    // Another instance took slot 2 of pace.b after this one took slot 1: the limit still holds.
    expect(await reserveWecomSendSlot('pace.b', t, limits)).toEqual({ ok: true });
    await WecomPaceSlotModel.create({ _id: 'pace.b:2', to: 'pace.b', k: 2, at: t + 1 });
    expect(await reserveWecomSendSlot('pace.b', t + 2, limits)).toEqual({ ok: false, retryAt: t + 60_001 });
  });
});
