import { commandById } from '../../core/commands/registry';
import { runCommand } from '../../core/commands/run';
import { buildCtx } from '../../lib/command-context';
import { translatorFor } from '../../lib/i18n';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { createDeps } from '../../lib/services';
import { currentRoute, installDom, loadComponent, tap, textOf, type, useMiniprogramApi, waitFor, type Page } from './harness';
import { useTestDatabase } from '../db';

useTestDatabase();
installDom();

const china = (local: string) => new Date(`${local}:00+08:00`);
let now = china('2027-04-01T10:00');
const deps = createDeps({ now: () => now });
const mp = useMiniprogramApi(deps);
const run = async <T>(userid: string, id: string, input: unknown) => (await runCommand(commandById(id)!, input, buildCtx((await deps.users.byUserid(userid))!, 'api', deps))) as T;
const zh = translatorFor('zh-CN');
const en = translatorFor('en');
const textsOf = (page: Page, sel: string) => page.querySelectorAll(sel).map((e) => e.dom.textContent?.trim() ?? '');

/** The counts line of a unit (or the totals) as the page words it. */
const counts = (c: { sites: number; checked: number; withFindings: number; findings: number; acknowledged: number; rectified: number; closed: number; overdue: number }) =>
  ['checked', 'findings', 'acknowledged', 'rectified', 'closed', 'overdue'].map((k) => zh(`common:mp_supervision.progress.${k}`, c));
const countsOn = (page: Page, scope: string) => ['checked', 'findings', 'acknowledged', 'rectified', 'closed', 'overdue'].map((k) => textOf(page, `${scope} .count-${k}`));

let dueDate = '';
let campaignId = '';

beforeAll(async () => {
  await seedDemoIfEmpty();
});

