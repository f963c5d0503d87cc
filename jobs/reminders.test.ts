import { deliverPending } from '../bot/deliver';
import { commandById } from '../core/commands/registry';
import { runCommand } from '../core/commands/run';
import type { Deps } from '../core/ports';
import { renderResult } from '../bot/render/index';
import { buildCtx } from '../lib/command-context';
import { translatorFor } from '../lib/i18n';
import { ComplaintModel } from '../store/complaint.model';
import { NotificationModel } from '../store/notification.model';
import { clearDatabase, useTestDatabase } from '../test/db';
import { runDailyDigest } from './daily-digest.job';
import { runDeadlineReminders } from './deadline-reminders.job';
import { complaintOutboxJob } from './complaint-outbox.job';
import { china, receive, recordingChannel, seedWorld, settings, testClock, jobEnv } from './reminders.fixture';
import { notificationDelivery } from '../store/notification.repo';

useTestDatabase();

const clock = testClock('2026-09-30T17:00');
let deps: Deps;
const env = () => jobEnv(deps);
const reminders = (filter: Record<string, unknown> = {}) => NotificationModel.find({ kind: { $in: ['reminder', 'escalation'] }, ...filter }).sort({ createdAt: 1 }).lean();

beforeEach(async () => {
  await clearDatabase();
  clock.set('2026-09-30T17:00');
  deps = await seedWorld(clock);
  // Received the day before the National Day break: due for transfer by the end of 2026-10-08.
  await receive(deps, [['ZC-001', '1301230002', '2026-09-30 17:00']], clock.now());
});

describe('#reminders.deadlines', () => {
  it('reminds the supervisor at 09:00 and 16:00 China time on 2026-10-08, never during the National Day break', async () => {
    for (const at of ['2026-09-30T18:00', '2026-10-01T09:00', '2026-10-05T16:00', '2026-10-07T16:30', '2026-10-08T08:59']) {
      await runDeadlineReminders(env(), china(at));
    }
    expect(await reminders()).toEqual([]);

    await runDeadlineReminders(env(), china('2026-10-08T09:00'));
    await runDeadlineReminders(env(), china('2026-10-08T09:05'));
    const start = await reminders();
    const id = String((await ComplaintModel.findOne({ platformId: 'ZC-001' }).lean())!._id);
    expect(start.map((n) => [n.effectId, n.userid, n.late])).toEqual([[`reminder:complaint:${id}:transfer:2026-10-08:start`, 'demo.county', false]]);

    await runDeadlineReminders(env(), china('2026-10-08T15:59'));
    expect(await reminders()).toHaveLength(1);
    await runDeadlineReminders(env(), china('2026-10-08T16:00'));
    await runDeadlineReminders(env(), china('2026-10-08T16:05'));
    expect((await reminders()).map((n) => n.effectId.split(':').at(-1))).toEqual(['start', 'before_end']);
  });

  it('escalates to the unit above once the deadline has passed, at night too', async () => {
    await runDeadlineReminders(env(), china('2026-10-09T00:00'));
    await runDeadlineReminders(env(), china('2026-10-09T00:05'));
    const esc = await reminders({ kind: 'escalation' });
    // Transfer overdue at 正定县 (130123): the supervisors of 石家庄市 (130100) hear of it, once.
    expect(esc.map((n) => [n.userid, n.late])).toEqual([['demo.city', false]]);
    expect(await reminders({ kind: 'reminder' })).toEqual([]);

    const ch = recordingChannel();
    const out = await deliverPending(china('2026-10-09T00:06'), { store: notificationDelivery, channels: [ch], settings });
    expect(out.sent).toBe(1);
    expect(ch.sent).toEqual([{ to: 'demo.city', text: expect.stringContaining('ZC-001') }]);
    expect(ch.sent[0]!.text).toContain('已逾期');
  });

  it('holds everything but escalations during quiet hours and delivers the rest at 08:00', async () => {
    await complaintOutboxJob.run(env(), china('2026-09-30T23:00'));
    const ch = recordingChannel();
    expect(await deliverPending(china('2026-09-30T23:01'), { store: notificationDelivery, channels: [ch], settings })).toMatchObject({ sent: 0 });
    expect(await deliverPending(china('2026-10-01T07:59'), { store: notificationDelivery, channels: [ch], settings })).toMatchObject({ sent: 0 });
    expect(ch.sent).toEqual([]);
    expect(await deliverPending(china('2026-10-01T08:00'), { store: notificationDelivery, channels: [ch], settings })).toMatchObject({ sent: 1 });
    expect(ch.sent).toEqual([{ to: 'demo.county', text: expect.stringContaining('ZC-001') }]);
  });
});

