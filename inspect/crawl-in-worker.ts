import { Worker } from 'node:worker_threads';
import type { CrawlProgress } from '../core/inspection/inspection.ports';
import type { CrawlResult, InspectionProfile } from '../core/inspection/inspection.types';
import type { SiteFacts } from './crawler';
import type { CrawlWorkerData, FromCrawlWorker, ToCrawlWorker } from './crawl-worker';

interface Pending {
  resolve: (result: CrawlResult) => void;
  reject: (error: Error) => void;
  onProgress?: (p: CrawlProgress) => void;
}

/**
 * Crawls in a worker thread, so the probes on the main thread time the sites, not the crawl's parsing (the
 * benchmark measures this: a probe's time within 50 ms of the site's delay while 500 sites are crawled). The
 * worker starts with the first crawl and lets the process exit when no crawl is running.
 */
export class WorkerCrawler {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly data: CrawlWorkerData) {}

  crawl(at: Date, profile: InspectionProfile, site: SiteFacts, opts: { onProgress?: (p: CrawlProgress) => void; signal?: AbortSignal } = {}): Promise<CrawlResult> {
    opts.signal?.throwIfAborted();
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<CrawlResult>((resolve, reject) => {
      const abort = () => worker.postMessage({ type: 'abort', id, reason: String((opts.signal?.reason as Error | undefined)?.message ?? 'aborted') } satisfies ToCrawlWorker);
      opts.signal?.addEventListener('abort', abort, { once: true });
      const done = () => {
        opts.signal?.removeEventListener('abort', abort);
        this.pending.delete(id);
        if (!this.pending.size) worker.unref();
      };
      this.pending.set(id, {
        resolve: (result) => (done(), resolve(result)),
        reject: (error) => (done(), reject(error)),
        onProgress: opts.onProgress,
      });
      worker.ref();
      worker.postMessage({ type: 'crawl', id, at: at.getTime(), profile, site } satisfies ToCrawlWorker);
    });
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./crawl-worker-entry.mjs', import.meta.url), { workerData: this.data });
    worker.on('message', (message: FromCrawlWorker) => {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      if (message.type === 'progress') pending.onProgress?.(message.progress);
      else if (message.type === 'done') pending.resolve(message.result);
      else pending.reject(new Error(message.message));
    });
    const failAll = (error: Error) => {
      for (const p of [...this.pending.values()]) p.reject(error);
      this.worker = undefined;
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`crawl worker exited (${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
