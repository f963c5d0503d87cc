import { jest } from '@jest/globals';
import { Types } from 'mongoose';
import { createChatEngine } from '../bot/chat-engine';
import { deliverPending, registerChannel, unregisterChannel, type DeliveryChannel } from '../bot/deliver';
import { replyText, type Reply } from '../bot/reply';
import { commandById } from '../core/commands/registry';
import { runCommand } from '../core/commands/run';
import type { Deps } from '../core/ports';
import { buildCtx } from '../lib/command-context';
import { createLogger } from '../lib/logger';
import { NotificationModel } from '../store/notification.model';
import { NoticeAckModel, NoticeModel } from '../store/notice.model';
import { noticeRepo } from '../store/notice.repo';
import { SiteModel } from '../store/site.model';
import { UnitModel } from '../store/unit.model';
import { UserModel } from '../store/user.model';
import { WechatyRoomModel } from '../store/wechaty-room.model';
import { useTestDatabase } from '../test/db';
import { runNoticePublish } from './notice-publish.job';
import { runNoticeReminders } from './notice-reminders.job';
import { china, seedWorld, settings, testClock } from './reminders.fixture';
import { notificationDelivery } from '../store/notification.repo';

useTestDatabase();
jest.setTimeout(180_000);

/** Tuesday 2026-11-24, 10:00 China time: a working day, outside quiet hours. */
const clock = testClock('2026-11-24T10:00');
let deps: Deps;
const engine = () => createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
const say = async (userid: string, line: string) => replyText(await engine().handle({ userid, text: line, source: 'shell' }));
const run = async (userid: string, id: string, input: unknown, d: Deps = deps) => runCommand(commandById(id)!, input, buildCtx((await deps.users.byUserid(userid))!, 'api', d));

const UNIT = '130123-t500';
const SITES = 10;
const PEOPLE = 500;
const pad = (n: number, w = 3) => String(n).padStart(w, '0');
const adminId = (n: number) => `gen.admin.${pad(n)}`;

/** A channel that records every reply it is given, as the person would see it. */
function recorder(name = 'recording'): DeliveryChannel & { got: { to: string; reply: Reply }[] } {
  const got: { to: string; reply: Reply }[] = [];
  return {
    name,
    got,
    async send(to, reply) {
      await new Promise((r) => setTimeout(r, 1));
      got.push({ to, reply });
    },
  };
}

/** Delivers until nothing is pending, two senders at a time (two instances). */
async function deliverAll(now: Date, ch: DeliveryChannel): Promise<void> {
  for (let round = 0; round < 20; round++) {
    await Promise.all([deliverPending(now, { store: notificationDelivery, settings, instance: 'a', budgetMs: 60_000 }), deliverPending(now, { store: notificationDelivery, settings, instance: 'b', budgetMs: 60_000 })]);
    if ((await NotificationModel.countDocuments({ status: 'pending' })) === 0) return;
  }
  throw new Error(`still pending after 20 rounds (channel ${ch.name})`);
}

const countBy = (list: string[]) => list.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());

beforeAll(async () => {
  deps = await seedWorld(clock);
  // 正定县 gets a test bureau with 10 sites and 500 site admins, inserted in bulk.
  const county = (await deps.units.get('130123'))!;
  await UnitModel.insertMany([{ _id: UNIT, name: '正定县测试局', kind: 'department', level: 'county', divisionCode: '130123', parentCode: '130123', ancestors: [...county.ancestors, '130123'] }]);
  const siteIds = Array.from({ length: SITES }, () => new Types.ObjectId());
  await SiteModel.insertMany(
    siteIds.map((_id, i) => ({ _id, name: `正定县测试局网站${pad(i, 2)}`, kind: 'department', level: 'county', domains: [`t${pad(i, 2)}.zd.gov.cn`], supervisingUnit: '130123', hostUnit: UNIT, languages: ['zh-CN'], status: 'online', scopeUnits: [UNIT, ...county.ancestors, '130123'] })),
  );
  await UserModel.insertMany(
    Array.from({ length: PEOPLE }, (_, i) => ({ userid: adminId(i), name: `管理员${pad(i)}`, locale: i % 10 === 0 ? 'en' : 'zh-CN', roles: [{ role: 'site_admin', siteId: String(siteIds[i % SITES]) }], active: true })),
  );
});

