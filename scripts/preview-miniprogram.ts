/**
 * `npm run preview:miniprogram`: pictures of every page of the mini-program, in both languages, for reviewers.
 *
 * Starts the service on the embedded default database (a fresh one, with the Hebei demo data and a little
 * activity: a request under review, a quarterly check finding, a transferred error report), builds the
 * mini-program against it, renders each page with miniprogram-simulate as the page tests do (TDesign included),
 * turns the rendered page into HTML and CSS (rpx at a 375 px width) and photographs it with headless Chromium:
 * Debian's `chromium` package, never a downloaded browser. Writes `miniprogram/preview/<lng>-<role>-<page>.png`
 * and `miniprogram/preview/index.html` (the folder is git-ignored). Not part of `npm test`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chinaDateOf } from '../core/calendar/civil-date';

/** rpx at a 375 px width. */
const rpx = (css: string) => css.replace(/(-?\d*\.?\d+)rpx/g, (_m, n: string) => `${(Number(n) * WIDTH) / 750}px`);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'miniprogram', 'preview');
const WIDTH = 375;

/** Debian's Chromium (or CHROMIUM_PATH); the preview never downloads a browser. */
function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, 'chromium', 'chromium-browser', 'google-chrome'].filter(Boolean) as string[];
  for (const c of candidates) {
    const r = spawnSync('sh', ['-c', `command -v ${JSON.stringify(c)}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

const chromium = findChromium();
if (!chromium) {
  process.stderr.write(
    [
      'preview:miniprogram needs headless Chromium from your system packages (no browser is downloaded):',
      '  Debian/Ubuntu:  sudo apt-get install -y chromium fonts-noto-cjk',
      'or point CHROMIUM_PATH at a Chromium/Chrome binary. Then run `npm run preview:miniprogram` again.',
      '',
    ].join('\n'),
  );
  process.exit(2);
}

// Everything below needs the service and the simulator; loaded only once Chromium is known to be there.
const [{ createApp }, { createChatEngine }, { replyText }, { intakeComplaints }, { createLogger }, { createDeps, createServices, apiPortsOf }, { seedDemoIfEmpty }, store, harness, fakeWechat] =
  await Promise.all([
    import('../api/app'),
    import('../bot/chat-engine'),
    import('../bot/reply'),
    import('../core/complaints/complaint.intake'),
    import('../lib/logger'),
    import('../lib/services'),
    import('../store/demo/seed-demo'),
    import('../store/index'),
    import('../test/miniprogram/harness'),
    import('../test/fake-wechat/fake-wechat'),
  ]);

type Page = import('../test/miniprogram/harness').Page;
const log = (m: string) => process.stdout.write(`${m}\n`);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'steward-preview-db-'));
const db = await store.resolveDatabase({ dataDir, log: () => undefined });
await store.connectMongo(db.uri, 'steward_preview');
await seedDemoIfEmpty();
const deps = createDeps();
const logger = createLogger('silent');

// A little activity, so the lists are not empty (each step may be refused by the rules on some dates: fine).
const chat = createChatEngine({ deps, logger, defaultLocale: 'zh-CN' });
const say = async (userid: string, text: string) => {
  try {
    return replyText(await chat.handle({ userid, text, source: 'wecom' }));
  } catch {
    return '';
  }
};
const day = (offset: number) => chinaDateOf(new Date(Date.now() + offset * 86_400_000));
const filed = /R\d{4}-\d{4}/.exec(await say('demo.siteadmin', `临时下线 jyj.zhengding.gov.cn start=${day(40)} end=${day(44)} reason=机房搬迁`))?.[0] ?? '';
await say('demo.county', '开启季度检查');
await say('demo.county', '检查问题 jyj.zhengding.gov.cn 扣分 首页“机构职能”栏目两年未更新');
// An inspection report of 正定's portal as the nightly crawl leaves it (no fetching in a preview).
{
  const portal = await deps.sites.findByRef('www.zhengding.gov.cn');
  const home = 'https://www.zhengding.gov.cn/';
  if (portal)
    await deps.inspections.saveReport({
      siteId: portal.id,
      siteName: portal.name,
      at: new Date(),
      availability: { today: { probes: 12, failed: 0, ratio: 0 }, week: { probes: 140, failed: 3, ratio: 3 / 140 }, veto: false },
      homepage: { url: home, lastUpdate: day(-20), daysSince: 20, stale: true },
      columns: [
        { url: `${home}xwzx/ywdt/`, name: '要闻动态', kind: 'news', lastUpdate: day(-2), daysSince: 2, limitDays: 14, stale: false, blank: false, nearLimit: false },
        { url: `${home}xwzx/bmdt/`, name: '部门动态', kind: 'news', lastUpdate: day(-12), daysSince: 12, limitDays: 14, stale: false, blank: false, nearLimit: true },
        { url: `${home}zwgk/tzgg/`, name: '通知公告', kind: 'notice', lastUpdate: day(-200), daysSince: 200, limitDays: 183, stale: true, blank: false, nearLimit: false },
        { url: `${home}zwgk/zcwj/`, name: '政策文件', kind: 'policy', limitDays: 183, stale: false, blank: true, nearLimit: false },
      ],
      brokenLinks: [
        { url: `${home}missing.html`, page: home, status: 404 },
        { url: `${home}zwgk/old/2019.html`, page: `${home}zwgk/tzgg/`, status: 'timeout' },
      ],
      elements: { missing: ['error_report_entry', 'police_record'], mismatched: [] },
      veto: ['homepage_stale'],
    });
}
try {
  const at = new Date(Date.now() - 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
  await intakeComplaints(deps, [{ row: 1, data: { platformId: 'ZC-PREVIEW-1', site: 'jyj.zhengding.gov.cn', errorType: '错别字', description: '招生通知把“报名”写成“报明”', receivedAt: at } }], { now: new Date() });
  await say('demo.county', '转办投诉 ZC-PREVIEW-1 请核实处理');
} catch {
  /* a preview without an error report */
}

const fake = await fakeWechat.startFakeWechat();
const app = createApp({ deps, ...apiPortsOf(createServices()), logger, config: { bodyLimit: '1mb', defaultLocale: 'zh-CN' }, miniprogram: fakeWechat.fakeMiniprogramConfig(fake) });
const server = http.createServer(app.callback());
// The simulator's `wx.request` reuses keep-alive sockets across the long pauses of the screenshots: keep them open.
server.keepAliveTimeout = 600_000;
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

harness.installDom();
let who = 'demo.siteadmin';
const wx = harness.fakeWx({ environment: 'wxwork', loginCode: () => fake.wecomCode(who) });
const outDir = harness.buildOnce(base);
const simulate = harness.simulator(wx.api);
// The simulator turns 1rpx into 1px; a 375 px wide phone has 750rpx, so 1rpx is 0.5px here.
const requireCjs = createRequire(import.meta.url);
for (const mod of ['miniprogram-simulate/src/utils', 'j-component/src/tool/utils']) {
  (requireCjs(mod) as { transformRpx: (s: string) => string }).transformRpx = rpx;
}
log('compiling the templates (wcc)…');
harness.warmUp(simulate, outDir);

/** Waits until the page has had no request in flight for a moment (its data loaded or failed). */
async function settle(): Promise<void> {
  let seen = -1;
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 150));
    if (wx.requests.length === seen) return;
    seen = wx.requests.length;
  }
}

async function signIn(userid: string, lng: string): Promise<void> {
  who = userid;
  wx.storage.clear();
  wx.storage.set('steward.lng', lng);
  wx.storage.set('steward.lngChosen', true);
  const login = harness.openPage(simulate, outDir, 'login');
  login.instance.onLoad();
  harness.tap(login, '#sign-in');
  await harness.waitFor(() => wx.storage.get('steward.session'), `${userid} signed in`, 30_000);
}

const BASE_CSS = `
html, body { margin: 0; padding: 0; }
body { width: ${WIDTH}px; background: #f3f3f3; font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", sans-serif; -webkit-font-smoothing: antialiased; --td-font-family: "Noto Sans CJK SC", "PingFang SC", sans-serif; }
wx-view, wx-scroll-view, wx-picker, wx-form, wx-label, wx-swiper, wx-block, wx-textarea, wx-input, wx-button { display: block; }
wx-text { display: inline; } wx-image { display: inline-block; }
wx-button { border: 0; background: none; padding: 0; margin: 0; font: inherit; }
wx-input, wx-textarea { min-height: 1.4em; }
.preview-placeholder { color: #6b6b6b; }
t-cell-group, t-cell, t-button, t-dialog, t-empty, t-skeleton, t-result, t-input, t-textarea, t-radio-group, t-radio, t-tab-bar, t-popup, t-overlay { display: block; }
t-tab-bar-item { flex: 1; display: block; }
`;

/** WeChat's global app.wxss, scoped like the simulator scopes a page's own classes (`main--`). */
function appCss(): string {
  const raw = readFileSync(path.join(outDir, 'app.wxss'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  return raw.replace(/(^|})\s*([^{}@]+)\{/g, (_m, close: string, sel: string) => `${close} ${sel.split(',').map((s) => s.trim().replace(/\.([-_a-zA-Z][-_a-zA-Z0-9]*)/g, '.main--$1').replace(/^page\b/, 'body')).join(', ')} {`);
}


/** The rendered page as a standalone HTML document: the simulator's styles, the page's DOM, the tab bar. */
function html(page: Page, tabBar: Page | undefined, title: string): string {
  for (const el of Array.from(page.dom.querySelectorAll('wx-input, wx-textarea'))) {
    const value = el.getAttribute('value') ?? '';
    const placeholder = el.getAttribute('placeholder') ?? '';
    if (!el.textContent) el.innerHTML = value ? escapeHtml(value) : `<span class="preview-placeholder">${escapeHtml(placeholder)}</span>`;
  }
  const styles = Array.from(document.querySelectorAll('style')).map((s) => s.textContent ?? '').join('\n');
  const nav = `<div style="height:44px;display:flex;align-items:center;justify-content:center;background:#fff;font-weight:600;font-size:17px;border-bottom:1px solid #e7e7e7">${escapeHtml(title)}</div>`;
  const bar = tabBar ? `<div style="position:fixed;left:0;right:0;bottom:0">${tabBar.dom.outerHTML}</div>` : '';
  // WeChat decodes `&nbsp;` in template text (TDesign's required mark); the simulator keeps it literal.
  const body = `${page.dom.outerHTML}${bar}`.replace(/&amp;nbsp;/g, '&nbsp;');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${BASE_CSS}\n${styles}\n${rpx(appCss())}</style></head><body>${nav}<div class="main--page-root">${body}</div></body></html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

interface Shot {
  file: string;
  lng: string;
  role: string;
  page: string;
  note: string;
}
const shots: Shot[] = [];
/** `PREVIEW_ONLY=<regex>`: only the pictures whose file name matches (for working on one page). */
const only = process.env.PREVIEW_ONLY ? new RegExp(process.env.PREVIEW_ONLY) : undefined;
if (!only) rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const htmlDir = mkdtempSync(path.join(os.tmpdir(), 'steward-preview-html-'));

async function shoot(lng: string, role: string, name: string, page: Page, opts: { tabBar?: boolean; note?: string; height?: number } = {}): Promise<void> {
  if (only && !only.test(`${lng}-${role}-${name.replace(/\//g, '-')}`)) return;
  let bar: Page | undefined;
  if (opts.tabBar) {
    bar = simulate.render(harness.loadComponent(simulate, outDir, 'custom-tab-bar/index'));
    bar.attach(document.createElement('parent-wrapper'));
    await settle();
  }
  const title = wx.shown.titles.at(-1) ?? '';
  const file = `${lng}-${role}-${name.replace(/\//g, '-')}.png`;
  const doc = path.join(htmlDir, file.replace(/\.png$/, '.html'));
  writeFileSync(doc, html(page, bar, title));
  execFileSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=2', `--window-size=${WIDTH},${opts.height ?? 900}`, `--screenshot=${path.join(OUT, file)}`, `file://${doc}`], { stdio: 'ignore', timeout: 120_000 });
  shots.push({ file, lng, role, page: name, note: opts.note ?? '' });
  log(`  ${file}`);
}

async function open(name: string, query: Record<string, string> = {}): Promise<Page> {
  const page = harness.openPage(simulate, outDir, name);
  page.instance.onLoad(query);
  await settle();
  // A busy machine may make the embedded database answer late once: the page's own retry, as a user would.
  for (let i = 0; i < 3 && (page.querySelector('.load-error') || page.instance.data.noSites || page.instance.data.error); i++) {
    await new Promise((r) => setTimeout(r, 2000));
    page.instance.onLoad(query);
    await settle();
  }
  return page;
}

const TAB_PAGES = new Set(['inbox', 'apply', 'complaints', 'supervision', 'notices', 'me']);

try {
  for (const lng of ['zh-CN', 'en']) {
    log(`${lng}:`);
    // Signed out.
    wx.storage.clear();
    wx.storage.set('steward.lng', lng);
    const login = harness.openPage(simulate, outDir, 'login');
    login.instance.onLoad();
    await shoot(lng, 'guest', 'login', login, { height: 700 });

    // A site admin: 待办 / 申请 / 纠错 / 我的, the forms, the checks and notices.
    await signIn('demo.siteadmin', lng);
    for (const name of ['inbox', 'apply', 'forms/temp-offline', 'forms/change-record', 'forms/emergency', 'complaints', 'checks', 'notices', 'me', 'inspection']) {
      await shoot(lng, 'siteadmin', name, await open(name), { tabBar: TAB_PAGES.has(name), height: name === 'forms/change-record' || name === 'inspection' ? 1400 : 900 });
    }
    // The 40-day request refused at its field.
    const form = await open('forms/temp-offline');
    harness.pick(form, '#start', day(40));
    harness.pick(form, '#end', day(79));
    harness.type(form, '#reason', lng === 'en' ? 'redesign' : '网站改版');
    await settle();
    if (form.querySelector('#submit')) harness.tap(form, '#submit');
    await settle();
    await shoot(lng, 'siteadmin', 'forms-temp-offline-refused', form, { note: 'a 40-day request: the refusal at the end date' });
    if (filed) await shoot(lng, 'siteadmin', 'request', await open('request', { id: filed }), { height: 1200 });
    const complaints = await open('complaints');
    if (complaints.querySelector('#answer-ZC-PREVIEW-1')) {
      harness.tap(complaints, '#answer-ZC-PREVIEW-1');
      await settle();
      await shoot(lng, 'siteadmin', 'complaints-answer-dialog', complaints, { note: 'answering opens one dialog with its own text box' });
    }

    // A supervisor (the county): 审批 / 监管 / 通知 / 我的, a request with its decisions and the confirmation.
    await signIn('demo.county', lng);
    for (const name of ['inbox', 'supervision', 'notices', 'me']) await shoot(lng, 'supervisor', name, await open(name), { tabBar: true });
    if (filed) {
      const request = await open('request', { id: filed });
      await shoot(lng, 'supervisor', 'request', request, { height: 1400 });
      if (request.querySelector('#approve')) harness.tap(request, '#approve');
      await settle();
      await shoot(lng, 'supervisor', 'request-confirm', request, { note: 'a decision asks for confirmation', height: 900 });
    }
  }

  const rows = shots
    .map((s) => `<figure><img src="${s.file}" width="${WIDTH}" alt="${escapeHtml(`${s.lng} ${s.role} ${s.page}`)}"><figcaption><b>${escapeHtml(s.page)}</b> · ${escapeHtml(s.role)} · ${s.lng}${s.note ? `<br>${escapeHtml(s.note)}` : ''}</figcaption></figure>`)
    .join('\n');
  writeFileSync(
    path.join(OUT, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Site Steward mini-program preview</title><style>body{font-family:sans-serif;background:#eee;margin:16px}figure{display:inline-block;vertical-align:top;margin:8px;background:#fff;padding:8px}figcaption{font-size:14px;max-width:${WIDTH}px}img{border:1px solid #ccc}</style></head><body><h1>Site Steward mini-program: every page, zh-CN and en</h1><p>Rendered with miniprogram-simulate against the service on the embedded database with demo data, photographed with headless Chromium at ${WIDTH} px. TDesign's icon font is loaded from the network in WeChat and is not available here, so icons may show as empty boxes.</p>\n${rows}\n</body></html>\n`,
  );
  log(`${shots.length} pictures and index.html in ${path.relative(process.cwd(), OUT) || OUT}`);
} finally {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await fake.close();
  await store.disconnectMongo();
  await db.release();
  if (process.env.PREVIEW_KEEP_HTML) log(`HTML kept in ${htmlDir}`);
  else rmSync(htmlDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
}
process.exit(0);
