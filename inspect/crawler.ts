import { performance } from 'node:perf_hooks';
import type { CrawlProgress } from '../core/inspection/inspection.ports';
import type { BrokenLink, CrawlResult, ElementFindings, InspectionProfile, PageFreshness, ProbeOutcome } from '../core/inspection/inspection.types';
import { decodeHtml } from './charset';
import { isRegisteredHost } from './host-name';
import type { HostPacer } from './host-pacer';
import type { FetchOptions, FetchResult, GuardedFetcher } from './http-fetch';
import { discoverColumns } from './navigation';
import { pageDates, pageLinks, parsePage, type PageDates, type PageLink, type ParsedPage } from './page-reader';
import { requiredElements } from './required-elements';
import { readRobots, type RobotsRules } from './robots';

/**
 * One crawl of a site: the home page and the pages below it to `crawlDepth` on the site's own domains (robots.txt
 * respected, one polite rate per host), every link on those pages checked once (HEAD, then GET where HEAD is
 * refused), the key columns read for freshness, the home page read for required elements and navigation.
 */

export interface CrawlerDeps {
  fetcher: GuardedFetcher;
  pacer: HostPacer;
  userAgent: string;
  maxBytes: number;
  pageTimeoutMs: number;
  /** Time limit of a link check (HEAD, or GET where HEAD is refused). */
  linkTimeoutMs: number;
  linkConcurrency: number;
  /** At most this many pages are fetched and read per crawl (links beyond are still checked). */
  maxPages: number;
  now: () => Date;
}

export interface SiteFacts {
  domains: string[];
  code?: string;
  hostUnit: string;
  hostUnitName?: string;
}

/** How a link or page ended: `ok`, or what makes it broken (an HTTP status ≥ 400, or an outcome). */
type LinkStatus = { ok: true } | { ok: false; status: number | ProbeOutcome };

interface ReadPage {
  fetch: FetchResult;
  /** Present when the page was HTML and read. */
  links?: PageLink[];
  dates?: PageDates;
}

