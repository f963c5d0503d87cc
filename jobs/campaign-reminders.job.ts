import { campaignDuties, peopleNeeded, planCampaignReminders } from '../core/campaigns/campaign.reminders';
import { chinaInstant } from '../core/calendar/civil-date';
import { registerObligations } from '../core/deadlines/obligation.deadlines';
import type { JobEnv, JobSpec } from './job';

/**
 * Quarterly check campaigns (art. 32) before and after their publication deadline, read from the register of
 * open deadlines: from `digestAt`, the first run of the day reminds the checkers and the site admins with open
 * findings (working days in the reminder window) and escalates overdue campaigns to the unit above
 * (`campaignDuties`, `planCampaignReminders`); it also acknowledges the quarterly_check obligation of
 * campaigns found complete. Each message is one insert under its unique (key, userid), so concurrent runs
 * store it once; the day's marker only spares later runs the scan.
 */
export async function runCampaignReminders(
  env: Pick<JobEnv, 'deps' | 'settings'>,
  now: Date,
): Promise<{ inserted: number; reminders: number; escalations: number; acknowledged: string[]; skipped?: string }> {
  const none = { inserted: 0, reminders: 0, escalations: 0, acknowledged: [] as string[] };
  const calendar = await env.deps.calendar.current();
  const today = calendar.localDateOf(now);
  if (now.getTime() < chinaInstant(today, env.settings.digestAt).getTime()) return { ...none, skipped: 'too_early' };
  const marker = `campaign-reminders:${today}`;
  if (await env.deps.runs.done(marker)) return { ...none, skipped: 'done' };
  // It reads the register of open deadlines: the checks a crash left unregistered applied first, the day's
  // obligations (whose quarterly checks tell a complete campaign not yet acknowledged) registered.
  await env.deps.deadlines.repair('check', now);
  await registerObligations(env.deps, now);
  const { duties, acknowledged } = await campaignDuties(env.deps, calendar, now);
  const need = peopleNeeded(duties);
  const { people: dir } = env.deps;
  const people = { supervisors: await dir.supervisorsByUnit(need.units), siteAdmins: await dir.siteAdminsBySite(need.sites), provinceAdmins: need.provinceAdmins ? await dir.activeProvinceAdmins() : [] };
  const intents = planCampaignReminders(duties, people, today, now, env.settings);
  const { inserted } = await env.deps.notifications.insert(intents, now);
  await env.deps.runs.mark(marker, now);
  return { inserted, reminders: intents.filter((i) => i.kind === 'reminder').length, escalations: intents.filter((i) => i.kind === 'escalation').length, acknowledged };
}

export const campaignRemindersJob: JobSpec = { name: 'campaign-reminders', run: runCampaignReminders };
