import type { InspectionProfile } from '../core/inspection/inspection.types';
import { chinaDaysBefore, completeFooter, startFixtureSites, typicalSite, type FixtureSites } from '../test/fixture-sites';
import type { Lookup } from './address-guard';
import { createSiteInspector, type ClosableSiteInspector } from './index';

/**
 * The inspector against fixture government sites on loopback, reached under their .gov.cn names through the
 * resolve map (no stub of the fetcher). Time limits are test-sized; dates are counted from an injected `now`.
 */

const now = new Date('2026-12-02T04:00:00Z');
const ZD = 'www.zhengding.gov.cn';
const XT = 'www.xingtang.gov.cn';
const DOWN = 'www.lingshou.gov.cn';
const NEW_YEAR = 'www.gaocheng.gov.cn';

/** DNS for the test: a few names on forbidden addresses, everything else unknown (nothing leaves the machine). */
const lookup: Lookup = async (host) => {
  const table: Record<string, string[]> = {
    'evil.gov.cn': ['127.0.0.1'],
    'intranet.zhengding.gov.cn': ['10.0.0.8'],
    'meta.zhengding.gov.cn': ['169.254.169.254'],
  };
  if (table[host]) return table[host];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};

function profile(siteId: string, host: string, extra: Partial<InspectionProfile> = {}): InspectionProfile {
  return { siteId, homeUrls: [`http://${host}/`], columns: [], probesPerDay: 20, offsetMinutes: 0, crawlDepth: 1, enabled: true, ...extra };
}

let sites: FixtureSites;
let inspector: ClosableSiteInspector;

beforeAll(async () => {
  const zhengding = typicalSite({
    host: ZD,
    now,
    encoding: 'gbk',
    siteCode: '1301230001',
    hostUnit: '正定县人民政府办公室',
    columns: [
      { path: '/xwzx/ywdt/', name: '要闻动态', ageDays: 2 },
      { path: '/zwgk/tzgg/', name: '通知公告', ageDays: 200 },
      { path: '/zwgk/zcwj/', name: '政策文件', ageDays: 'blank' },
    ],
    links: ['/missing.html', '/err500.html', '/old.html', '/loop1.html', '/private/secret.html', `http://${XT}/`, `http://${XT}/gone.html`, '/doc.pdf'],
    robots: 'User-agent: *\nDisallow: /private/\n',
  });
  // A page one level below links on: checked (HEAD, then GET where HEAD is refused), not read.
  zhengding.pages.find((p) => p.path === '/xwzx/ywdt/')!.links = ['/head405.html', '/deep/missing.html', '/deep/page.html', '/slow.html'];
  zhengding.pages.push(
    { path: '/err500.html', status: 500 },
    { path: '/old.html', redirect: '/new.html', status: 301 },
    { path: '/new.html', title: 'new' },
    { path: '/loop1.html', redirect: '/loop2.html' },
    { path: '/loop2.html', redirect: '/loop1.html' },
    { path: '/private/secret.html', title: 'secret' },
    { path: '/head405.html', headStatus: 405, title: 'HEAD refused' },
    { path: '/deep/page.html', title: 'deep', links: ['/never-fetched.html'] },
    { path: '/doc.pdf', contentType: 'application/pdf', raw: Buffer.from('%PDF-1.4 2026-12-01') },
    { path: '/slow.html', delayMs: 4000 },
    { path: '/to-loopback.html', redirect: 'http://127.0.0.1:9/' },
    { path: '/to-intranet.html', redirect: 'http://intranet.zhengding.gov.cn/' },
    { path: '/to-evil.html', redirect: 'http://evil.gov.cn/' },
    { path: '/chain.html', redirect: '/chain2.html' },
    { path: '/chain2.html', redirect: '/' },
  );
  sites = await startFixtureSites([
    zhengding,
    { host: XT, aliases: ['xingtang.gov.cn'], pages: [{ path: '/', title: '行唐' }] },
    { host: DOWN, pages: [{ path: '/', title: '灵寿' }], down: 'refused' },
    {
      host: NEW_YEAR,
      pages: [
        {
          path: '/',
          encoding: 'utf-8',
          declare: 'header',
          pubDate: '2026-12-28 10:00',
          pubDateMeta: 'publishdate',
          items: [
            { title: '年终总结', date: '2026-12-30', format: 'short' },
            { title: '新年致辞', date: '2026-12-31', format: 'cn' },
          ],
          footer: { siteCode: '1301050002', hostUnit: '石家庄市藁城区人民政府', icp: '冀ICP备12345678号' },
        },
      ],
    },
  ]);
  inspector = createSiteInspector({ resolve: sites.resolve, lookup, now: () => now, perHostIntervalMs: 0, pageTimeoutMs: 5000, linkTimeoutMs: 1500 });
});

