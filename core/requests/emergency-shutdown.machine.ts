import { eventWindow, planWindow } from '../calendar/date-window';
import { DomainError } from '../errors';
import { chinaStartOf } from '../calendar/civil-date';
import { checkDatesIn, isRealDate, windowReversed } from './dates';
import { initialState, markTimer, noop, notAllowed, notify, requireStatus, reviewTransition, timerSeen, toRequester, type ReviewHooks } from './review';
import { EMERGENCY_REASONS, type EffectSpec, type RequestMachine, type RequestPayload, type RequestState } from './types';

/**
 * Art. 15: force majeure or an ordered shutdown, with its start and expected end. With `today` (filing,
 * resubmission) the dates must be sane: the start is an event that may already have happened (2000-01-01 …
 * end of next year), the expected end a plan no more than two years on.
 */
export function checkEmergency(payload: RequestPayload, today?: string): void {
  if (!payload.emergencyReason || !EMERGENCY_REASONS.includes(payload.emergencyReason)) {
    throw new DomainError('emergency_reason_invalid', { value: payload.emergencyReason ?? '', article: 15 });
  }
  if (!isRealDate(payload.start)) throw new DomainError('date_invalid', { field: 'start', value: payload.start ?? '' });
  if (!isRealDate(payload.end)) throw new DomainError('date_invalid', { field: 'end', value: payload.end ?? '' });
  if (payload.end < payload.start) throw windowReversed(payload.start, payload.end);
  if (today) {
    const event = eventWindow(today);
    // The report may come after the shutdown ended, so only the far side of the expected end is a plan's.
    const end = { ...planWindow(today), from: event.from };
    checkDatesIn([{ field: 'start', date: payload.start, window: event }, { field: 'end', date: payload.end, window: end }]);
  }
}

const siteBack = (state: RequestState): EffectSpec[] => (state.flags.siteDown ? [{ kind: 'set_site_status', payload: { siteId: state.site.id, status: 'online' } }] : []);

const hooks: ReviewHooks = {
  noReject: true,
  checkResubmit: (state, event) => checkEmergency(state.payload, event.facts?.today),
  onApproved(state) {
    return { state: { ...state, status: state.flags.backOnline ? 'ended' : 'acknowledged' }, effects: [notify(toRequester(state), 'acknowledged')] };
  },
  onEnded: siteBack,
};

/**
 * Emergency shutdown report (art. 15): a filing, not an approval. Reported upward to the provincial General
 * Office, which acknowledges it; the site is marked down from the start; it never counts toward the yearly
 * temporary-offline quota of art. 14 (the quota counts temp_offline requests only).
 */
export const emergencyShutdownMachine: RequestMachine = {
  type: 'emergency_shutdown',
  statuses: ['reviewing', 'returned', 'withdrawn', 'acknowledged', 'ended'],
  create(input, env) {
    checkEmergency(input.payload, input.facts?.today);
    const state = initialState(input, 'emergency_shutdown', env);
    return {
      state,
      effects: [
        notify({ unitSupervisors: [{ code: state.steps[0]!.unitCode, root: state.steps[0]!.root }] }, 'emergency_reported', { reason: input.payload.emergencyReason! }),
        { kind: 'schedule', payload: { timer: 'shutdown_start', dueAt: chinaStartOf(input.payload.start!).toISOString() } },
      ],
    };
  },
  transition(state, event, env) {
    const reviewed = reviewTransition(state, event, env, hooks);
    if (reviewed) return reviewed;
    switch (event.type) {
      case 'back_online': {
        requireStatus(state, event, ['reviewing', 'returned', 'acknowledged']);
        if (state.flags.backOnline) throw notAllowed(state, event);
        const flags = { ...state.flags, backOnline: true };
        const status = state.status === 'acknowledged' ? 'ended' : state.status;
        return { state: { ...state, status, flags }, effects: [...siteBack(state), notify({ unitSupervisors: [{ code: state.steps[0]!.unitCode, root: state.steps[0]!.root }] }, 'back_online')] };
      }
      case 'timer': {
        if (timerSeen(state, event.timerId)) return noop(state);
        if (event.timer !== 'shutdown_start' || state.flags.siteDown || state.flags.backOnline || !['reviewing', 'returned', 'acknowledged'].includes(state.status)) return noop(state);
        const marked = markTimer(state, event.timerId);
        return { state: { ...marked, flags: { ...marked.flags, siteDown: true } }, effects: [{ kind: 'set_site_status', payload: { siteId: state.site.id, status: 'temp_offline' } }] };
      }
      default:
        throw notAllowed(state, event);
    }
  },
};
