import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Types } from 'mongoose';
import { defaultCalendar } from '../core/calendar';
import { buildDigests, sweepDue } from '../core/complaints/complaint.sweep';
import { COMPLAINT_STATES, type ComplaintState, type NewComplaint } from '../core/complaints/complaint.types';
import { ComplaintModel } from '../store/complaint.model';
import { complaintRepo, toComplaintDoc } from '../store/complaint.repo';
import { connectMongo, disconnectMongo } from '../store/connection';
import { resolveDatabase } from '../store/database';
import { DeadlineModel } from '../store/deadline.model';
import { deadlineRegister, refreshDeadlinePeople } from '../store/deadline.repo';
import { reviewDeadlines } from '../core/reminders/deadline-sources';
import { RequestModel } from '../store/request.model';
import { requestRepo } from '../store/request.repo';
import { unitRepo, userRepo } from '../store/registry.repo';
import { chinaStartOf, chinaDateOf } from '../core/calendar/civil-date';
import { SiteModel } from '../store/site.model';
import { UserModel } from '../store/user.model';
import { sampled } from './sampled';

export interface BenchOptions {
  sites?: number;
  complaints?: number;
  /** How many of the reports are open (a share of them, drawn at random); the issue's 2.5 % by default. */
  open?: number;
  /** Store the reports as a database older than the register holds them, and time the backfill that fills it. */
  backfill?: boolean;
  /** Seed in this process (its memory then counts in the peak); by default a child process seeds. */
  seedInProcess?: boolean;
  /** Runs of the baseline (a count of the reports collection); 0 skips it. At most 2 by default. */
  baselineRuns?: number;
  runs?: number;
  log?: (line: string) => void;
}