afterAll(async () => {
  inspector.close();
  await sites.close();
});

describe('#probe', () => {
  const probe = (url: string, domains = [ZD], timeoutMs = 2000) => inspector.probe('zd', url, domains, { timeoutMs });

  it('times a working home page: ok, status, time to first byte and total', async () => {
    const result = await probe(`http://${ZD}/`);
    expect(result).toMatchObject({ siteId: 'zd', url: `http://${ZD}/`, at: now, outcome: 'ok', status: 200 });
    expect(result.ttfbMs).toBeGreaterThanOrEqual(0);
    expect(result.totalMs).toBeGreaterThanOrEqual(result.ttfbMs!);
  });

  it('fails a page slower than the limit as timeout, a 5xx as http, a refused connection as refused', async () => {
    const slow = await probe(`http://${ZD}/slow.html`, [ZD], 150);
    expect(slow).toMatchObject({ outcome: 'timeout' });
    expect(slow.totalMs).toBeGreaterThanOrEqual(140);
    expect(slow.totalMs).toBeLessThan(1000);
    expect(await probe(`http://${ZD}/err500.html`)).toMatchObject({ outcome: 'http', status: 500 });
    expect(await probe(`http://${DOWN}/`, [DOWN])).toMatchObject({ outcome: 'refused' });
    expect(await probe('http://nowhere.gov.cn/', ['nowhere.gov.cn'])).toMatchObject({ outcome: 'dns' });
    // https to a server that speaks plain HTTP: the handshake fails.
    expect(await probe(`https://${ZD}/`)).toMatchObject({ outcome: 'tls' });
  });

  it('follows a site going down and coming back (refused, 503, no answer, up)', async () => {
    const site = sites.site(XT);
    await site.down('refused');
    expect(await probe(`http://${XT}/`, [XT])).toMatchObject({ outcome: 'refused' });
    await site.down('http503');
    expect(await probe(`http://${XT}/`, [XT])).toMatchObject({ outcome: 'http', status: 503 });
    await site.down('hang');
    expect(await probe(`http://${XT}/`, [XT], 100)).toMatchObject({ outcome: 'timeout' });
    await site.up();
    expect(await probe(`http://${XT}/`, [XT])).toMatchObject({ outcome: 'ok', status: 200 });
  });

  it('caps what it reads of a response', async () => {
    const capped = createSiteInspector({ resolve: sites.resolve, lookup, now: () => now, maxBytes: 4096 });
    try {
      sites.site(XT).setPage({ path: '/big.html', raw: `<html><body><p>${'很长的页面'.repeat(50_000)}</p><ul><li><a href="/1.html">末尾的信息</a> 2026-12-01</li></ul></body></html>` });
      expect(await capped.probe('xt', `http://${XT}/big.html`, [XT], { timeoutMs: 2000 })).toMatchObject({ outcome: 'ok', status: 200 });
      const result = await capped.crawl(profile('xt', XT, { crawlDepth: 0, columns: [{ url: `http://${XT}/big.html`, kind: 'news', confirmed: true }] }), { domains: [XT], hostUnit: 'unit-xt' });
      expect(result.columns[0]).toMatchObject({ fetched: true, items: 0 }); // the list lies past the cap: not read
    } finally {
      capped.close();
    }
  });

  it('follows redirects on the site (www and bare name count as one) and ends a loop', async () => {
    expect(await probe(`http://${ZD}/chain.html`)).toMatchObject({ outcome: 'ok', status: 200 });
    expect(await probe('http://xingtang.gov.cn/', [XT])).toMatchObject({ outcome: 'ok' });
    const loop = await probe(`http://${ZD}/loop1.html`);
    expect(loop).toMatchObject({ outcome: 'error', detail: 'more than 5 redirects' });
  });

  describe('SSRF guard', () => {
    it('refuses a URL off the registered domains, without a request', async () => {
      const before = sites.site(XT).requests.length;
      expect(await probe(`http://${XT}/`, [ZD])).toMatchObject({ outcome: 'blocked' });
      expect(sites.site(XT).requests.length).toBe(before);
    });

    it('refuses a registered name that resolves to loopback, private or metadata addresses', async () => {
      expect(await probe('http://evil.gov.cn/', ['evil.gov.cn'])).toMatchObject({ outcome: 'blocked', detail: expect.stringContaining('127.0.0.1') });
      expect(await probe('http://intranet.zhengding.gov.cn/', ['intranet.zhengding.gov.cn'])).toMatchObject({ outcome: 'blocked' });
      expect(await probe('http://meta.zhengding.gov.cn/latest/meta-data/', ['meta.zhengding.gov.cn'])).toMatchObject({ outcome: 'blocked', detail: expect.stringContaining('169.254.169.254') });
    });

    it('refuses IP literals on forbidden addresses, IPv6 forms included', async () => {
      for (const host of ['10.0.0.1', '127.0.0.1', '169.254.169.254', '[::1]', '[::ffff:127.0.0.1]', '[fd00:ec2::254]']) {
        expect(await probe(`http://${host}/`, [host.replace(/^\[|\]$/g, '')])).toMatchObject({ outcome: 'blocked' });
      }
    });

    it('refuses a redirect to another host, and to a registered name on a private address', async () => {
      expect(await probe(`http://${ZD}/to-loopback.html`)).toMatchObject({ outcome: 'blocked', detail: expect.stringContaining('not a registered domain') });
      expect(await probe(`http://${ZD}/to-evil.html`)).toMatchObject({ outcome: 'blocked' });
      expect(await probe(`http://${ZD}/to-intranet.html`, [ZD, 'intranet.zhengding.gov.cn'])).toMatchObject({ outcome: 'blocked', detail: expect.stringContaining('10.0.0.8') });
    });
  });
});

