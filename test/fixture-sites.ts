import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import iconv from 'iconv-lite';

/**
 * Fixture government sites on loopback, for every test and benchmark of the inspection (issue #15): each site
 * gets its own HTTP server on 127.0.0.1 and is reached under its `.gov.cn` name through the resolve map the
 * harness returns (`STEWARD_INSPECT_RESOLVE` in environment form). One server per site, so a site can really
 * refuse connections (its listener closed) while the others answer.
 *
 * A page is described by what matters to the inspection (encoding, PubDate meta, dated list items, navigation,
 * links, footer elements, status, delay, redirects) and rendered as the HTML these sites really serve.
 */

/** A dated list item: `iso` 2026-11-30, `cn` 2026年11月30日, `short` [11-30] (year from context), `slash` 2026/11/30. */
export interface FixtureItem {
  title: string;
  /** `YYYY-MM-DD`. */
  date: string;
  format?: 'iso' | 'cn' | 'short' | 'slash';
  href?: string;
}

export interface FixtureLink {
  href: string;
  text?: string;
}

/**
 * The footer facts a government home page must carry. Each one left out is absent from the page; `complete`
 * builds a full footer.
 */
export interface FixtureFooter {
  /** The 我为政府网站找错 entry (a link to the national error-report page with the site code). */
  errorReportEntry?: boolean;
  /** The 党政机关网站标识 (the red CONAC mark linked to bszs.conac.cn). */
  partyGovMark?: boolean;
  /** 网站标识码 as printed (may differ from the registry's for a mismatch test). */
  siteCode?: string;
  /** ICP备案号, e.g. `冀ICP备05003216号-1`. */
  icp?: string;
  /** 公安机关备案号, e.g. `冀公网安备 13012302000001号`. */
  police?: string;
  /** 主办单位 as printed. */
  hostUnit?: string;
  /** Contact: a phone number (printed as 联系电话) or an e-mail. */
  contact?: string;
}

export interface FixturePage {
  /** Path and query, e.g. `/`, `/xwdt/index.html`. */
  path: string;
  /** Bytes on the wire (default utf-8); gb2312 and gbk are encoded as GBK. */
  encoding?: 'utf-8' | 'gbk' | 'gb2312';
  /** Where the charset is declared: a `<meta>` (default), the Content-Type header, both, or nowhere (to test sniffing). */
  declare?: 'meta' | 'http-equiv' | 'header' | 'both' | 'none';
  title?: string;
  /** `<meta name="PubDate" content="...">` (or the name in `pubDateMeta`), e.g. `2026-11-30 09:12`. */
  pubDate?: string;
  pubDateMeta?: 'PubDate' | 'publishdate' | 'pubdate';
  /** The navigation bar (column discovery reads it). */
  nav?: FixtureLink[];
  /** Dated list items (freshness reads them). */
  items?: FixtureItem[];
  /** Other links on the page (working or broken). */
  links?: Array<string | FixtureLink>;
  /** Footer elements; `undefined` → no footer. */
  footer?: FixtureFooter;
  /** Extra raw HTML in the body. */
  bodyHtml?: string;
  /** A whole body given as is (HTML or not); replaces the rendering above. */
  raw?: string | Buffer;
  contentType?: string;
  status?: number;
  /** Status for HEAD requests only (e.g. 405: HEAD refused, GET works). */
  headStatus?: number;
  /** Redirect target (absolute URL or path); status 302 unless `status` says otherwise. */
  redirect?: string;
  /** Milliseconds before the response headers are sent. */
  delayMs?: number;
  /** Milliseconds between the headers and the body (a slow body after a quick first byte). */
  bodyDelayMs?: number;
  headers?: Record<string, string>;
}

export type FixtureDownMode = 'refused' | 'http503' | 'hang';

