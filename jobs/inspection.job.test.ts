import { DEFAULT_INSPECTION_CONFIG, type InspectionConfig } from '../core/inspection/inspection.config';
import { inspectSiteNow } from '../core/inspection/inspect-now';
import { planProbes, probeSlotId } from '../core/inspection/probe-plan';
import type { Deps } from '../core/ports';
import type { Site } from '../core/registry/types';
import { renderNotification } from '../bot/render/notification.render';
import { replyText } from '../bot/reply';
import { translatorFor } from '../lib/i18n';
import { createServices, type Services } from '../lib/services';
import { seedDemoIfEmpty } from '../store/demo/seed-demo';
import { ProbeDayModel } from '../store/inspection.model';
import { NotificationModel } from '../store/notification.model';
import { RequestModel } from '../store/request.model';
import { ReminderRunModel } from '../store/reminder-run.model';
import { SiteModel } from '../store/site.model';
import { useTestDatabase } from '../test/db';
import { startFixtureSites, typicalSite, type FixtureSites } from '../test/fixture-sites';
import { runDailyDigest } from './daily-digest.job';
import { runInspectionCrawls } from './inspection-crawls.job';
import { forgetProbeMemory, runInspectionProbes } from './inspection-probes.job';
import { china, quietLogger, settings as reminderSettings, testClock } from './reminders.fixture';

useTestDatabase();

const HOST = 'www.zhengding.gov.cn';
const clock = testClock('2026-12-02T09:36');
/** Probe slots every 72 minutes from 00:00; a run looks 5 hours back, so one run at 09:36 owes 04:48, 06:00, 07:12, 08:24 and 09:36. */
const config: InspectionConfig = {
  settings: { ...DEFAULT_INSPECTION_CONFIG.settings, probeTimeoutMs: 3000 },
  schedule: { ...DEFAULT_INSPECTION_CONFIG.schedule, probeCatchUpMinutes: 300 },
};

let fixture: FixtureSites;
let services: Services;
let deps: Deps;
let site: Site;
const env = (instance: string) => ({ deps, instance, logger: quietLogger });

const requests = () => fixture.site(HOST).requests.filter((r) => r.path === '/' && r.method === 'GET').length;

/** An approved temporary offline of the site, as its machine leaves it (only what the cover reads matters). */
async function offlineWindow(id: string, start: string, end: string, status = 'offline') {
  await RequestModel.collection.insertOne({
    _id: id as never,
    type: 'temp_offline',
    status,
    site: { id: site.id, name: site.name, kind: site.kind, domain: HOST, noticePortal: null },
    payload: { start, end, reason: '系统迁移' },
    flags: {},
    steps: [],
    currentStep: 0,
    checklist: [],
    round: 1,
    year: 2026,
    scopeUnits: site.scopeUnits,
    requester: { userid: 'demo.siteadmin', name: '李静' },
    version: 1,
    audit: [],
    effects: [],
    createdAt: new Date(),
    updatedAt: new Date(),
  });
}

async function alerts(kind?: string) {
  return NotificationModel.find(kind ? { effectId: new RegExp(`^inspection:${kind}:`) } : { effectId: /^inspection:/ }, { effectId: 1, userid: 1, params: 1, kind: 1 }).lean();
}

beforeAll(async () => {
  await seedDemoIfEmpty();
  fixture = await startFixtureSites([typicalSite({ host: HOST, now: clock.at, siteCode: '1301230001', homepageAgeDays: 20, links: ['/missing.html'] })]);
  services = createServices({ clock, inspection: { config, resolve: fixture.resolveEnv } });
  deps = services.deps;
  site = (await deps.sites.findByRef('1301230001'))!;
  // Only the fixture site is probed: every other demo site's profile is switched off (their names are real).
  for (const other of await deps.sites.find({})) {
    await deps.inspections.saveProfile({ siteId: other.id, homeUrls: [`http://${other.domains[0]}/`], columns: [], probesPerDay: 20, offsetMinutes: 0, crawlDepth: 1, enabled: other.id === site.id });
  }
  await deps.inspections.saveProfile({
    siteId: site.id,
    homeUrls: [`http://${HOST}/`],
    columns: [
      { url: `http://${HOST}/xwzx/ywdt/`, kind: 'news', name: '要闻动态', confirmed: true },
      { url: `http://${HOST}/zwgk/tzgg/`, kind: 'notice', name: '通知公告', confirmed: true },
    ],
    probesPerDay: 20,
    offsetMinutes: 0,
    crawlDepth: 1,
    enabled: true,
  });
});

