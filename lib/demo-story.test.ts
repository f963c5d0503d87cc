import { createChatEngine } from '../bot/chat-engine';
import { replyText } from '../bot/reply';
import { chinaDateOf } from '../core/calendar/civil-date';
import { obligationEscalations } from '../core/obligations/obligation.due';
import { DEFAULT_REMINDER_SETTINGS } from '../core/reminders/reminder.settings';
import { runCampaignReminders } from '../jobs/campaign-reminders.job';
import { runDailyDigest } from '../jobs/daily-digest.job';
import { runObligations } from '../jobs/obligations.job';
import { seedDemoIfEmpty } from '../store/demo/seed-demo';
import { NotificationModel } from '../store/notification.model';
import { obligationRepoWith } from '../store/obligation.repo';
import { ensureTrackingSince } from '../store/tracking-since';
import { useTestDatabase } from '../test/db';
import { playDemoStory, type DemoStory } from './demo-story';
import { createLogger } from './logger';
import { createDeps } from './services';

useTestDatabase();

/** The first morning of a fresh demo: Wednesday 2026-12-02, 10:00 China time (Q3's check was due 2026-11-30). */
const now = new Date('2026-12-02T02:00:00Z');
const deps = createDeps({ now: () => now });
const engine = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
const say = async (userid: string, line: string) => replyText(await engine.handle({ userid, text: line, source: 'shell' }));

let story: DemoStory;
let since: string;

beforeAll(async () => {
  expect((await seedDemoIfEmpty()).seeded).toBe(true);
  since = await ensureTrackingSince(now);
  story = await playDemoStory(deps, now);
});

describe('#first run: a fresh demo start tells a true story', () => {
  it('starts tracking on the day the database was created', async () => {
    expect(since).toBe(chinaDateOf(now));
    // Started again, it keeps the day it recorded.
    expect(await ensureTrackingSince(new Date('2027-03-01T02:00:00Z'))).toBe(since);
  });

  it('has a temporary offline waiting at the county, the city and the province', async () => {
    expect(await say('demo.county', '待审批')).toContain(story.pending.county);
    expect(await say('demo.city', '待审批')).toContain(story.pending.city);
    const province = await say('demo.province', '待审批');
    expect(province).toContain(story.pending.province);
    expect(province).not.toContain(story.pending.county);
  });

  it('has an error report whose transfer is due today and one overdue', async () => {
    expect(await say('demo.county', '今日到期')).toContain(story.complaints.dueToday);
    expect(await say('demo.county', '已逾期')).toContain(story.complaints.overdue);
  });

  it('has the quarter’s check of 石家庄 with open findings, and a notice acknowledged by half its readers', async () => {
    expect(await say('demo.city', '检查情况 1301000002')).toContain('“政策解读”栏目超过 6 个月未更新');
    expect(await say('demo.city', `通知进度 ${story.notice}`)).toMatch(/1\D+2|2\D+1/);
  });

  it('sends no escalation on its first morning for anything due before tracking started', async () => {
    // Without the tracking start, the first morning would escalate quarters that ended before the system existed.
    const untracked = { ...deps, obligations: obligationRepoWith(deps.obligations.config(), '2000-01-01') };
    const before = (await obligationEscalations(untracked, now)).filter((e) => e.item.dueDate < since);
    expect(before.map((e) => `${e.item.obligation} ${e.item.period}`)).toContain('quarterly_check 2026-Q2');
    expect(await obligationEscalations(deps, now)).toEqual([]);

    const env = { deps, settings: DEFAULT_REMINDER_SETTINGS };
    await runObligations(env, now);
    await runCampaignReminders(env, now);
    await runDailyDigest(env, now);
    const first = await NotificationModel.find({ userid: { $in: ['demo.province', 'demo.city', 'demo.county'] } }).lean();
    const escalations = first.filter((n) => n.kind === 'escalation');
    expect(escalations.filter((n) => (n.params.due ?? '9999') < since)).toEqual([]);
    expect(escalations.filter((n) => /^(escalate|campaign-escalation):/.test(n.effectId))).toEqual([]);
    const digestLines = first.flatMap((n) => ((n.data?.obligations as { top?: { state: string; dueDate: string }[] } | undefined)?.top ?? []));
    expect(digestLines.filter((l) => l.state === 'overdue' && l.dueDate < since)).toEqual([]);
  });

  it('plays the README’s five-minute tour, line by line', async () => {
    const { county, city, province } = story.pending;
    // 王芳, county supervisor: approve, then forward today's error report.
    expect(await say('demo.county', '待审批')).toContain(`${county} 临时下线 · 正定县教育局网站`);
    expect(await say('demo.county', `同意 ${county} 同意，请提前在首页公告`)).toContain(county);
    expect(await say('demo.county', `转办 ${story.complaints.dueToday} 请核实并答复网民`)).toContain(story.complaints.dueToday);
    // 李静, site admin: her request moved up; a typo gets a suggestion; the notice and the finding.
    expect(await say('demo.siteadmin', '我的申请')).toContain('待 石家庄市人民政府 处理');
    expect(await say('demo.siteadmin', '我的申清')).toContain('您是不是想用：“我的申请”');
    expect(await say('demo.siteadmin', '我收到的通知')).toContain(`确认通知 ${story.notice}`);
    expect(await say('demo.siteadmin', `确认通知 ${story.notice}`)).toContain(story.notice);
    expect(await say('demo.siteadmin', '确认问题 1301230002 1')).toContain('首页存在 3 个错误链接');
    expect(await say('demo.siteadmin', '语言 en')).toContain('English');
    expect(await say('demo.siteadmin', 'my requests')).toContain(county);
    expect(await say('demo.siteadmin', 'language zh-CN')).toContain('中文');
    // 张伟, city supervisor: two requests now, the check, the notice, a typo and a quarter not yet open.
    const inbox = await say('demo.city', '待审批');
    expect(inbox).toContain(city);
    expect(inbox).toContain(county);
    expect(await say('demo.city', '检查进度')).toContain('问题 2');
    expect(await say('demo.city', `通知进度 ${story.notice}`)).toContain('已确认 2 / 2');
    expect(await say('demo.city', '开始检查')).toContain('“开启季度检查 [单位代码]”');
    expect(await say('demo.city', '通知 title=演练')).toContain('“发通知 <标题> <正文>”');
    // 杨帆, province admin: the request 保定 approved waits for the final approval.
    expect(await say('demo.province', '待审批')).toContain(province);
    expect(await say('demo.province', `同意 ${province}`)).toContain(province);
  });
});
