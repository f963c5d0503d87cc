import { ValidationError } from '../errors';
import { changeRecordMachine as machine } from './change-record.machine';
import { DECIDED, NA, NOW, alice, bob, chainSteps, deptSite, eventOf, outcome, stateIn } from './machine-table';
import { REQUEST_EVENT_TYPES, type RequestState, type RequestStatus } from './types';

const single = [{ ...chainSteps('approval')[0]!, role: 'acknowledge' as const }];
const base: Omit<RequestState, 'status'> = {
  type: 'change_record',
  site: deptSite,
  requester: alice,
  steps: single,
  currentStep: 0,
  payload: { changes: { personInCharge: '张三' } },
  checklist: [],
  round: 1,
  flags: {},
};

// Columns: approve, reject, return, handoff, cc, resubmit, withdraw, check, launch, back_online, timer
const table: Partial<Record<RequestStatus, string[]>> = {
  reviewing: ['acknowledged', NA, 'returned', 'reviewing', 'reviewing', NA, 'withdrawn', NA, NA, NA, NA],
  returned: [DECIDED, NA, DECIDED, DECIDED, DECIDED, 'reviewing', 'withdrawn', NA, NA, NA, NA],
  withdrawn: [NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA],
  acknowledged: [DECIDED, NA, DECIDED, DECIDED, DECIDED, NA, NA, NA, NA, NA, NA],
};

const cells = machine.statuses.flatMap((status) => REQUEST_EVENT_TYPES.map((event, i) => [status, event, table[status]![i]!] as const));

describe('#change-record.machine', () => {
  it('has a row for every status', () => {
    expect(Object.keys(table).sort()).toEqual([...machine.statuses].sort());
  });

  it.each(cells)('in %s, %s → %s', (status, type, expected) => {
    const state = stateIn(machine, status, base);
    expect(outcome(machine, state, eventOf(type, state, { item: 'x', timer: 'offline_overdue' }))).toBe(expected);
  });

  it('applies the changes on acknowledgement, and a domain change asks for a notice on the old site (art. 17)', () => {
    const state = stateIn(machine, 'reviewing', { ...base, payload: { changes: { domain: 'jyjnew.zhengding.gov.cn' } } });
    const done = machine.transition(state, { type: 'approve', by: bob, step: 0, facts: {} }, { now: NOW });
    expect(done.effects.map((e) => e.kind)).toEqual(['apply_registry_changes', 'notify', 'create_task']);
    expect(done.effects[2]).toMatchObject({ payload: { task: 'post_old_domain_notice', params: { oldDomain: 'jyj.zhengding.gov.cn', newDomain: 'jyjnew.zhengding.gov.cn' } } });
  });

  it('re-checks the registry rules at acknowledgement', () => {
    const state = stateIn(machine, 'reviewing', base);
    const problems = [{ field: 'domains', code: 'domain_not_gov_cn', params: { domain: 'x.com', article: 12 } }];
    expect(() => machine.transition(state, { type: 'approve', by: bob, step: 0, facts: { ruleProblems: problems } }, { now: NOW })).toThrow(ValidationError);
  });

  it('refuses an empty change record', () => {
    expect(() => machine.create({ site: deptSite, requester: alice, steps: single, payload: { changes: {} } }, { now: NOW })).toThrow(expect.objectContaining({ code: 'change_record_empty' }) as unknown as Error);
  });
});
