import { commandById } from '../core/commands/registry';
import { runCommand } from '../core/commands/run';
import { chinaDateOf } from '../core/calendar/civil-date';
import type { Deps } from '../core/ports';
import { buildCtx } from './command-context';
import type { Logger } from './logger';

/** What the story left behind, for the log and the README's tour. */
export interface DemoStory {
  today: string;
  /** Temporary offline requests waiting at the county, the city and the province. */
  pending: { county: string; city: string; province: string };
  /** Error reports: one whose transfer is due today, one overdue. */
  complaints: { dueToday: string; overdue: string };
  campaign: string;
  notice: string;
}

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * The Hebei demo as a small living province on the day it is seeded, played through the commands as the demo
 * users would type them (every rule of the Measures applies): a temporary offline waiting at each level of
 * the chain, an error report whose transfer is due today and one overdue, the quarter's check with open
 * findings, and a notice acknowledged by half of its readers. Dates are relative to `now`, so the tour in
 * the README reads the same whatever the day.
 */
export async function playDemoStory(deps: Deps, now: Date, logger?: Logger): Promise<DemoStory> {
  const run = async <T>(userid: string, commandId: string, input: Record<string, unknown>): Promise<T> => {
    const user = await deps.users.byUserid(userid);
    const spec = commandById(commandId);
    if (!user || !spec) throw new Error(`demo story: no ${user ? commandId : userid}`);
    return (await runCommand(spec, input, buildCtx(user, 'cli', deps))) as T;
  };
  type Filed = { request: { id: string } };
  const today = chinaDateOf(now);
  const cal = await deps.calendar.current();
  const window = { start: addDays(today, 14), end: addDays(today, 16) };

  // 逐级审核: one request waiting at each level (county → city → province).
  const county = await run<Filed>('demo.siteadmin', 'request.temp_offline', { site: '1301230002', ...window, reason: '招生系统迁移至县级集约化平台，暂停服务' });
  const city = await run<Filed>('demo.siteadmin.sjz', 'request.temp_offline', { site: '1301000002', ...window, reason: '机房电力改造，暂停服务' });
  const province = await run<Filed>('demo.siteadmin.bd', 'request.temp_offline', { site: 'slj.bd.gov.cn', ...window, reason: '网站改版上线前的集中测试' });
  await run('demo.city.bd', 'request.approve', { id: province.request.id, comment: '同意，请按期恢复上线' });

  // 我为政府网站找错 (art. 35): the supervisor forwards within one working day. One report came in the day
  // before the next working day (due then: today on a working day), one a week ago (overdue).
  const dueDay = cal.addWorkingDays(today, 0).date;
  let before = addDays(dueDay, -1);
  for (let i = 0; i < 14 && cal.addWorkingDays(before, 1).date !== dueDay; i++) before = addDays(before, -1);
  const report = (id: string, day: string, text: string) => ({ 问题编号: id, 网站标识码: '1301230002', 网页地址: 'https://jyj.zhengding.gov.cn/zsxx/', 错误类型: '错别字', 问题描述: text, 提交时间: `${day} 16:30` });
  const dueToday = `DEMO-${today.replaceAll('-', '')}-1`;
  const overdue = `DEMO-${today.replaceAll('-', '')}-2`;
  await run('demo.province', 'complaint.intake', {
    complaints: [report(dueToday, before, '招生信息页面“报明”应为“报名”'), report(overdue, addDays(today, -7), '首页“通知公告”栏目链接打不开')],
  });

  // Art. 32: the quarter's full content check of 石家庄, with findings still open.
  const opened = await run<{ campaign: { id: string } }>('demo.city', 'campaign.open', {});
  await run('demo.city', 'campaign.finding', { site: '1301000002', category: '扣分', text: '“政策解读”栏目超过 6 个月未更新' });
  await run('demo.city', 'campaign.finding', { site: '1301230002', category: '扣分', text: '首页存在 3 个错误链接' });

  // Art. 37: a notice to the city's site admins, acknowledged by one of the two.
  const notice = await run<{ notice: { id: string } }>('demo.city', 'notice.publish', { title: '关于做好季度检查整改的通知', body: '请于本月底前完成检查问题的整改，并在系统中确认。', ack: 'yes' });
  await run('demo.siteadmin.sjz', 'notice.ack', { id: notice.notice.id });

  const story: DemoStory = {
    today,
    pending: { county: county.request.id, city: city.request.id, province: province.request.id },
    complaints: { dueToday, overdue },
    campaign: opened.campaign.id,
    notice: notice.notice.id,
  };
  logger?.info({ demo: story }, 'demo story played: pending approvals, error reports, a check and a notice (README, "A five-minute tour")');
  return story;
}
