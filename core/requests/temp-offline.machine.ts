import { planWindow } from '../calendar/date-window';
import { DomainError } from '../errors';
import { chinaStartOf } from '../calendar/civil-date';
import { addDays, checkDatesIn, chinaTimeOn, daysInclusive, isRealDate, windowReversed, yearOfDate } from './dates';
import { initialState, markTimer, noop, notAllowed, notify, requireStatus, reviewTransition, timerSeen, toRequester, toStep, type ReviewHooks } from './review';
import type { EffectSpec, MachineResult, RequestFacts, RequestMachine, RequestPayload, RequestState } from './types';

/** Art. 14: a temporary offline lasts at most 30 days. */
export const MAX_OFFLINE_DAYS = 30;
/** Art. 14: at most once a year. */
export const MAX_OFFLINE_PER_YEAR = 1;

/** Statuses that mean "approved": they use the year's quota (art. 14). */
export const TEMP_OFFLINE_APPROVED = ['scheduled', 'offline', 'completed'] as const;

/**
 * The window rules of art. 13–14, checked at filing, on resubmission and again at each approval: real dates,
 * end not before start, at most 30 days, not starting in the past, and a portal says why it must go offline.
 * With `today` (filing, resubmission) both dates must also lie in the plan window (today … two years on): a
 * 9999 end would have no day after it to schedule.
 */
export function checkWindow(payload: RequestPayload, siteKind: RequestState['site']['kind'], today?: string): { start: string; end: string } {
  const { start, end } = payload;
  if (!isRealDate(start)) throw new DomainError('date_invalid', { field: 'start', value: start ?? '' });
  if (!isRealDate(end)) throw new DomainError('date_invalid', { field: 'end', value: end ?? '' });
  if (end < start) throw windowReversed(start, end);
  const days = daysInclusive(start, end);
  if (days > MAX_OFFLINE_DAYS) throw new DomainError('temp_offline_too_long', { days, max: MAX_OFFLINE_DAYS, article: 14 });
  if (today && start < today) throw new DomainError('window_start_in_past', { start, today }, 400);
  if (today) {
    const plan = planWindow(today);
    checkDatesIn([{ field: 'start', date: start, window: plan }, { field: 'end', date: end, window: plan }]);
  }
  if (!payload.reason?.trim()) throw new DomainError('reason_required', { article: 14 });
  if (siteKind === 'portal' && !payload.justification?.trim()) throw new DomainError('portal_offline_needs_justification', { article: 13 });
  return { start, end };
}

type QuotaSubject = { site: Pick<RequestState['site'], 'name'>; payload: RequestPayload };

const quotaYear = (state: QuotaSubject) => (state.payload.start ? yearOfDate(state.payload.start) : 0);

/** Art. 14: one approved temporary offline per site per calendar year. */
function checkApprovedQuota(state: QuotaSubject, facts: RequestFacts | undefined): void {
  const approved = facts?.approvedInYear ?? [];
  if (approved.length >= MAX_OFFLINE_PER_YEAR) {
    throw new DomainError('temp_offline_quota_used', { site: state.site.name, year: quotaYear(state), other: approved.join(', '), article: 14 });
  }
}

/** Art. 14: one undecided temporary offline per site and year at a time (checked when filing or resubmitting). */
function checkPendingQuota(state: QuotaSubject, facts: RequestFacts | undefined): void {
  const pending = facts?.pendingInYear ?? [];
  if (pending.length > 0) throw new DomainError('temp_offline_pending', { site: state.site.name, year: quotaYear(state), other: pending.join(', '), article: 14 });
}

/** Art. 14: one approved temporary offline per site per calendar year; one undecided request at a time. */
export function checkQuota(state: QuotaSubject, facts: RequestFacts | undefined, atFiling: boolean): void {
  checkApprovedQuota(state, facts);
  if (atFiling) checkPendingQuota(state, facts);
}

/** The window's instants: it starts at 00:00 China time on `start` and is over at 00:00 after `end`. */
export function windowTimes(payload: RequestPayload): { startAt: Date; reminderAt: Date; overdueAt: Date } {
  const startAt = chinaStartOf(payload.start!);
  const overdueAt = chinaStartOf(addDays(payload.end!, 1));
  // 09:00 China time on the day before the last day, never before the window starts.
  const reminder = chinaTimeOn(addDays(payload.end!, -1), 9);
  return { startAt, reminderAt: reminder < startAt ? startAt : reminder, overdueAt };
}

