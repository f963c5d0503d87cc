import { noticeRepoOf, planNoticeReminders } from '../core/notices/notice.service';
import { chinaInstant } from '../core/calendar/civil-date';
import type { JobEnv, JobSpec } from './job';

/** Notices older than this are no longer chased. */
export const NOTICE_REMIND_DAYS = 30;

/**
 * Once a working day after the day of publication (from `digestAt`), everyone who has not acknowledged a
 * notice that asks for it gets a reminder card, keyed `notice-reminder:<id>:<date>` + userid: however often
 * this runs that day, and on however many instances, one reminder per person per day.
 */
export async function runNoticeReminders(env: Pick<JobEnv, 'deps' | 'settings'>, now: Date): Promise<{ inserted: number; skipped?: string }> {
  const calendar = await env.deps.calendar.current();
  const today = calendar.localDateOf(now);
  if (!calendar.isWorkingDay(today)) return { inserted: 0, skipped: 'day_off' };
  if (now.getTime() < chinaInstant(today, env.settings.digestAt).getTime()) return { inserted: 0, skipped: 'too_early' };
  const repo = noticeRepoOf(env.deps);
  let inserted = 0;
  for (const n of await repo.awaitingAcks(new Date(now.getTime() - NOTICE_REMIND_DAYS * 86_400_000))) {
    if (!n.publishedAt || calendar.localDateOf(n.publishedAt) >= today) continue;
    inserted += (await repo.store(await planNoticeReminders(env.deps, n, today), now)).inserted;
  }
  return { inserted };
}

export const noticeRemindersJob: JobSpec = { name: 'notice-reminders', run: runNoticeReminders };