describe('#notice.publish', () => {
  it('refuses a site admin', async () => {
    await expect(run('demo.siteadmin', 'notice.publish', { title: 't', body: 'b' })).rejects.toMatchObject({ code: 'forbidden_role' });
    expect(await say('demo.siteadmin', '发通知 标题 正文')).toContain('该命令仅限主管单位使用。');
    expect(await NoticeModel.countDocuments()).toBe(0);
  });

  it('refuses a unit outside the sender’s subtree', async () => {
    await expect(run('demo.county', 'notice.publish', { title: 't', body: 'b', unit: '130100' })).rejects.toMatchObject({ code: 'notice_not_your_unit' });
  });

  it('posts a notice to a bound group once, as one group post', async () => {
    await WechatyRoomModel.create({ _id: 'room-zd-1', unitCode: '130123', boundBy: 'demo.county', boundAt: clock.now() });
    const reply = await say('demo.county', '发通知 title=防汛值守 body="请各单位做好值守" to=groups');
    expect(reply).toContain('0 人，1 个群');
    const id = /编号 (N\w{6})/.exec(reply)![1]!;
    await runNoticePublish({ deps }, clock.now());
    const posts = await NotificationModel.find({ effectId: `notice:${id}` }).lean();
    expect(posts.map((p) => p.userid)).toEqual(['room:130123']);

    const ch = recorder('groups');
    await deliverPending(clock.now(), { store: notificationDelivery, settings, channels: [ch] });
    await deliverPending(clock.now(), { store: notificationDelivery, settings, channels: [ch] });
    expect(ch.got.map((g) => g.to)).toEqual(['room:130123']);
    expect(replyText(ch.got[0]!.reply)).toContain('【通知】防汛值守');
    await WechatyRoomModel.deleteMany({});
  });
});