afterAll(async () => {
  services?.closeInspector();
  await fixture?.close();
});

beforeEach(async () => {
  await Promise.all([ProbeDayModel.deleteMany({}), NotificationModel.deleteMany({}), RequestModel.deleteMany({}), SiteModel.updateOne({ code: '1301230001' }, { $set: { status: 'online' } })]);
  site = (await deps.sites.findByRef('1301230001'))!;
  forgetProbeMemory(deps);
  if (fixture.site(HOST).requests.length) await fixture.site(HOST).up().catch(() => undefined);
});

describe('#inspection probes job', () => {
  it('two instances share the due probes and each probe runs and is recorded once', async () => {
    const before = requests();
    const [a, b] = await Promise.all([runInspectionProbes(env('a'), clock.at), runInspectionProbes(env('b'), clock.at)]);
    expect(a.probed + b.probed).toBe(5);
    expect(requests() - before).toBe(5);
    const week = await deps.inspections.probesSince(site.id, china('2026-12-02T00:00'));
    expect(week.map((p) => [p.at.toISOString(), p.outcome])).toEqual(['04:48', '06:00', '07:12', '08:24', '09:36'].map((t) => [china(`2026-12-02T${t}`).toISOString(), 'ok']));
    // A later run owes nothing more.
    expect(await runInspectionProbes(env('a'), clock.at)).toMatchObject({ due: 0, probed: 0 });
  });

  it('alerts 疑似未经审批关停 when every probe failed for two hours while online and uncovered, once per outage', async () => {
    await fixture.site(HOST).down('refused');
    const run = await runInspectionProbes(env('a'), clock.at);
    expect(run.failed).toBe(5);
    const sent = await alerts('suspected_unapproved_shutdown');
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sent.map((n) => n.effectId))).toEqual(new Set([`inspection:suspected_unapproved_shutdown:${site.id}:${china('2026-12-02T04:48').toISOString()}`]));
    expect(sent.map((n) => n.userid)).toContain('demo.siteadmin');
    expect(sent.every((n) => n.kind === 'escalation')).toBe(true);
    const text = replyText(renderNotification({ kind: 'escalation', template: 'bot:inspection_alerts.suspected_unapproved_shutdown', params: sent[0]!.params as Record<string, string>, data: null, late: false }, translatorFor('zh-CN')));
    expect(text).toContain('疑似未经审批关停');
    expect(text).toContain('紧急关停 1301230001 reason=force_majeure start=2026-12-02');
    // The next probe fails too: the same outage, no second alert.
    clock.set('2026-12-02T10:48');
    await runInspectionProbes(env('b'), clock.at);
    expect((await alerts()).length).toBe(sent.length);
    clock.set('2026-12-02T09:36');
  });

  it('does not alert an outage during an approved temporary offline window', async () => {
    await offlineWindow('R2026-0901', '2026-12-01', '2026-12-05');
    await fixture.site(HOST).down('refused');
    const run = await runInspectionProbes(env('a'), clock.at);
    expect(run.failed).toBe(5);
    expect(await alerts()).toEqual([]);
  });

  it('does not alert an outage covered by a filed emergency shutdown', async () => {
    await offlineWindow('R2026-0903', '2026-12-02', '2026-12-04', 'reviewing');
    await RequestModel.updateOne({ _id: 'R2026-0903' as never }, { $set: { type: 'emergency_shutdown', payload: { start: '2026-12-02', end: '2026-12-04', emergencyReason: 'force_majeure' } } });
    await fixture.site(HOST).down('refused');
    expect((await runInspectionProbes(env('a'), clock.at)).failed).toBe(5);
    expect(await alerts()).toEqual([]);
  });

  it('sends the availability veto risk at once, once a day, when the week\'s failures reach 5 %', async () => {
    // Four full days of passing probes before today: 80, then today's 5 failures make 5/85.
    for (const day of ['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01']) {
      for (const at of planProbes({ probesPerDay: 20, offsetMinutes: 0 }, day)) await deps.inspections.recordProbe(probeSlotId(site.id, at), { siteId: site.id, url: `http://${HOST}/`, at, outcome: 'ok', totalMs: 20 });
    }
    await fixture.site(HOST).down('refused');
    await runInspectionProbes(env('a'), clock.at);
    const veto = await alerts('veto_risk');
    expect(new Set(veto.map((n) => n.effectId))).toEqual(new Set([`inspection:veto_risk:${site.id}:availability:2026-12-02`]));
    expect(veto[0]!.params).toMatchObject({ reason: 'availability', detail: '5/85' });
    clock.set('2026-12-02T10:48');
    await runInspectionProbes(env('b'), clock.at);
    expect((await alerts('veto_risk')).length).toBe(veto.length);
    clock.set('2026-12-02T09:36');
  });

  it('alerts 超期未恢复上线 up the chain when the site is still down after its window ended', async () => {
    await offlineWindow('R2026-0902', '2026-11-25', '2026-12-01');
    await SiteModel.updateOne({ code: '1301230001' }, { $set: { status: 'temp_offline' } });
    site = (await deps.sites.findByRef('1301230001'))!;
    await fixture.site(HOST).down('http503');
    await runInspectionProbes(env('a'), clock.at);
    const sent = await alerts('not_restored_after_window');
    expect(new Set(sent.map((n) => n.effectId))).toEqual(new Set([`inspection:not_restored_after_window:${site.id}:R2026-0902`]));
    expect(sent.map((n) => n.userid)).toContain('demo.siteadmin');
    expect(sent.length).toBeGreaterThan(1);
    expect(await alerts('suspected_unapproved_shutdown')).toEqual([]);
  });
});