export interface BenchFigures {
  database: string;
  sites: number;
  complaints: number;
  openDueByTonight: number;
  people: number;
  seedMs: number;
  /** The register's upkeep after seeding: the first resolution of its people (and with `backfill`, the backfill of the pre-register reports). */
  backfillMs: number;
  registerEntries: number;
  /** Requests over five years (approvals, offline windows, shutdown reports), stored as a database older than the register. */
  requests: number;
  /** The register's backfill of the requests: their open reviews and outages. */
  requestBackfillMs: number;
  openReviews: number;
  openOutages: number;
  /** The review reminders' read (review deadlines due by tonight, with their people), the inbox of one county supervisor, every open outage, and one site's cover. */
  reviewSweepMs: number;
  inboxMs: number;
  outagesMs: number;
  coveringOutageMs: number;
  baselineMedianMs: number;
  sweepMedianMs: number;
  sweepRunsMs: number[];
  digestMedianMs: number;
  ratioSweepToBaseline: number;
  peakRssMb: number;
  peakHeapUsedMb: number;
  rssBeforeMb: number;
  plan: string;
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Deterministic pseudo-random numbers, so two runs seed the same data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** How open reports split over the open states, and handled ones over the others (relative weights). */
const OPEN_WEIGHTS: [ComplaintState, number][] = [
  ['unmatched', 1],
  ['received', 8],
  ['transferred', 14],
];
const HANDLED_WEIGHTS: [ComplaintState, number][] = [
  ['answered', 7],
  ['untrue', 5],
  ['published', 40],
  ['closed', 25],
];

function pick(weights: [ComplaintState, number][], r: number): ComplaintState {
  const total = weights.reduce((n, [, w]) => n + w, 0);
  let x = r * total;
  for (const [s, w] of weights) {
    if (x < w) return s;
    x -= w;
  }
  return weights.at(-1)![0];
}

/** The issue's national size: 200,000 reports over five years, 5,000 of them open (2.5 %). */
export const OPEN_SHARE = 0.025;
const HISTORY_DAYS = 5 * 365;

/** The instant the bench runs at: a Wednesday, 10:00 in China. */
const BENCH_NOW = new Date('2026-11-18T02:00:00Z');

/** Requests per site over the five years of history (most decided long ago), and how many are open now. */
const REQUESTS_PER_SITE = 1.5;
const OPEN_REVIEWS_PER_1000_SITES = 20;
const OPEN_WINDOWS_PER_1000_SITES = 10;
const OPEN_SHUTDOWNS_PER_1000_SITES = 2;

interface SeedOptions {
  nSites: number;
  nComplaints: number;
  openShare: number;
  backfill: boolean;
  log: (line: string) => void;
}

/** Fills the connected database: units, sites with one admin each, a supervisor per unit, the reports. */
async function seed({ nSites, nComplaints, openShare, backfill, log }: SeedOptions): Promise<void> {
  const random = rng(42);
  const now = BENCH_NOW;
  const calendar = defaultCalendar();

  // Units: 13 cities × 12 counties = ~170 supervising units; sites spread over them.
  const units: { code: string; scope: string[] }[] = [];
  for (let c = 1; c <= 13; c++) {
    const city = `13${String(c).padStart(2, '0')}00`;
    units.push({ code: city, scope: ['130000', city] });
    for (let k = 1; k <= 12; k++) units.push({ code: `13${String(c).padStart(2, '0')}${String(k).padStart(2, '0')}`, scope: ['130000', city, `13${String(c).padStart(2, '0')}${String(k).padStart(2, '0')}`] });
  }
  const sites: { _id: Types.ObjectId; name: string; unit: (typeof units)[number]; host: string }[] = [];
  const BATCH = 5000;
  for (let i = 0; i < nSites; i += BATCH) {
    const docs = [];
    for (let j = i; j < Math.min(nSites, i + BATCH); j++) {
      const unit = units[j % units.length]!;
      const site = { _id: new Types.ObjectId(), name: `网站${j}`, unit, host: `${unit.code}-d${j}` };
      sites.push(site);
      docs.push({ _id: site._id, code: String(1000000000 + j), name: site.name, kind: 'department', level: 'county', domains: [`s${j}.bench.gov.cn`], supervisingUnit: unit.code, hostUnit: site.host, languages: ['zh-CN'], status: 'online', scopeUnits: [...unit.scope, site.host] });
    }
    await SiteModel.collection.insertMany(docs);
    log(`seed sites: ${Math.min(nSites, i + BATCH)}/${nSites}`);
  }
  const users = [
    ...sites.map((s, j) => ({ userid: `admin${j}`, name: `管理员${j}`, locale: 'zh-CN', roles: [{ role: 'site_admin', siteId: String(s._id) }], active: true })),
    ...units.map((u) => ({ userid: `sup${u.code}`, name: `主管${u.code}`, locale: 'zh-CN', roles: [{ role: 'supervisor', unitCode: u.code }], active: true })),
    { userid: 'prov1', name: '省级1', locale: 'zh-CN', roles: [{ role: 'province_admin' }], active: true },
  ];
  for (let i = 0; i < users.length; i += BATCH) await UserModel.collection.insertMany(users.slice(i, i + BATCH));
  log(`seed users: ${users.length}`);

  const DAY = 86_400_000;
  for (let i = 0; i < nComplaints; i += BATCH) {
    const docs: NewComplaint[] = [];
    for (let j = i; j < Math.min(nComplaints, i + BATCH); j++) {
      const open = random() < openShare;
      const state = open ? pick(OPEN_WEIGHTS, random()) : pick(HANDLED_WEIGHTS, random());
      // Open reports are recent (received in the last 12 days); handled ones spread over five years.
      const receivedAt = new Date(now.getTime() - (open ? random() * 12 : 4 + random() * (HISTORY_DAYS - 4)) * DAY);
      const transferDue = calendar.deadlineAfterWorkingDays(receivedAt, 1);
      const transferredAt = state === 'unmatched' || state === 'received' ? null : new Date(receivedAt.getTime() + random() * 2 * DAY);
      const answerDue = transferredAt ? calendar.deadlineAfterWorkingDays(transferredAt, 3) : null;
      const answeredAt = transferredAt && !open ? new Date(transferredAt.getTime() + random() * 5 * DAY) : null;
      const site = state === 'unmatched' ? null : sites[Math.floor(random() * sites.length)]!;
      const report: NewComplaint = {
        platformId: `B${j}`,
        siteRef: site ? `s${site.name}` : 'unknown.gov.cn',
        site: site ? { id: String(site._id), name: site.name, hostUnit: site.host, supervisingUnit: site.unit.code, scopeUnits: [...site.unit.scope, site.host] } : null,
        pageUrl: null,
        errorType: '错别字',
        description: `bench ${j}`,
        receivedAt,
        state,
        version: 1,
        transferDue,
        answerDue,
        dueAt: state === 'transferred' ? answerDue!.dueAt : open ? transferDue.dueAt : null,
        transferredAt,
        transferredBy: null,
        transferOnTime: transferredAt ? transferredAt < transferDue.dueAt : null,
        answeredAt,
        answeredBy: null,
        answer: answeredAt ? '已处理' : null,
        answerOnTime: answeredAt && answerDue ? answeredAt < answerDue.dueAt : null,
        handlingDays: answeredAt ? calendar.workingDaysBetween(receivedAt, answeredAt) : null,
        untrueReason: state === 'untrue' ? '不属实' : null,
        publishedAt: state === 'published' || (state === 'closed' && random() < 0.8) ? answeredAt : null,
        closedAt: state === 'closed' ? answeredAt : null,
        history: [],
        outbox: [],
      };
      docs.push(report);
    }
    // Either through the repository's insert (the intake's write path: the register follows each insert), or
    // as a database older than the register holds them (no register, no mark: the backfill at start fills it).
    if (backfill) await ComplaintModel.collection.insertMany(docs.map((c) => ({ ...toComplaintDoc(c), _id: new Types.ObjectId() })));
    else await complaintRepo.insertMany(docs);
    log(`seed complaints: ${Math.min(nComplaints, i + BATCH)}/${nComplaints}`);
  }
  await seedRequests(sites, random, log);
}

/**
 * The requests of five years, as a database older than the register stores them (no register mark): most
 * decided long ago, with their audit trails; a few under review now (their step's deadline around today),
 * approved offline windows around today, and emergency shutdowns not yet over. The register's backfill then
 * registers the open ones, as an upgrade would.
 */
async function seedRequests(sites: { _id: Types.ObjectId; name: string; unit: { code: string; scope: string[] } }[], random: () => number, log: (line: string) => void): Promise<void> {
  const now = BENCH_NOW;
  const calendar = defaultCalendar();
  const DAY = 86_400_000;
  const n = Math.round(sites.length * REQUESTS_PER_SITE);
  const per1000 = (k: number) => Math.max(1, Math.round((sites.length / 1000) * k));
  const [reviews, windows, shutdowns] = [per1000(OPEN_REVIEWS_PER_1000_SITES), per1000(OPEN_WINDOWS_PER_1000_SITES), per1000(OPEN_SHUTDOWNS_PER_1000_SITES)];
  const who = (j: number) => ({ userid: `admin${j}`, name: `管理员${j}` });
  const day = (at: Date) => chinaDateOf(at);
  const addDays = (date: string, k: number) => chinaDateOf(new Date(chinaStartOf(date).getTime() + k * DAY + 12 * 3600_000));
  const BATCH = 2000;
  let docs: Record<string, unknown>[] = [];
  for (let j = 0; j < n; j++) {
    const siteIndex = Math.floor(random() * sites.length);
    const site = sites[siteIndex]!;
    const unit = site.unit.code;
    const city = `${unit.slice(0, 4)}00`;
    const chain = [...(unit === city ? [] : [unit]), city, '130000'];
    const kind: 'review' | 'window' | 'shutdown' | 'history' = j < reviews ? 'review' : j < reviews + windows ? 'window' : j < reviews + windows + shutdowns ? 'shutdown' : 'history';
    const createdAt = kind === 'history' ? new Date(now.getTime() - (30 + random() * (HISTORY_DAYS - 30)) * DAY) : new Date(now.getTime() - random() * 8 * DAY);
    const type = kind === 'shutdown' ? 'emergency_shutdown' : kind === 'window' ? 'temp_offline' : (['temp_offline', 'change_record', 'opening', 'closure'] as const)[Math.floor(random() * 4)]!;
    const start = kind === 'window' ? addDays(day(now), Math.floor(random() * 20) - 10) : kind === 'shutdown' ? addDays(day(now), -Math.floor(random() * 3)) : addDays(day(createdAt), 20);
    const end = addDays(start, 1 + Math.floor(random() * 10));
    const current = kind === 'review' ? Math.floor(random() * chain.length) : chain.length;
    const since = new Date(createdAt.getTime() + current * DAY);
    const steps = chain.map((code, i) => ({
      unitCode: code,
      unitName: `单位${code}`,
      role: i === chain.length - 1 ? 'approve' : 'review',
      root: code === '130000',
      cc: [],
      ...(i <= current ? { deadline: { since, ...calendar.deadlineAfterWorkingDays(since, 5), workingDays: 5, basis: 'working_days' } } : {}),
      ...(i < current ? { decision: { action: 'approve', by: { userid: `sup${code}`, name: `主管${code}` }, at: since } } : {}),
    }));
    const status = kind === 'review' ? 'reviewing' : kind === 'window' ? (start <= day(now) ? 'offline' : 'scheduled') : kind === 'shutdown' ? 'acknowledged' : (['completed', 'rejected', 'withdrawn', 'ended', 'launched', 'closed', 'approved'] as const)[Math.floor(random() * 7)]!;
    const audit = [
      { at: createdAt, by: who(siteIndex), action: 'file', from: null, to: 'reviewing', source: 'wecom' },
      ...steps.filter((s) => 'decision' in s).map((s) => ({ at: since, by: { userid: `sup${s.unitCode}`, name: `主管${s.unitCode}` }, action: 'approve', from: 'reviewing', to: 'reviewing', source: 'wecom', comment: '同意' })),
    ];
    docs.push({
      _id: `R${createdAt.getUTCFullYear()}-${String(j).padStart(6, '0')}`,
      type,
      status,
      site: { id: String(site._id), name: site.name, kind: 'department', domain: `s${siteIndex}.bench.gov.cn`, noticePortal: null },
      requester: who(siteIndex),
      year: createdAt.getUTCFullYear(),
      scopeUnits: site.unit.scope,
      steps,
      currentStep: current,
      payload: { start, end, reason: '网站改版升级', ...(type === 'emergency_shutdown' ? { emergencyReason: 'force_majeure' } : {}) },
      checklist: [],
      round: 1,
      flags: {},
      audit,
      effects: [],
      version: audit.length,
      createdAt,
      updatedAt: since,
    });
    if (docs.length === BATCH || j === n - 1) {
      await RequestModel.collection.insertMany(docs as never[]);
      docs = [];
      log(`seed requests: ${j + 1}/${n}`);
    }
  }
}

/**
 * Seeds in a child process, so the memory the seeding leaves behind (a few hundred thousand documents built
 * and sent) does not count against the sweep's: the measuring process holds what a service holds.
 */
async function seedInChild(uri: string, dbName: string, o: Omit<SeedOptions, 'log'>, log: (line: string) => void): Promise<void> {
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--seed-into', uri, dbName, '--sites', String(o.nSites), '--complaints', String(o.nComplaints), '--open', String(Math.round(o.openShare * o.nComplaints)), ...(o.backfill ? ['--backfill'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', log);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`seeding failed (exit ${code})`);
}

