import { DomainError } from '../errors';
import { unchanged } from '../workflow';
import { activate } from './review-deadline';
import type { ApprovalStep, EffectSpec, MachineResult, Recipients, RequestEnv, RequestEvent, RequestState, RequestStatus } from './types';

/** An event this state does not take: a clear, localized refusal naming both. */
export function notAllowed(state: RequestState, event: Pick<RequestEvent, 'type'>): DomainError {
  return new DomainError('request_event_not_allowed', { event: event.type, status: state.status }, 409);
}

export function requireStatus(state: RequestState, event: Pick<RequestEvent, 'type'>, allowed: readonly RequestStatus[]): void {
  if (!allowed.includes(state.status)) throw notAllowed(state, event);
}

export const toRequester = (state: RequestState): Recipients => ({ userids: [state.requester.userid] });
export const toStep = (step: ApprovalStep): Recipients =>
  step.assignee ? { userids: [step.assignee.userid] } : { unitSupervisors: [{ code: step.unitCode, root: step.root }] };

export const notify = (to: Recipients, message: Extract<EffectSpec, { kind: 'notify' }>['payload']['message'], params: Record<string, string> = {}): EffectSpec => ({
  kind: 'notify',
  payload: { to, message, params },
});

/**
 * The step an approver acts on must be the current, undecided one. A step already decided (a repeated click,
 * or the request has moved on) is refused with `step_already_decided` so nothing is decided twice.
 */
function actingStep(state: RequestState, index: number, event: Pick<RequestEvent, 'type'>): ApprovalStep {
  const step = state.steps[index];
  if (step?.decision || (step && index < state.currentStep)) {
    throw new DomainError('step_already_decided', { unit: step.unitName, action: step.decision?.action ?? 'approve', by: step.decision?.by.name ?? '' }, 409);
  }
  if (state.status !== 'reviewing') throw notAllowed(state, event);
  if (!step || index !== state.currentStep) throw new DomainError('step_not_current', { step: index + 1 }, 409);
  return step;
}

function withStep(state: RequestState, index: number, step: ApprovalStep): ApprovalStep[] {
  return state.steps.map((s, i) => (i === index ? step : s));
}

export interface ReviewHooks {
  /** Rules checked again at each approval (art. 14 quota, art. 11/12 registry rules…). Throws to refuse. */
  checkApproval?(state: RequestState, event: Extract<RequestEvent, { type: 'approve' }>): void;
  /** The last step approved: the type's own next state. */
  onApproved(state: RequestState, event: Extract<RequestEvent, { type: 'approve' }>, env: RequestEnv): MachineResult;
  /** Validates an amended payload on resubmission (same rules as at filing). */
  checkResubmit?(state: RequestState, event: Extract<RequestEvent, { type: 'resubmit' }>): void;
  /** Effects when the request ends without approval (rejected or withdrawn), e.g. a planned site stays planned. */
  onEnded?(state: RequestState): EffectSpec[];
  /** Filings (art. 15, 17) are acknowledged, never rejected: returning for corrections is the way to refuse. */
  noReject?: boolean;
}

/**
 * The review part every request type shares: approve, reject, return (with a comment), resubmit after a
 * return, withdraw before the decision, 转办 and 抄送. Answers undefined for an event that is not a review
 * event, so the type's machine handles it.
 */