describe('#inspection crawls, veto alerts and the digest', () => {
  it('crawls at night once per site, raises a veto risk once, and puts the site\'s line in the digest', async () => {
    await runInspectionProbes(env('a'), clock.at);
    expect((await runInspectionCrawls(env('a'), clock.at)).skipped).toBe('outside_window');

    clock.set('2026-12-02T02:00');
    const first = await runInspectionCrawls(env('a'), clock.at);
    expect(first).toMatchObject({ crawled: 1, failed: 0 });
    expect((await runInspectionCrawls(env('b'), clock.at)).crawled).toBe(0);
    const [report] = await deps.inspections.latestReports([site.id]);
    expect(report!.homepage).toMatchObject({ daysSince: 20, stale: true });
    expect(report!.veto).toContain('homepage_stale');
    expect(report!.brokenLinks.map((l) => l.url)).toContain(`http://${HOST}/missing.html`);

    const veto = await alerts('veto_risk');
    expect(new Set(veto.map((n) => n.effectId))).toEqual(new Set(report!.veto.map((r) => `inspection:veto_risk:${site.id}:${r}:2026-12-02`)));
    expect(veto.map((n) => n.userid)).toContain('demo.siteadmin');
    // Another inspection the same day (the 巡检 command) sends it no more.
    clock.set('2026-12-02T09:40');
    await inspectSiteNow(deps, site.id);
    expect((await alerts('veto_risk')).length).toBe(veto.length);

    await ReminderRunModel.deleteMany({});
    clock.set('2026-12-02T09:45');
    await runDailyDigest({ deps, settings: reminderSettings }, clock.at);
    const digest = await NotificationModel.findOne({ userid: 'demo.siteadmin', kind: 'digest' }).lean();
    const lines = (digest!.data as { inspection: { siteId: string; homeDays: number; brokenLinks: number }[] }).inspection;
    expect(lines).toEqual(expect.arrayContaining([expect.objectContaining({ siteId: site.id, homeDays: 20, brokenLinks: report!.brokenLinks.length })]));
    const text = replyText(renderNotification({ kind: 'digest', template: 'bot:reminders.digest', params: {}, data: digest!.data ?? null, late: false }, translatorFor('zh-CN')));
    expect(text).toContain('正定县人民政府门户网站：可用率 今日 100.0% / 7天 100.0%，首页 20 天未更新');
  }, 120_000); // two real crawls, paced politely per host
});