describe('#reminders.outbox', () => {
  it('turns each pending effect of a report into one notification per person, however often it runs', async () => {
    await Promise.all([complaintOutboxJob.run(env(), clock.now()), complaintOutboxJob.run(env(), clock.now())]);
    await complaintOutboxJob.run(env(), clock.now());
    const notes = await NotificationModel.find({ 'subject.kind': 'complaint', kind: 'notice' }).lean();
    expect(notes.map((n) => [n.effectId, n.userid, n.template])).toEqual([['complaint:ZC-001:0:0', 'demo.county', 'bot:complaint_notify.received']]);
    expect((await ComplaintModel.findOne({ platformId: 'ZC-001' }).lean())?.pendingEffects).toBe(0);
  });
});

describe('#reminders.digest', () => {
  it('sends one digest per person per working day, with the mailbox line for site admins', async () => {
    expect(await runDailyDigest(env(), china('2026-10-07T09:00'))).toMatchObject({ inserted: 0, skipped: 'day_off' });
    expect(await runDailyDigest(env(), china('2026-10-08T08:29'))).toMatchObject({ skipped: 'too_early' });
    await Promise.all([runDailyDigest(env(), china('2026-10-08T08:30')), runDailyDigest(env(), china('2026-10-08T08:30'))]);
    await runDailyDigest(env(), china('2026-10-08T09:30'));
    const digests = await NotificationModel.find({ kind: 'digest' }).lean();
    const byUser = new Map(digests.map((d) => [d.userid, d]));
    expect(digests.length).toBe(byUser.size);
    expect(byUser.get('demo.county')?.data).toMatchObject({ today: '2026-10-08', dueToday: 1, overdue: 0, mailbox: false });
    expect(byUser.get('demo.siteadmin')?.data).toMatchObject({ dueToday: 0, overdue: 0, mailbox: true });
    // No error report for the city: its digest only carries its overdue 2026-Q2 check (recurring obligations).
    expect(byUser.get('demo.city')?.data).toMatchObject({ dueToday: 0, overdue: 0, mailbox: false, obligations: { overdue: 1, top: [{ obligation: 'quarterly_check', period: '2026-Q2' }] } });

    const ch = recordingChannel();
    await deliverPending(china('2026-10-08T08:31'), { store: notificationDelivery, channels: [ch], settings });
    const county = ch.sent.find((s) => s.to === 'demo.county')!.text;
    expect(county).toContain('今日到期 1 条，已逾期 0 条');
    expect(county).toContain('ZC-001');
    expect(ch.sent.find((s) => s.to === 'demo.siteadmin.en')!.text).toContain("Check your site's message box");
  });
});

