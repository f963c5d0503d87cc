import { parentPort, workerData } from 'node:worker_threads';
import type { CrawlProgress } from '../core/inspection/inspection.ports';
import type { InspectionProfile } from '../core/inspection/inspection.types';
import { systemLookup } from './address-guard';
import { crawlSite, type CrawlerDeps, type SiteFacts } from './crawler';
import { HostPacer } from './host-pacer';
import { createGuardedFetcher } from './http-fetch';
import type { ResolveMap } from './resolve';

/**
 * The crawl's own thread (see crawl-in-worker.ts): parsing pages and checking thousands of links keeps an
 * event loop busy, and a probe sharing that loop would measure the crawl instead of the site.
 */

export interface CrawlWorkerData {
  resolve: ResolveMap;
  userAgent: string;
  maxBytes: number;
  perHostIntervalMs: number;
  linkConcurrency: number;
  maxPages: number;
  pageTimeoutMs: number;
  linkTimeoutMs: number;
}

export type ToCrawlWorker = { type: 'crawl'; id: number; at: number; profile: InspectionProfile; site: SiteFacts } | { type: 'abort'; id: number; reason: string };
export type FromCrawlWorker =
  | { type: 'progress'; id: number; progress: CrawlProgress }
  | { type: 'done'; id: number; result: Awaited<ReturnType<typeof crawlSite>> }
  | { type: 'failed'; id: number; message: string };

const config = workerData as CrawlWorkerData;
const fetcher = createGuardedFetcher({ resolve: config.resolve, lookup: systemLookup, userAgent: config.userAgent });
const pacer = new HostPacer(config.perHostIntervalMs);
const running = new Map<number, AbortController>();
const port = parentPort!;
const send = (message: FromCrawlWorker) => port.postMessage(message);

port.on('message', (message: ToCrawlWorker) => {
  if (message.type === 'abort') {
    running.get(message.id)?.abort(new Error(message.reason));
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  const deps: CrawlerDeps = { ...config, fetcher, pacer, now: () => new Date(message.at) };
  crawlSite(deps, message.profile, message.site, { signal: controller.signal, onProgress: (progress) => send({ type: 'progress', id: message.id, progress }) })
    .then(
      (result) => send({ type: 'done', id: message.id, result }),
      (error: unknown) => send({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) }),
    )
    .finally(() => running.delete(message.id));
});
