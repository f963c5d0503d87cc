import { createChatEngine } from '../chat-engine';
import { replyText } from '../reply';
import { createLogger } from '../../lib/logger';
import { buildCtx } from '../../lib/command-context';
import { createDeps } from '../../lib/services';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { importSites, importUnits, importUsers } from '../../store/import/registry-import';
import { commandById } from '../../core/commands/registry';
import { runCommand } from '../../core/commands/run';
import { openDueCampaigns } from '../../core/campaigns/campaign.service';
import { CampaignModel, SiteCheckModel } from '../../store/campaign.model';
import { useTestDatabase } from '../../test/db';

useTestDatabase();

/** 2027-01-05 10:00 China time: the 2026-Q4 check is being done (due at the end of February, art. 32). */
let now = new Date('2027-01-05T02:00:00Z');
const deps = createDeps({ now: () => now });
const engine = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });

async function say(userid: string, line: string): Promise<string> {
  return replyText(await engine.handle({ userid, text: line, source: 'shell' }));
}

const pad = (n: number) => String(n).padStart(2, '0');
const dom = (n: number) => `d${pad(n)}.sjz.gov.cn`;
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const rows = (list: object[]) => list.map((data, i) => ({ row: i + 1, data: data as Record<string, unknown> }));

/** 石家庄 has 6 demo sites in its subtree; 94 generated department sites make it 100. */
const EXTRA = 94;

beforeAll(async () => {
  await seedDemoIfEmpty();
  const units = range(1, EXTRA).map((n) => ({ code: `130100-d${pad(n)}`, name: `石家庄市测试局${pad(n)}`, kind: 'department', level: 'city', divisionCode: '130100', parentCode: '130100' }));
  const sites = range(1, EXTRA).map((n) => ({ name: `石家庄市测试局${pad(n)}网站`, kind: 'department', domains: [dom(n)], hostUnit: `130100-d${pad(n)}`, supervisingUnit: '130100', languages: ['zh-CN'], status: 'online' }));
  const users = [{ userid: 'gen.admin', name: 'Alex Admin', locale: 'en', siteAdminOf: range(1, 30).map(dom), supervisorOf: [], provinceAdmin: false }];
  const reports = [await importUnits(rows(units)), await importSites(rows(sites)), await importUsers(rows(users))];
  expect(reports.flatMap((r) => r.failed)).toEqual([]);
});

async function progress(userid = 'demo.city') {
  const user = (await deps.users.byUserid(userid))!;
  return (await runCommand(commandById('campaign.progress')!, {}, buildCtx(user, 'api', deps))) as { totals: Record<string, number>; byUnit: { unit: { code: string }; sites: number }[] };
}

