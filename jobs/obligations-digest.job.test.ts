import { deliverPending } from '../bot/deliver';
import { renderNotification } from '../bot/render/notification.render';
import { replyText } from '../bot/reply';
import { translatorFor } from '../lib/i18n';
import type { ObligationDigest } from '../core/obligations/obligation.digest';
import type { Deps } from '../core/ports';
import type { DigestData } from '../core/reminders/reminder.plan';
import { NotificationModel } from '../store/notification.model';
import { ReminderRunModel } from '../store/reminder-run.model';
import { clearDatabase, useTestDatabase } from '../test/db';
import { runDailyDigest } from './daily-digest.job';
import { china, recordingChannel, seedWorld, settings, testClock, jobEnv } from './reminders.fixture';
import { notificationDelivery } from '../store/notification.repo';

useTestDatabase();

/**
 * Tuesday 2026-12-29: the second-half security self-check and the yearly special meeting are due on Thursday
 * 2026-12-31 (2 working days left: within the 3-day window); the units' 2026-Q3 check (due 2026-11-30) and
 * 2026-Q2 check (due 2026-08-31, 120 days ago: the edge of the look-back) are overdue.
 */
const clock = testClock('2026-12-29T08:30');
let deps: Deps;
const env = () => jobEnv(deps);

async function digests(): Promise<Map<string, DigestData & { obligations: ObligationDigest | null }>> {
  const docs = await NotificationModel.find({ kind: 'digest' }).lean();
  const byUser = new Map(docs.map((d) => [d.userid, d.data as unknown as DigestData & { obligations: ObligationDigest | null }]));
  expect(byUser.size).toBe(docs.length);
  return byUser;
}

const lines = (d: { obligations: ObligationDigest | null } | undefined) => (d?.obligations?.top ?? []).map((l) => `${l.state}:${l.obligation}:${l.subject}:${l.period}:${l.days}`);

beforeEach(async () => {
  await clearDatabase();
  clock.set('2026-12-29T08:30');
  deps = await seedWorld(clock);
});

