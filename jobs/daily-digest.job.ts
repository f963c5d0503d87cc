import { buildDigests, sweepDue } from '../core/complaints/complaint.sweep';
import { buildObligationDigests, obligationsForDigest, type DigestEntry, type Responsible } from '../core/obligations/obligation.digest';
import { chinaInstant } from '../core/calendar/civil-date';
import { registerObligations } from '../core/deadlines/obligation.deadlines';
import { planDigests } from '../core/reminders/reminder.plan';
import type { Deps } from '../core/ports';
import type { JobEnv, JobSpec } from './job';
import { digestLineOf, type InspectionDigestLine } from '../core/inspection/digest';
import { PROBED_STATUSES } from './inspection-probes.job';

/**
 * The inspection's digest lines (art. 28): one line per site with a judged report — availability, days since
 * the home page was updated, columns near their limit, broken links — to the site's admins and to the
 * supervisors of the unit that directly supervises it. Veto risks are not here: they went out at once. One
 * read of the reports, one of the admins, one of the supervisors.
 */
async function inspectionLines(deps: Deps): Promise<Map<string, { locale: string; lines: InspectionDigestLine[] }>> {
  const out = new Map<string, { locale: string; lines: InspectionDigestLine[] }>();
  const sites = new Map((await deps.sites.find({ statuses: PROBED_STATUSES })).map((s) => [s.id, s]));
  const reports = await deps.inspections.latestReports([...sites.keys()]);
  if (!reports.length) return out;
  const admins = await deps.people.siteAdminsBySite(reports.map((r) => r.siteId));
  const supervisors = await deps.people.supervisorsByUnit([...new Set(reports.map((r) => sites.get(r.siteId)!.supervisingUnit))]);
  for (const report of reports) {
    const line = digestLineOf(report);
    const seen = new Set<string>();
    for (const p of [...(admins.get(report.siteId) ?? []), ...(supervisors.get(sites.get(report.siteId)!.supervisingUnit) ?? [])]) {
      if (seen.has(p.userid)) continue;
      seen.add(p.userid);
      const entry = out.get(p.userid) ?? { locale: p.locale, lines: [] };
      entry.lines.push(line);
      out.set(p.userid, entry);
    }
  }
  return out;
}

/** The people who answer for these obligation entries: three queries at most, whatever their number. */
async function responsibleOf(people: Deps['people'], entries: readonly DigestEntry[]): Promise<Responsible> {
  const sites = [...new Set(entries.filter((e) => e.item.subject.kind === 'site').map((e) => e.item.subject.id))];
  const units = [...new Set(entries.filter((e) => e.item.subject.kind === 'unit').map((e) => e.item.subject.id))];
  const top = entries.some((e) => e.item.subject.kind === 'unit' && e.item.subject.escalateTo === null);
  return { siteAdmins: await people.siteAdminsBySite(sites), supervisors: await people.supervisorsByUnit(units), provinceAdmins: top ? await people.activeProvinceAdmins() : [] };
}

/**
 * One digest per person per working day ("3 due today, 1 overdue", the art. 23 mailbox line for site admins,
 * and the recurring obligations overdue, due today or due within the reminder window for the people who
 * answer for them) instead of a ping per item: from `digestAt` on, the first run of the day sweeps and stores
 * the digests (`digest:<date>` + userid, once); later runs see the day's marker and do nothing.
 */
export async function runDailyDigest(env: Pick<JobEnv, 'deps' | 'settings'>, now: Date): Promise<{ inserted: number; skipped?: string }> {
  const calendar = await env.deps.calendar.current();
  const today = calendar.localDateOf(now);
  if (!calendar.isWorkingDay(today)) return { inserted: 0, skipped: 'day_off' };
  if (now.getTime() < chinaInstant(today, env.settings.digestAt).getTime()) return { inserted: 0, skipped: 'too_early' };
  const marker = `digest:${today}`;
  if (await env.deps.runs.done(marker)) return { inserted: 0, skipped: 'done' };
  const sweep = await sweepDue(env.deps, now);
  // The recurring obligations come from the register of open deadlines, registered for the day first (once).
  await registerObligations(env.deps, now);
  const entries = await obligationsForDigest(env.deps, calendar, today);
  const obligations = buildObligationDigests(entries, await responsibleOf(env.deps.people, entries));
  const intents = planDigests({ today, workingDay: true, digests: buildDigests(sweep), mailboxUsers: await env.deps.people.activeSiteAdmins(), obligations, inspection: await inspectionLines(env.deps) }, now, env.settings);
  const { inserted } = await env.deps.notifications.insert(intents, now);
  await env.deps.runs.mark(marker, now);
  return { inserted };
}

export const dailyDigestJob: JobSpec = { name: 'daily-digest', run: runDailyDigest };
