import { createChatEngine } from '../chat-engine';
import { replyText } from '../reply';
import { createLogger } from '../../lib/logger';
import { createDeps } from '../../lib/services';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { obligationRepoWith } from '../../store/obligation.repo';
import { ObligationAckModel } from '../../store/obligation.model';
import { parseObligationConfig } from '../../core/obligations/obligation.config';
import { obligationEscalations, obligationsDue } from '../../core/obligations/obligation.due';
import { useTestDatabase } from '../../test/db';

useTestDatabase();

/** 2027-01-05 10:00 China time: last year's half-year self-check and meeting are overdue, the annual report is due. */
const now = new Date('2027-01-05T02:00:00Z');
const deps = createDeps({ now: () => now });
const engine = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
const say = async (userid: string, line: string) => replyText(await engine.handle({ userid, text: line, source: 'shell' }));

let jyjId = '';
beforeAll(async () => {
  await seedDemoIfEmpty();
  jyjId = (await deps.sites.findByRef('jyj.zhengding.gov.cn'))!.id;
});

describe('#obligation transcript', () => {
  it('lists a site admin\'s duties, overdue first', async () => {
    const reply = await say('demo.siteadmin', '定期任务');
    const lines = reply.split('\n');
    expect(lines[1]).toContain('已逾期');
    expect(reply).toMatch(/已逾期 5 天｜半年安全自查｜正定县教育局网站｜2026-H2 期，截止 2026-12-31（第29条）/);
    expect(reply).toMatch(/待完成｜网站年度报表公开｜正定县教育局网站｜2026 期，截止 2027-01-31（第36条）/);
    expect(reply).toContain('每日查看网民信箱');
    // County sites send no sealed copy (art. 36: cities and provincial departments do).
    expect(reply).not.toContain('盖章年报');
  });

  it('acknowledges the oldest open occurrence once, from chat', async () => {
    expect(await say('demo.siteadmin', '义务完成 安全自查 jyj.zhengding.gov.cn 已完成下半年安全自查')).toContain('已确认：半年安全自查｜正定县教育局网站｜2026-H2 期（截止 2026-12-31），已逾期完成。');
    expect(await say('demo.siteadmin', '义务完成 安全自查 jyj.zhengding.gov.cn period=2026-H2')).toContain('此前已由 李静 确认');
    // The next "done" is the half year now open.
    expect(await say('demo.siteadmin', '义务完成 安全自查 jyj.zhengding.gov.cn')).toContain('2027-H1 期（截止 2027-06-30），按时完成');
    expect(await ObligationAckModel.countDocuments({ subjectId: jyjId, obligation: 'security_self_check' })).toBe(2);
    expect(await say('demo.siteadmin', '义务完成 年报 jyj.zhengding.gov.cn period=2027')).toContain('2028-01-01 才开始');
  });

  it('keeps each duty to the people responsible for it', async () => {
    expect(await say('demo.siteadmin', '义务完成 年报盖章 jyj.zhengding.gov.cn')).toContain('不承担');
    expect(await say('demo.siteadmin', '义务完成 季度检查 130123')).toContain('您不负责');
    expect(await say('demo.county', '义务完成 安全自查 jyj.zhengding.gov.cn')).toContain('您不负责');
    expect(await say('demo.county', '义务完成 季度检查 130123 period=2026-Q4 已公开并报送')).toContain('2026-Q4 期（截止 2027-02-28），按时完成');
    expect(await say('demo.siteadmin.en', 'duty done meeting 1300000006 minutes sent')).toContain('Acknowledged: yearly special meeting with minutes | 河北省商务厅网站 | 2026 (due 2026-12-31), late.');
    expect(await say('demo.siteadmin', '义务完成 打扫卫生 jyj.zhengding.gov.cn')).toContain('没有名为“打扫卫生”的定期任务');
  });

  it('tells the job engine what is due, overdue and for the digest, without the acknowledged ones', async () => {
    const due = await obligationsDue(deps, now);
    expect(due.today).toBe('2027-01-05');
    const keys = (list: typeof due.dueSoon) => list.map((i) => i.key);
    // 27 active demo sites publish an annual report; the sealed copy is due for city-level and provincial department sites.
    expect(due.dueSoon.filter((i) => i.obligation === 'annual_report_public')).toHaveLength(27);
    const sealed = due.dueSoon.filter((i) => i.obligation === 'annual_report_sealed').map((i) => i.subject.name);
    expect(sealed).toContain('河北省教育厅网站');
    expect(sealed).toContain('石家庄市人民政府门户网站');
    expect(sealed).not.toContain('正定县教育局网站');
    expect(sealed).not.toContain('河北省人民政府门户网站');
    const jyt = (await deps.sites.findByRef('jyt.hebei.gov.cn'))!.id;
    expect(due.dueSoon.find((i) => i.key === `annual_report_sealed:${jyt}:2026`)?.dueDate).toBe('2027-01-30');
    expect(keys(due.overdue)).not.toContain(`security_self_check:${jyjId}:2026-H2`);
    expect(keys(due.overdue)).toContain(`special_meeting:${jyjId}:2026`);
    expect(due.digest).toHaveLength(27);
    expect(due.digest.every((i) => i.obligation === 'mailbox_check' && i.dueDate === '2027-01-05')).toBe(true);
    expect(keys(due.overdue).some((k) => k.startsWith('mailbox_check'))).toBe(false);
  });

  it('names the escalation target of each overdue duty: the site\'s supervising unit, the unit above a unit', async () => {
    const esc = await obligationEscalations(deps, now);
    const byKey = new Map(esc.map((e) => [e.key, e]));
    expect(byKey.get(`escalate:special_meeting:${jyjId}:2026`)?.toUnit).toBe('130123');
    expect(byKey.get('escalate:quarterly_check:130123:2026-Q3')?.toUnit).toBe('130100');
    expect(byKey.get('escalate:quarterly_check:130000:2026-Q3')?.toUnit).toBeNull();
    expect(byKey.has('escalate:quarterly_check:130123:2026-Q4')).toBe(false);
  });

  it('follows the deployment\'s own dates', async () => {
    const other = { ...deps, obligations: obligationRepoWith(parseObligationConfig('{"annual_report_public":{"due":"01-15"},"annual_report_sealed":{"enabled":false},"horizonDays":10}')) };
    const due = await obligationsDue(other, now);
    expect(new Set(due.dueSoon.filter((i) => i.obligation === 'annual_report_public').map((i) => i.dueDate))).toEqual(new Set(['2027-01-15']));
    expect(due.dueSoon.some((i) => i.obligation === 'annual_report_sealed')).toBe(false);
  });
});