const hooks: ReviewHooks = {
  checkApproval(state, event) {
    checkWindow(state.payload, state.site.kind);
    checkQuota(state, event.facts, false);
  },
  checkResubmit(state, event) {
    checkWindow(state.payload, state.site.kind, event.facts?.today);
    checkQuota(state, event.facts, true);
  },
  onApproved(state) {
    const { startAt, reminderAt, overdueAt } = windowTimes(state.payload);
    const dueDate = addDays(state.payload.start!, -1);
    const params = { start: state.payload.start!, end: state.payload.end! };
    const effects: EffectSpec[] = [
      { kind: 'create_task', payload: { task: 'post_offline_notice_site', siteId: state.site.id, siteName: state.site.name, dueDate, params } },
      { kind: 'schedule', payload: { timer: 'offline_window_start', dueAt: startAt.toISOString() } },
      { kind: 'schedule', payload: { timer: 'offline_end_reminder', dueAt: reminderAt.toISOString() } },
      { kind: 'schedule', payload: { timer: 'offline_overdue', dueAt: overdueAt.toISOString() } },
      notify(toRequester(state), 'approved'),
    ];
    const portal = state.site.noticePortal;
    if (portal) {
      effects.splice(1, 0, { kind: 'create_task', payload: { task: 'post_offline_notice_portal', siteId: portal.id, siteName: portal.name, dueDate, params: { ...params, site: state.site.name } } });
    }
    return { state: { ...state, status: 'scheduled' }, effects };
  },
};

/**
 * Temporary offline (art. 13–14): review chain → provincial approval → scheduled → offline when the window
 * starts → back online. Timers: the window start, a reminder before the end, an alarm to the supervisor
 * when the window has passed and the site is not back.
 */
export const tempOfflineMachine: RequestMachine = {
  type: 'temp_offline',
  statuses: ['reviewing', 'returned', 'rejected', 'withdrawn', 'scheduled', 'offline', 'completed'],
  create(input, env): MachineResult {
    // The yearly quota answers first: "already offline this year" is the reason that matters, and a site
    // offline under this year's approval is also not online.
    checkApprovedQuota(input, input.facts);
    const siteStatus = input.facts?.siteStatus;
    if (siteStatus !== undefined && siteStatus !== 'online') throw new DomainError('site_not_online', { site: input.site.name, article: 14 });
    checkWindow(input.payload, input.site.kind, input.facts?.today);
    const state = initialState(input, 'temp_offline', env);
    checkPendingQuota(state, input.facts);
    return { state, effects: [notify(toStep(state.steps[0]!), 'awaiting_decision')] };
  },
  transition(state, event, env) {
    const reviewed = reviewTransition(state, event, env, hooks);
    if (reviewed) return reviewed;
    switch (event.type) {
      case 'back_online': {
        requireStatus(state, event, ['offline']);
        const supervisor = state.steps[0]!;
        return {
          state: { ...state, status: 'completed' },
          effects: [{ kind: 'set_site_status', payload: { siteId: state.site.id, status: 'online' } }, notify({ unitSupervisors: [{ code: supervisor.unitCode, root: supervisor.root }] }, 'back_online')],
        };
      }
      case 'timer': {
        if (timerSeen(state, event.timerId)) return noop(state);
        const marked = markTimer(state, event.timerId);
        if (event.timer === 'offline_window_start' && state.status === 'scheduled') {
          return {
            state: { ...marked, status: 'offline' },
            effects: [{ kind: 'set_site_status', payload: { siteId: state.site.id, status: 'temp_offline' } }, notify(toRequester(state), 'offline_started', { end: state.payload.end! })],
          };
        }
        if (event.timer === 'offline_end_reminder' && (state.status === 'offline' || state.status === 'scheduled')) {
          return { state: marked, effects: [notify(toRequester(state), 'offline_end_reminder', { end: state.payload.end! })] };
        }
        if (event.timer === 'offline_overdue' && state.status === 'offline') {
          const supervisor = state.steps[0]!;
          return {
            state: { ...marked, flags: { ...marked.flags, overdueAlarmed: true } },
            effects: [notify({ unitSupervisors: [{ code: supervisor.unitCode, root: supervisor.root }], userids: [state.requester.userid] }, 'offline_overdue_alarm', { end: state.payload.end! })],
          };
        }
        return noop(state);
      }
      default:
        throw notAllowed(state, event);
    }
  },
};
