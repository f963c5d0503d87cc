import robotsParser from 'robots-parser';
import type { GuardedFetcher } from './http-fetch';

/** What a host's robots.txt allows the inspector. */
export interface RobotsRules {
  isAllowed(url: string): boolean;
  /** Crawl-delay asked of us, in ms. */
  crawlDelayMs?: number;
}

const ALLOW_ALL: RobotsRules = { isAllowed: () => true };
const ROBOTS_MAX_BYTES = 512 * 1024;

/**
 * Reads `<origin>/robots.txt` with the inspector's user agent (its product token, e.g. `SiteSteward`, is what
 * the file's `User-agent:` lines match). A missing file allows everything; so does one that cannot be read
 * (5xx, timeout): the inspection is the site's supervisor's duty, not a search engine's option, and a broken
 * robots.txt must not hide a broken site.
 */
export async function readRobots(fetcher: GuardedFetcher, origin: string, userAgent: string, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<RobotsRules> {
  const url = new URL('/robots.txt', origin).href;
  const res = await fetcher.fetch(url, {
    method: 'GET',
    body: 'always',
    timeoutMs: opts.timeoutMs,
    maxBytes: ROBOTS_MAX_BYTES,
    mayFollowTo: (next) => next.origin === new URL(origin).origin || next.hostname === new URL(origin).hostname,
    connection: 'pooled',
    signal: opts.signal,
  });
  if (res.outcome !== 'ok' || !res.body) return ALLOW_ALL;
  const robots = robotsParser(url, res.body.toString('utf8'));
  const delay = robots.getCrawlDelay(userAgent);
  return {
    // robots-parser answers undefined for a URL of another origin: not ours to judge, allowed.
    isAllowed: (target) => robots.isAllowed(target, userAgent) !== false,
    crawlDelayMs: typeof delay === 'number' && delay > 0 ? delay * 1000 : undefined,
  };
}
