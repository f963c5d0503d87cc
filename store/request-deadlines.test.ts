import { chinaInstant, chinaStartOf } from '../core/calendar/civil-date';
import { commandById } from '../core/commands/registry';
import { runCommand } from '../core/commands/run';
import { readDeadlinesOf } from '../test/register';
import { applyEvent } from '../core/requests/machines';
import { deadlineEnvOf } from '../core/requests/review-deadline';
import type { RequestActionDTO } from '../core/presenters/request.presenter';
import { buildCtx } from '../lib/command-context';
import { translatorFor } from '../lib/i18n';
import { renderNotification } from '../bot/render/notification.render';
import { replyText } from '../bot/reply';
import { createDeps } from '../lib/services';
import { runDeadlineReminders } from '../jobs/deadline-reminders.job';
import { jobEnv } from '../jobs/reminders.fixture';
import { useTestDatabase } from '../test/db';
import { seedDemoIfEmpty } from './demo/seed-demo';
import { deadlineModel } from './deadline.model';
import { NotificationModel } from './notification.model';
import { RequestModel } from './request.model';
import { toRequest } from './request.repo';

useTestDatabase();

const china = (local: string) => new Date(`${local}:00+08:00`);
let now = china('2027-04-01T10:00');
const deps = createDeps({ now: () => now });

async function run(userid: string, commandId: string, input: Record<string, unknown>): Promise<RequestActionDTO> {
  const user = await deps.users.byUserid(userid);
  if (!user) throw new Error(`no user ${userid}`);
  return (await runCommand(commandById(commandId)!, input, buildCtx(user, 'api', deps))) as RequestActionDTO;
}

/** What the register holds for a request: `kind:stage@dueAt state`, from its review and outage collections. */
const register = (id: string) => readDeadlinesOf(['review', 'outage'], id);

async function stored(id: string) {
  return toRequest((await RequestModel.findById(id).lean())!);
}

const inbox = async (userid: string) => (await run(userid, 'request.inbox', {}) as unknown as { requests: { id: string }[] }).requests.map((r) => r.id);

beforeAll(async () => {
  await seedDemoIfEmpty();
});

describe('#deadline register: an approval step\'s review and an offline window, kept by the request\'s writes', () => {
  it('opens the first step\'s review at filing, moves it with each approval, and opens the window at the decision until the site is back', async () => {
    now = china('2027-04-01T10:00');
    const filed = await run('demo.siteadmin', 'request.temp_offline', { site: 'jyj.zhengding.gov.cn', start: '2027-05-10', end: '2027-05-12', reason: '网站改版' });
    const id = filed.request.id;
    let r = await stored(id);
    expect(r.steps.map((s) => s.unitCode)).toEqual(['130123', '130100', '130000']);
    expect(await register(id)).toEqual([`review:step-0@${r.steps[0]!.deadline!.dueAt.toISOString()} reviewing`]);
    expect((await RequestModel.findById(id).lean())?.registerDirty).toBe(false);
    expect(await inbox('demo.county')).toContain(id);
    expect(await inbox('demo.city')).not.toContain(id);

    await run('demo.county', 'request.approve', { id });
    r = await stored(id);
    expect(await register(id)).toEqual([`review:step-1@${r.steps[1]!.deadline!.dueAt.toISOString()} reviewing`]);
    expect(await inbox('demo.county')).not.toContain(id);
    expect(await inbox('demo.city')).toContain(id);

    await run('demo.city', 'request.approve', { id });
    await run('demo.province', 'request.approve', { id });
    const end = chinaStartOf('2027-05-13').toISOString();
    expect(await register(id)).toEqual([`outage:window@${end} scheduled`]);
    expect(await inbox('demo.province')).not.toContain(id);

    // The window covers the site from its first day's 00:00 to the 00:00 after its last, from the register.
    const site = r.site.id;
    expect(await deps.deadlines.coveringOutage(site, china('2027-05-09T23:59'))).toBeNull();
    expect(await deps.deadlines.coveringOutage(site, china('2027-05-10T00:00'))).toMatchObject({ requestId: id, type: 'temp_offline', start: '2027-05-10', end: '2027-05-12' });
    expect(await deps.deadlines.coveringOutage('another-site', china('2027-05-11T10:00'))).toBeNull();

    // The window starts (the timer stays the mechanism that fires): the entry follows the request.
    now = china('2027-05-10T00:01');
    await deps.effects.requests(now);
    expect(await register(id)).toEqual([`outage:window@${end} offline`]);
    // Past its end and the site not back: no longer covered, still open (overdue) in the register.
    expect(await deps.deadlines.coveringOutage(site, china('2027-05-13T08:00'))).toBeNull();
    expect((await deps.deadlines.openOutages()).map((o) => [o.requestId, o.status])).toContainEqual([id, 'offline']);

    now = china('2027-05-13T09:00');
    await run('demo.siteadmin', 'request.back_online', { id });
    expect(await register(id)).toEqual([]);
    expect(await deps.deadlines.coveringOutage(site, now)).toBeNull();
  }, 120_000);

  it('holds a filed emergency shutdown from its filing until the site is reported back, past its expected end too', async () => {
    now = china('2027-04-02T10:00');
    const filed = await run('demo.siteadmin.en', 'request.emergency_shutdown', { site: 'swt.hebei.gov.cn', reason: 'force_majeure', start: '2027-04-02', end: '2027-04-03', note: '机房断电' });
    const id = filed.request.id;
    const end = chinaStartOf('2027-04-04').toISOString();
    const [outage, review] = await register(id);
    expect(outage).toBe(`outage:window@${end} reviewing`);
    expect(review).toMatch(/^review:step-0@.* reviewing$/);
    await run('demo.province', 'request.approve', { id });
    expect(await register(id)).toEqual([`outage:window@${end} acknowledged`]);
    const site = (await stored(id)).site.id;
    expect(await deps.deadlines.coveringOutage(site, china('2027-04-06T10:00'))).toMatchObject({ requestId: id, type: 'emergency_shutdown', status: 'acknowledged' });
    now = china('2027-04-06T11:00');
    await run('demo.siteadmin.en', 'request.back_online', { id });
    expect(await register(id)).toEqual([]);
    expect(await deps.deadlines.coveringOutage(site, now)).toBeNull();
  }, 60_000);

  it('repairs, from the effects dispatcher, a register write a crash left undone, and backfills requests stored before the register', async () => {
    now = china('2027-04-06T10:00');
    const filed = await run('demo.siteadmin', 'request.temp_offline', { site: 'www.zhengding.gov.cn', start: '2027-06-01', end: '2027-06-02', reason: '改版', justification: '集约化平台迁移，须短时停机' });
    const id = filed.request.id;
    const before = await stored(id);
    // The approval's own write lands (with its mark), then the process dies before the register write.
    const change = applyEvent(before, { type: 'approve', by: { userid: 'demo.city', name: '张伟' }, step: 0, facts: {} }, { now, deadlines: await deadlineEnvOf(deps) }, 'api')!;
    const { status, steps, currentStep } = change.state;
    await RequestModel.updateOne({ _id: id, version: before.version }, { $set: { status, steps, currentStep, registerDirty: true, version: before.version + 1 } });
    expect(await register(id)).toEqual([`review:step-0@${before.steps[0]!.deadline!.dueAt.toISOString()} reviewing`]);

    await deps.effects.requests(now);
    const after = await stored(id);
    expect(await register(id)).toEqual([`review:step-1@${after.steps[1]!.deadline!.dueAt.toISOString()} reviewing`]);
    expect((await RequestModel.findById(id).lean())?.registerDirty).toBe(false);

    // A database older than the register: no mark, no entry. The register's repair fills it in, once.
    await RequestModel.updateMany({}, { $unset: { registerDirty: 1 } });
    for (const kind of ['review', 'outage'] as const) await deadlineModel(kind).deleteMany({});
    expect((await deps.deadlines.repair('review', now)).applied).toBeGreaterThan(0);
    expect(await register(id)).toEqual([`review:step-1@${after.steps[1]!.deadline!.dueAt.toISOString()} reviewing`]);
    expect(await deps.deadlines.repair('review', now)).toEqual({ applied: 0 });
  }, 60_000);
});

