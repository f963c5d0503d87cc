import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultOffsetMinutes, planProbes } from '../core/inspection/probe-plan';
import type { InspectionProfile, ProbeResult } from '../core/inspection/inspection.types';
import type { Lookup } from '../inspect/address-guard';
import { createSiteInspector } from '../inspect/index';
import type { ResolveMap } from '../inspect/resolve';
import { chinaDaysBefore, startFixtureSites, type FixturePage, type FixtureSiteSpec } from '../test/fixture-sites';
import { sampled } from './sampled';

/**
 * The inspection benchmark (issue #15): 500 fixture sites × 20 probes a day scheduled by the probe plan, and a
 * crawl of 500 sites × 100 pages on loopback. It prints probes/s, pages/s, peak memory, and whether a probe's
 * measured time stays within 50 ms of the fixture's configured delay while the crawl runs — against a
 * baseline in the same process: probe timing with no crawl running, and plain keep-alive GETs of the same
 * pages (no guard, no parsing, no link checks) for the crawl.
 *
 * The fixture sites run in child processes, so the measuring process holds only what the inspector holds
 * (its memory is the inspector's): the crawled sites in one, the probed sites in another, so a probe times
 * its site and not a server the crawl keeps busy (in production they are different servers too).
 */

export interface InspectionBenchOptions {
  sites?: number;
  pagesPerSite?: number;
  probesPerDay?: number;
  /** The delay the fixture sites' home pages are configured with (what a probe should measure). */
  homeDelayMs?: number;
  /** Crawls at once (each with its own link concurrency and per-host pace). */
  siteConcurrency?: number;
  perHostIntervalMs?: number;
  /** Probes of the timing measure (baseline, then during the crawl), one every `probeEveryMs`. */
  timingProbes?: number;
  probeEveryMs?: number;
  /** Probes of the throughput measure: one planned day (sites × probesPerDay) by default. */
  throughputProbes?: number;
  probeConcurrency?: number;
  /** Where the crawl runs: a worker thread (default: the probes keep the main thread) or the probes' thread. */
  crawlIn?: 'worker' | 'thread';
  log?: (line: string) => void;
}

const BENCH_NOW = new Date('2026-11-18T02:00:00Z');
const TOLERANCE_MS = 50;
const hostOf = (i: number) => `www.bench${i}.gov.cn`;
/** The probed sites: the same count, served by a process of their own, so the crawl's load on its sites' server is not what the probes time. */
const probeHostOf = (i: number) => `www.probe${i}.gov.cn`;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * One bench site: a home page (the configured delay, a dated list, links to every page), `pages - 1` pages
 * one level below (dated items, links home, to their neighbours, and to a detail page two levels below,
 * which every tenth page lacks: 404, a broken link).
 */
export function benchSite(i: number, pages: number, homeDelayMs: number): FixtureSiteSpec {
  const inner = Array.from({ length: pages - 1 }, (_, k) => k + 1);
  const list: FixturePage[] = [
    {
      path: '/',
      title: `bench ${i}`,
      delayMs: homeDelayMs,
      nav: inner.slice(0, 8).map((k) => ({ href: `/p${k}.html`, text: `栏目${k}` })),
      items: Array.from({ length: 10 }, (_, d) => ({ title: `要闻 ${d}`, date: chinaDaysBefore(BENCH_NOW, d + 1), href: `/p${(d % (pages - 1)) + 1}.html` })),
      links: inner.map((k) => `/p${k}.html`),
    },
  ];
  for (const k of inner) {
    list.push({
      path: `/p${k}.html`,
      title: `page ${k}`,
      items: Array.from({ length: 5 }, (_, d) => ({ title: `信息 ${k}-${d}`, date: chinaDaysBefore(BENCH_NOW, k + d), format: d % 2 ? 'cn' : 'iso', href: `/d${k}.html` })),
      links: ['/', `/p${k === 1 ? pages - 1 : k - 1}.html`, `/p${k === pages - 1 ? 1 : k + 1}.html`],
    });
    if (k % 10 !== 0) list.push({ path: `/d${k}.html`, title: `detail ${k}` });
  }
  return { host: hostOf(i), pages: list };
}

