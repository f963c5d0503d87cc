import type { WorkingCalendar } from '../calendar';
import type { CalendarProvider } from '../calendar/calendar.ports';
import { addDays, isRealDate } from './dates';
import { DEFAULT_REVIEW_WORKING_DAYS } from './review.settings';
import type { ApprovalStep, DeadlineEnv, RequestEnv, RequestState, StepDeadline } from './types';

export type { DeadlineEnv } from './types';

/** The env of one command: the calendar as loaded now (operator overrides included) and the setting. */
export async function deadlineEnvOf(deps: { calendar: CalendarProvider; requests: { reviewWorkingDays?(): number } }): Promise<DeadlineEnv> {
  return { calendar: await deps.calendar.current(), workingDays: deps.requests.reviewWorkingDays?.() ?? DEFAULT_REVIEW_WORKING_DAYS };
}

/**
 * The last working day strictly before `date`, walking back; provisional if any day looked at lies in a year
 * without an official schedule. Gives up (undefined) after a month of days off, which no real calendar has.
 */
function workingDayBefore(calendar: WorkingCalendar, date: string): { date: string; provisional: boolean } | undefined {
  let provisional = false;
  let day = date;
  for (let i = 0; i < 31; i++) {
    day = addDays(day, -1);
    const info = calendar.dayInfo(day);
    provisional ||= info.provisional;
    if (info.working) return { date: day, provisional };
  }
  return undefined;
}

/**
 * The review deadline of a step that becomes active at `since` (filing, the previous step's approval, a
 * resubmission): by the end of the n-th working day after the China-local day of `since`, n being the
 * deployment's review time per level. For a temporary offline (art. 14) a review after the window has begun
 * is useless, so the deadline is also no later than the last working day before the requested start — the
 * earlier of the two wins; but never before the day the step became active (a request filed for tomorrow is
 * due today). Provisional when the date was computed through a year whose holiday schedule is not loaded.
 */
export function stepDeadline(state: Pick<RequestState, 'type' | 'payload'>, since: Date, env: DeadlineEnv): StepDeadline {
  const { calendar, workingDays } = env;
  const base = calendar.deadlineAfterWorkingDays(since, workingDays);
  const deadline: StepDeadline = { since, dueDate: base.dueDate, dueAt: base.dueAt, provisional: base.provisional, workingDays, basis: 'working_days' };
  if (state.type !== 'temp_offline' || !isRealDate(state.payload.start)) return deadline;
  const cap = workingDayBefore(calendar, state.payload.start);
  if (!cap || cap.date >= base.dueDate) return deadline;
  const activeOn = calendar.localDateOf(since);
  const capped = cap.date < activeOn ? { date: activeOn, provisional: calendar.dayInfo(activeOn).provisional } : cap;
  return { ...deadline, dueDate: capped.date, dueAt: calendar.endOfLocalDay(capped.date), provisional: capped.provisional, basis: 'offline_start' };
}

/**
 * The step at `index` as it becomes active at `env.now`: with its deadline (from `env.deadlines`), computed once
 * and stored with the step, so it never moves afterwards (a 转办 keeps it; a resubmission starts the steps afresh).
 */
export function activate(state: Pick<RequestState, 'type' | 'payload' | 'steps'>, index: number, env: RequestEnv): ApprovalStep[] {
  const step = state.steps[index];
  const { now, deadlines } = env;
  if (!deadlines || !step) return state.steps;
  return state.steps.map((s, i) => (i === index ? { ...s, deadline: stepDeadline(state, now, deadlines) } : s));
}

/** Whether a step's deadline has passed at `now`: on time is strictly before the end of the due day. */
export const isOverdue = (deadline: Pick<StepDeadline, 'dueAt'>, now: Date): boolean => new Date(deadline.dueAt).getTime() <= now.getTime();