export interface FixtureSiteSpec {
  /** The site's name, e.g. `www.zhengding.gov.cn`. */
  host: string;
  /** Other names served by the same server (e.g. `zhengding.gov.cn`), each added to the resolve map. */
  aliases?: string[];
  pages: FixturePage[];
  /** robots.txt content; absent → 404. */
  robots?: string;
  /** Delay added to every response (ms), on top of a page's own. */
  delayMs?: number;
  /** Start down: connection refused, every request answered 503, or requests never answered. */
  down?: FixtureDownMode;
  /** Fixed port (default: any free one). */
  port?: number;
}

export interface FixtureRequest {
  method: string;
  path: string;
  host: string;
  userAgent?: string;
  at: number;
}

/** Control of one running fixture site. */
export interface FixtureSiteControl {
  readonly host: string;
  readonly port: number;
  /** Every request received, in order (robots respected, HEAD before GET, rate). */
  readonly requests: FixtureRequest[];
  /** Takes the site down: `refused` closes its listener (connections refused), `http503` answers 503, `hang` never answers. */
  down(mode?: FixtureDownMode): Promise<void>;
  /** Brings it back up on the same port. */
  up(): Promise<void>;
  /** Adds or replaces a page. */
  setPage(page: FixturePage): void;
  removePage(path: string): void;
  setDelay(ms: number): void;
  /** `http://host/` of the site. */
  url(path?: string): string;
}

export interface FixtureSites {
  /** Host name → loopback address and port: what `createSiteInspector({ resolve })` takes. */
  resolve: Record<string, { host: string; port: number }>;
  /** The same in `STEWARD_INSPECT_RESOLVE` form: `host=127.0.0.1:port,...`. */
  resolveEnv: string;
  site(host: string): FixtureSiteControl;
  close(): Promise<void>;
}

/** A footer with every required element, for a site whose registry says `siteCode` and `hostUnit`. */
export function completeFooter(siteCode: string, hostUnit: string): FixtureFooter {
  return {
    errorReportEntry: true,
    partyGovMark: true,
    siteCode,
    icp: '冀ICP备05003216号-1',
    police: '冀公网安备 13012302000001号',
    hostUnit,
    contact: '0311-88012345',
  };
}

