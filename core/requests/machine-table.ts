import { DomainError } from '../errors';
import type { Who } from '../audit';
import type { ApprovalStep, RequestEvent, RequestEventType, RequestMachine, RequestState, RequestStatus, TimerKind } from './types';

/**
 * Shared fixtures for the table-driven machine tests (every state × every event). Not a test itself: the
 * `*.machine.test.ts` files import it.
 */
export const NOW = new Date('2027-02-01T02:00:00Z');
export const alice: Who = { userid: 'alice', name: 'Alice' };
export const bob: Who = { userid: 'bob', name: 'Bob' };

export const deptSite: RequestState['site'] = {
  id: 'site-1',
  name: '正定县教育局网站',
  kind: 'department',
  domain: 'jyj.zhengding.gov.cn',
  noticePortal: { id: 'portal-1', name: '正定县人民政府门户网站', domain: 'www.zhengding.gov.cn' },
};

export function chainSteps(kind: 'approval' | 'single'): ApprovalStep[] {
  if (kind === 'single') return [{ unitCode: '130000', unitName: '河北省人民政府', role: 'acknowledge', root: true, cc: [] }];
  return [
    { unitCode: '130123', unitName: '正定县人民政府', role: 'review', root: false, cc: [] },
    { unitCode: '130100', unitName: '石家庄市人民政府', role: 'review', root: false, cc: [] },
    { unitCode: '130000', unitName: '河北省人民政府', role: 'approve', root: true, cc: [] },
  ];
}

const decided = (s: ApprovalStep, action: 'approve' | 'reject' | 'return'): ApprovalStep => ({ ...s, decision: { action, by: bob, at: NOW } });

/** A state in `status` as the machine would have left it: decisions on the steps, checklist, flags. */
export function stateIn(machine: RequestMachine, status: RequestStatus, base: Omit<RequestState, 'status'>): RequestState {
  const steps = base.steps;
  const all = steps.map((s) => decided(s, 'approve'));
  switch (status) {
    case 'reviewing':
      return { ...base, status, currentStep: 0 };
    case 'returned':
      return { ...base, status, currentStep: 0, steps: [decided(steps[0]!, 'return'), ...steps.slice(1)] };
    case 'rejected':
      return { ...base, status, currentStep: 0, steps: [decided(steps[0]!, 'reject'), ...steps.slice(1)] };
    case 'withdrawn':
      return { ...base, status, currentStep: 0 };
    default:
      return { ...base, status, steps: all, currentStep: steps.length, flags: status === 'ended' ? { backOnline: true } : base.flags };
  }
}

export function eventOf(type: RequestEventType, state: RequestState, opts: { item: string; timer: TimerKind }): RequestEvent {
  const step = Math.min(state.currentStep, state.steps.length - 1);
  switch (type) {
    case 'approve':
      return { type, by: bob, step, facts: {} };
    case 'reject':
    case 'return':
      return { type, by: bob, step, comment: '材料不全' };
    case 'handoff':
    case 'cc':
      return { type, by: bob, step, to: alice };
    case 'resubmit':
      return { type, by: alice, changes: {}, facts: {} };
    case 'withdraw':
      return { type, by: alice };
    case 'check':
      return { type, by: alice, item: opts.item, evidence: 'evidence 1' };
    case 'launch':
    case 'back_online':
      return { type, by: alice };
    case 'timer':
      return { type, by: { userid: 'system', name: 'system' }, timer: opts.timer, timerId: 'timer-1' };
  }
}

/** The outcome of one cell: the new status, `noop`, or the error code. */
export function outcome(machine: RequestMachine, state: RequestState, event: RequestEvent): string {
  try {
    const result = machine.transition(state, event, { now: NOW });
    return result.noop ? 'noop' : result.state.status;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
}

export const NA = 'request_event_not_allowed';
export const DECIDED = 'step_already_decided';
