import { DomainError } from '../errors';
import { DECIDED, NA, NOW, alice, bob, chainSteps, deptSite, eventOf, outcome, stateIn } from './machine-table';
import { tempOfflineMachine as machine, windowTimes } from './temp-offline.machine';
import { REQUEST_EVENT_TYPES, type RequestState, type RequestStatus } from './types';

const base: Omit<RequestState, 'status'> = {
  type: 'temp_offline',
  site: deptSite,
  requester: alice,
  steps: chainSteps('approval'),
  currentStep: 0,
  payload: { start: '2027-03-01', end: '2027-03-10', reason: '机房搬迁' },
  checklist: [],
  round: 1,
  flags: {},
};

// Columns: approve, reject, return, handoff, cc, resubmit, withdraw, check, launch, back_online, timer(window start)
const table: Record<RequestStatus, string[]> = {
  reviewing: ['reviewing', 'rejected', 'returned', 'reviewing', 'reviewing', NA, 'withdrawn', NA, NA, NA, 'noop'],
  returned: [DECIDED, DECIDED, DECIDED, DECIDED, DECIDED, 'reviewing', 'withdrawn', NA, NA, NA, 'noop'],
  rejected: [DECIDED, DECIDED, DECIDED, DECIDED, DECIDED, NA, NA, NA, NA, NA, 'noop'],
  withdrawn: [NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, 'noop'],
  scheduled: [DECIDED, DECIDED, DECIDED, DECIDED, DECIDED, NA, NA, NA, NA, NA, 'offline'],
  offline: [DECIDED, DECIDED, DECIDED, DECIDED, DECIDED, NA, NA, NA, NA, 'completed', 'noop'],
  completed: [DECIDED, DECIDED, DECIDED, DECIDED, DECIDED, NA, NA, NA, NA, NA, 'noop'],
} as Record<RequestStatus, string[]>;

const cells = machine.statuses.flatMap((status) => REQUEST_EVENT_TYPES.map((event, i) => [status, event, table[status]![i]!] as const));