describe('#notice broadcast: 500 site admins, acknowledgement required, killed half-way', () => {
  let id = '';
  const ch = recorder();

  beforeAll(() => registerChannel(ch));
  afterAll(() => unregisterChannel(ch.name));

  it('stores the rest and no one twice when publication is killed after 200 recipients', async () => {
    // The process dies after storing the first 200 recipients' messages.
    const crashing: Deps = {
      ...deps,
      notices: {
        ...noticeRepo,
        async store(messages, now) {
          await noticeRepo.store(messages.slice(0, 200), now);
          throw new Error('killed');
        },
      },
    };
    const input = { title: '第四季度自查', body: '请于月底前完成网站自查并报送。', 'body.en': 'Finish the self-check by month end.', ack: 'yes', unit: UNIT };
    await expect(run('demo.county', 'notice.publish', input, crashing)).rejects.toThrow('killed');
    const notice = (await NoticeModel.findOne({ title: '第四季度自查' }).lean())!;
    id = notice._id;
    expect(notice.status).toBe('publishing');
    expect(await NotificationModel.countDocuments({ effectId: `notice:${id}` })).toBe(200);

    // On restart the job finishes it; running it (and the whole publication) again adds nothing.
    await Promise.all([runNoticePublish({ deps }, clock.now()), runNoticePublish({ deps }, clock.now())]);
    const again = await (await import('../core/notices/notice.service')).publishNotice(deps, (await noticeRepo.get(id))!, clock.now());
    expect(again).toEqual({ recipients: PEOPLE, groups: 0, inserted: 0 });
    const stored = await NotificationModel.find({ effectId: `notice:${id}` }, { userid: 1 }).lean();
    expect(stored).toHaveLength(PEOPLE);
    expect(new Set(stored.map((s) => s.userid)).size).toBe(PEOPLE);
    expect((await NoticeModel.findById(id).lean())!).toMatchObject({ status: 'published', recipients: PEOPLE });
  });

  it('delivers exactly one card per recipient, even when delivery is cut off and two senders race', async () => {
    // A sender stops after its first 100 (its time budget ran out), then two instances take the rest at once.
    await deliverPending(clock.now(), { store: notificationDelivery, settings, limit: 100, budgetMs: 0 });
    expect(ch.got.length).toBe(100);
    await deliverAll(clock.now(), ch);

    const perPerson = countBy(ch.got.map((g) => g.to));
    expect(perPerson.size).toBe(PEOPLE);
    expect([...perPerson.values()].every((n) => n === 1)).toBe(true);
    const card = ch.got.find((g) => g.to === adminId(1))!.reply;
    expect(card).toMatchObject({ kind: 'card', title: '通知：第四季度自查', buttons: [{ key: 'ack', text: '已阅，确认', command: 'notice.ack', input: { id } }] });
    expect(replyText(card)).toContain(`确认通知 ${id}`);
    expect(card).toMatchObject({ open: { page: 'pages/notices/index', query: { id }, text: '在小程序中查看' } });
    const en = ch.got.find((g) => g.to === adminId(10))!.reply;
    expect(en).toMatchObject({ kind: 'card', title: 'Notice: 第四季度自查', buttons: [{ text: 'Read, acknowledge' }] });
    expect(replyText(en)).toContain('Finish the self-check by month end.');
  });

  it('counts 200 acknowledgements from buttons, chat and the API, each person once', async () => {
    // The card's button runs its command with its input, like a click.
    const card = ch.got.find((g) => g.to === adminId(0))!.reply as Extract<Reply, { kind: 'card' }>;
    await run(adminId(0), card.buttons[0]!.command, card.buttons[0]!.input);
    expect(await say(adminId(1), `确认通知 ${id.toLowerCase()}`)).toContain('已确认收到通知');
    for (let i = 2; i < 200; i++) await run(adminId(i), 'notice.ack', { id });
    // Twice is once.
    expect(await run(adminId(5), 'notice.ack', { id })).toMatchObject({ already: true });
    expect(await say(adminId(5), `确认通知 ${id}`)).toContain('无需重复');
    await expect(run('demo.city', 'notice.ack', { id })).rejects.toMatchObject({ code: 'notice_not_recipient' });
    expect(await NoticeAckModel.countDocuments({ noticeId: id })).toBe(200);
  });

  it('shows the sender its progress: delivered, acknowledged and who has not acknowledged', async () => {
    const out = (await run('demo.county', 'notice.status', { id })) as { counts: Record<string, number>; notAcknowledged: { userid: string; name: string }[] };
    expect(out.counts).toEqual({ recipients: 500, delivered: 500, pending: 0, failed: 0, inApp: 0, acknowledged: 200, groups: 0, groupsDelivered: 0 });
    expect(out.notAcknowledged).toHaveLength(300);
    expect(out.notAcknowledged.map((p) => p.userid).sort()).toEqual(Array.from({ length: 300 }, (_, i) => adminId(200 + i)));
    const reply = await say('demo.county', `通知进度 ${id}`);
    expect(reply).toContain('已送达 500');
    expect(reply).toContain('已确认 200 / 500');
    expect(reply).toContain('未确认（300 人）：管理员200、管理员201');
    expect(reply).toContain('另有 250 人未列出');
    await expect(run(adminId(300), 'notice.status', { id })).rejects.toMatchObject({ code: 'forbidden_role' });
    // Not its sender, not above its unit, not a recipient: the notice reads exactly as a missing one.
    const other = await run('demo.county.zz', 'notice.status', { id }).catch((e: unknown) => e);
    expect(other).toMatchObject({ code: 'not_found', status: 404, params: { what: 'notice' } });
    await expect(run('demo.county.zz', 'notice.status', { id: 'N999999' })).rejects.toMatchObject({ code: 'not_found', status: 404, params: { what: 'notice' } });
  });

  it('reminds the 300 who have not acknowledged once a working day after publication', async () => {
    const reminders = () => NotificationModel.find({ effectId: { $regex: `^notice-reminder:${id}:` } }, { effectId: 1, userid: 1 }).lean();
    const job = (at: string) => runNoticeReminders({ deps, settings }, china(at));
    expect(await job('2026-11-24T16:00')).toMatchObject({ inserted: 0 }); // publication day
    expect(await job('2026-11-25T08:00')).toMatchObject({ skipped: 'too_early' });
    const [a, b] = await Promise.all([job('2026-11-25T09:00'), job('2026-11-25T09:00')]);
    expect(a.inserted + b.inserted).toBe(300);
    expect(await job('2026-11-25T15:00')).toMatchObject({ inserted: 0 });
    expect(new Set((await reminders()).map((r) => r.userid)).size).toBe(300);

    const before = ch.got.length;
    await deliverAll(china('2026-11-25T09:01'), ch);
    const sent = ch.got.slice(before);
    expect(sent).toHaveLength(300);
    expect(new Set(sent.map((s) => s.to)).size).toBe(300);
    expect(sent.every((s) => Number(s.to.slice(-3)) >= 200)).toBe(true);
    expect(sent[0]!.reply).toMatchObject({ kind: 'card', buttons: [{ command: 'notice.ack', input: { id } }] });

    // 100 more acknowledge; the next working day the 200 left hear once more, nobody on the weekend.
    for (let i = 200; i < 300; i++) await run(adminId(i), 'notice.ack', { id });
    expect(await job('2026-11-26T09:00')).toMatchObject({ inserted: 200 });
    expect(await job('2026-11-28T09:00')).toMatchObject({ skipped: 'day_off' });
    const byPerson = countBy((await reminders()).map((r) => r.userid));
    expect(byPerson.get(adminId(250))).toBe(1);
    expect(byPerson.get(adminId(450))).toBe(2);
    expect(byPerson.has(adminId(10))).toBe(false);
  });
});
