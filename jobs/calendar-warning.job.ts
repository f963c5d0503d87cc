import { missingScheduleWarning } from '../core/calendar';
import { planCalendarWarning } from '../core/reminders/reminder.plan';
import type { JobEnv, JobSpec } from './job';

/**
 * Once a day (from 15 November, or all year when the current year is missing): tells province admins that
 * a year's holiday schedule is not loaded, so deadlines into it are provisional (`steward calendar load`).
 */
export async function runCalendarWarning(env: Pick<JobEnv, 'deps' | 'settings'>, now: Date): Promise<{ missingYear: number | null; inserted: number }> {
  const calendar = await env.deps.calendar.current();
  const missing = missingScheduleWarning(now, calendar);
  if (!missing) return { missingYear: null, inserted: 0 };
  const intents = planCalendarWarning({ today: calendar.localDateOf(now), missingYear: missing.year, provinceAdmins: await env.deps.people.activeProvinceAdmins() }, now, env.settings);
  return { missingYear: missing.year, inserted: (await env.deps.notifications.insert(intents, now)).inserted };
}

export const calendarWarningJob: JobSpec = { name: 'calendar-warning', run: runCalendarWarning };
