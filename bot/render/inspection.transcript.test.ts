import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { createChatEngine } from '../chat-engine';
import { createShellChannel } from '../shell/shell-channel';
import { replyParts, replyText } from '../reply';
import { createLogger } from '../../lib/logger';
import { buildCtx } from '../../lib/command-context';
import { createServices, type Services } from '../../lib/services';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { commandById } from '../../core/commands/registry';
import { runCommand } from '../../core/commands/run';
import type { InspectionReportDTO } from '../../core/presenters/inspection.presenter';
import { useTestDatabase } from '../../test/db';
import { startFixtureSites, typicalSite, type FixtureSites } from '../../test/fixture-sites';

useTestDatabase();

/** 2026-12-02 10:00 China time. */
const now = new Date('2026-12-02T02:00:00Z');
const SITE = 'www.zhengding.gov.cn';
const HOME = `http://${SITE}/`;
let fixtures: FixtureSites;
let services: Services;
let say: (userid: string, line: string) => Promise<string>;

beforeAll(async () => {
  await seedDemoIfEmpty();
  // 正定's portal as the inspection should see it: a home page 20 days old, a notice column 200 days old
  // (limit 183), a blank policy column, a broken link, and no 找错 entry or 公安备案号 in the footer.
  fixtures = await startFixtureSites([
    typicalSite({
      host: SITE,
      now,
      homepageAgeDays: 20,
      columns: [
        { path: '/xwzx/ywdt/', name: '要闻动态', ageDays: 2 },
        { path: '/zwgk/tzgg/', name: '通知公告', ageDays: 200 },
        { path: '/zwgk/zcwj/', name: '政策文件', ageDays: 'blank' },
      ],
      footer: { partyGovMark: true, siteCode: '1301230001', icp: '冀ICP备05003216号-1', hostUnit: '正定县人民政府', contact: '0311-88012345' },
      links: ['/missing.html'],
    }),
  ]);
  services = createServices({ clock: { now: () => now }, inspection: { resolve: fixtures.resolveEnv } });
  const engine = createChatEngine({ deps: services.deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
  say = async (userid, line) => replyText(await engine.handle({ userid, text: line, source: 'shell' }));
});

afterAll(async () => {
  services?.closeInspector();
  await fixtures?.close();
});

async function run(userid: string, id: string, input: Record<string, unknown>) {
  const user = (await services.deps.users.byUserid(userid))!;
  return runCommand(commandById(id)!, input, buildCtx(user, 'api', services.deps));
}

describe('#inspection transcript: 正定县人民政府门户网站 inspected from chat', () => {
  it('shows the default profile and lets the site admin set the home URL, refusing addresses off the site', async () => {
    expect(await say('demo.siteadmin', `巡检设置 ${SITE}`)).toContain('首页地址：https://www.zhengding.gov.cn/');
    expect(await say('demo.siteadmin', `巡检首页 ${SITE} ftp://${SITE}/`)).toBe(`⚠️ 网址 ftp://${SITE}/ 使用了 ftp 协议：巡检只支持 http:// 或 https://`);
    expect(await say('demo.siteadmin', `巡检首页 ${SITE} http://www.xinji.gov.cn/`)).toContain('不是本网站登记的域名（www.zhengding.gov.cn）');
    expect(await say('demo.siteadmin', `巡检首页 ${SITE} www.zhengding.gov.cn`)).toContain('不是完整的网址');
    // The supervisor reads the profile but does not edit it: the site admin confirms what the site is.
    expect(await say('demo.county', `巡检首页 ${SITE} ${HOME}`)).toContain('该命令仅限网站管理员使用');
    const saved = await say('demo.siteadmin', `巡检首页 ${SITE} ${HOME}`);
    expect(saved).toContain('✅ 已保存首页地址。');
    expect(saved).toContain(`首页地址：${HOME}`);
  });

  it('takes a key column with its kind in the national words, and refuses an unknown kind', async () => {
    expect(await say('demo.siteadmin', `巡检栏目 ${SITE} ${HOME}zwgk/tzgg/ 公示栏`)).toBe('⚠️ 输入有 1 处错误：\nkind: 栏目类别“公示栏”无法识别：请用 动态/要闻、通知公告、政策文件 或 其他');
    const added = await say('demo.siteadmin', `巡检栏目 ${SITE} ${HOME}zwgk/tzgg/ 通知公告 通知公告`);
    expect(added).toContain('✅ 已添加重点栏目。');
    expect(added).toContain(`· 通知公告［通知公告］${HOME}zwgk/tzgg/`);
    const site = (await services.deps.sites.findByRef(SITE))!;
    expect(await services.deps.inspections.profileOf(site.id)).toMatchObject({ columns: [{ kind: 'notice' }] });
  });

  it('inspects the site now and reports the stale home page, the stale column, the missing elements', async () => {
    const reply = await say('demo.siteadmin', `巡检 ${SITE}`);
    expect(reply).toContain('巡检完成。');
    expect(reply).toContain('【正定县人民政府门户网站 巡检报告】巡检时间 2026-12-02 10:00');
    expect(reply).toContain('⛔ 单项否决风险：首页不更新');
    expect(reply).toContain('首页：⚠️ 最近更新 2026-11-12，已 20 天未更新');
    expect(reply).toContain('必备要素：⚠️ “我为政府网站找错”入口、公安机关备案号');
    expect(reply).toContain('栏目“通知公告”（通知公告）已 200 天未更新，期限 183 天');
    expect(reply).toContain(`死链 ${HOME}missing.html（HTTP 404），位于 ${HOME}`);
  }, 60_000);

  it('lists the columns found in the navigation, and the site admin confirms them all', async () => {
    const columns = await say('demo.siteadmin', `栏目 ${SITE}`);
    expect(columns).toContain('· 通知公告［通知公告］⚠️ 最近 2026-05-16，已 200 天未更新（期限 183 天）');
    expect(columns).toContain('待确认栏目（从首页导航中发现，共 2 个）：');
    expect(columns).toContain(`1. 要闻动态［动态/要闻］${HOME}xwzx/ywdt/`);
    expect(columns).toContain(`2. 政策文件［政策文件］${HOME}zwgk/zcwj/`);
    expect(await say('demo.siteadmin', `确认栏目 ${SITE} 3`)).toBe('⚠️ 栏目序号不对：3。请用“栏目 <网站>”列出的序号（1 至 2），或“全部”');
    expect(await say('demo.siteadmin', `确认栏目 ${SITE} 第一个`)).toContain('栏目序号无法识别');
    expect(await say('demo.siteadmin', `确认栏目 ${SITE} 全部`)).toContain('✅ 已确认 2 个栏目：要闻动态、政策文件。');
    expect(await say('demo.siteadmin', `确认栏目 ${SITE} 全部`)).toContain('没有待确认的栏目');
  });

  it('judges every key column on the next inspection: one fresh, one stale, one blank', async () => {
    const { report } = (await run('demo.siteadmin', 'inspection.run', { site: SITE })) as { report: InspectionReportDTO };
    const byName = Object.fromEntries(report.columns.map((c) => [c.name, c]));
    expect(byName['要闻动态']).toMatchObject({ kind: 'news', daysSince: 2, stale: false, blank: false });
    expect(byName['通知公告']).toMatchObject({ kind: 'notice', daysSince: 200, limitDays: 183, stale: true });
    expect(byName['政策文件']).toMatchObject({ kind: 'policy', blank: true });
    expect(report.brokenLinks).toEqual([{ url: `${HOME}missing.html`, page: HOME, status: 404 }]);
    expect(report.elements.missing).toEqual(['error_report_entry', 'police_record']);
    expect(await say('demo.siteadmin', `栏目 ${SITE}`)).toContain('· 政策文件［政策文件］⚠️ 空白栏目');
  }, 60_000);

  it('shows the broken links and the week of probes, and refuses a report longer than the records', async () => {
    expect(await say('demo.county', `死链 ${SITE}`)).toContain(`1. ${HOME}missing.html（HTTP 404）\n   所在页面：${HOME}`);
    const week = await say('demo.county', `巡检报告 ${SITE} 3`);
    expect(week).toContain('近 3 天可用性：0 次探测失败 0 次（0.0%）');
    expect(week).toContain('· 2026-12-02：无探测记录');
    expect(await say('demo.county', `巡检报告 ${SITE} 30`)).toContain('天数应为 1 至 7 之间的整数');
    // 辛集's supervisor does not see 正定's site: it reads as one that does not exist.
    expect(await say('demo.county.zz', `巡检报告 ${SITE}`)).toBe('⚠️ 未找到该网站，或您无权查看。');
  });

  it('gives the county supervisor an overview of its subtree, veto risks first', async () => {
    const overview = await say('demo.county', '巡检概况');
    const lines = overview.split('\n');
    expect(lines[0]).toBe('【正定县人民政府 巡检概况】网站 2 个，已巡检 1 个，单项否决风险 1 个，有问题 1 个');
    expect(lines[1]).toMatch(/^1\. ⛔ 正定县人民政府门户网站（1301230001）.*否决风险：首页不更新/);
    expect(lines[2]).toBe('2. ❔ 正定县教育局网站（1301230002）尚未巡检');
    expect(await say('demo.siteadmin', '巡检概况')).toContain('该命令仅限主管单位使用');
  });

  it('turns inspection problem 1 into a veto finding of the open quarterly check', async () => {
    expect(await say('demo.county', `巡检转问题 ${SITE} 1`)).toContain('没有进行中的');
    await run('demo.county', 'campaign.open', {});
    expect(await say('demo.county', `巡检转问题 ${SITE} 99`)).toContain('最近一次巡检没有第 99 个问题');
    const reply = await say('demo.county', `巡检转问题 ${SITE} 1`);
    expect(reply).toContain('✅ 已将巡检问题 1 录入“正定县人民政府门户网站”的季度检查（第 1 个问题）。');
    expect(reply).toContain('【2026-12-02 网站巡检】首页不更新：已 20 天没有新内容');
    const shown = await say('demo.siteadmin', `检查情况 ${SITE}`);
    expect(shown).toContain('单项否决');
  });

  it('exports the site and the county as xlsx files, in the reader language', async () => {
    const reply = await (async () => {
      const user = (await services.deps.users.byUserid('demo.county'))!;
      const ctx = buildCtx(user, 'wecom', services.deps);
      return runCommand(commandById('inspection.export')!, { target: '130123' }, ctx) as Promise<{ fileName: string; base64: string; download: string }>;
    })();
    expect(reply.fileName).toBe('inspection-130123-2026-12-02.xlsx');
    expect(reply.download).toBe('/api/v1/inspections/units/130123/xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(reply.base64, 'base64') as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['网站概况', '栏目', '死链', '必备要素', '问题清单']);
    expect(wb.getWorksheet('网站概况')!.getRow(2).getCell(1).value).toBe('正定县人民政府门户网站');
    const file = replyParts(await createChatEngine({ deps: services.deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' }).handle({ userid: 'demo.siteadmin', text: `巡检导出 ${SITE}`, source: 'wecom' }));
    expect(file[0]).toMatchObject({ kind: 'file', fileName: 'inspection-1301230001-2026-12-02.xlsx' });
    expect(await say('demo.siteadmin', '巡检导出 130123')).toBe('⚠️ 未找到该网站，或您无权查看。');
  });

  it('shows how far 巡检 is on the shell while it runs, then the report', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString('utf8')));
    const engine = createChatEngine({ deps: services.deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
    const shell = createShellChannel({ engine, as: 'demo.siteadmin', input, output, interactive: true });
    await shell.start();
    input.write(`巡检 ${SITE}\n`);
    input.end();
    await shell.done;
    expect(shown).toMatch(/巡检中：已读 \d+ 个页面，检查 \d+ 个链接/);
    // The status line is cleared before the answer, which follows it in full.
    expect(shown.lastIndexOf('巡检中：')).toBeLessThan(shown.indexOf('首页'));
  });
});