describe('#miniprogram supervision: quarterly check progress', () => {
  beforeAll(async () => {
    // 石家庄 (130100) opens the 2027-Q1 check over its subtree: its own 3 sites, 正定 (130123) 2, 平山 (130131) 1.
    const opened = await run<{ campaign: { id: string; dueDate: string; siteCount: number } }>('demo.city', 'campaign.open', { unit: '130100', period: '2027-Q1' });
    expect(opened.campaign.siteCount).toBe(6);
    dueDate = opened.campaign.dueDate;
    campaignId = opened.campaign.id;
    const finding = (site: string, category: string, text: string) => run('demo.city', 'campaign.finding', { site, category, text });
    // 正定县教育局: one finding acknowledged, one rectified (which acknowledges it too).
    await finding('jyj.zhengding.gov.cn', 'deduction', '“政策解读”栏目超过半年未更新');
    await finding('jyj.zhengding.gov.cn', 'veto', '首页存在错误链接');
    await run('demo.siteadmin', 'campaign.ack', { site: 'jyj.zhengding.gov.cn', no: 1 });
    await run('demo.siteadmin', 'campaign.rectify', { site: 'jyj.zhengding.gov.cn', no: 2, note: '已修复链接' });
    // 正定县门户: one finding still open.
    await finding('www.zhengding.gov.cn', 'other', '互动栏目留言未按时答复');
    // 石家庄市教育局: rectified and closed; 石家庄门户: checked, nothing found; the rest not checked yet.
    await finding('jyj.sjz.gov.cn', 'deduction', '机构职能信息不全');
    await run('demo.siteadmin.sjz', 'campaign.rectify', { site: 'jyj.sjz.gov.cn', no: 1, note: '已补充机构职能' });
    await run('demo.city', 'campaign.close', { site: 'jyj.sjz.gov.cn' });
    await run('demo.city', 'campaign.pass', { site: 'www.sjz.gov.cn' });
    // The day after the art. 32 deadline: every check not closed is overdue.
    const [y, m, d] = dueDate.split('-').map(Number) as [number, number, number];
    now = new Date(Date.UTC(y, m - 1, d + 1, 2, 0));
  });

  it('a city supervisor sees the campaign per unit with the right counts and drills into a unit to its sites and findings', async () => {
    await mp.signIn('demo.city');
    const page = mp.open('supervision');
    page.instance.onLoad({ period: '2027-Q1' });
    await waitFor(() => page.querySelector('#unit-130123'), 'the progress per unit');
    expect(textOf(page, '.error')).toBe('');
    expect(textOf(page, '.campaign-title')).toBe(zh('common:mp_supervision.progress.campaign', { unit: '石家庄市人民政府', period: '2027-Q1', id: campaignId }));
    expect(textOf(page, '.campaign-due')).toBe(zh('common:mp_supervision.progress.due', { date: dueDate }));

    const zero = { sites: 0, checked: 0, withFindings: 0, findings: 0, acknowledged: 0, rectified: 0, closed: 0, overdue: 0 };
    expect(countsOn(page, '#totals')).toEqual(counts({ sites: 6, checked: 4, withFindings: 3, findings: 4, acknowledged: 3, rectified: 2, closed: 1, overdue: 5 }));
    expect(countsOn(page, '#unit-130123')).toEqual(counts({ ...zero, sites: 2, checked: 2, withFindings: 2, findings: 3, acknowledged: 2, rectified: 1, overdue: 2 }));
    expect(countsOn(page, '#unit-130100')).toEqual(counts({ ...zero, sites: 3, checked: 2, withFindings: 1, findings: 1, acknowledged: 1, rectified: 1, closed: 1, overdue: 2 }));
    expect(countsOn(page, '#unit-130131')).toEqual(counts({ ...zero, sites: 1, overdue: 1 }));
    expect(textOf(page, '#unit-130123 .unit-name')).toContain('正定县人民政府');
    // Overdue units stand out.
    expect(page.querySelector('#unit-130123 .count-overdue')!.dom.className).toContain('warn');

    // Drill into 正定: both sites, each finding in its state.
    tap(page, '#open-unit-130123');
    await waitFor(() => page.querySelectorAll('#unit-130123 .finding').length === 3, 'the findings of 正定');
    const jyj = (await deps.sites.findByRef('jyj.zhengding.gov.cn'))!;
    const portal = (await deps.sites.findByRef('www.zhengding.gov.cn'))!;
    expect(textOf(page, `#site-${jyj.code} .site-name`)).toBe(zh('common:mp_supervision.progress.site_line', { site: jyj.name, status: zh('bot:campaign.status.checked') }));
    expect(textOf(page, `#site-${jyj.code}`)).toContain(zh('common:mp.checks.overdue'));
    expect(textOf(page, `#finding-${jyj.code}-1`)).toContain('“政策解读”栏目超过半年未更新');
    expect(textOf(page, `#finding-${jyj.code}-1 .finding-state`)).toBe(zh('bot:campaign.finding_state.acknowledged'));
    expect(textOf(page, `#finding-${jyj.code}-2 .finding-state`)).toBe(zh('bot:campaign.finding_state.rectified', { note: '已修复链接' }));
    expect(textOf(page, `#finding-${portal.code}-1 .finding-state`)).toBe(zh('bot:campaign.finding_state.open'));
    // Another unit: the closed check is not overdue; the passed one says it found nothing.
    tap(page, '#open-unit-130100');
    await waitFor(() => page.querySelectorAll('#unit-130100 .site').length === 3, 'the sites of 石家庄');
    expect(page.querySelector('#unit-130123 .site')).toBeFalsy();
    const sjzJyj = (await deps.sites.findByRef('jyj.sjz.gov.cn'))!;
    const sjz = (await deps.sites.findByRef('www.sjz.gov.cn'))!;
    expect(textOf(page, `#site-${sjzJyj.code}`)).not.toContain(zh('common:mp.checks.overdue'));
    expect(textOf(page, `#site-${sjzJyj.code} .site-name`)).toContain(zh('bot:campaign.status.closed'));
    expect(textOf(page, `#site-${sjz.code}`)).toContain(zh('common:mp_supervision.progress.no_findings'));
  });

  it('shows the server refusal for a quarter with no campaign, in the chosen language', async () => {
    const login = await mp.signIn('demo.city');
    tap(login, '#language');
    await waitFor(() => mp.wx.storage.get('steward.lng') === 'en', 'the language switch');
    const page = mp.open('supervision');
    page.instance.onLoad({ period: '2027-Q1' });
    await waitFor(() => page.querySelector('#unit-130123'), 'the progress');
    expect(textOf(page, '#unit-130123 .count-overdue')).toBe(en('common:mp_supervision.progress.overdue', { overdue: 2 }));
    type(page, '#period', '2026-Q2');
    tap(page, '#show-progress');
    await waitFor(() => textOf(page, '.error'), 'the refusal');
    expect(textOf(page, '.error')).toBe(en('errors:campaign_not_found', { unit: '石家庄市人民政府', period: '2026-Q2' }));
    expect(page.querySelector('#unit-130123')).toBeFalsy();
    mp.wx.storage.set('steward.lng', 'zh-CN');
  });

  it('tells a site admin there is nothing to supervise', async () => {
    await mp.signIn('demo.siteadmin');
    const before = mp.wx.requests.length;
    const page = mp.open('supervision');
    page.instance.onLoad();
    await waitFor(() => textOf(page, '.not-supervisor'), 'the explanation');
    expect(textOf(page, '.not-supervisor')).toBe(zh('common:mp_supervision.not_supervisor'));
    expect(page.querySelector('#tab-progress')).toBeFalsy();
    expect(mp.wx.requests.slice(before).some((r) => r.url.includes('/campaigns/progress'))).toBe(false);
  });
});

