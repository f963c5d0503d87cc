import { DEFAULT_INSPECTION_SETTINGS, type InspectionSettings, type ProbeResult } from '../core/inspection/inspection.types';
import type { SiteInspector } from '../core/inspection/inspection.ports';
import { systemLookup, type Lookup } from './address-guard';
import { WorkerCrawler } from './crawl-in-worker';
import { crawlSite } from './crawler';
import { isRegisteredHost } from './host-name';
import { HostPacer } from './host-pacer';
import { createGuardedFetcher } from './http-fetch';
import { normalizeResolveMap, type ResolveMap } from './resolve';

export { parseInspectResolve } from './resolve';

export interface SiteInspectorOptions {
  /** Host name → address and port (`STEWARD_INSPECT_RESOLVE`, parsed by `parseInspectResolve`). */
  resolve?: ResolveMap;
  userAgent?: string;
  /** Bytes read of one response at most (default 2 MiB). */
  maxBytes?: number;
  /** Milliseconds between two requests to one host during a crawl (default 500). */
  perHostIntervalMs?: number;
  /** Requests in flight at once within one crawl (default 4; the per-host rate still applies). */
  linkConcurrency?: number;
  /** Pages fetched and read per crawl at most (default 1000). */
  maxPages?: number;
  /** Time limit of one page or link request during a crawl (default: the probe's limit). */
  pageTimeoutMs?: number;
  /** Time limit of one link check during a crawl (default: the page limit). */
  linkTimeoutMs?: number;
  now?: () => Date;
  settings?: InspectionSettings;
  /** DNS (tests hand in one that never leaves the machine). Crawls in a worker use the system's. */
  lookup?: Lookup;
  /**
   * Where crawls run: on this thread (default), or in a worker thread so that probes on this thread time the
   * sites and not the crawl's parsing (a deployment that probes and crawls in one process at night).
   */
  crawlIn?: 'thread' | 'worker';
}

/** The product token robots.txt files name us by (`User-agent: SiteSteward`). */
export const DEFAULT_USER_AGENT = 'SiteSteward/1.0 (government website inspection, art. 28)';

/** A closable inspector: `close()` ends its pooled connections (tests, the benchmark, shutdown). */
export type ClosableSiteInspector = SiteInspector & { close(): void };

/**
 * The website inspector: the only code that fetches other people's websites. It fetches only a site's
 * registered domains and refuses loopback, private, link-local and metadata addresses, except hosts that
 * `resolve` sends elsewhere.
 */
export function createSiteInspector(opts: SiteInspectorOptions = {}): ClosableSiteInspector {
  const settings = opts.settings ?? DEFAULT_INSPECTION_SETTINGS;
  const now = opts.now ?? (() => new Date());
  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
  const maxBytes = opts.maxBytes ?? 2 * 1024 * 1024;
  const fetcher = createGuardedFetcher({ resolve: normalizeResolveMap(opts.resolve), lookup: opts.lookup ?? systemLookup, userAgent });
  const pacer = new HostPacer(opts.perHostIntervalMs ?? 500);
  const crawlLimits = {
    userAgent,
    maxBytes,
    pageTimeoutMs: opts.pageTimeoutMs ?? settings.probeTimeoutMs,
    linkTimeoutMs: opts.linkTimeoutMs ?? opts.pageTimeoutMs ?? settings.probeTimeoutMs,
    linkConcurrency: opts.linkConcurrency ?? 4,
    maxPages: opts.maxPages ?? 1000,
  };
  const worker = opts.crawlIn === 'worker' ? new WorkerCrawler({ ...crawlLimits, resolve: normalizeResolveMap(opts.resolve), perHostIntervalMs: opts.perHostIntervalMs ?? 500 }) : undefined;

  return {
    async probe(siteId, url, domains, probeOpts = {}): Promise<ProbeResult> {
      const at = now();
      let host: string;
      try {
        host = new URL(url).hostname;
      } catch {
        return { siteId, url, at, outcome: 'error', totalMs: 0, detail: 'not a URL' };
      }
      if (!isRegisteredHost(host, domains)) return { siteId, url, at, outcome: 'blocked', totalMs: 0, detail: `${host} is not a registered domain of the site` };
      const res = await fetcher.fetch(url, {
        method: 'GET',
        body: 'always',
        timeoutMs: probeOpts.timeoutMs ?? settings.probeTimeoutMs,
        maxBytes,
        mayFollowTo: (next) => isRegisteredHost(next.hostname, domains),
        connection: 'fresh',
      });
      return {
        siteId,
        url,
        at,
        outcome: res.outcome,
        ...(res.status !== undefined && { status: res.status }),
        ...(res.ttfbMs !== undefined && { ttfbMs: res.ttfbMs }),
        totalMs: res.totalMs,
        ...(res.detail && { detail: res.detail }),
      };
    },

    crawl(profile, site, crawlOpts) {
      if (worker) return worker.crawl(now(), profile, site, crawlOpts);
      return crawlSite({ ...crawlLimits, fetcher, pacer, now }, profile, site, crawlOpts);
    },

    close() {
      fetcher.close();
      worker?.close();
    },
  };
}