/**
 * Seeds a fresh database with `sites` sites (with one admin each and a supervisor per supervising unit) and
 * `complaints` reports in every state, fills the register of open deadlines by the backfill a start runs, then
 * times the due/overdue sweep (which reads the register) and the digest build against a baseline (a plain
 * count of the reports), with peak memory. Goal (issue 4): sweep < 2 s, < 300 MB.
 */
export async function runComplaintsBench(opts: BenchOptions = {}): Promise<BenchFigures> {
  const log = opts.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const nSites = opts.sites ?? 14_000;
  const nComplaints = opts.complaints ?? 200_000;
  const runs = opts.runs ?? 5;
  const backfill = opts.backfill ?? false;
  const openShare = Math.min(1, (opts.open ?? Math.round(nComplaints * OPEN_SHARE)) / nComplaints);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'steward-bench-'));
  const db = await resolveDatabase({ mongodbUri: process.env.MONGODB_URI, dataDir, log: (m) => log(`[db] ${m}`) });
  const dbName = `bench_${Date.now().toString(36)}`;
  log(`database: ${db.description}, db ${dbName}`);
  try {
    await connectMongo(db.uri, dbName);
    const now = BENCH_NOW;
    const calendar = defaultCalendar();
    const seedStart = performance.now();
    const seedOpts = { nSites, nComplaints, openShare, backfill };
    if (opts.seedInProcess) await seed({ ...seedOpts, log });
    else await seedInChild(db.uri, dbName, seedOpts, log);
    const seedMs = performance.now() - seedStart;
    if (!COMPLAINT_STATES.length) throw new Error('unreachable');

    // The register's people are resolved by the complaint-outbox job's upkeep, as in production: after the
    // backfill of a database older than the register (`--backfill`), or for the entries the inserts set.
    const backfillStart = performance.now();
    const upkeep = backfill ? await deadlineRegister.maintain(now) : { applied: 0, ...(await refreshDeadlinePeople(now, { all: true })) };
    const backfillMs = performance.now() - backfillStart;
    const registerEntries = await DeadlineModel.collection.countDocuments({});
    log(`register upkeep${backfill ? ' with the backfill' : ''}: ${upkeep.applied} reports applied, ${registerEntries} open deadlines with their people, in ${(backfillMs / 1000).toFixed(1)} s`);

    // The requests: the register's backfill (an upgrade), then the readers that use it.
    const requestBackfill = await sampled(() => deadlineRegister.repair('review', now));
    const nRequests = await RequestModel.collection.estimatedDocumentCount();
    const requestDeps = { deadlines: deadlineRegister, complaints: complaintRepo, calendar: { current: async () => calendar }, units: unitRepo, users: userRepo };
    await reviewDeadlines(requestDeps, now);
    const reviewSweep = await sampled(() => reviewDeadlines(requestDeps, now));
    const inbox = await sampled(() => requestRepo.inbox({ userid: 'sup130101', units: ['130101'], root: false }));
    const outages = await sampled(() => deadlineRegister.openOutages());
    const firstOutage = outages.value[0];
    const cover = await sampled(() => deadlineRegister.coveringOutage(firstOutage?.siteId ?? 'none', now));
    const openReviews = (await deadlineRegister.dueBy({ kind: 'review' })).length;
    log(
      `requests: ${nRequests} over five years; register backfill ${(requestBackfill.ms / 1000).toFixed(1)} s (${requestBackfill.value.applied} applied: ${openReviews} open reviews, ${outages.value.length} open outages); ` +
        `review reminders' read ${reviewSweep.ms.toFixed(0)} ms (${reviewSweep.value.length} due by tonight), inbox ${inbox.ms.toFixed(0)} ms (${inbox.value.length}), open outages ${outages.ms.toFixed(0)} ms, one site's cover ${cover.ms.toFixed(0)} ms`,
    );

    const deps = { deadlines: deadlineRegister, complaints: complaintRepo, calendar: { current: async () => calendar } };
    // Warm up the sweep once (connection pool, index pages), then measure.
    await sweepDue(deps, now);
    if (typeof global.gc === 'function') global.gc();
    const rssBefore = process.memoryUsage().rss;

    const baseline: number[] = [];
    // At most two: a count reads the whole reports collection, about a minute at the national size on FerretDB.
    for (let i = 0; i < (opts.baselineRuns ?? Math.min(runs, 2)); i++) baseline.push((await sampled(() => ComplaintModel.collection.countDocuments({}))).ms);
    const sweepMs: number[] = [];
    const digestMs: number[] = [];
    let peakRss = 0;
    let peakHeap = 0;
    let open = 0;
    let people = 0;
    for (let i = 0; i < runs; i++) {
      const s = await sampled(() => sweepDue(deps, now));
      const d = await sampled(async () => buildDigests(s.value));
      sweepMs.push(s.ms);
      digestMs.push(d.ms);
      peakRss = Math.max(peakRss, s.peakRss, d.peakRss);
      peakHeap = Math.max(peakHeap, s.peakHeap, d.peakHeap);
      open = s.value.scanned;
      people = s.value.people.length;
      log(`sweep run ${i + 1}: ${s.ms.toFixed(0)} ms (${s.value.scanned} reports due by tonight, ${s.value.people.length} people), digests ${d.ms.toFixed(1)} ms`);
    }
    const endOfToday = calendar.endOfLocalDay(calendar.localDateOf(now));
    const explain = (await DeadlineModel.collection.find({ kind: 'complaint', dueAt: { $lte: endOfToday } }).sort({ dueAt: 1 }).explain()) as Record<string, unknown>;
    const plan = JSON.stringify((explain.queryPlanner as Record<string, unknown> | undefined)?.winningPlan ?? explain).slice(0, 400);
    const figures: BenchFigures = {
      database: db.kind,
      sites: nSites,
      complaints: nComplaints,
      openDueByTonight: open,
      people,
      seedMs: Math.round(seedMs),
      backfillMs: Math.round(backfillMs),
      registerEntries,
      requests: nRequests,
      requestBackfillMs: Math.round(requestBackfill.ms),
      openReviews,
      openOutages: outages.value.length,
      reviewSweepMs: Math.round(reviewSweep.ms),
      inboxMs: Math.round(inbox.ms),
      outagesMs: Math.round(outages.ms),
      coveringOutageMs: Math.round(cover.ms),
      baselineMedianMs: Math.round(median(baseline) * 10) / 10,
      sweepMedianMs: Math.round(median(sweepMs)),
      sweepRunsMs: sweepMs.map((m) => Math.round(m)),
      digestMedianMs: Math.round(median(digestMs) * 10) / 10,
      ratioSweepToBaseline: Number((median(sweepMs) / Math.max(0.1, median(baseline))).toPrecision(2)),
      peakRssMb: mb(peakRss),
      peakHeapUsedMb: mb(peakHeap),
      rssBeforeMb: mb(rssBefore),
      plan,
    };
    log(
      [
        `complaints bench on ${figures.database}: ${nSites} sites, ${nComplaints} reports (seeded in ${(figures.seedMs / 1000).toFixed(1)} s)`,
        `  register upkeep (${backfill ? 'backfill of the pre-register reports and ' : ''}people resolved, once): ${figures.backfillMs} ms for ${figures.registerEntries} open deadlines`,
        `  requests (${figures.requests} over five years): register backfill ${figures.requestBackfillMs} ms for ${figures.openReviews} open reviews and ${figures.openOutages} open outages; review reminders' read ${figures.reviewSweepMs} ms, one supervisor's inbox ${figures.inboxMs} ms, open outages ${figures.outagesMs} ms, one site's cover ${figures.coveringOutageMs} ms`,
        `  baseline countDocuments of the reports: ${baseline.length ? `median ${figures.baselineMedianMs} ms` : 'skipped'}`,
        `  sweep (due today + overdue, ${open} reports, ${people} people): median ${figures.sweepMedianMs} ms over ${runs} runs [${figures.sweepRunsMs.join(', ')}]${baseline.length ? ` = ${figures.ratioSweepToBaseline}× baseline` : ''}`,
        `  digest build: median ${figures.digestMedianMs} ms`,
        `  memory: rss ${figures.rssBeforeMb} MB before, peak rss ${figures.peakRssMb} MB, peak heapUsed ${figures.peakHeapUsedMb} MB`,
        `  goal: sweep < 2000 ms ${figures.sweepMedianMs < 2000 ? 'MET' : 'MISSED'}, < 300 MB ${figures.peakRssMb < 300 ? 'MET' : 'MISSED'}`,
        `  plan: ${figures.plan}`,
      ].join('\n'),
    );
    await ComplaintModel.db.dropDatabase().catch(() => undefined);
    return figures;
  } finally {
    await disconnectMongo().catch(() => undefined);
    await db.release();
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const fail = (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  };
  const into = process.argv.indexOf('--seed-into');
  if (into > 0) {
    // The child of seedInChild: seed the named database and leave.
    const [uri, dbName] = [process.argv[into + 1]!, process.argv[into + 2]!];
    const nComplaints = arg('complaints')!;
    const log = (l: string) => process.stdout.write(l + '\n');
    connectMongo(uri, dbName)
      .then(() => seed({ nSites: arg('sites')!, nComplaints, openShare: Math.min(1, arg('open')! / nComplaints), backfill: process.argv.includes('--backfill'), log }))
      .then(() => disconnectMongo())
      .then(() => process.exit(0), fail);
  } else {
    runComplaintsBench({ sites: arg('sites'), complaints: arg('complaints'), open: arg('open'), runs: arg('runs'), baselineRuns: arg('baseline'), backfill: process.argv.includes('--backfill') }).then(() => process.exit(0), fail);
  }
}