describe('#crawl', () => {
  const zdSite = { domains: [ZD], code: '1301230001', hostUnit: 'unit-zd', hostUnitName: '正定县人民政府办公室' };
  const zdProfile = profile('zd', ZD, {
    columns: [
      { url: `http://${ZD}/xwzx/ywdt/`, kind: 'news', name: '要闻动态', confirmed: true },
      { url: `http://${ZD}/zwgk/tzgg/`, kind: 'notice', name: '通知公告', confirmed: true },
      { url: `http://${ZD}/zwgk/zcwj/`, kind: 'policy', name: '政策文件', confirmed: true },
    ],
  });

  it('reads a GBK site: home freshness, fresh, stale and blank columns, elements, discovered columns', async () => {
    const progress: number[] = [];
    const result = await inspector.crawl(zdProfile, zdSite, { onProgress: (p) => progress.push(p.pages + p.links) });
    expect(result.siteId).toBe('zd');
    expect(result.at).toEqual(now);
    expect(result.homepage).toEqual({ url: `http://${ZD}/`, fetched: true, status: 200, lastUpdate: chinaDaysBefore(now, 1), items: 3, blank: false });
    expect(result.columns).toEqual([
      { url: `http://${ZD}/xwzx/ywdt/`, fetched: true, status: 200, lastUpdate: chinaDaysBefore(now, 2), items: 3, blank: false, kind: 'news', name: '要闻动态' },
      { url: `http://${ZD}/zwgk/tzgg/`, fetched: true, status: 200, lastUpdate: chinaDaysBefore(now, 200), items: 3, blank: false, kind: 'notice', name: '通知公告' },
      { url: `http://${ZD}/zwgk/zcwj/`, fetched: true, status: 200, lastUpdate: undefined, items: 0, blank: true, kind: 'policy', name: '政策文件' },
    ]);
    expect(result.elements).toMatchObject({ missing: [], mismatched: [] });
    expect(result.discovered).toEqual([]); // its three columns are the profile's already
    expect(result.pages).toBeGreaterThanOrEqual(10);
    expect(result.links).toBeGreaterThanOrEqual(20);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('reports each broken link with the page it sits on and its status, to one level below the home page', async () => {
    const xtBefore = sites.site(XT).requests.length;
    const result = await inspector.crawl(zdProfile, zdSite);
    const home = `http://${ZD}/`;
    const ywdt = `http://${ZD}/xwzx/ywdt/`;
    expect(result.brokenLinks.sort((a, b) => a.url.localeCompare(b.url))).toEqual(
      [
        { url: `http://${ZD}/deep/missing.html`, page: ywdt, status: 404 },
        { url: `http://${ZD}/err500.html`, page: home, status: 500 },
        { url: `http://${ZD}/loop1.html`, page: home, status: 'error' },
        { url: `http://${ZD}/missing.html`, page: home, status: 404 },
        { url: `http://${ZD}/slow.html`, page: ywdt, status: 'timeout' },
        { url: `http://${XT}/gone.html`, page: home, status: 404 },
      ].sort((a, b) => a.url.localeCompare(b.url)),
    );
    const requests = sites.site(ZD).requests;
    // HEAD refused, then GET: the link works.
    expect(requests.filter((r) => r.path === '/head405.html').map((r) => r.method)).toEqual(expect.arrayContaining(['HEAD', 'GET']));
    // Two levels below: checked, never read.
    expect(requests.filter((r) => r.path === '/deep/page.html').every((r) => r.method === 'HEAD')).toBe(true);
    expect(requests.some((r) => r.path === '/never-fetched.html')).toBe(false);
    // The other site's pages are checked, not crawled; robots.txt keeps us out of /private/.
    expect(sites.site(XT).requests.slice(xtBefore).map((r) => `${r.method} ${r.path}`).sort()).toEqual(['HEAD /', 'HEAD /gone.html', 'GET /gone.html'].sort());
    expect(requests.some((r) => r.path.startsWith('/private/'))).toBe(false);
    expect(requests.some((r) => r.path === '/robots.txt')).toBe(true);
    // A non-HTML file linked one level below: fetched to learn its status, not read as a page.
    expect(result.brokenLinks.some((l) => l.url.endsWith('/doc.pdf'))).toBe(false);
  });

  it('checks only the home page links at depth 0', async () => {
    const before = sites.site(ZD).requests.length;
    const result = await inspector.crawl({ ...zdProfile, columns: [], crawlDepth: 0 }, zdSite);
    expect(result.pages).toBe(1);
    expect(result.brokenLinks.every((l) => l.page === `http://${ZD}/`)).toBe(true);
    expect(sites.site(ZD).requests.slice(before).filter((r) => r.path === '/xwzx/ywdt/').map((r) => r.method)).toEqual(['HEAD']);
  });

  it('reads a UTF-8 site across a year end: [12-30] on 2027-01-03 is 2026-12-30; missing and mismatched elements', async () => {
    const newYear = new Date('2027-01-03T02:00:00Z');
    const yearEnd = createSiteInspector({ resolve: sites.resolve, lookup, now: () => newYear, perHostIntervalMs: 0, pageTimeoutMs: 5000 });
    try {
      const result = await yearEnd.crawl(profile('gc', NEW_YEAR, { crawlDepth: 0 }), { domains: [NEW_YEAR], code: '1301050001', hostUnit: 'unit-gc', hostUnitName: '石家庄市藁城区人民政府' });
      expect(result.homepage).toMatchObject({ fetched: true, lastUpdate: '2026-12-31', items: 3 });
      expect(result.elements.missing).toEqual(['error_report_entry', 'party_gov_mark', 'police_record', 'contact']);
      expect(result.elements.mismatched).toEqual([{ element: 'site_id_code', expected: '1301050001', found: '1301050002' }]);
      sites.site(NEW_YEAR).setPage({ path: '/', items: [{ title: '年终总结', date: '2026-12-30', format: 'short' }] });
      const again = await yearEnd.crawl(profile('gc', NEW_YEAR, { crawlDepth: 0 }), { domains: [NEW_YEAR], hostUnit: 'unit-gc' });
      expect(again.homepage).toMatchObject({ lastUpdate: '2026-12-30', items: 1 });
    } finally {
      yearEnd.close();
    }
  });

  it('discovers the navigation columns the profile does not have yet', async () => {
    const result = await inspector.crawl({ ...zdProfile, columns: [], crawlDepth: 0 }, zdSite);
    expect(result.discovered).toEqual([
      { url: `http://${ZD}/xwzx/ywdt/`, name: '要闻动态', kind: 'news' },
      { url: `http://${ZD}/zwgk/tzgg/`, name: '通知公告', kind: 'notice' },
      { url: `http://${ZD}/zwgk/zcwj/`, name: '政策文件', kind: 'policy' },
    ]);
  });

  it('reports a site that is down as not fetched, with the outcome, and a column off the site as blocked', async () => {
    const result = await inspector.crawl(profile('ls', DOWN, { columns: [{ url: `http://${ZD}/zwgk/tzgg/`, kind: 'notice', confirmed: true }] }), { domains: [DOWN], hostUnit: 'unit-ls' });
    expect(result.homepage).toEqual({ url: `http://${DOWN}/`, fetched: false, status: 'refused', items: 0, blank: false });
    expect(result.columns[0]).toMatchObject({ fetched: false, status: 'blocked' });
    expect(result.elements).toEqual({ missing: [], mismatched: [], found: {} });
    expect(result.brokenLinks).toEqual([]);
  });

  it('keeps a polite pace per host', async () => {
    const paced = createSiteInspector({ resolve: sites.resolve, lookup, now: () => now, perHostIntervalMs: 40, pageTimeoutMs: 5000 });
    try {
      const before = sites.site(XT).requests.length;
      const columns = ['/a/', '/b/', '/c/'].map((path) => ({ url: `http://${XT}${path}`, kind: 'news' as const, confirmed: true }));
      await paced.crawl(profile('xt', XT, { crawlDepth: 0, columns }), { domains: [XT], hostUnit: 'unit-xt' });
      const times = sites.site(XT).requests.slice(before).map((r) => r.at);
      expect(times.length).toBe(4); // the home page and three columns, four at once were it not for the pace
      // Starts are paced 40 ms apart on our side; arrivals jitter a little (a new connection against a reused one).
      expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(3 * 40 - 15);
    } finally {
      paced.close();
    }
  });

  it('crawls the same in a worker thread (probes then keep this thread to themselves)', async () => {
    const inWorker = createSiteInspector({ resolve: sites.resolve, now: () => now, perHostIntervalMs: 0, pageTimeoutMs: 5000, crawlIn: 'worker' });
    try {
      const pages: number[] = [];
      const result = await inWorker.crawl({ ...zdProfile, crawlDepth: 0 }, zdSite, { onProgress: (p) => pages.push(p.pages) });
      expect(result.at).toEqual(now);
      expect(result.homepage).toMatchObject({ fetched: true, lastUpdate: chinaDaysBefore(now, 1) });
      expect(result.columns.map((c) => [c.kind, c.blank])).toEqual([['news', false], ['notice', false], ['policy', true]]);
      expect(result.brokenLinks.map((l) => l.url).sort()).toEqual([`http://${XT}/gone.html`, `http://${ZD}/err500.html`, `http://${ZD}/loop1.html`, `http://${ZD}/missing.html`]);
      expect(pages.length).toBeGreaterThan(0);
      const controller = new AbortController();
      const aborted = inWorker.crawl(zdProfile, zdSite, { signal: controller.signal });
      controller.abort(new Error('stopped by the operator'));
      await expect(aborted).rejects.toThrow('stopped by the operator');
    } finally {
      inWorker.close();
    }
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped by the operator'));
    await expect(inspector.crawl(zdProfile, zdSite, { signal: controller.signal })).rejects.toThrow('stopped by the operator');
  });

  it('serves sites that tests build from the typical shape, with a complete footer by default', () => {
    expect(completeFooter('1301230001', 'x')).toMatchObject({ errorReportEntry: true, partyGovMark: true, siteCode: '1301230001' });
    expect(sites.resolveEnv).toContain(`${ZD}=127.0.0.1:`);
    expect(sites.resolve['zfwzgl.www.gov.cn']).toBeDefined();
  });
});