describe('#deadline register: review reminders and escalations read it', () => {
  it('reminds the step\'s approvers on its due day and tells the unit above once it has passed, from the register alone', async () => {
    now = china('2027-04-07T10:00');
    const filed = await run('demo.siteadmin', 'request.temp_offline', { site: 'jyj.zhengding.gov.cn', start: '2028-03-06', end: '2028-03-07', reason: '改版' });
    const id = filed.request.id;
    const deadline = (await stored(id)).steps[0]!.deadline!;
    // The requests are not read: the register says it all.
    await RequestModel.deleteOne({ _id: id });
    const mine = () => NotificationModel.find({ 'subject.kind': 'request', 'subject.id': id, kind: { $in: ['reminder', 'escalation'] } }).sort({ createdAt: 1 }).lean();

    await runDeadlineReminders(jobEnv(deps), chinaInstant(deadline.dueDate, '08:59'));
    expect(await mine()).toEqual([]);
    await runDeadlineReminders(jobEnv(deps), chinaInstant(deadline.dueDate, '09:00'));
    await runDeadlineReminders(jobEnv(deps), chinaInstant(deadline.dueDate, '09:05'));
    expect((await mine()).map((n) => [n.userid, n.effectId, n.template])).toEqual([['demo.county', `reminder:request:${id}:step-0:${deadline.dueDate}:start`, 'bot:review_reminders.start']]);
    const [start] = await mine();
    expect(start?.params).toMatchObject({ id, type: 'temp_offline', site: '正定县教育局网站', unit: '正定县人民政府' });
    expect(replyText(renderNotification({ kind: 'reminder', template: start!.template!, params: start!.params, data: null, late: false }, translatorFor('zh-CN')))).toBe(
      `⏰ 申请 ${id}（临时下线，正定县教育局网站）待 正定县人民政府 审批，今天到期：请于今日（${deadline.dueDate}）24:00 前处理。`,
    );
    expect(replyText(renderNotification({ kind: 'reminder', template: start!.template!, params: start!.params, data: null, late: false }, translatorFor('en')))).toContain(`Request ${id} (temporary offline`);

    await runDeadlineReminders(jobEnv(deps), deadline.dueAt);
    await runDeadlineReminders(jobEnv(deps), new Date(deadline.dueAt.getTime() + 60_000));
    const escalations = (await mine()).filter((n) => n.kind === 'escalation');
    // 正定县 (130123) is late: 石家庄市 (130100) hears of it, once.
    expect(escalations.map((n) => [n.userid, n.template])).toEqual([['demo.city', 'bot:review_reminders.escalation']]);
  }, 60_000);
});
