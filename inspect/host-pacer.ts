import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A polite rate per host: requests to one host start at least `intervalMs` apart, whichever crawl or link
 * check sends them (one pacer per inspector, shared by its crawls). A host's robots.txt may ask for more
 * (Crawl-delay), up to a ceiling, so one odd file cannot stall the night's crawl.
 */
export class HostPacer {
  private readonly next = new Map<string, number>();
  private readonly slower = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly maxIntervalMs = 10_000,
  ) {}

  /** Asks for at least `ms` between requests to this host (robots.txt Crawl-delay). */
  slowDown(host: string, ms: number): void {
    if (ms > this.intervalMs) this.slower.set(host, Math.min(ms, this.maxIntervalMs));
  }

  /** Resolves when a request to this host may start, and books that slot. */
  async wait(host: string, signal?: AbortSignal): Promise<void> {
    const interval = this.slower.get(host) ?? this.intervalMs;
    if (interval <= 0) return;
    const now = performance.now();
    const slot = Math.max(now, this.next.get(host) ?? 0);
    this.next.set(host, slot + interval);
    if (this.next.size > 10_000) this.forgetPast(now);
    if (slot > now) await sleep(slot - now, undefined, { signal });
  }

  private forgetPast(now: number): void {
    for (const [host, at] of this.next) if (at < now) this.next.delete(host);
  }
}
