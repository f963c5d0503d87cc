import { buildDigests, sweepDue } from '../core/complaints/complaint.sweep';
import { buildObligationDigests, obligationsForDigest, type DigestEntry, type Responsible } from '../core/obligations/obligation.digest';
import { chinaInstant } from '../core/calendar/civil-date';
import { planDigests } from '../core/reminders/reminder.plan';
import type { Deps } from '../core/ports';
import type { JobEnv, JobSpec } from './job';

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
  const entries = env.deps.obligations ? await obligationsForDigest(env.deps, calendar, today) : [];
  const obligations = buildObligationDigests(entries, await responsibleOf(env.deps.people, entries));
  const intents = planDigests({ today, workingDay: true, digests: buildDigests(sweep), mailboxUsers: await env.deps.people.activeSiteAdmins(), obligations }, now, env.settings);
  const { inserted } = await env.deps.notifications.insert(intents, now);
  await env.deps.runs.mark(marker, now);
  return { inserted };
}

export const dailyDigestJob: JobSpec = { name: 'daily-digest', run: runDailyDigest };
