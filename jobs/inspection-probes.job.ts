import { decideOutage, downLongEnough, downRunOf, outageAlertIntents, vetoAlertIntents } from '../core/inspection/alerts';
import { alertPeople, weekProbes } from '../core/inspection/inspect-now';
import type { InspectionProfile, ProbeResult } from '../core/inspection/inspection.types';
import { availabilityOf, availabilityVeto, defaultProfileFor } from '../core/inspection/judge';
import { dueSlots, probeSlotId } from '../core/inspection/probe-plan';
import type { Deps } from '../core/ports';
import type { OutageCover } from '../core/requests/outage-cover';
import type { Site, SiteStatus } from '../core/registry/types';
import { createLimiter, hostOf } from './inspection-limiter';
import type { JobEnv, JobSpec } from './job';

/** Sites whose home page is probed: online ones, and the ones offline or closing — to see them come back, or not. */
export const PROBED_STATUSES: SiteStatus[] = ['online', 'temp_offline', 'closing'];

/** The sites to inspect with their profiles (saved, or the default): one read of each collection. */
export async function inspectedSites(deps: Pick<Deps, 'sites' | 'inspections'>, statuses: SiteStatus[]): Promise<{ site: Site; profile: InspectionProfile }[]> {
  const [sites, profiles] = await Promise.all([deps.sites.find({ statuses }), deps.inspections.profiles()]);
  return withProfiles(deps, sites, profiles);
}

/**
 * How long the probe job reuses its list of sites and profiles. Reading 14,000 sites takes seconds on the
 * embedded FerretDB (it decodes every field of every document), too much to do every minute; a profile edited
 * or a site added is probed from the next reload. The alert path reads the site itself again.
 */
export const PROBE_LIST_TTL_MS = 10 * 60_000;
const probeLists = new WeakMap<object, { at: number; list: Promise<{ site: Site; profile: InspectionProfile }[]> }>();

async function probeList(deps: Pick<Deps, 'sites' | 'inspections'>): Promise<{ site: Site; profile: InspectionProfile }[]> {
  const cached = probeLists.get(deps.inspections);
  if (cached && performance.now() - cached.at < PROBE_LIST_TTL_MS) return cached.list;
  const list = inspectedSites(deps, PROBED_STATUSES);
  probeLists.set(deps.inspections, { at: performance.now(), list });
  list.catch(() => probeLists.delete(deps.inspections));
  return list;
}

function withProfiles(deps: Pick<Deps, 'inspections'>, sites: Site[], profiles: InspectionProfile[]): { site: Site; profile: InspectionProfile }[] {
  const byId = new Map(profiles.map((p) => [p.siteId, p]));
  return sites
    .map((site) => ({ site, profile: byId.get(site.id) ?? defaultProfileFor(site, deps.inspections.settings) }))
    .filter(({ profile }) => profile.enabled && profile.homeUrls.length > 0);
}

/**
 * After a failed probe: has the site been down long enough, and do the approvals cover it? The requests are
 * read only for a site down `downAlertMinutes` while online, or down at all while the registry has it offline
 * (a window that ended without the site coming back). The notification's key makes the alert once per episode.
 */
async function alertIfDown(deps: Deps, listed: Site, now: Date): Promise<number> {
  const settings = deps.inspections.settings;
  const site = await deps.sites.getById(listed.id);
  if (!site) return 0;
  const probes = await weekProbes(deps, site.id, now);
  let asked: Promise<OutageCover> | undefined;
  const coverNow = () => (asked ??= deps.requests.coveringOutage(site.id, now));
  // Failures during an approved window or a filed shutdown are expected: no veto risk is raised for them either.
  const vetoed = site.status === 'online' && availabilityVeto(probes.week, settings, now) && !(await coverNow()).covering;
  const inserted = vetoed ? await alertAvailabilityVeto(deps, site, probes, now) : 0;
  const run = downRunOf(probes.week.filter((p) => now.getTime() - p.at.getTime() <= 86_400_000));
  if (!run) return inserted;
  if (site.status === 'online' ? !downLongEnough(run, now, settings) : false) return inserted;
  const cover = await coverNow();
  const decision = decideOutage({ status: site.status, run, cover, now, settings });
  if (!decision) return inserted;
  const units = decision.kind === 'not_restored_after_window' ? site.scopeUnits : [site.supervisingUnit, site.hostUnit];
  const people = await alertPeople(deps.people, site, units);
  return inserted + (await deps.notifications.insert(outageAlertIntents(site, decision, people, now), now)).inserted;
}

