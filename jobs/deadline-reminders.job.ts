import { complaintDeadlines, reviewDeadlines } from '../core/reminders/deadline-sources';
import { planDeadlineReminders } from '../core/reminders/reminder.plan';
import type { JobEnv, JobSpec } from './job';

/**
 * Reminders on the due working day (start, some hours before the end) and escalations once a deadline has
 * passed, for every open deadline due by tonight that has them (error reports' transfers and answers,
 * approval steps' reviews), read from the register of open deadlines. Stores notifications by natural key,
 * so running every few minutes, twice, or on two instances stores each once; a slot missed while down is
 * stored late.
 */
export async function runDeadlineReminders(env: Pick<JobEnv, 'deps' | 'settings'>, now: Date): Promise<{ deadlines: number; inserted: number }> {
  const items = [...(await complaintDeadlines(env.deps, now)), ...(await reviewDeadlines(env.deps, now))];
  const { inserted } = await env.deps.notifications.insert(planDeadlineReminders(items, now, env.settings), now);
  return { deadlines: items.length, inserted };
}

export const deadlineRemindersJob: JobSpec = { name: 'deadline-reminders', run: runDeadlineReminders };