describe('#miniprogram supervision: notice status', () => {
  let id = '';

  beforeAll(async () => {
    // 石家庄 asks its subtree's site admins (李静 of 正定, 孙悦 of 石家庄市教育局) to acknowledge; only 李静 does.
    const out = await run<{ notice: { id: string }; recipients: number }>('demo.city', 'notice.publish', { title: '关于做好二季度网站自查的通知', body: '请于本月底前完成自查。', ack: true });
    id = out.notice.id;
    expect(out.recipients).toBe(2);
    await run('demo.siteadmin', 'notice.ack', { id });
  });

  it('a supervisor sees the notices it sent with their counts, and taps one to see who has not acknowledged', async () => {
    // A second one, without acknowledgement, sent later: listed first.
    now = new Date(now.getTime() + 60_000);
    const later = await run<{ notice: { id: string } }>('demo.city', 'notice.publish', { title: '关于更新联系方式的通知', body: '请核对联系方式。' });
    await mp.signIn('demo.city');
    const page = mp.open('supervision');
    page.instance.onLoad();
    await waitFor(() => page.querySelector('#tab-notices'), 'the tabs');
    tap(page, '#tab-notices');
    await waitFor(() => page.querySelector(`#sent-${id}`), 'the sent notices');
    expect(textOf(page, '.error')).toBe('');
    expect(textsOf(page, '.sent-title')).toEqual(['关于更新联系方式的通知', '关于做好二季度网站自查的通知']);
    expect(textOf(page, `#sent-${id} .sent-title`)).toBe('关于做好二季度网站自查的通知');
    expect(textOf(page, `#sent-${id} .sent-state`)).toBe(zh('bot:notices_sent.state.acks', { acknowledged: 1, recipients: 2 }));
    expect(page.querySelector(`#sent-${id} .sent-state`)!.dom.className).toContain('warn');
    expect(textOf(page, `#sent-${later.notice.id} .sent-state`)).toBe(zh('bot:notices_sent.state.no_ack', { recipients: 2 }));
    expect(page.querySelector('.sent-truncated')).toBeFalsy();
    // No number typed: one tap on the line opens its status, as the number box would.
    expect(page.querySelector(`#status-${id}`)).toBeFalsy();
    tap(page, `#sent-${id}`);
    await waitFor(() => page.querySelector(`#status-${id}`), 'the notice status');
    expect(textOf(page, '.acks')).toBe(zh('common:mp_supervision.notices.acks', { acknowledged: 1, recipients: 2 }));
    expect(textsOf(page, '.not-acked-name')).toEqual(['孙悦']);
    expect(page.querySelector(`#sent-${id}`)!.dom.className).toContain('active');
    // The number box stays, as the way to older notices.
    expect(page.querySelector('#notice-id')).toBeTruthy();
    expect(mp.wx.requests.some((r) => r.url.endsWith('/api/v1/notices/sent') && r.status === 200)).toBe(true);
  });

  it('does not show another unit\'s supervisor the notices it did not send', async () => {
    await mp.signIn('demo.city.bd');
    const page = mp.open('supervision');
    page.instance.onLoad({ tab: 'notices' });
    await waitFor(() => textOf(page, '.sent-empty'), 'the empty list');
    expect(textOf(page, '.sent-empty')).toBe(zh('common:mp_supervision.notices.sent_empty'));
    expect(page.querySelector('.sent-notice')).toBeFalsy();
    expect(page.querySelector(`#sent-${id}`)).toBeFalsy();
    // The notices tab in view: the progress tab (保定 has no campaign open) waits until it is opened.
    expect(textOf(page, '.error')).toBe('');
  });

  it('the sender sees how many acknowledged and, by name, who has not', async () => {
    await mp.signIn('demo.city');
    const page = mp.open('supervision');
    page.instance.onLoad();
    await waitFor(() => page.querySelector('#tab-notices'), 'the tabs');
    tap(page, '#tab-notices');
    await waitFor(() => page.querySelector('#notice-id'), 'the notices tab');
    type(page, '#notice-id', id.toLowerCase());
    tap(page, '#show-notice');
    await waitFor(() => page.querySelector(`#status-${id}`), 'the notice status');
    expect(textOf(page, '.error')).toBe('');
    expect(textOf(page, '.status-title')).toBe('关于做好二季度网站自查的通知');
    expect(textOf(page, '.acks')).toBe(zh('common:mp_supervision.notices.acks', { acknowledged: 1, recipients: 2 }));
    expect(textOf(page, '.not-acked-count')).toBe(zh('common:mp_supervision.notices.not_acked', { count: 1 }));
    expect(textsOf(page, '.not-acked-name')).toEqual(['孙悦']);
    // The page agrees with the command the chat uses.
    const status = await run<{ notAcknowledged: { name: string }[] }>('demo.city', 'notice.status', { id });
    expect(status.notAcknowledged.map((p) => p.name)).toEqual(['孙悦']);
    // Remembered for next time, one tap away.
    expect(mp.wx.storage.get('steward.followedNotices')).toEqual([{ id, title: '关于做好二季度网站自查的通知' }]);

    await run('demo.siteadmin.sjz', 'notice.ack', { id });
    const again = mp.open('supervision');
    again.instance.onLoad({ tab: 'notices' });
    await waitFor(() => again.querySelector(`#recent-${id}`), 'the remembered notice');
    tap(again, `#recent-${id}`);
    await waitFor(() => textOf(again, '.all-acked'), 'everyone acknowledged');
    expect(textOf(again, '.acks')).toBe(zh('common:mp_supervision.notices.acks', { acknowledged: 2, recipients: 2 }));
    expect(again.querySelector('.not-acked-name')).toBeFalsy();
  });

  it('refuses a notice that is not mine to follow, in the server\'s words; an empty number is stopped on the phone', async () => {
    await mp.signIn('demo.city.bd');
    const page = mp.open('supervision');
    page.instance.onLoad({ notice: id });
    await waitFor(() => textOf(page, '.error'), 'the refusal');
    // Neither followed nor received by 保定: the same words as for a notice that does not exist.
    expect(textOf(page, '.error')).toBe(zh('errors:not_found', { what: 'notice' }));
    expect(page.querySelector(`#status-${id}`)).toBeFalsy();
    // The tab's own list has loaded too, so only what the tap does is counted below.
    await waitFor(() => textOf(page, '.sent-empty'), 'the empty list');

    type(page, '#notice-id', '');
    const before = mp.wx.requests.length;
    tap(page, '#show-notice');
    await waitFor(() => textOf(page, '.error') === zh('errors:notice_id_required'), 'the missing number');
    expect(mp.wx.requests.length).toBe(before);
  });
});

