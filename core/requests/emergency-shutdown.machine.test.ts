import { DomainError } from '../errors';
import { emergencyShutdownMachine as machine } from './emergency-shutdown.machine';
import { DECIDED, NA, NOW, alice, bob, chainSteps, deptSite, eventOf, outcome, stateIn } from './machine-table';
import { REQUEST_EVENT_TYPES, type RequestState, type RequestStatus } from './types';

const base: Omit<RequestState, 'status'> = {
  type: 'emergency_shutdown',
  site: deptSite,
  requester: alice,
  steps: chainSteps('single'),
  currentStep: 0,
  payload: { emergencyReason: 'force_majeure', start: '2027-03-01', end: '2027-03-03', note: '停电' },
  checklist: [],
  round: 1,
  flags: {},
};

// Columns: approve, reject, return, handoff, cc, resubmit, withdraw, check, launch, back_online, timer(shutdown start)
const table: Partial<Record<RequestStatus, string[]>> = {
  reviewing: ['acknowledged', NA, 'returned', 'reviewing', 'reviewing', NA, 'withdrawn', NA, NA, 'reviewing', 'reviewing'],
  returned: [DECIDED, NA, DECIDED, DECIDED, DECIDED, 'reviewing', 'withdrawn', NA, NA, 'returned', 'returned'],
  withdrawn: [NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, 'noop'],
  acknowledged: [DECIDED, NA, DECIDED, DECIDED, DECIDED, NA, NA, NA, NA, 'ended', 'acknowledged'],
  ended: [DECIDED, NA, DECIDED, DECIDED, DECIDED, NA, NA, NA, NA, NA, 'noop'],
};

const cells = machine.statuses.flatMap((status) => REQUEST_EVENT_TYPES.map((event, i) => [status, event, table[status]![i]!] as const));

describe('#emergency-shutdown.machine', () => {
  it('has a row for every status', () => {
    expect(Object.keys(table).sort()).toEqual([...machine.statuses].sort());
  });

  it.each(cells)('in %s, %s → %s', (status, type, expected) => {
    const state = stateIn(machine, status, base);
    expect(outcome(machine, state, eventOf(type, state, { item: 'x', timer: 'shutdown_start' }))).toBe(expected);
  });

  it('is reported to the province and marks the site down when it starts', () => {
    const filed = machine.create({ site: deptSite, requester: alice, steps: chainSteps('single'), payload: base.payload }, { now: NOW });
    expect(filed.state.steps.map((s) => s.unitCode)).toEqual(['130000']);
    expect(filed.effects.map((e) => e.kind)).toEqual(['notify', 'schedule']);
    const started = machine.transition(filed.state, { type: 'timer', by: bob, timer: 'shutdown_start', timerId: 't1' }, { now: NOW });
    expect(started.effects).toEqual([{ kind: 'set_site_status', payload: { siteId: 'site-1', status: 'temp_offline' } }]);
    const back = machine.transition(started.state, { type: 'back_online', by: alice }, { now: NOW });
    expect(back.effects[0]).toEqual({ kind: 'set_site_status', payload: { siteId: 'site-1', status: 'online' } });
    expect(machine.transition(back.state, { type: 'approve', by: bob, step: 0 }, { now: NOW }).state.status).toBe('ended');
  });

  it('accepts only the two causes of art. 15', () => {
    expect(() => machine.create({ site: deptSite, requester: alice, steps: chainSteps('single'), payload: { ...base.payload, emergencyReason: 'bored' as never } }, { now: NOW })).toThrow(
      expect.objectContaining({ code: 'emergency_reason_invalid' }) as unknown as DomainError,
    );
  });
});