/** `YYYY-MM-DD` of the civil day in China (UTC+8) `days` before `now`. */
export function chinaDaysBefore(now: Date, days: number): string {
  return new Date(now.getTime() + 8 * 3600_000 - days * 86_400_000).toISOString().slice(0, 10);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function itemDate(item: FixtureItem): string {
  const [y, m, d] = item.date.split('-');
  switch (item.format ?? 'iso') {
    case 'cn':
      return `${y}年${m}月${d}日`;
    case 'short':
      return `[${m}-${d}]`;
    case 'slash':
      return `${y}/${m}/${d}`;
    default:
      return item.date;
  }
}

function charsetLabel(page: FixturePage): string {
  return page.encoding ?? 'utf-8';
}

function renderFooter(footer: FixtureFooter): string {
  const parts: string[] = [];
  if (footer.errorReportEntry) {
    const code = footer.siteCode ?? '';
    parts.push(`<a href="http://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=${escapeHtml(code)}&url=" target="_blank"><img src="/images/jiucuo.png" alt="我为政府网站找错"></a>`);
  }
  if (footer.partyGovMark) {
    parts.push(`<span id="_ideConac"><a href="http://bszs.conac.cn/sitename?method=show&id=0A1B2C3D" target="_blank"><img src="/images/red.png" alt="党政机关" title="党政机关网站标识"></a></span>`);
  }
  if (footer.hostUnit) parts.push(`<p>主办单位：${escapeHtml(footer.hostUnit)}</p>`);
  if (footer.contact) parts.push(`<p>联系电话：${escapeHtml(footer.contact)}</p>`);
  if (footer.siteCode) parts.push(`<p>网站标识码：${escapeHtml(footer.siteCode)}</p>`);
  if (footer.icp) parts.push(`<p><a href="http://beian.miit.gov.cn/" target="_blank">${escapeHtml(footer.icp)}</a></p>`);
  if (footer.police) parts.push(`<p><a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=13012302000001" target="_blank"><img src="/images/ga.png" alt="">${escapeHtml(footer.police)}</a></p>`);
  return `<div class="footer">${parts.join('\n')}</div>`;
}

/** The HTML of a page, as a string (before encoding). */
export function renderFixturePage(page: FixturePage): string {
  const label = charsetLabel(page);
  const declare = page.declare ?? 'meta';
  const head: string[] = [];
  if (declare === 'meta' || declare === 'both') head.push(`<meta charset="${label}">`);
  if (declare === 'http-equiv') head.push(`<meta http-equiv="Content-Type" content="text/html; charset=${label}">`);
  head.push(`<title>${escapeHtml(page.title ?? '政府网站')}</title>`);
  if (page.pubDate) head.push(`<meta name="${page.pubDateMeta ?? 'PubDate'}" content="${escapeHtml(page.pubDate)}">`);
  const body: string[] = [];
  if (page.nav?.length) {
    body.push(`<div class="nav"><ul>${page.nav.map((l) => `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.text ?? l.href)}</a></li>`).join('')}</ul></div>`);
  }
  if (page.items?.length) {
    body.push(
      `<div class="list"><ul>${page.items
        .map((item, i) => `<li><a href="${escapeHtml(item.href ?? `${page.path.replace(/[^/]*$/, '')}art${i + 1}.html`)}">${escapeHtml(item.title)}</a><span class="date">${itemDate(item)}</span></li>`)
        .join('\n')}</ul></div>`,
    );
  }
  if (page.links?.length) {
    body.push(
      `<div class="links">${page.links
        .map((l) => (typeof l === 'string' ? { href: l } : l))
        .map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.text ?? '链接')}</a>`)
        .join('\n')}</div>`,
    );
  }
  if (page.bodyHtml) body.push(page.bodyHtml);
  if (page.footer) body.push(renderFooter(page.footer));
  return `<!DOCTYPE html>\n<html><head>${head.join('')}</head>\n<body>\n${body.join('\n')}\n</body></html>\n`;
}

function encodeBody(page: FixturePage): Buffer {
  if (page.raw !== undefined) return Buffer.isBuffer(page.raw) ? page.raw : Buffer.from(page.raw, 'utf8');
  const html = renderFixturePage(page);
  return page.encoding === 'gbk' || page.encoding === 'gb2312' ? iconv.encode(html, 'gbk') : Buffer.from(html, 'utf8');
}

function contentTypeOf(page: FixturePage): string {
  if (page.contentType) return page.contentType;
  const declare = page.declare ?? 'meta';
  return declare === 'header' || declare === 'both' ? `text/html; charset=${charsetLabel(page)}` : 'text/html';
}

class RunningSite implements FixtureSiteControl {
  readonly requests: FixtureRequest[] = [];
  private readonly pages = new Map<string, FixturePage>();
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private mode: FixtureDownMode | undefined;
  private delay: number;
  private listening = false;
  /** Delays in progress, cut short on close so a test run ends at once. */
  private readonly delays = new Map<NodeJS.Timeout, () => void>();
  port = 0;

  constructor(private readonly spec: FixtureSiteSpec) {
    for (const page of spec.pages) this.pages.set(page.path, page);
    this.delay = spec.delayMs ?? 0;
    this.mode = spec.down;
    this.server = createServer((req, res) => void this.answer(req, res));
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get host(): string {
    return this.spec.host;
  }

  url(path = '/'): string {
    return `http://${this.spec.host}${path}`;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.listening = true;
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async stopListening(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  async down(mode: FixtureDownMode = 'refused'): Promise<void> {
    this.mode = mode;
    if (mode === 'refused') await this.stopListening();
    else {
      for (const socket of this.sockets) socket.destroy(); // fresh connections see the new mode
      if (!this.listening) await this.listen(this.port);
    }
  }

  async up(): Promise<void> {
    this.mode = undefined;
    if (!this.listening) await this.listen(this.port);
  }

  setPage(page: FixturePage): void {
    this.pages.set(page.path, page);
  }

  removePage(path: string): void {
    this.pages.delete(path);
  }

  setDelay(ms: number): void {
    this.delay = ms;
  }

  async close(): Promise<void> {
    for (const [timer, resolve] of this.delays) {
      clearTimeout(timer);
      resolve();
    }
    this.delays.clear();
    await this.stopListening();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.delays.delete(timer);
        resolve();
      }, ms);
      this.delays.set(timer, resolve);
    });
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    this.requests.push({ method: req.method ?? 'GET', path, host: String(req.headers.host ?? ''), userAgent: req.headers['user-agent'], at: Date.now() });
    if (this.mode === 'hang') return; // never answered; the socket is destroyed on close
    if (this.mode === 'http503') {
      res.writeHead(503, { 'content-type': 'text/html' }).end('<html><body>Service Unavailable</body></html>');
      return;
    }
    const isHead = req.method === 'HEAD';
    if (path === '/robots.txt') {
      if (this.spec.robots === undefined) res.writeHead(404, { 'content-type': 'text/plain' }).end(isHead ? undefined : 'not found');
      else res.writeHead(200, { 'content-type': 'text/plain' }).end(isHead ? undefined : this.spec.robots);
      return;
    }
    const page = this.pages.get(path) ?? this.pages.get(path.replace(/\?.*$/, ''));
    const delay = this.delay + (page?.delayMs ?? 0);
    if (delay > 0) await this.sleep(delay);
    if (res.destroyed || res.writableEnded) return;
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(isHead ? undefined : '<html><body>404 页面不存在</body></html>');
      return;
    }
    if (isHead && page.headStatus) {
      res.writeHead(page.headStatus, { 'content-type': 'text/html' }).end();
      return;
    }
    if (page.redirect) {
      res.writeHead(page.status ?? 302, { location: page.redirect, 'content-type': 'text/html' }).end();
      return;
    }
    const body = encodeBody(page);
    res.writeHead(page.status ?? 200, { 'content-type': contentTypeOf(page), 'content-length': String(body.length), ...page.headers });
    if (isHead) {
      res.end();
      return;
    }
    if (page.bodyDelayMs) {
      res.flushHeaders();
      await this.sleep(page.bodyDelayMs);
      if (res.destroyed) return;
    }
    res.end(body);
  }
}