describe('#daily digest: recurring obligations', () => {
  it('puts the site obligations due within 3 working days into the site admins\' one digest, with the mailbox line', async () => {
    await Promise.all([runDailyDigest(env(), china('2026-12-29T08:30')), runDailyDigest(env(), china('2026-12-29T08:30'))]);
    const byUser = await digests();
    const admin = byUser.get('demo.siteadmin');
    expect(admin).toMatchObject({ mailbox: true, dueToday: 0, overdue: 0, obligations: { overdue: 0, dueToday: 0, dueSoon: 4, provisional: false } });
    expect(lines(admin).sort()).toEqual(
      [
        'due_soon:security_self_check:正定县人民政府门户网站:2026-H2:2',
        'due_soon:security_self_check:正定县教育局网站:2026-H2:2',
        'due_soon:special_meeting:正定县人民政府门户网站:2026:2',
        'due_soon:special_meeting:正定县教育局网站:2026:2',
      ].sort(),
    );
    // A site's obligations go to its admins only: the county's supervisor hears of its own unit's checks.
    expect(lines(byUser.get('demo.county'))).toEqual(['overdue:quarterly_check:正定县人民政府:2026-Q2:120', 'overdue:quarterly_check:正定县人民政府:2026-Q3:29']);
    expect(byUser.get('demo.county')).toMatchObject({ mailbox: false, obligations: { overdue: 2, dueSoon: 0 } });
  });

  it('sends the province admins who also supervise the province one digest with each line once', async () => {
    await runDailyDigest(env(), clock.now());
    const byUser = await digests();
    for (const userid of ['demo.province', 'demo.province.deputy']) {
      expect(lines(byUser.get(userid))).toEqual(['overdue:quarterly_check:河北省人民政府:2026-Q2:120', 'overdue:quarterly_check:河北省人民政府:2026-Q3:29']);
    }
    // 130000-swt supervises no site: no obligation, no role that gets a digest.
    expect(byUser.has('demo.province.swt')).toBe(false);
  });

  it('leaves out what is acknowledged', async () => {
    const obligations = deps.obligations!;
    const site = (await deps.sites.findByRef('jyj.zhengding.gov.cn'))!;
    await obligations.acknowledge({
      key: `security_self_check:${site.id}:2026-H2`,
      obligation: 'security_self_check',
      subjectKind: 'site',
      subjectId: site.id,
      subjectName: site.name,
      period: '2026-H2',
      dueDate: '2026-12-31',
      by: { userid: 'demo.siteadmin', name: '李静' },
      at: clock.now(),
      note: null,
      onTime: true,
      source: 'shell',
    });
    await runDailyDigest(env(), clock.now());
    const admin = (await digests()).get('demo.siteadmin');
    expect(lines(admin)).not.toContain('due_soon:security_self_check:正定县教育局网站:2026-H2:2');
    expect(admin?.obligations).toMatchObject({ dueSoon: 3 });
  });

  it('starts 3 working days ahead (Monday 2026-12-28 for Thursday 2026-12-31) and says nothing on Friday 2026-12-25', async () => {
    await runDailyDigest(env(), china('2026-12-28T08:30'));
    expect(lines((await digests()).get('demo.siteadmin'))).toEqual([
      'due_soon:security_self_check:正定县人民政府门户网站:2026-H2:3',
      'due_soon:special_meeting:正定县人民政府门户网站:2026:3',
      'due_soon:security_self_check:正定县教育局网站:2026-H2:3',
      'due_soon:special_meeting:正定县教育局网站:2026:3',
    ]);
    await NotificationModel.deleteMany({});
    await ReminderRunModel.deleteMany({});
    await runDailyDigest(env(), china('2026-12-25T08:30'));
    const admin = (await digests()).get('demo.siteadmin');
    expect(admin).toMatchObject({ mailbox: true, obligations: null });
  });

  it('marks the obligations due today, and a digest run twice stores nothing new', async () => {
    await runDailyDigest(env(), china('2026-12-31T09:00'));
    const first = await NotificationModel.countDocuments({ kind: 'digest' });
    expect(lines((await digests()).get('demo.siteadmin.en'))).toEqual(['due_today:security_self_check:河北省商务厅网站:2026-H2:0', 'due_today:special_meeting:河北省商务厅网站:2026:0']);
    await ReminderRunModel.deleteMany({});
    expect(await runDailyDigest(env(), china('2026-12-31T10:00'))).toMatchObject({ inserted: 0 });
    expect(await NotificationModel.countDocuments({ kind: 'digest' })).toBe(first);
  });

  it('renders the obligations in the reader\'s language, in the same message as the rest of the digest', async () => {
    await runDailyDigest(env(), clock.now());
    const ch = recordingChannel();
    await deliverPending(china('2026-12-29T08:31'), { store: notificationDelivery, channels: [ch], settings });
    const en = ch.sent.filter((s) => s.to === 'demo.siteadmin.en');
    expect(en).toHaveLength(1);
    expect(en[0]!.text).toContain('📌 Recurring obligations: 0 overdue, 0 due today, 2 due soon');
    expect(en[0]!.text).toContain('· 2 working days left | half-yearly security self-check | 河北省商务厅网站 | 2026-H2, due 2026-12-31');
    expect(en[0]!.text).toContain("Check your site's message box");
    const county = ch.sent.filter((s) => s.to === 'demo.county');
    expect(county).toHaveLength(1);
    expect(county[0]!.text).toContain('📌 定期任务：已逾期 2 项，今日到期 0 项，即将到期 0 项');
    expect(county[0]!.text).toContain('· 逾期 29 天 | 季度全面检查结果公开报送 | 正定县人民政府 | 2026-Q3，截止 2026-11-30');
    expect(county[0]!.text).toContain('义务完成');
  });

  it('shows at most 8 lines, then how many more, and warns when working days are counted provisionally', () => {
    const top = Array.from({ length: 8 }, (_, i) => ({ obligation: 'special_meeting' as const, subject: `site ${i}`, period: '2027', dueDate: '2027-12-31', state: 'due_soon' as const, days: i === 0 ? 0 : 1 }));
    const data: DigestData = { today: '2027-12-29', dueToday: 0, overdue: 0, top: [], mailbox: false, obligations: { overdue: 0, dueToday: 0, dueSoon: 11, top, provisional: true } };
    const text = replyText(renderNotification({ kind: 'digest', template: 'bot:reminders.digest', params: {}, data: data as unknown as Record<string, unknown>, late: false }, translatorFor('en')));
    expect(text.match(/yearly special meeting/g)).toHaveLength(8);
    expect(text).toContain('· last working day | yearly special meeting with minutes | site 0');
    expect(text).toContain('· 1 working day left | yearly special meeting with minutes | site 1');
    expect(text).toContain('…and 3 more: send "obligations" for the full list');
    expect(text).toContain('provisional');
  });
});
