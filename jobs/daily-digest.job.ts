import { buildDigests, sweepDue } from '../core/complaints/complaint.sweep';
import { chinaInstant } from '../core/reminders/china-time';
import { planDigests } from '../core/reminders/reminder.plan';
import { insertNotifications } from '../store/notification.repo';
import { activeSiteAdmins } from '../store/reminder.repo';
import { markRunDone, runDone } from '../store/reminder-run.model';
import type { JobEnv, JobSpec } from './job';

/**
 * One digest per person per working day ("3 due today, 1 overdue", plus the art. 23 mailbox line for site
 * admins) instead of a ping per report: from `digestAt` on, the first run of the day sweeps and stores the
 * digests (`digest:<date>` + userid, once); later runs see the day's marker and do nothing.
 */
export async function runDailyDigest(env: Pick<JobEnv, 'deps' | 'settings'>, now: Date): Promise<{ inserted: number; skipped?: string }> {
  const calendar = await env.deps.calendar.current();
  const today = calendar.localDateOf(now);
  if (!calendar.isWorkingDay(today)) return { inserted: 0, skipped: 'day_off' };
  if (now.getTime() < chinaInstant(today, env.settings.digestAt).getTime()) return { inserted: 0, skipped: 'too_early' };
  const marker = `digest:${today}`;
  if (await runDone(marker)) return { inserted: 0, skipped: 'done' };
  const sweep = await sweepDue(env.deps, now);
  const intents = planDigests({ today, workingDay: true, digests: buildDigests(sweep), mailboxUsers: await activeSiteAdmins() }, now, env.settings);
  const { inserted } = await insertNotifications(intents, now);
  await markRunDone(marker, now);
  return { inserted };
}

export const dailyDigestJob: JobSpec = { name: 'daily-digest', run: runDailyDigest };