/**
 * The national services every footer links to (error-report entry, CONAC mark, the two record systems): served
 * on loopback too, answering 200 to any path, so checking a fixture site's links never leaves the machine.
 */
export const NATIONAL_HOSTS = ['zfwzgl.www.gov.cn', 'bszs.conac.cn', 'beian.miit.gov.cn', 'www.beian.gov.cn'];

function nationalServicesSpec(): FixtureSiteSpec {
  const page = (path: string): FixturePage => ({ path, title: 'national service' });
  return { host: NATIONAL_HOSTS[0]!, aliases: NATIONAL_HOSTS.slice(1), pages: ['/', '/exposure/jiucuo.html', '/sitename', '/portal/registerSystemInfo'].map(page) };
}

/**
 * Starts the sites, each on its own loopback port, plus one server for the national services their footers
 * link to ({@link NATIONAL_HOSTS}; `nationalServices: false` leaves it out). Close them at the end
 * (`afterAll(() => sites.close())`). Sites that start `down: 'refused'` still get a port (listened on, then
 * closed), so `up()` can reopen it.
 */
export async function startFixtureSites(specs: FixtureSiteSpec[], opts: { nationalServices?: boolean } = {}): Promise<FixtureSites> {
  const running = new Map<string, RunningSite>();
  const resolve: Record<string, { host: string; port: number }> = {};
  try {
    for (const spec of opts.nationalServices === false ? specs : [...specs, nationalServicesSpec()]) {
      const site = new RunningSite(spec);
      await site.listen(spec.port ?? 0);
      if (spec.down === 'refused') await site.down('refused');
      for (const name of [spec.host, ...(spec.aliases ?? [])]) {
        running.set(name.toLowerCase(), site);
        resolve[name.toLowerCase()] = { host: '127.0.0.1', port: site.port };
      }
    }
  } catch (error) {
    await Promise.all([...new Set(running.values())].map((s) => s.close()));
    throw error;
  }
  return {
    resolve,
    resolveEnv: Object.entries(resolve)
      .map(([name, to]) => `${name}=${to.host}:${to.port}`)
      .join(','),
    site(host) {
      const site = running.get(host.toLowerCase());
      if (!site) throw new Error(`no fixture site ${host}`);
      return site;
    },
    async close() {
      await Promise.all([...new Set(running.values())].map((s) => s.close()));
    },
  };
}

