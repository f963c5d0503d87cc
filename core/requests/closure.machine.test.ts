import { CLOSURE_CHECKLIST, closureMachine as machine } from './closure.machine';
import { DECIDED, NA, NOW, alice, bob, chainSteps, deptSite, eventOf, outcome, stateIn } from './machine-table';
import { freshChecklist } from './opening.machine';
import { REQUEST_EVENT_TYPES, type RequestState, type RequestStatus } from './types';

const base: Omit<RequestState, 'status'> = {
  type: 'closure',
  site: deptSite,
  requester: alice,
  steps: chainSteps('approval'),
  currentStep: 0,
  payload: { reason: '机构撤并', migrateTo: 'www.zhengding.gov.cn/jyj' },
  checklist: [],
  round: 1,
  flags: {},
};

// Columns: approve, reject, return, handoff, cc, resubmit, withdraw, check(cancel_icp), launch, back_online, timer(notice expired)
const table: Partial<Record<RequestStatus, string[]>> = {
  reviewing: ['reviewing', 'rejected', 'returned', 'reviewing', 'reviewing', NA, 'withdrawn', NA, NA, NA, 'noop'],
  returned: [DECIDED, DECIDED, DECIDED, DECIDED, DECIDED, 'reviewing', 'withdrawn', NA, NA, NA, 'noop'],
  rejected: [DECIDED, DECIDED, DECIDED, DECIDED, DECIDED, NA, NA, NA, NA, NA, 'noop'],
  withdrawn: [NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, 'noop'],
  migrating: [DECIDED, DECIDED, DECIDED, DECIDED, DECIDED, NA, NA, 'migrating', NA, NA, 'noop'],
  notice_period: [DECIDED, DECIDED, DECIDED, DECIDED, DECIDED, NA, NA, NA, NA, NA, 'closed'],
  closed: [DECIDED, DECIDED, DECIDED, DECIDED, DECIDED, NA, NA, NA, NA, NA, 'noop'],
};

const cells = machine.statuses.flatMap((status) => REQUEST_EVENT_TYPES.map((event, i) => [status, event, table[status]![i]!] as const));
const prepared = (status: RequestStatus) => ({ ...stateIn(machine, status, base), checklist: ['migrating', 'notice_period', 'closed'].includes(status) ? freshChecklist(CLOSURE_CHECKLIST) : [] });

describe('#closure.machine', () => {
  it('has a row for every status', () => {
    expect(Object.keys(table).sort()).toEqual([...machine.statuses].sort());
  });

  it.each(cells)('in %s, %s → %s', (status, type, expected) => {
    const state = prepared(status);
    expect(outcome(machine, state, eventOf(type, state, { item: 'cancel_icp', timer: 'closure_notice_expired' }))).toBe(expected);
  });

  it('posts the completion notice last, keeps it 30 days, then closes the site (art. 16)', () => {
    let state = prepared('migrating');
    expect(outcome(machine, state, { type: 'check', by: alice, item: 'completion_notice', evidence: 'https://www.zhengding.gov.cn/notice/1' })).toBe('checklist_order');
    for (const item of CLOSURE_CHECKLIST.slice(0, -1)) state = machine.transition(state, { type: 'check', by: alice, item, evidence: 'done' }, { now: NOW }).state;
    const notice = machine.transition(state, { type: 'check', by: alice, item: 'completion_notice', evidence: 'https://www.zhengding.gov.cn/notice/1' }, { now: NOW });
    expect(notice.state.status).toBe('notice_period');
    expect(notice.effects[0]).toEqual({ kind: 'schedule', payload: { timer: 'closure_notice_expired', dueAt: '2027-03-03T02:00:00.000Z' } });
    const closed = machine.transition(notice.state, { type: 'timer', by: bob, timer: 'closure_notice_expired', timerId: 't1' }, { now: NOW });
    expect(closed.state.status).toBe('closed');
    expect(closed.effects[0]).toEqual({ kind: 'set_site_status', payload: { siteId: 'site-1', status: 'closed' } });
  });

  it('asks a portal why it must close (art. 13)', () => {
    const portal = { ...deptSite, kind: 'portal' as const };
    expect(() => machine.create({ site: portal, requester: alice, steps: chainSteps('approval'), payload: { reason: '撤并' } }, { now: NOW })).toThrow(
      expect.objectContaining({ code: 'portal_closure_needs_justification', params: { article: 13 } }) as unknown as Error,
    );
  });
});