/** Broken links a bench site has: the detail links of every tenth page, each on the one page that links it. */
export const brokenLinksOf = (pages: number) => Math.floor((pages - 1) / 10);

/** A child that serves fixture sites (`crawled`: bench sites; `probed`: home pages only); resolves with their resolve map once they listen. */
async function serveInChild(kind: 'crawled' | 'probed', sites: number, pages: number, homeDelayMs: number): Promise<{ child: ChildProcess; resolve: ResolveMap }> {
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve-fixtures', kind, String(sites), String(pages), String(homeDelayMs)];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const resolve = await new Promise<ResolveMap>((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`fixture sites exited (${code})`)));
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) done(JSON.parse(line.slice(6)) as ResolveMap);
    });
  });
  return { child, resolve };
}

/** Runs `tasks` with at most `limit` at once. */
async function pool<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

/** Plain keep-alive GETs of the same pages: what any crawler pays at least (the crawl's baseline). */
async function plainGets(resolve: ResolveMap, sites: number, pages: number, concurrency: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const paths = ['/', ...Array.from({ length: pages - 1 }, (_, k) => `/p${k + 1}.html`)];
  const started = performance.now();
  await pool(sites * paths.length, concurrency, (n) => {
    const host = hostOf(Math.floor(n / paths.length));
    const to = resolve[host]!;
    return new Promise<void>((done) => {
      http
        .get({ host: to.host, port: to.port, path: paths[n % paths.length], agent, headers: { host } }, (res) => {
          res.resume();
          res.on('end', done);
        })
        .on('error', () => done());
    });
  });
  agent.destroy();
  return (sites * paths.length) / ((performance.now() - started) / 1000);
}

/** Deviation of each probe's total time from the configured delay, probing one site after the other every `everyMs`. */
async function timedProbes(probe: (i: number) => Promise<ProbeResult>, count: number, everyMs: number, sites: number, homeDelayMs: number, until?: () => boolean) {
  const deviations: number[] = [];
  const failures: string[] = [];
  const inflight: Array<Promise<void>> = [];
  const started = performance.now();
  for (let n = 0; n < count && !(until?.() ?? false); n++) {
    const due = started + n * everyMs;
    if (due > performance.now()) await sleep(due - performance.now());
    inflight.push(
      probe(n % sites).then((r) => {
        if (r.outcome === 'ok') deviations.push(r.totalMs - homeDelayMs);
        else failures.push(r.outcome);
      }),
    );
  }
  await Promise.all(inflight);
  const within = deviations.filter((d) => Math.abs(d) <= TOLERANCE_MS).length;
  return { probes: deviations.length + failures.length, failures: failures.length, p50: quantile(deviations, 0.5), p95: quantile(deviations, 0.95), max: Math.max(...deviations), withinShare: deviations.length ? within / deviations.length : 0 };
}