export function reviewTransition(state: RequestState, event: RequestEvent, env: RequestEnv, hooks: ReviewHooks): MachineResult | undefined {
  const { now } = env;
  switch (event.type) {
    case 'approve': {
      const step = actingStep(state, event.step, event);
      hooks.checkApproval?.(state, event);
      const decided: ApprovalStep = { ...step, decision: { action: 'approve', by: event.by, at: now, ...(event.comment ? { comment: event.comment } : {}) } };
      const approved: RequestState = { ...state, steps: withStep(state, event.step, decided), currentStep: event.step + 1 };
      // The next level's review time starts now.
      const next: RequestState = { ...approved, steps: activate(approved, event.step + 1, env) };
      const following = next.steps[event.step + 1];
      if (following) {
        return {
          state: next,
          effects: [notify(toStep(following), 'awaiting_decision'), notify(toRequester(state), 'step_approved', { unit: step.unitName })],
        };
      }
      return hooks.onApproved(next, event, env);
    }
    case 'reject':
    case 'return': {
      if (event.type === 'reject' && hooks.noReject) throw notAllowed(state, event);
      const step = actingStep(state, event.step, event);
      const decided: ApprovalStep = { ...step, decision: { action: event.type, by: event.by, at: now, comment: event.comment } };
      const status: RequestStatus = event.type === 'reject' ? 'rejected' : 'returned';
      const next: RequestState = { ...state, status, steps: withStep(state, event.step, decided) };
      const effects = [notify(toRequester(state), event.type === 'reject' ? 'rejected' : 'returned', { unit: step.unitName, comment: event.comment })];
      if (event.type === 'reject') effects.push(...(hooks.onEnded?.(next) ?? []));
      return { state: next, effects };
    }
    case 'handoff':
    case 'cc': {
      const step = actingStep(state, event.step, event);
      if (event.type === 'handoff') {
        const next = { ...state, steps: withStep(state, event.step, { ...step, assignee: event.to }) };
        return { state: next, effects: [notify({ userids: [event.to.userid] }, 'handed_off', { from: event.by.name })] };
      }
      const cc = step.cc.some((w) => w.userid === event.to.userid) ? step.cc : [...step.cc, event.to];
      return { state: { ...state, steps: withStep(state, event.step, { ...step, cc }) }, effects: [notify({ userids: [event.to.userid] }, 'copied', { from: event.by.name })] };
    }
    case 'resubmit': {
      requireStatus(state, event, ['returned']);
      const payload = { ...state.payload, ...definedOnly(event.changes) };
      const fresh: RequestState = {
        ...state,
        status: 'reviewing',
        payload,
        round: state.round + 1,
        currentStep: 0,
        steps: state.steps.map(({ unitCode, unitName, role, root }) => ({ unitCode, unitName, role, root, cc: [] })),
      };
      hooks.checkResubmit?.(fresh, event);
      // A new round: the first level's review time starts again, from the amended payload (a new start date).
      const next: RequestState = { ...fresh, steps: activate(fresh, 0, env) };
      return { state: next, effects: [notify(toStep(next.steps[0]!), 'awaiting_decision')] };
    }
    case 'withdraw': {
      requireStatus(state, event, ['reviewing', 'returned']);
      const next: RequestState = { ...state, status: 'withdrawn' };
      const current = state.steps[state.currentStep];
      const effects: EffectSpec[] = current && state.status === 'reviewing' ? [notify(toStep(current), 'withdrawn')] : [];
      return { state: next, effects: [...effects, ...(hooks.onEnded?.(next) ?? [])] };
    }
    default:
      return undefined;
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

/** A timer handled once: the second firing of the same timer is a no-op. */
export function timerSeen(state: RequestState, timerId: string): boolean {
  return state.flags.firedTimers?.includes(timerId) ?? false;
}

export function markTimer(state: RequestState, timerId: string): RequestState {
  return { ...state, flags: { ...state.flags, firedTimers: [...(state.flags.firedTimers ?? []), timerId] } };
}

export const noop = (state: RequestState): MachineResult => unchanged(state);

/**
 * Approvals and filings start the same way: reviewing at the first step, its unit told; with `env.deadlines`,
 * the first step's review deadline runs from the filing (`env.now`).
 */
export function initialState(
  input: { site: RequestState['site']; requester: RequestState['requester']; steps: ApprovalStep[]; payload: RequestState['payload'] },
  type: RequestState['type'],
  env: RequestEnv,
): RequestState {
  const state: RequestState = { type, status: 'reviewing', site: input.site, requester: input.requester, steps: input.steps, currentStep: 0, payload: input.payload, checklist: [], round: 1, flags: {} };
  return { ...state, steps: activate(state, 0, env) };
}
