import mongoose from 'mongoose';
import type { Deps } from '../core/ports';
import { NotificationModel } from '../store/notification.model';
import { clearDatabase, useTestDatabase } from '../test/db';
import { createServices } from '../lib/services';
import { AGENDA_COLLECTION, AGENDA_INDEX, startJobs, type JobRunner } from './agenda';
import { quietLogger, receive, recordingChannel, seedWorld, settings, testClock, eventually } from './reminders.fixture';

useTestDatabase();

const clock = testClock('2026-09-30T17:00');
let deps: Deps;
const runners: JobRunner[] = [];

async function start(name: string, channel: ReturnType<typeof recordingChannel>, catchUp = true): Promise<JobRunner> {
  const { housekeeping, delivery } = createServices();
  const r = await startJobs({ deps, housekeeping, delivery, logger: quietLogger, settings, name, processEvery: 100, recurring: false, catchUp, channels: [channel], lockLifetimeMs: 2000 });
  runners.push(r);
  return r;
}

const pending = () => NotificationModel.countDocuments({ status: 'pending' });
/** Every text sent once: a recording channel's sends, counted per (person, text). */
const counts = (ch: ReturnType<typeof recordingChannel>) => {
  const m = new Map<string, number>();
  for (const s of ch.sent) m.set(`${s.to}|${s.text}`, (m.get(`${s.to}|${s.text}`) ?? 0) + 1);
  return [...m.values()];
};

beforeEach(async () => {
  await clearDatabase();
  clock.set('2026-09-30T17:00');
  deps = await seedWorld(clock);
});

afterEach(async () => {
  while (runners.length) await runners.pop()!.stop(5000);
  // agenda's lock keep-alive sleeps lockLifetime/2 after a job (kept short here) before it notices the end.
  await new Promise((r) => setTimeout(r, 1100));
});

describe('#jobs on agenda', () => {
  it('creates agenda’s recommended index at start', async () => {
    await start('a', recordingChannel(), false);
    const indexes = await mongoose.connection.db!.collection(AGENDA_COLLECTION).indexes();
    expect(indexes.find((i) => i.name === AGENDA_INDEX.name)?.key).toEqual(AGENDA_INDEX.key);
  });

  it('after a restart delivers each reminder once, and the one missed while down once, marked late', async () => {
    await receive(deps, [['ZC-001', '1301230002', '2026-09-30 17:00']], clock.now());
    const ch = recordingChannel();
    clock.set('2026-10-08T09:05');
    const first = await start('first', ch);
    // The report's notice (from its outbox) and the 09:00 reminder, through agenda's own processing.
    await eventually(async () => ch.sent.length >= 3 && (await pending()) === 0);
    await first.trigger('start');
    await new Promise((r) => setTimeout(r, 1000));
    await first.stop();
    runners.splice(runners.indexOf(first), 1);
    // The report's notice, the 09:00 reminder and the day's digests (people with work due, site admins' mailbox line).
    expect(ch.sent.filter((s) => s.to === 'demo.county').map((s) => s.text)).toEqual(
      expect.arrayContaining([expect.stringContaining('收到网民纠错 ZC-001'), expect.stringContaining('今天到期'), expect.stringContaining('今日到期 1 条')]),
    );
    expect(counts(ch).every((c) => c === 1)).toBe(true);
    const beforeRestart = ch.sent.length;

    // Down from 09:05 to 16:40: the 16:00 reminder was missed.
    clock.set('2026-10-08T16:40');
    const second = await start('second', ch);
    await eventually(async () => ch.sent.length > beforeRestart && (await pending()) === 0);
    await second.trigger('start');
    await new Promise((r) => setTimeout(r, 1000));
    expect(ch.sent.length).toBe(beforeRestart + 1);
    expect(counts(ch).every((c) => c === 1)).toBe(true);
    const late = await NotificationModel.findOne({ effectId: /:before_end$/ }).lean();
    expect(late).toMatchObject({ userid: 'demo.county', late: true, status: 'sent' });
    expect(ch.sent.at(-1)!.text).toContain('补发');
  });

  it('with two instances on one database, delivers each notification exactly once', async () => {
    await receive(
      deps,
      [
        ['ZC-101', '1301230002', '2026-09-30 17:00'],
        ['ZC-102', 'www.zhengding.gov.cn', '2026-09-30 10:00'],
        ['ZC-103', '9999999999', '2026-09-29 10:00'],
      ],
      clock.now(),
    );
    const ch = recordingChannel();
    clock.set('2026-10-08T16:05');
    const [a, b] = await Promise.all([start('a', ch), start('b', ch)]);
    for (let round = 0; round < 3; round++) await Promise.all([a.trigger('start'), b.trigger('start'), a.now('deliver-notifications'), b.now('deliver-notifications')]);
    await eventually(async () => (await pending()) === 0 && (await NotificationModel.countDocuments({ kind: 'reminder' })) > 0);
    await new Promise((r) => setTimeout(r, 1500));
    const stored = await NotificationModel.countDocuments({ status: 'sent' });
    expect(stored).toBeGreaterThanOrEqual(6);
    expect(ch.sent).toHaveLength(stored);
    expect(counts(ch).every((c) => c === 1)).toBe(true);
    // One winning claim per send: every sent notification was sent on its first attempt, by one instance.
    const sent = await NotificationModel.find({ status: 'sent' }).lean();
    expect(sent.every((n) => n.attempts === 0 && ['a', 'b'].includes(n.claimedBy ?? ''))).toBe(true);
  });
});