describe('#reminders.delivery', () => {
  it('retries a failed send with backoff and delivers it once', async () => {
    await complaintOutboxJob.run(env(), clock.now());
    const ch = recordingChannel();
    ch.failNext(2);
    expect(await deliverPending(china('2026-09-30T17:01'), { store: notificationDelivery, channels: [ch], settings })).toMatchObject({ sent: 0, retried: 1 });
    let n = await NotificationModel.findOne({ effectId: 'complaint:ZC-001:0:0' }).lean();
    expect(n).toMatchObject({ status: 'pending', attempts: 1, lastError: 'ECONNRESET (test)' });
    expect(n?.nextAttemptAt).toEqual(new Date(china('2026-09-30T17:01').getTime() + 30_000));
    // Not before the backoff is over.
    expect(await deliverPending(new Date(china('2026-09-30T17:01').getTime() + 10_000), { store: notificationDelivery, channels: [ch], settings })).toMatchObject({ sent: 0, retried: 0 });
    expect(await deliverPending(new Date(china('2026-09-30T17:01').getTime() + 30_000), { store: notificationDelivery, channels: [ch], settings })).toMatchObject({ retried: 1 });
    n = await NotificationModel.findOne({ effectId: 'complaint:ZC-001:0:0' }).lean();
    expect(n?.nextAttemptAt).toEqual(new Date(china('2026-09-30T17:01').getTime() + 90_000));
    expect(await deliverPending(china('2026-09-30T17:03'), { store: notificationDelivery, channels: [ch], settings })).toMatchObject({ sent: 1 });
    expect(await deliverPending(china('2026-09-30T17:10'), { store: notificationDelivery, channels: [ch], settings })).toMatchObject({ sent: 0 });
    expect(ch.sent).toHaveLength(1);
    expect(await NotificationModel.findOne({ effectId: 'complaint:ZC-001:0:0' }).lean()).toMatchObject({ status: 'sent', attempts: 2, channel: 'recording' });
  });

  it('sends each notification once when four senders race over the same pending ones', async () => {
    await receive(deps, [['ZC-002', 'www.zhengding.gov.cn', '2026-09-30 10:00'], ['ZC-003', '9999999999', '2026-09-30 11:00']], clock.now());
    await complaintOutboxJob.run(env(), clock.now());
    const ch = recordingChannel();
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((instance) => deliverPending(china('2026-09-30T17:01'), { store: notificationDelivery, channels: [ch], settings, instance })));
    const stored = await NotificationModel.countDocuments({ status: 'sent' });
    expect(stored).toBeGreaterThanOrEqual(3);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(stored);
    expect(ch.sent).toHaveLength(stored);
  });

  it('takes over a notification whose sender stopped mid-send once its lease runs out, counting that attempt lost', async () => {
    await complaintOutboxJob.run(env(), clock.now());
    const at = china('2026-09-30T17:01');
    const first = await NotificationModel.findOne({ status: 'pending' }).sort({ createdAt: 1 }).lean();
    // A sender that claimed it and died: its lease is held until `at + staleClaimMs`.
    await NotificationModel.updateOne({ _id: first!._id }, { $set: { claimedBy: 'dead', claimedUntil: new Date(at.getTime() + settings.delivery.staleClaimMs) } });
    const ch = recordingChannel();
    await deliverPending(at, { store: notificationDelivery, channels: [ch], settings, instance: 'alive' });
    expect(await NotificationModel.findById(first!._id).lean()).toMatchObject({ status: 'pending', attempts: 0, claimedBy: 'dead' });
    const later = new Date(at.getTime() + settings.delivery.staleClaimMs + 1000);
    const racers = await Promise.all(['b', 'c'].map((instance) => deliverPending(later, { store: notificationDelivery, channels: [ch], settings, instance })));
    expect(racers.reduce((n, r) => n + r.sent, 0)).toBeGreaterThanOrEqual(1);
    expect(await NotificationModel.findById(first!._id).lean()).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(new Set(ch.sent.map((s) => `${s.to}|${s.text}`)).size).toBe(ch.sent.length); // nothing sent twice
  });

  it('keeps notifications readable in-app when no channel reaches the user: 通知 / notifications', async () => {
    await complaintOutboxJob.run(env(), clock.now());
    await runDeadlineReminders(env(), china('2026-10-08T09:00'));
    expect(await deliverPending(china('2026-10-08T09:01'), { store: notificationDelivery, channels: [], settings })).toMatchObject({ inApp: 2 });
    const user = (await deps.users.byUserid('demo.county'))!;
    const out = await runCommand(commandById('notification.mine')!, {}, buildCtx(user, 'shell', deps));
    expect((out as { notifications: unknown[] }).notifications).toHaveLength(2);
    const zh = renderResult('notification.mine', out, translatorFor('zh-CN'));
    expect(zh.kind === 'text' && zh.text).toMatch(/最近 2 条通知[\s\S]*ZC-001.*今天到期[\s\S]*收到网民纠错 ZC-001/);
    const en = renderResult('notification.mine', out, translatorFor('en'));
    expect(en.kind === 'text' && en.text).toMatch(/latest 2 notifications[\s\S]*due today/);
  });
});