describe('#campaign transcript: the 2026-Q4 check of 石家庄 over 100 sites', () => {
  it('lets the city supervisor open the check over its subtree: 100 check records, due 2027-02-28', async () => {
    const reply = await say('demo.city', '开启季度检查');
    expect(reply).toContain('石家庄市人民政府 2026-Q4 季度全面检查');
    expect(reply).toContain('100 个网站');
    expect(reply).toContain('2027-02-28');
    expect(await SiteCheckModel.countDocuments({ campaignId: '130100:2026-Q4' })).toBe(100);
    // Opening again adds nothing.
    expect(await say('demo.city', '开启检查 130100')).toContain('本次补入 0 个网站');
    expect(await SiteCheckModel.countDocuments({ campaignId: '130100:2026-Q4' })).toBe(100);
  });

  it('refuses people outside the campaign', async () => {
    expect(await say('gen.admin', `finding ${dom(1)} deduction broken links`)).toContain('supervisor');
    // 正定's supervisor does not see 石家庄's own sites: one reads exactly as a site that does not exist.
    expect(await say('demo.county', `检查问题 ${dom(1)} 扣分 栏目长期未更新`)).toBe('⚠️ 未找到该网站，或您无权查看。');
    expect(await say('demo.county', '检查问题 nosuch.sjz.gov.cn 扣分 栏目长期未更新')).toBe('⚠️ 未找到该网站，或您无权查看。');
    expect(await say('demo.city', `检查问题 ${dom(1)} 严重 首页打不开`)).toContain('问题类别“严重”不对');
  });

  it('takes findings for 30 sites (10 with a second, veto finding) and passes 50 more, from chat', async () => {
    for (const n of range(1, 30)) expect(await say('demo.city', `检查问题 ${dom(n)} 扣分 栏目长期未更新，最近一次更新为半年前`)).toContain('第 1 个问题');
    for (const n of range(1, 10)) expect(await say('demo.city', `录入问题 ${dom(n)} 单项否决 首页出现错别字`)).toContain('第 2 个问题');
    for (const n of range(31, 80)) expect(await say('demo.city', `检查通过 ${dom(n)}`)).toContain('已将');
    expect(await say('demo.city', `检查通过 ${dom(31)}`)).toContain('已标记为检查完成');
  }, 90_000);

  it('lets the site admin acknowledge and rectify only their own sites, in English', async () => {
    // Another admin's site reads as one that does not exist, without its name.
    expect(await say('demo.siteadmin.sjz', `确认问题 ${dom(1)} 1`)).toBe('⚠️ 未找到该网站，或您无权查看。');
    for (const n of range(1, 20)) expect(await say('gen.admin', `ack finding ${dom(n)} 1`)).toContain('Finding acknowledged.');
    expect(await say('gen.admin', `ack finding ${dom(1)} 1`)).toContain('already acknowledged');
    for (const n of range(1, 15)) expect(await say('gen.admin', `rectified ${dom(n)} 1 column updated, editor assigned`)).toContain('rectified: column updated, editor assigned');
    // Rectifying finding 2 directly acknowledges it too.
    for (const n of range(1, 5)) expect(await say('gen.admin', `整改完成 ${dom(n)} 2 已更正错别字`)).toContain('Rectification reported.');
    expect(await say('gen.admin', `ack finding ${dom(1)} 9`)).toContain('no finding 9');
  }, 90_000);

  it('lets the supervisor close checks whose findings are all rectified, and no others', async () => {
    expect(await say('demo.city', `关闭检查 ${dom(6)}`)).toContain('还有 1 个问题未整改');
    expect(await say('demo.city', `关闭检查 ${dom(90)}`)).toContain('尚未检查');
    for (const n of [...range(11, 15), ...range(31, 35)]) expect(await say('demo.city', `关闭检查 ${dom(n)}`)).toContain('已关闭');
    expect(await say('demo.city', `关闭检查 ${dom(11)}`)).toContain('没有进行中的季度检查');
  });

  it('counts progress right, in total and per unit, from the API and from chat', async () => {
    const p = await progress();
    expect(p.totals).toEqual({ sites: 100, checked: 80, withFindings: 30, findings: 40, acknowledged: 25, rectified: 20, closed: 10, overdue: 0 });
    const bySites = Object.fromEntries(p.byUnit.map((u) => [u.unit.code, u.sites]));
    expect(bySites).toEqual({ '130100': 97, '130123': 2, '130131': 1 });
    const chat = await say('demo.city', '检查进度');
    expect(chat).toContain('合计：网站 100，已检查 80，有问题 30，问题 40，已确认 25，已整改 20，已关闭 10，逾期 0');
    expect(chat).toContain('正定县人民政府：网站 2');
    expect(await say('gen.admin', `check ${dom(3)}`)).toMatch(/1\. \[deduction\] .* — rectified: column updated/);
  });

  it('counts the checks not closed after the deadline as overdue', async () => {
    now = new Date('2027-03-01T02:00:00Z');
    const p = await progress();
    expect(p.totals.overdue).toBe(90);
    expect(await say('demo.city', '检查进度 period=2026-Q4')).toContain('逾期 90');
  });
});

describe('#openDueCampaigns', () => {
  it('opens, at the start of the quarter, a check for every unit that directly supervises sites, once', async () => {
    now = new Date('2027-04-01T00:30:00Z');
    const first = await openDueCampaigns(deps, now);
    expect(first.period).toBe('2027-Q1');
    expect(first.opened).toContain('130100:2027-Q1');
    expect(first.opened).toContain('130000:2027-Q1');
    const again = await openDueCampaigns(deps, now);
    expect(again.opened).toEqual([]);
    const city = await CampaignModel.findById('130100:2027-Q1').lean();
    expect(city).toMatchObject({ scope: 'direct', dueDate: '2027-05-31' });
    // Direct scope: the city's portal and its departments' sites (1 + 2 + 94), not the county sites.
    expect(await SiteCheckModel.countDocuments({ campaignId: '130100:2027-Q1' })).toBe(97);
    const all = await SiteCheckModel.countDocuments({ period: '2027-Q1' });
    expect(all).toBe(27 + EXTRA); // every active demo site once (the planned one has no check)
  });

  it('does nothing outside the window and repairs a half-finished opening', async () => {
    await SiteCheckModel.deleteMany({ campaignId: '130100:2027-Q1', 'site.ref': { $in: [dom(1), dom(2)] } });
    const res = await openDueCampaigns(deps, new Date('2027-04-02T01:00:00Z'));
    expect(res.repaired).toEqual(['130100:2027-Q1']);
    expect(await SiteCheckModel.countDocuments({ campaignId: '130100:2027-Q1' })).toBe(97);
    expect((await openDueCampaigns(deps, new Date('2027-06-01T01:00:00Z'))).opened).toEqual([]);
  });
});
