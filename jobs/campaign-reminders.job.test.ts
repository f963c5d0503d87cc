import { deliverPending } from '../bot/deliver';
import { createChatEngine } from '../bot/chat-engine';
import { replyText } from '../bot/reply';
import { openCampaign } from '../core/campaigns/campaign.service';
import type { Deps } from '../core/ports';
import { CampaignModel, SiteCheckModel } from '../store/campaign.model';
import { NotificationModel } from '../store/notification.model';
import { ObligationAckModel } from '../store/obligation.model';
import { ReminderRunModel } from '../store/reminder-run.model';
import { clearDatabase, useTestDatabase } from '../test/db';
import { runCampaignReminders } from './campaign-reminders.job';
import { EVERY, JOBS, ON_EVENT } from './schedule';
import { china, quietLogger, recordingChannel, seedWorld, settings, testClock, jobEnv } from './reminders.fixture';
import { notificationDelivery } from '../store/notification.repo';

useTestDatabase();

const clock = testClock('2026-11-20T10:00');
let deps: Deps;
const env = () => jobEnv(deps);
const run = (local: string) => runCampaignReminders(env(), china(local));

async function say(userid: string, line: string): Promise<string> {
  const engine = createChatEngine({ deps, logger: quietLogger, defaultLocale: 'zh-CN' });
  return replyText(await engine.handle({ userid, text: line, source: 'shell' }));
}

/** Who got which campaign message: `userid key`, sorted. */
async function sent(filter: Record<string, unknown> = {}): Promise<string[]> {
  const docs = await NotificationModel.find({ 'subject.kind': 'campaign', ...filter }, { userid: 1, effectId: 1 }).lean();
  return docs.map((d) => `${d.userid} ${d.effectId}`).sort();
}

async function open(unitCode: string, period: string, scope: 'subtree' | 'direct') {
  const unit = (await deps.units.get(unitCode))!;
  return openCampaign(deps, { unit, period, scope, by: { userid: 'test', name: 'test' }, now: clock.now() });
}

beforeEach(async () => {
  await clearDatabase();
  clock.set('2026-11-20T10:00');
  deps = await seedWorld(clock);
});