/** The shape of a typical county portal, for tests that need "a normal site" with a few changes. */
export interface TypicalSiteOptions {
  host: string;
  /** The clock of the test: dates are counted back from it. */
  now: Date;
  siteCode?: string;
  hostUnit?: string;
  encoding?: FixturePage['encoding'];
  /** Days since the home page's newest item (default 1). */
  homepageAgeDays?: number;
  /** Days since each column's newest item; `blank` → a column page with no items. Defaults: 要闻 2, 通知公告 30, 政策文件 60. */
  columns?: Array<{ path: string; name: string; ageDays: number | 'blank' }>;
  footer?: FixtureFooter;
  /** Extra links on the home page (e.g. a broken one: `/missing.html`). */
  links?: Array<string | FixtureLink>;
  robots?: string;
}

/**
 * A county portal: a home page (navigation to its columns, a dated news list, a footer with every element),
 * one page per column with dated items, and an article page per item link that exists.
 */
export function typicalSite(opts: TypicalSiteOptions): FixtureSiteSpec {
  const columns = opts.columns ?? [
    { path: '/xwzx/ywdt/', name: '要闻动态', ageDays: 2 },
    { path: '/zwgk/tzgg/', name: '通知公告', ageDays: 30 },
    { path: '/zwgk/zcwj/', name: '政策文件', ageDays: 60 },
  ];
  const encoding = opts.encoding ?? 'utf-8';
  const homeAge = opts.homepageAgeDays ?? 1;
  const pages: FixturePage[] = [
    {
      path: '/',
      encoding,
      title: '首页',
      nav: [{ href: '/', text: '首页' }, ...columns.map((c) => ({ href: c.path, text: c.name }))],
      items: [0, 1, 2].map((i) => ({ title: `要闻 ${i + 1}`, date: chinaDaysBefore(opts.now, homeAge + i), href: `/xwzx/ywdt/home${i + 1}.html` })),
      links: opts.links,
      footer: opts.footer ?? completeFooter(opts.siteCode ?? '1301230001', opts.hostUnit ?? '正定县人民政府办公室'),
    },
    ...[0, 1, 2].map((i) => ({ path: `/xwzx/ywdt/home${i + 1}.html`, encoding, title: `要闻 ${i + 1}`, pubDate: `${chinaDaysBefore(opts.now, homeAge + i)} 09:00` })),
  ];
  for (const column of columns) {
    const items =
      column.ageDays === 'blank'
        ? []
        : [0, 1, 2].map((i) => ({ title: `${column.name} ${i + 1}`, date: chinaDaysBefore(opts.now, (column.ageDays as number) + i * 3), href: `${column.path}a${i + 1}.html` }));
    pages.push({ path: column.path, encoding, title: column.name, items });
    for (const item of items) pages.push({ path: item.href, encoding, title: item.title, pubDate: item.date });
  }
  return { host: opts.host, pages, robots: opts.robots };
}