describe('#temp-offline.machine', () => {
  it('has a row for every status', () => {
    expect(Object.keys(table).sort()).toEqual([...machine.statuses].sort());
  });

  it.each(cells)('in %s, %s → %s', (status, type, expected) => {
    const state = stateIn(machine, status, base);
    expect(outcome(machine, state, eventOf(type, state, { item: 'gov_logo', timer: 'offline_window_start' }))).toBe(expected);
  });

  it('moves to the next step and tells its unit, then schedules the window on the last approval', () => {
    let state = stateIn(machine, 'reviewing', base);
    const first = machine.transition(state, { type: 'approve', by: bob, step: 0, facts: {} }, { now: NOW });
    expect(first.state.currentStep).toBe(1);
    expect(first.effects[0]).toEqual({ kind: 'notify', payload: { to: { unitSupervisors: [{ code: '130100', root: false }] }, message: 'awaiting_decision', params: {} } });
    state = { ...first.state, currentStep: 2, steps: first.state.steps.map((s, i) => (i === 1 ? { ...s, decision: { action: 'approve', by: bob, at: NOW } } : s)) };
    const last = machine.transition(state, { type: 'approve', by: bob, step: 2, facts: {} }, { now: NOW });
    expect(last.state.status).toBe('scheduled');
    const kinds = last.effects.map((e) => (e.kind === 'create_task' ? e.payload.task : e.kind === 'schedule' ? e.payload.timer : e.kind));
    expect(kinds).toEqual(['post_offline_notice_site', 'post_offline_notice_portal', 'offline_window_start', 'offline_end_reminder', 'offline_overdue', 'notify']);
  });

  it('computes the window in China time', () => {
    const w = windowTimes(base.payload);
    expect(w.startAt.toISOString()).toBe('2027-02-28T16:00:00.000Z');
    expect(w.reminderAt.toISOString()).toBe('2027-03-09T01:00:00.000Z');
    expect(w.overdueAt.toISOString()).toBe('2027-03-10T16:00:00.000Z');
  });

  const create = (payload: RequestState['payload'], facts = {}, site = deptSite) =>
    machine.create({ site, requester: alice, steps: chainSteps('approval'), payload, facts: { today: '2027-02-01', ...facts } }, { now: NOW });
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
      return 'ok';
    } catch (err) {
      return err instanceof DomainError ? `${err.code}${err.params.article ? `@${err.params.article}` : ''}` : String(err);
    }
  };

  it.each([
    ['a 10-day window', { start: '2027-03-01', end: '2027-03-10', reason: 'x' }, {}, 'ok'],
    ['exactly 30 days', { start: '2027-03-01', end: '2027-03-30', reason: 'x' }, {}, 'ok'],
    ['31 days', { start: '2027-03-01', end: '2027-03-31', reason: 'x' }, {}, 'temp_offline_too_long@14'],
    ['an end before the start', { start: '2027-03-10', end: '2027-03-01', reason: 'x' }, {}, 'window_end_before_start'],
    ['a start in the past', { start: '2027-01-10', end: '2027-01-12', reason: 'x' }, {}, 'window_start_in_past'],
    ['a date that does not exist', { start: '2027-02-30', end: '2027-03-02', reason: 'x' }, {}, 'date_invalid'],
    ['an approved one this year', { start: '2027-03-01', end: '2027-03-02', reason: 'x' }, { approvedInYear: ['R2027-0001'] }, 'temp_offline_quota_used@14'],
    ['one under review this year', { start: '2027-03-01', end: '2027-03-02', reason: 'x' }, { pendingInYear: ['R2027-0001'] }, 'temp_offline_pending@14'],
    ['a site that is not online', { start: '2027-03-01', end: '2027-03-02', reason: 'x' }, { siteStatus: 'closing' }, 'site_not_online@14'],
    ['a site offline under this year’s approval: the quota is the reason', { start: '2027-03-01', end: '2027-03-02', reason: 'x' }, { siteStatus: 'temp_offline', approvedInYear: ['R2027-0001'] }, 'temp_offline_quota_used@14'],
    ['a site not online and a bad window: the status is the reason', { start: '2027-03-10', end: '2027-03-01', reason: 'x' }, { siteStatus: 'planned' }, 'site_not_online@14'],
  ])('at filing: %s → %s', (_name, payload, facts, expected) => {
    expect(codeOf(() => create(payload, facts))).toBe(expected);
  });

  it('asks a portal why it must go offline (art. 13)', () => {
    const portal = { ...deptSite, kind: 'portal' as const };
    expect(codeOf(() => create({ start: '2027-03-01', end: '2027-03-02', reason: '改版' }, {}, portal))).toBe('portal_offline_needs_justification@13');
    expect(codeOf(() => create({ start: '2027-03-01', end: '2027-03-02', reason: '改版', justification: '集约化迁移' }, {}, portal))).toBe('ok');
  });

  it('checks the yearly quota again at each approval (art. 14)', () => {
    const state = stateIn(machine, 'reviewing', base);
    expect(codeOf(() => machine.transition(state, { type: 'approve', by: bob, step: 0, facts: { approvedInYear: ['R2027-0009'] } }, { now: NOW }))).toBe('temp_offline_quota_used@14');
  });

  it('reminds before the end and alarms the supervisor when the window has passed, once each', () => {
    const offline = stateIn(machine, 'offline', base);
    const reminder = machine.transition(offline, { type: 'timer', by: bob, timer: 'offline_end_reminder', timerId: 't1' }, { now: NOW });
    expect(reminder.effects).toEqual([expect.objectContaining({ kind: 'notify', payload: expect.objectContaining({ message: 'offline_end_reminder' }) })]);
    expect(machine.transition(reminder.state, { type: 'timer', by: bob, timer: 'offline_end_reminder', timerId: 't1' }, { now: NOW }).noop).toBe(true);
    const alarm = machine.transition(offline, { type: 'timer', by: bob, timer: 'offline_overdue', timerId: 't2' }, { now: NOW });
    expect(alarm.state.flags.overdueAlarmed).toBe(true);
    expect(alarm.effects[0]).toMatchObject({ kind: 'notify', payload: { to: { unitSupervisors: [{ code: '130123' }] }, message: 'offline_overdue_alarm' } });
    const back = stateIn(machine, 'completed', base);
    expect(machine.transition(back, { type: 'timer', by: bob, timer: 'offline_overdue', timerId: 't3' }, { now: NOW }).noop).toBe(true);
  });
});