export async function runInspectionBench(opts: InspectionBenchOptions = {}) {
  const log = opts.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const nSites = opts.sites ?? 500;
  const pages = opts.pagesPerSite ?? 100;
  const probesPerDay = opts.probesPerDay ?? 20;
  const homeDelayMs = opts.homeDelayMs ?? 100;
  const siteConcurrency = opts.siteConcurrency ?? 50;
  const perHostIntervalMs = opts.perHostIntervalMs ?? 10;
  const timingProbes = opts.timingProbes ?? 300;
  const probeEveryMs = opts.probeEveryMs ?? 20;
  const throughputProbes = opts.throughputProbes ?? nSites * probesPerDay;
  const probeConcurrency = opts.probeConcurrency ?? 100;
  const crawlIn = opts.crawlIn ?? 'worker';
  log(`inspection: ${nSites} sites × ${probesPerDay} probes/day, crawl of ${nSites} sites × ${pages} pages, home pages delayed ${homeDelayMs} ms`);

  // 1. The schedule: one China day of probe slots from the probe plan (core/inspection/probe-plan.ts).
  const planStarted = performance.now();
  const profiles = Array.from({ length: nSites }, (_, i) => ({ siteId: `bench${i}`, probesPerDay, offsetMinutes: defaultOffsetMinutes(`bench${i}`, probesPerDay) }));
  const slots = profiles.flatMap((p) => planProbes(p, '2026-11-18').map((at) => ({ siteIndex: Number(p.siteId.slice(5)), at })));
  const planMs = performance.now() - planStarted;
  const perMinute = new Map<number, number>();
  for (const s of slots) perMinute.set(Math.floor(s.at.getTime() / 60_000), (perMinute.get(Math.floor(s.at.getTime() / 60_000)) ?? 0) + 1);
  const busiestMinute = Math.max(...perMinute.values());
  const gaps = profiles.map((p) => {
    const day = planProbes(p, '2026-11-18');
    return Math.min(...day.slice(1).map((at, k) => at.getTime() - day[k]!.getTime())) / 60_000;
  });
  log(`  plan: ${slots.length} probe slots a day in ${round(planMs)} ms; busiest minute ${busiestMinute} probes (${round(slots.length / 1440, 2)}/min on average); each site's probes ${Math.min(...gaps)} min apart`);

  const crawled = await serveInChild('crawled', nSites, pages, homeDelayMs);
  const probed = await serveInChild('probed', nSites, 1, homeDelayMs);
  const resolve = { ...crawled.resolve, ...probed.resolve };
  const deny: Lookup = async (host) => {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  };
  const inspector = createSiteInspector({ resolve, lookup: deny, perHostIntervalMs, linkConcurrency: 4, now: () => BENCH_NOW, pageTimeoutMs: 15_000, crawlIn });
  const probeSite = (i: number) => inspector.probe(`probe${i}`, `http://${probeHostOf(i)}/`, [probeHostOf(i)], { timeoutMs: 15_000 });
  try {
    const rssBefore = process.memoryUsage().rss;
    await pool(Math.min(nSites, 100), 20, probeSite); // warm-up: code paths compiled, fixtures' pages rendered once

    // 2. Probe timing with nothing else running: the baseline.
    const baseline = await timedProbes(probeSite, timingProbes, probeEveryMs, nSites, homeDelayMs);
    log(`  probe timing, baseline (no crawl): ${baseline.probes} probes, one every ${probeEveryMs} ms; measured − configured delay p50 ${round(baseline.p50)} ms, p95 ${round(baseline.p95)} ms, max ${round(baseline.max)} ms; ${round(baseline.withinShare * 100)} % within ${TOLERANCE_MS} ms`);

    // 3. Probe throughput: a planned day's probes in slot order, as fast as `probeConcurrency` allows.
    const ordered = [...slots].sort((a, b) => a.at.getTime() - b.at.getTime()).slice(0, throughputProbes);
    const day = await sampled(() => pool(ordered.length, probeConcurrency, (n) => probeSite(ordered[n]!.siteIndex)));
    const probesPerSecond = ordered.length / (day.ms / 1000);
    const probeFailures = day.value.filter((r) => r.outcome !== 'ok').length;
    const needed = (nSites * probesPerDay) / 86_400;
    log(`  probe throughput: ${ordered.length} planned probes in ${round(day.ms / 1000, 2)} s at ${probeConcurrency} at once = ${round(probesPerSecond)} probes/s (${probeFailures} failed); the schedule needs ${round(needed, 3)}/s: ×${Math.round(probesPerSecond / needed)} headroom`);

    // 4. The crawl, with probes running beside it.
    const profileOf = (i: number): InspectionProfile => ({ siteId: `bench${i}`, homeUrls: [`http://${hostOf(i)}/`], columns: [], probesPerDay, offsetMinutes: 0, crawlDepth: 1, enabled: true });
    let crawling = true;
    const during = timedProbes(probeSite, Number.MAX_SAFE_INTEGER, probeEveryMs, nSites, homeDelayMs, () => !crawling);
    const crawl = await sampled(async () => {
      try {
        return await pool(nSites, siteConcurrency, (i) => inspector.crawl(profileOf(i), { domains: [hostOf(i)], hostUnit: `unit${i}` }));
      } finally {
        crawling = false;
      }
    });
    const timing = await during;
    const results = crawl.value;
    const pagesRead = results.reduce((n, r) => n + r.pages, 0);
    const linksChecked = results.reduce((n, r) => n + r.links, 0);
    const broken = results.reduce((n, r) => n + r.brokenLinks.length, 0);
    const byStatus = new Map<string, number>();
    for (const link of results.flatMap((r) => r.brokenLinks)) byStatus.set(String(link.status), (byStatus.get(String(link.status)) ?? 0) + 1);
    const fresh = results.filter((r) => r.homepage.lastUpdate === chinaDaysBefore(BENCH_NOW, 1)).length;
    const pagesPerSecond = pagesRead / (crawl.ms / 1000);
    log(
      `  crawl: ${results.length} sites, ${pagesRead} pages read, ${linksChecked} links checked in ${round(crawl.ms / 1000, 2)} s = ${round(pagesPerSecond)} pages/s, ${round((linksChecked + pagesRead) / (crawl.ms / 1000))} requests/s ` +
        `(${siteConcurrency} sites at once, 4 requests per site, ${perHostIntervalMs} ms per-host pace, crawl on ${crawlIn === 'worker' ? 'a worker thread' : 'the probes\' thread'}); ${broken} broken links found (${[...byStatus].map(([k, v]) => `${k}: ${v}`).join(', ')}) of ${results.length * brokenLinksOf(pages)} planted; ${fresh}/${results.length} home pages dated right`,
    );
    log(`  memory: peak RSS ${mb(Math.max(crawl.peakRss, day.peakRss))} MB (before ${mb(rssBefore)} MB), peak heap ${mb(Math.max(crawl.peakHeap, day.peakHeap))} MB`);
    log(
      `  probe timing during the crawl: ${timing.probes} probes (${timing.failures} failed); measured − configured p50 ${round(timing.p50)} ms, p95 ${round(timing.p95)} ms, max ${round(timing.max)} ms; ${round(timing.withinShare * 100)} % within ${TOLERANCE_MS} ms — ` +
        `p95 ×${round(timing.p95 / Math.max(1, baseline.p95), 2)} the baseline's`,
    );

    // 5. The crawl's baseline: plain GETs of a sample of the same pages.
    const sample = Math.min(nSites, 50);
    const plain = await plainGets(resolve, sample, pages, siteConcurrency * 4);
    log(`  crawl baseline: plain keep-alive GETs of ${sample} sites' pages: ${round(plain)} pages/s; the crawl reads ${round(pagesPerSecond)} pages/s (×${round(pagesPerSecond / plain, 2)}) and also checks ${round(linksChecked / Math.max(1, pagesRead), 2)} links per page`);
    return { probesPerSecond, pagesPerSecond, baseline, timing, peakRssMb: mb(crawl.peakRss), broken };
  } finally {
    inspector.close();
    crawled.child.kill();
    probed.child.kill();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const serve = process.argv.indexOf('--serve-fixtures');
  if (serve > 0) {
    // The child of serveInChild: serve the sites until the parent goes.
    const kind = process.argv[serve + 1];
    const [sites, pages, delay] = process.argv.slice(serve + 2, serve + 5).map(Number);
    const specs = Array.from({ length: sites! }, (_, i): FixtureSiteSpec => (kind === 'probed' ? { host: probeHostOf(i), pages: [{ path: '/', title: `probe ${i}`, delayMs: delay }] } : benchSite(i, pages!, delay!)));
    const fixtures = await startFixtureSites(specs, { nationalServices: false });
    process.stdout.write(`READY ${JSON.stringify(fixtures.resolve)}\n`);
    process.stdin.on('close', () => process.exit(0));
    process.stdin.resume();
  } else {
    const quick = process.argv.includes('--quick');
    const crawlIn = process.argv.includes('--crawl-in-thread') ? ('thread' as const) : ('worker' as const);
    await runInspectionBench(quick ? { sites: 100, pagesPerSite: 50, timingProbes: 150, throughputProbes: 2000, crawlIn } : { crawlIn });
    process.exit(0);
  }
}
