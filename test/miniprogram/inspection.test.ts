import type { InspectionReport } from '../../core/inspection/inspection.types';
import { translatorFor } from '../../lib/i18n';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { createDeps } from '../../lib/services';
import { useTestDatabase } from '../db';
import { installDom, tap, useMiniprogramApi, waitFor, type Page } from './harness';

useTestDatabase();
installDom();

const now = new Date('2026-12-02T02:00:00Z');
const deps = createDeps({ now: () => now });
const mp = useMiniprogramApi(deps);
const zh = translatorFor('zh-CN');
const HOME = 'https://www.zhengding.gov.cn/';

/** 正定's portal as the nightly crawl left it: a stale home page, a stale and a blank column, a broken link, a missing element. */
const report = (siteId: string): InspectionReport => ({
  siteId,
  siteName: '正定县人民政府门户网站',
  at: now,
  availability: { today: { probes: 12, failed: 0, ratio: 0 }, week: { probes: 140, failed: 3, ratio: 3 / 140 }, veto: false },
  homepage: { url: HOME, lastUpdate: '2026-11-12', daysSince: 20, stale: true },
  columns: [
    { url: `${HOME}xwzx/ywdt/`, name: '要闻动态', kind: 'news', lastUpdate: '2026-11-30', daysSince: 2, limitDays: 14, stale: false, blank: false, nearLimit: false },
    { url: `${HOME}zwgk/tzgg/`, name: '通知公告', kind: 'notice', lastUpdate: '2026-05-16', daysSince: 200, limitDays: 183, stale: true, blank: false, nearLimit: false },
    { url: `${HOME}zwgk/zcwj/`, name: '政策文件', kind: 'policy', limitDays: 183, stale: false, blank: true, nearLimit: false },
  ],
  brokenLinks: [{ url: `${HOME}missing.html`, page: HOME, status: 404 }],
  elements: { missing: ['police_record'], mismatched: [] },
  veto: ['homepage_stale'],
});

const text = (page: Page, sel: string) => page.querySelectorAll(sel).map((e) => e.dom.textContent ?? '').join('\n');

beforeAll(async () => {
  await seedDemoIfEmpty();
  const portal = (await deps.sites.findByRef('www.zhengding.gov.cn'))!;
  await deps.inspections.saveReport(report(portal.id));
});

describe('#miniprogram inspection page', () => {
  it('shows the site admin the same facts as 巡检报告: availability, stale home page, columns, broken links, elements', async () => {
    await mp.signIn('demo.siteadmin');
    const page = mp.open('inspection');
    page.instance.onLoad({ site: '1301230001' });
    await waitFor(() => page.querySelector('#availability'), 'the report');
    expect(text(page, '#veto')).toBe('单项否决风险：首页不更新');
    expect(text(page, '#availability')).toContain('近 7 天：探测 140 次，失败 3 次（2.1%）');
    expect(text(page, '#homepage')).toContain('最近更新 2026-11-12，20 天前');
    const columns = text(page, '#columns');
    expect(columns).toContain('重点栏目 3 个（超期 1，空白 1）');
    expect(columns).toContain('通知公告');
    expect(columns).toContain('通知公告 · 最近 2026-05-16 · 200 天（期限 183 天）');
    expect(columns).toContain(zh('common:mp.inspection.flag.stale'));
    expect(columns).toContain(zh('common:mp.inspection.flag.blank'));
    expect(text(page, '#links')).toContain(`${HOME}missing.html`);
    expect(text(page, '#links')).toContain('HTTP 404');
    expect(text(page, '#elements')).toContain('缺少公安机关备案号');
    // The other site of the admin is one tap away; it has never been inspected.
    const other = page.querySelectorAll('.site-tag').findIndex((e) => (e.dom.textContent ?? '').includes('教育局'));
    expect(other).toBeGreaterThanOrEqual(0);
    tap(page, `#site-${other}`);
    await waitFor(() => !page.querySelector('#availability') && page.instance.data.state === 'ready', 'the other site');
    expect((page.instance.data.view as { inspected: boolean }).inspected).toBe(false);
    expect(page.querySelector('.state.empty')).toBeTruthy();
  });

  it('is reached from 我的', async () => {
    await mp.signIn('demo.county');
    const me = mp.open('me');
    me.instance.onLoad();
    await waitFor(() => me.querySelector('#inspection'), 'the entry');
    me.querySelector('#inspection')!.dispatchEvent('click');
    await waitFor(() => mp.wx.navigations.includes('/pages/inspection/index'), 'the navigation');
  });
});