describe('#miniprogram tab bar', () => {
  const openBar = () => {
    const bar = mp.env.simulate.render(loadComponent(mp.env.simulate, mp.env.outDir, 'custom-tab-bar/index'));
    bar.attach(document.createElement('parent-wrapper'));
    return bar;
  };
  const labelsOf = (bar: Page) => (bar.instance.data.items as { text: string }[]).map((i) => i.text);

  it('gives a supervisor 审批 / 监管 / 通知 / 我的, with icons and the inbox count, and no filing form', async () => {
    await mp.signIn('demo.city');
    currentRoute.value = 'pages/inbox/index';
    const bar = openBar();
    await waitFor(() => bar.querySelectorAll('.tab-bar-item').length === 4, 'the four tabs');
    expect(labelsOf(bar)).toEqual(['approve', 'supervise', 'notices', 'me'].map((k) => zh(`common:mp.tabs.${k}`)));
    const items = bar.instance.data.items as { path: string; icon: string; badge: { count: number } | null; ariaLabel: string }[];
    expect(items.every((i) => i.icon)).toBe(true);
    expect(items.some((i) => i.path.includes('forms') || i.path.includes('apply'))).toBe(false);
    expect(bar.instance.data.selected).toBe('pages/inbox/index');
    for (const i of items) expect(i.ariaLabel).toContain(zh(`common:mp.tabs.${['approve', 'supervise', 'notices', 'me'][items.indexOf(i)]}`));
    (bar.instance.onChange as (e: unknown) => void).call(bar.instance, { detail: { value: 'pages/supervision/index' } });
    await waitFor(() => mp.wx.navigations.includes('/pages/supervision/index'), 'the switch');
  });

  it('gives a site admin 待办 / 申请 / 纠错 / 我的, and no approval tab', async () => {
    await mp.signIn('demo.siteadmin');
    const bar = openBar();
    await waitFor(() => bar.querySelectorAll('.tab-bar-item').length === 4, 'the four tabs');
    expect(labelsOf(bar)).toEqual(['todo', 'apply', 'complaints', 'me'].map((k) => zh(`common:mp.tabs.${k}`)));
    const paths = (bar.instance.data.items as { path: string }[]).map((i) => i.path);
    expect(paths).not.toContain('pages/supervision/index');
  });
});
