import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices } from '../../lib/services';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { testDatabaseUri, useTestDatabase } from '../../test/db';
import { NODE, STEWARD } from '../../test/cli';
import { chinaDaysBefore, startFixtureSites, typicalSite, type FixtureSites } from '../../test/fixture-sites';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const db = useTestDatabase();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const SITE = 'www.zhengding.gov.cn';
const HOME = `http://${SITE}/`;
/** The CLI runs on the real clock, so the fixture's dates count back from the real today. */
const now = new Date();
let fixtures: FixtureSites;

/** `steward <args>` as a script runs it: a child process on this file's database, the fixture `.gov.cn` names sent to loopback. */
function steward(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      NODE,
      [...STEWARD, ...args],
      {
        cwd: ROOT,
        env: { ...process.env, MONGODB_URI: testDatabaseUri(), STEWARD_DB_NAME: db.name(), STEWARD_LOCALE: 'en', LOG_LEVEL: 'warn', STEWARD_INSPECT_RESOLVE: fixtures.resolveEnv, ...env },
        maxBuffer: 10 * 1024 * 1024,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const CHILD_TIMEOUT = 90_000;

beforeAll(async () => {
  await seedDemoIfEmpty();
  // 正定's portal with what the national check fails: a home page 20 days old, a 通知公告 column 200 days
  // old (limit 183), a blank 政策文件 column, a broken link, no 找错 entry and no 公安备案号 in the footer.
  fixtures = await startFixtureSites([
    typicalSite({
      host: SITE,
      now,
      encoding: 'gbk',
      homepageAgeDays: 20,
      columns: [
        { path: '/xwzx/ywdt/', name: '要闻动态', ageDays: 2 },
        { path: '/zwgk/tzgg/', name: '通知公告', ageDays: 200 },
        { path: '/zwgk/zcwj/', name: '政策文件', ageDays: 'blank' },
      ],
      footer: { partyGovMark: true, siteCode: '1301230001', icp: '冀ICP备05003216号-1', hostUnit: '正定县人民政府', contact: '0311-88012345' },
      links: ['/missing.html', '/xwzx/ywdt/home1.html'],
    }),
  ]);
  const { deps } = createServices();
  const site = (await deps.sites.findByRef(SITE))!;
  await deps.inspections.saveProfile({
    siteId: site.id,
    homeUrls: [HOME],
    columns: [
      { url: `${HOME}xwzx/ywdt/`, kind: 'news', name: '要闻动态', confirmed: true },
      { url: `${HOME}zwgk/tzgg/`, kind: 'notice', name: '通知公告', confirmed: true },
      { url: `${HOME}zwgk/zcwj/`, kind: 'policy', name: '政策文件', confirmed: true },
    ],
    probesPerDay: 20,
    offsetMinutes: 0,
    crawlDepth: 1,
    enabled: true,
  });
});

afterAll(async () => {
  await fixtures?.close();
});

describe('#cli steward inspect', () => {
  it('--json: one JSON document on stdout with the stale home page, stale and blank columns, broken links and missing elements', async () => {
    const run = await steward(['inspect', SITE, '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as Record<string, never>;
    expect(doc).toMatchObject({
      availability: { today: { probes: 0, failed: 0 }, week: { probes: 0, failed: 0 }, veto: false },
      homepage: { url: HOME, lastUpdate: chinaDaysBefore(now, 20), daysSince: 20, stale: true },
      veto: ['homepage_stale'],
    });
    expect(doc.columns).toEqual([
      { url: `${HOME}xwzx/ywdt/`, name: '要闻动态', kind: 'news', lastUpdate: chinaDaysBefore(now, 2), daysSince: 2, limitDays: 14, stale: false, blank: false, nearLimit: false },
      { url: `${HOME}zwgk/tzgg/`, name: '通知公告', kind: 'notice', lastUpdate: chinaDaysBefore(now, 200), daysSince: 200, limitDays: 183, stale: true, blank: false, nearLimit: false },
      { url: `${HOME}zwgk/zcwj/`, name: '政策文件', kind: 'policy', lastUpdate: null, daysSince: null, limitDays: 183, stale: false, blank: true, nearLimit: false },
    ]);
    expect(doc.brokenLinks).toEqual([{ url: `${HOME}missing.html`, page: HOME, status: 404 }]);
    expect(doc.elements).toEqual({ missing: ['error_report_entry', 'police_record'], mismatched: [] });
    // Nothing but the document on stdout: no progress, no log line.
    expect(run.stdout.trim().startsWith('{')).toBe(true);
    expect(run.stdout.trim().endsWith('}')).toBe(true);
    expect(run.stderr).not.toContain('Inspecting');
  }, CHILD_TIMEOUT);

  it('without --json: the report in words on stdout, the progress on stderr', async () => {
    const run = await steward(['inspect', '1301230001', '--lng', 'zh-CN']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('正在巡检“正定县人民政府门户网站”（1301230001）');
    expect(run.stderr).toMatch(/巡检中：已读 0 个页面/);
    // The last line counts what the crawl did: the home page, 3 columns and the pages one level below.
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^巡检中：已读 ([4-9]|\d\d+) 个页面，检查 \d+ 个链接$/);
    expect(run.stdout).toContain('⛔ 单项否决风险：首页不更新');
    expect(run.stdout).toContain('栏目：重点栏目 3 个，超期未更新 1 个，空白 1 个');
    expect(run.stdout).toContain(`死链 ${HOME}missing.html（HTTP 404），位于 ${HOME}`);
  }, CHILD_TIMEOUT);

  it('exits 1 with a clear message for a site it does not know, and 2 without one', async () => {
    const unknown = await steward(['inspect', 'www.nosuch.gov.cn', '--json']);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toBe('No such site, or you may not see it.\n');
    const none = await steward(['inspect']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: steward inspect <site>');
  }, CHILD_TIMEOUT);
});