/** At most `limit` tasks at once; the rest wait in order. */
function limiter(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

function statusOf(res: FetchResult): LinkStatus {
  if (res.outcome === 'ok') return { ok: true };
  return { ok: false, status: res.outcome === 'http' && res.status ? res.status : res.outcome };
}

function freshnessOf(url: string, page: ReadPage | undefined, blocked = false): PageFreshness {
  if (blocked || !page) return { url, fetched: false, status: 'blocked', items: 0, blank: false };
  const { fetch, dates } = page;
  if (!dates) return { url, fetched: false, status: fetch.outcome === 'ok' ? fetch.status : fetch.outcome === 'http' && fetch.status ? fetch.status : fetch.outcome, items: 0, blank: false };
  return { url, fetched: true, status: fetch.status, lastUpdate: dates.lastUpdate, items: dates.items, blank: dates.blank };
}

export async function crawlSite(
  deps: CrawlerDeps,
  profile: InspectionProfile,
  site: SiteFacts,
  opts: { onProgress?: (p: CrawlProgress) => void; signal?: AbortSignal } = {},
): Promise<CrawlResult> {
  const started = performance.now();
  const at = deps.now();
  const { signal } = opts;
  const domains = site.domains;
  // Asked for every link of every page: the answer per host is kept (IDNA conversion is not free).
  const ownHosts = new Map<string, boolean>();
  const isOwn = (url: string) => {
    const host = new URL(url).hostname;
    let own = ownHosts.get(host);
    if (own === undefined) ownHosts.set(host, (own = isRegisteredHost(host, domains)));
    return own;
  };
  const homeUrl = profile.homeUrls[0] ?? `https://${domains[0]}/`;
  const run = limiter(Math.max(1, deps.linkConcurrency));
  const progress: CrawlProgress = { pages: 0, links: 0 };
  const report = (current: string) => {
    progress.current = current;
    opts.onProgress?.({ ...progress });
  };

  const robotsByOrigin = new Map<string, Promise<RobotsRules>>();
  const robotsOf = (url: string) => {
    const origin = new URL(url).origin;
    let rules = robotsByOrigin.get(origin);
    if (!rules) {
      rules = (async () => {
        await deps.pacer.wait(new URL(url).host, signal);
        const read = await readRobots(deps.fetcher, origin, deps.userAgent, { timeoutMs: deps.pageTimeoutMs, signal });
        if (read.crawlDelayMs) deps.pacer.slowDown(new URL(url).host, read.crawlDelayMs);
        return read;
      })();
      robotsByOrigin.set(origin, rules);
    }
    return rules;
  };

  const request = async (url: string, options: Omit<FetchOptions, 'maxBytes' | 'connection' | 'signal'>): Promise<FetchResult> => {
    signal?.throwIfAborted();
    await deps.pacer.wait(new URL(url).host, signal);
    return deps.fetcher.fetch(url, { ...options, maxBytes: deps.maxBytes, connection: 'pooled', signal });
  };

  // Pages read (GET, body parsed when HTML), once each; the home page keeps its parsed document.
  const pages = new Map<string, Promise<ReadPage>>();
  let homeDoc: ParsedPage | undefined;
  let homeFinalUrl = homeUrl;
  const readPage = (url: string): Promise<ReadPage> => {
    let page = pages.get(url);
    if (!page) {
      page = run(async () => {
        report(url);
        const fetch = await request(url, { method: 'GET', body: 'html', timeoutMs: deps.pageTimeoutMs, mayFollowTo: (next) => isOwn(next.href) });
        progress.pages += 1;
        if (fetch.outcome !== 'ok' || !fetch.body) return { fetch };
        const doc = parsePage(decodeHtml(fetch.body, fetch.contentType));
        if (url === homeUrl) {
          homeDoc = doc;
          homeFinalUrl = fetch.finalUrl;
        }
        return { fetch, links: pageLinks(doc, fetch.finalUrl), dates: pageDates(doc, at) };
      });
      pages.set(url, page);
    }
    return page;
  };

  // Links checked without reading them, once each: HEAD, then GET where HEAD is refused.
  const checks = new Map<string, Promise<LinkStatus>>();
  const checkLink = (url: string): Promise<LinkStatus> => {
    let check = checks.get(url);
    if (!check) {
      check = run(async () => {
        report(url);
        // A link may lead anywhere public; the guard still refuses private addresses on every hop.
        const head = await request(url, { method: 'HEAD', body: 'none', timeoutMs: deps.linkTimeoutMs, mayFollowTo: () => true });
        const res = head.outcome === 'http' || head.outcome === 'error' ? await request(url, { method: 'GET', body: 'none', timeoutMs: deps.linkTimeoutMs, mayFollowTo: () => true }) : head;
        progress.links += 1;
        return statusOf(res);
      });
      checks.set(url, check);
    }
    return check;
  };

  // Where each link sits: link URL → the pages it is on.
  const occurrences = new Map<string, Set<string>>();
  const crawled = new Set<string>([homeUrl]);
  const pending: Array<Promise<unknown>> = [];
  // Awaited in order below; the first failure (an abort) is thrown there, the others are not left unhandled.
  const track = (task: Promise<unknown>) => {
    task.catch(() => undefined);
    pending.push(task);
  };

  const visit = async (url: string, depth: number): Promise<void> => {
    const page = await readPage(url);
    for (const link of page.links ?? []) {
      if (link.url === url) continue;
      let on = occurrences.get(link.url);
      if (!on) occurrences.set(link.url, (on = new Set()));
      on.add(url);
      if (crawled.has(link.url) || checks.has(link.url)) continue;
      const own = isOwn(link.url);
      if (own && !(await robotsOf(link.url)).isAllowed(link.url)) continue; // not ours to fetch
      if (crawled.has(link.url) || checks.has(link.url)) continue; // taken while robots.txt was read
      if (own && depth < profile.crawlDepth && crawled.size < deps.maxPages) {
        crawled.add(link.url);
        track(visit(link.url, depth + 1));
      } else {
        track(checkLink(link.url));
      }
    }
  };

  // The home page and key columns are fetched whatever robots.txt says: they are the inspection's named
  // targets (like the probe), not pages found by crawling.
  track(visit(homeUrl, 0));
  const columnPages = profile.columns.map((column) => (isOwn(column.url) ? readPage(column.url) : undefined));
  for (const page of columnPages) page?.catch(() => undefined);
  for (let i = 0; i < pending.length; i++) await pending[i];
  await Promise.all(columnPages);
  signal?.throwIfAborted();

  const brokenLinks: BrokenLink[] = [];
  for (const [url, on] of occurrences) {
    const status = pages.has(url) ? statusOf((await pages.get(url)!).fetch) : await checks.get(url);
    if (!status || status.ok) continue; // not checked (robots.txt) or working
    for (const page of on) brokenLinks.push({ url, page, status: status.status });
  }

  const home = await pages.get(homeUrl)!;
  const elements: ElementFindings = homeDoc ? requiredElements(homeDoc, { siteCode: site.code, hostUnitName: site.hostUnitName }) : { missing: [], mismatched: [], found: {} };
  const columns = await Promise.all(
    profile.columns.map(async (column, i) => ({ ...freshnessOf(column.url, await columnPages[i], !columnPages[i]), kind: column.kind, name: column.name })),
  );
  return {
    siteId: profile.siteId,
    at,
    homepage: freshnessOf(homeUrl, home),
    columns,
    brokenLinks,
    elements,
    discovered: homeDoc ? discoverColumns(homeDoc, homeFinalUrl, domains, profile.columns.map((c) => c.url)) : [],
    pages: progress.pages,
    links: new Set([...occurrences.keys()].filter((u) => pages.has(u) || checks.has(u))).size,
    durationMs: Math.round(performance.now() - started),
  };
}