describe('#campaign-reminders: before and after the 2026-Q3 publication deadline (Monday 2026-11-30)', () => {
  /**
   * 石家庄's check over its subtree (6 sites): the city portal passed and closed; jyj.sjz has a finding not
   * acknowledged; the 正定 portal one acknowledged but not rectified; jyj.zhengding's rectified (ready to
   * close); wjw.sjz and the 平山 portal not checked. The province checks its own 8 sites; swt (English admin)
   * has a finding.
   */
  beforeEach(async () => {
    expect((await open('130100', '2026-Q3', 'subtree')).campaign).toMatchObject({ dueDate: '2026-11-30', siteCount: 6 });
    expect((await open('130000', '2026-Q3', 'direct')).campaign.siteCount).toBe(8);
    expect(await say('demo.city', '检查通过 www.sjz.gov.cn')).toContain('已将');
    expect(await say('demo.city', '关闭检查 www.sjz.gov.cn')).toContain('已关闭');
    expect(await say('demo.city', '检查问题 jyj.sjz.gov.cn 扣分 栏目长期未更新')).toContain('第 1 个问题');
    expect(await say('demo.city', '检查问题 www.zhengding.gov.cn 扣分 链接失效')).toContain('第 1 个问题');
    expect(await say('demo.city', '检查问题 jyj.zhengding.gov.cn 其他 错别字')).toContain('第 1 个问题');
    expect(await say('demo.siteadmin', '确认问题 www.zhengding.gov.cn 1')).toContain('已确认');
    expect(await say('demo.siteadmin', '整改完成 jyj.zhengding.gov.cn 1 已更正')).toContain('已整改');
    expect(await say('demo.province', '检查问题 swt.hebei.gov.cn 扣分 英文版栏目未更新')).toContain('第 1 个问题');
  }, 60_000);

  it('says nothing before the window opens 3 working days before the deadline, nor before digestAt', async () => {
    expect(await run('2026-11-24T10:00')).toMatchObject({ inserted: 0, reminders: 0 });
    expect(await run('2026-11-25T08:29')).toMatchObject({ skipped: 'too_early' });
    expect(await sent()).toEqual([]);
  });

  it('drops a day\'s reminders first planned after quiet hours began (tomorrow\'s say it better)', async () => {
    expect(await run('2026-11-25T22:30')).toMatchObject({ inserted: 0, reminders: 0 });
    expect(await run('2026-11-26T08:30')).toMatchObject({ inserted: 6 });
  });

  it('stops reminding the checkers once every site is checked and no check waits to be closed, while the sites still owe answers', async () => {
    for (const line of ['检查通过 wjw.sjz.gov.cn', '检查通过 www.pingshan.gov.cn', '关闭检查 wjw.sjz.gov.cn', '关闭检查 www.pingshan.gov.cn', '关闭检查 jyj.zhengding.gov.cn']) expect(await say('demo.city', line)).toMatch(/已将|已关闭/);
    await run('2026-11-25T09:00');
    expect(await sent({ effectId: /^campaign-reminder:130100/ })).toEqual([
      'demo.siteadmin campaign-reminder:130100:2026-Q3:2026-11-25:findings',
      'demo.siteadmin.sjz campaign-reminder:130100:2026-Q3:2026-11-25:findings',
    ]);
  }, 30_000);

  it('reminds the checkers and the site admins with open findings once a day, however often and on however many instances it runs', async () => {
    const [a, b] = await Promise.all([run('2026-11-25T08:30'), run('2026-11-25T08:30')]);
    expect(a.inserted + b.inserted).toBe(6);
    expect(await sent()).toEqual([
      'demo.city campaign-reminder:130100:2026-Q3:2026-11-25:check',
      'demo.province campaign-reminder:130000:2026-Q3:2026-11-25:check',
      'demo.province.deputy campaign-reminder:130000:2026-Q3:2026-11-25:check',
      'demo.siteadmin campaign-reminder:130100:2026-Q3:2026-11-25:findings',
      'demo.siteadmin.en campaign-reminder:130000:2026-Q3:2026-11-25:findings',
      'demo.siteadmin.sjz campaign-reminder:130100:2026-Q3:2026-11-25:findings',
    ]);
    const city = await NotificationModel.findOne({ userid: 'demo.city' }).lean();
    expect(city?.params).toMatchObject({ sites: '6', pending: '2', toClose: '1', openFindings: '2', when: 'days_left', left: '3' });
    const admin = await NotificationModel.findOne({ userid: 'demo.siteadmin' }).lean();
    // Only the site that still owes: jyj.zhengding's finding is rectified.
    expect(admin?.params).toMatchObject({ toAck: '0', toRectify: '1', siteList: '正定县人民政府门户网站' });

    // The day's marker gone (a crash before it was written): nothing stored twice; with it, no scan at all.
    await ReminderRunModel.deleteMany({});
    expect(await run('2026-11-25T15:00')).toMatchObject({ inserted: 0, reminders: 6 });
    expect(await run('2026-11-25T16:00')).toMatchObject({ skipped: 'done' });
    expect(await NotificationModel.countDocuments({ 'subject.kind': 'campaign' })).toBe(6);
  });

  it('reminds on each working day of the window, never on the weekend, and stops reminding whoever is done', async () => {
    for (const day of ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']) await run(`${day}T09:00`);
    expect(await say('demo.siteadmin.sjz', '整改完成 jyj.sjz.gov.cn 1 已更新栏目')).toContain('已整改');
    await run('2026-11-30T09:00');
    const days = (await sent({ userid: 'demo.city' })).map((s) => s.split(':')[3]);
    expect(days).toEqual(['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-30']);
    expect((await sent({ userid: 'demo.siteadmin.sjz' })).map((s) => s.split(':')[3])).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
    const last = await NotificationModel.findOne({ userid: 'demo.city', effectId: /2026-11-30/ }).lean();
    expect(last?.params).toMatchObject({ when: 'due_today' });
  });

  it('escalates to the supervisors of the unit above once the deadline has passed, once, and to the province admins at the top', async () => {
    await run('2026-11-30T09:00');
    expect(await sent({ kind: 'escalation' })).toEqual([]);
    await run('2026-12-01T09:00');
    expect(await sent({ kind: 'escalation' })).toEqual([
      // 石家庄's campaign goes up to 河北省人民政府's supervisors; the province's to the province admins (the same people).
      'demo.province campaign-escalation:130000:2026-Q3',
      'demo.province campaign-escalation:130100:2026-Q3',
      'demo.province.deputy campaign-escalation:130000:2026-Q3',
      'demo.province.deputy campaign-escalation:130100:2026-Q3',
    ]);
    const e = await NotificationModel.findOne({ effectId: 'campaign-escalation:130100:2026-Q3', userid: 'demo.province' }).lean();
    expect(e?.params).toMatchObject({ days: '1', sites: '6', pending: '2', openFindings: '2', open: '5' });
    // No more reminders after the deadline, and the escalation is not repeated.
    expect(await sent({ effectId: /2026-12-01/ })).toEqual([]);
    await run('2026-12-02T09:00');
    expect(await NotificationModel.countDocuments({ kind: 'escalation' })).toBe(4);
  });

  it('does not escalate a campaign whose checks are all closed', async () => {
    for (const line of ['检查通过 wjw.sjz.gov.cn', '检查通过 www.pingshan.gov.cn', '关闭检查 wjw.sjz.gov.cn', '关闭检查 www.pingshan.gov.cn', '关闭检查 jyj.zhengding.gov.cn']) await say('demo.city', line);
    await say('demo.siteadmin.sjz', '整改完成 jyj.sjz.gov.cn 1 已更新');
    await say('demo.siteadmin', '整改完成 www.zhengding.gov.cn 1 已修复');
    for (const line of ['关闭检查 jyj.sjz.gov.cn', '关闭检查 www.zhengding.gov.cn']) expect(await say('demo.city', line)).toContain('已关闭');
    await run('2026-12-01T09:00');
    expect(await sent({ effectId: /130100/ })).toEqual([]);
    expect(await sent({ effectId: 'campaign-escalation:130000:2026-Q3' })).toHaveLength(2);
  }, 30_000);

  it('renders the reminders in each reader\'s language', async () => {
    await run('2026-11-26T08:30');
    const ch = recordingChannel();
    await deliverPending(china('2026-11-26T08:31'), { store: notificationDelivery, channels: [ch], settings });
    const text = (to: string) => ch.sent.filter((s) => s.to === to).map((s) => s.text);
    expect(text('demo.city')).toEqual([
      '📋 石家庄市人民政府 2026-Q3 季度全面检查（第三十二条），2026-11-30 截止，还剩 2 个工作日：6 个网站中尚有 2 个未检查，1 个检查可以关闭，2 个问题待网站处理。发送“检查进度”查看详情。',
    ]);
    expect(text('demo.siteadmin.en')).toEqual([
      '📋 Quarterly check 2026-Q3 of 河北省人民政府 (art. 32), due 2026-11-30, 2 working days left: your sites have 1 finding(s) to acknowledge and 0 to rectify — 河北省商务厅网站. Send "check <site>" to see them.',
    ]);
    await run('2026-11-27T08:30');
    await deliverPending(china('2026-11-27T08:31'), { store: notificationDelivery, channels: [ch], settings });
    expect(text('demo.siteadmin.en')[1]).toContain('due 2026-11-30, 1 working day left');
  });
});

describe('#campaign-reminders: the 2026-Q4 deadline falls on Sunday 2027-02-28, in a year without a holiday schedule', () => {
  beforeEach(async () => {
    clock.set('2027-01-05T10:00');
    expect((await open('130123', '2026-Q4', 'direct')).campaign).toMatchObject({ dueDate: '2027-02-28', siteCount: 2 });
  });

  it('reminds from Wednesday 24 to Friday 26 February, says the count is provisional, and escalates on Monday 1 March', async () => {
    for (const day of ['2027-02-22', '2027-02-23', '2027-02-24', '2027-02-25', '2027-02-26', '2027-02-27', '2027-02-28']) await run(`${day}T09:00`);
    expect((await sent({ userid: 'demo.county' })).map((s) => s.split(':')[3])).toEqual(['2027-02-24', '2027-02-25', '2027-02-26']);
    const last = await NotificationModel.findOne({ userid: 'demo.county', effectId: /2027-02-26/ }).lean();
    expect(last).toMatchObject({ template: 'bot:campaign_reminder.check_provisional', params: { when: 'last_working_day', left: '0', pending: '2' } });
    expect(await sent({ kind: 'escalation' })).toEqual([]);

    const ch = recordingChannel();
    await deliverPending(china('2027-02-26T09:01'), { store: notificationDelivery, channels: [ch], settings });
    const county = ch.sent.filter((s) => s.to === 'demo.county').map((s) => s.text);
    expect(county).toHaveLength(3);
    expect(county[0]).toContain('2027-02-28 截止，还剩 2 个工作日：2 个网站中尚有 2 个未检查');
    expect(county[1]).toContain('2027-02-28 截止，还剩 1 个工作日：');
    expect(county[2]).toContain('2027-02-28 截止，今日为截止前最后一个工作日：2 个网站中尚有 2 个未检查');
    expect(county.every((t) => t.includes('该年度节假日安排尚未导入，工作日按临时规则计算'))).toBe(true);

    await run('2027-03-01T09:00');
    expect(await sent({ kind: 'escalation' })).toEqual(['demo.city campaign-escalation:130123:2026-Q4']);
  });
});

describe('#campaign-reminders: schedule', () => {
  it('runs as its own job, every 10 minutes and at start', () => {
    expect(JOBS.map((j) => j.name)).toContain('campaign-reminders');
    expect(EVERY['campaign-reminders']).toBe('10 minutes');
    expect(ON_EVENT.start).toContain('campaign-reminders');
  });
});

describe('#campaign closing acknowledges the quarterly_check obligation', () => {
  it('acknowledges 正定县\'s 2026-Q3 check when its last site check closes, in the closer\'s name, once', async () => {
    await open('130123', '2026-Q3', 'direct');
    expect(await say('demo.county', '检查问题 www.zhengding.gov.cn 扣分 链接失效')).toContain('第 1 个问题');
    expect(await say('demo.county', '检查通过 jyj.zhengding.gov.cn')).toContain('已将');
    expect(await say('demo.county', '关闭检查 jyj.zhengding.gov.cn')).toContain('已关闭');
    expect(await ObligationAckModel.findById('quarterly_check:130123:2026-Q3').lean()).toBeNull();
    expect(await say('demo.siteadmin', '整改完成 www.zhengding.gov.cn 1 已修复')).toContain('已整改');
    clock.set('2026-11-21T11:00');
    expect(await say('demo.county', '关闭检查 www.zhengding.gov.cn')).toContain('已关闭');
    const ack = await ObligationAckModel.findById('quarterly_check:130123:2026-Q3').lean();
    expect(ack).toMatchObject({ obligation: 'quarterly_check', subjectKind: 'unit', subjectId: '130123', period: '2026-Q3', dueDate: '2026-11-30', by: { userid: 'demo.county', name: '王芳' }, onTime: true, source: 'shell' });
    expect(ack?.at).toEqual(china('2026-11-21T11:00'));
    // The obligation reads as done, and the job finds nothing to repair.
    expect(await say('demo.county', '定期任务 季度检查')).toMatch(/已完成｜季度全面检查结果公开报送｜正定县人民政府｜2026-Q3 期/);
    expect(await run('2026-11-25T09:00')).toMatchObject({ acknowledged: [] });
    expect(await ObligationAckModel.countDocuments({ _id: 'quarterly_check:130123:2026-Q3' })).toBe(1);
  });

  it('keeps a manual acknowledgement made before the campaign completed', async () => {
    await open('130681', '2026-Q3', 'direct');
    expect(await say('demo.county.zz', '义务完成 季度检查 130681 period=2026-Q3 检查结果已在门户公开')).toContain('已确认');
    expect(await say('demo.county.zz', '检查通过 www.zhuozhou.gov.cn')).toContain('已将');
    clock.set('2026-11-22T10:00');
    expect(await say('demo.county.zz', '关闭检查 www.zhuozhou.gov.cn')).toContain('已关闭');
    const ack = await ObligationAckModel.findById('quarterly_check:130681:2026-Q3').lean();
    expect(ack).toMatchObject({ by: { userid: 'demo.county.zz' }, note: '检查结果已在门户公开', at: china('2026-11-20T10:00') });
  });

  it('does not acknowledge while a site check is open or missing', async () => {
    await open('130681', '2026-Q3', 'direct');
    // A campaign opened over 2 sites whose second check was never inserted (a crash half-way): not complete.
    await CampaignModel.updateOne({ _id: '130681:2026-Q3' }, { $set: { siteCount: 2 } });
    await say('demo.county.zz', '检查通过 www.zhuozhou.gov.cn');
    expect(await say('demo.county.zz', '关闭检查 www.zhuozhou.gov.cn')).toContain('已关闭');
    expect(await ObligationAckModel.findById('quarterly_check:130681:2026-Q3').lean()).toBeNull();
    expect(await run('2026-11-25T09:00')).toMatchObject({ acknowledged: [] });
  });

  it('repairs, from the job, a campaign completed without its acknowledgement (a crash after the last close), and two last closes racing ack once', async () => {
    await open('130681', '2026-Q3', 'direct');
    // The closes were written (each with its register mark), then the process died: no register write, no acknowledgement.
    await SiteCheckModel.updateMany({ campaignId: '130681:2026-Q3' }, { $set: { status: 'closed', checkedAt: china('2026-11-20T09:00'), closedAt: china('2026-11-20T09:30'), closedBy: { userid: 'demo.county.zz', name: '刘洋' }, registerDirty: true }, $inc: { version: 1 } });
    expect(await run('2026-11-25T09:00')).toMatchObject({ acknowledged: ['130681:2026-Q3'] });
    expect(await ObligationAckModel.findById('quarterly_check:130681:2026-Q3').lean()).toMatchObject({ by: { userid: 'demo.county.zz' }, at: china('2026-11-20T09:30'), source: 'job', onTime: true });

    await open('130123', '2026-Q3', 'direct');
    await say('demo.county', '检查通过 www.zhengding.gov.cn');
    await say('demo.county', '检查通过 jyj.zhengding.gov.cn');
    const [a, b] = await Promise.all([say('demo.county', '关闭检查 www.zhengding.gov.cn'), say('demo.city', '关闭检查 jyj.zhengding.gov.cn')]);
    expect([a, b].every((r) => r.includes('已关闭'))).toBe(true);
    const acks = await ObligationAckModel.find({ _id: 'quarterly_check:130123:2026-Q3' }).lean();
    expect(acks).toHaveLength(1);
    expect(['demo.county', 'demo.city']).toContain(acks[0]!.by.userid);
  });
});