/**
 * The availability veto line reached with this failure (the site online, uncovered) goes out at once, not at
 * the night's crawl: the same
 * veto-risk notification (once per site, reason and day) the judged report would raise.
 */
async function alertAvailabilityVeto(deps: Deps, site: Site, probes: { week: ProbeResult[]; today: ProbeResult[] }, now: Date): Promise<number> {
  const report = {
    veto: ['availability' as const],
    availability: { today: availabilityOf(probes.today), week: availabilityOf(probes.week), veto: true },
    homepage: { url: '', stale: false },
    columns: [],
  };
  const people = await alertPeople(deps.people, site, [site.supervisingUnit]);
  return (await deps.notifications.insert(vetoAlertIntents(site, report, people, now), now)).inserted;
}

/**
 * Slots this process already claimed or found claimed: a slot stays due for `probeCatchUpMinutes` of runs, and
 * without this each run would try its claim again (a write per slot per minute, for nothing).
 */
const settledSlots = new WeakMap<object, Map<string, number>>();

function settledOf(deps: Pick<Deps, 'inspections'>, after: Date): Map<string, number> {
  let seen = settledSlots.get(deps.inspections);
  if (!seen) settledSlots.set(deps.inspections, (seen = new Map()));
  for (const [id, at] of seen) if (at <= after.getTime()) seen.delete(id);
  return seen;
}

/** Forgets what this process remembers of slots and sites (tests that empty the database between cases). */
export function forgetProbeMemory(deps: Pick<Deps, 'inspections'>): void {
  settledSlots.delete(deps.inspections);
  probeLists.delete(deps.inspections);
}

export interface ProbeRunResult {
  due: number;
  probed: number;
  failed: number;
  inserted: number;
}

/**
 * The availability probes that fell due since the last run (at most `probeCatchUpMinutes` back: a slot missed
 * longer ago stays missed, as it would be for the national monitor). Each slot is claimed by its `_id` before
 * it is probed, so two instances running at once share the slots and each probe runs and is recorded once.
 * Probes run under the global and per-host limits; a failed probe then asks whether to alert.
 */
export async function runInspectionProbes(env: Pick<JobEnv, 'deps' | 'instance' | 'logger'>, now: Date): Promise<ProbeRunResult> {
  const { deps } = env;
  const { settings, schedule } = deps.inspections;
  const after = new Date(now.getTime() - schedule.probeCatchUpMinutes * 60_000 - 1);
  const limiter = createLimiter(schedule.globalConcurrency, schedule.perHostConcurrency);
  const result: ProbeRunResult = { due: 0, probed: 0, failed: 0, inserted: 0 };
  const tasks: Promise<void>[] = [];
  const settled = settledOf(deps, after);
  for (const { site, profile } of await probeList(deps)) {
    const url = profile.homeUrls[0]!;
    for (const slot of dueSlots(profile, after, now)) {
      const id = probeSlotId(site.id, slot);
      if (settled.has(id)) continue;
      result.due++;
      tasks.push(
        limiter.run(hostOf(url), async () => {
          const claimed = await deps.inspections.claimProbe(id, env.instance);
          settled.set(id, slot.getTime());
          if (!claimed) return;
          const probe: ProbeResult = { ...(await deps.inspector.probe(site.id, url, site.domains, { timeoutMs: settings.probeTimeoutMs })), at: slot };
          if (!(await deps.inspections.recordProbe(id, probe))) return;
          result.probed++;
          if (probe.outcome === 'ok') return;
          result.failed++;
          result.inserted += await alertIfDown(deps, site, now);
        }),
      );
    }
  }
  for (const s of await Promise.allSettled(tasks)) if (s.status === 'rejected') env.logger.error({ err: s.reason }, 'inspection probe failed');
  return result;
}

export const inspectionProbesJob: JobSpec = { name: 'inspection-probes', run: runInspectionProbes };
