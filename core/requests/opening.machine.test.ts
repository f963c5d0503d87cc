import { DECIDED, NA, NOW, alice, bob, chainSteps, deptSite, eventOf, outcome, stateIn } from './machine-table';
import { OPENING_CHECKLIST, freshChecklist, openingMachine as machine } from './opening.machine';
import { REQUEST_EVENT_TYPES, type RequestState, type RequestStatus } from './types';

const base: Omit<RequestState, 'status'> = {
  type: 'opening',
  site: deptSite,
  requester: alice,
  steps: chainSteps('approval'),
  currentStep: 0,
  payload: {},
  checklist: [],
  round: 1,
  flags: {},
};

// Columns: approve, reject, return, handoff, cc, resubmit, withdraw, check, launch, back_online, timer
const table: Partial<Record<RequestStatus, string[]>> = {
  reviewing: ['reviewing', 'rejected', 'returned', 'reviewing', 'reviewing', NA, 'withdrawn', NA, NA, NA, NA],
  returned: [DECIDED, DECIDED, DECIDED, DECIDED, DECIDED, 'reviewing', 'withdrawn', NA, NA, NA, NA],
  rejected: [DECIDED, DECIDED, DECIDED, DECIDED, DECIDED, NA, NA, NA, NA, NA, NA],
  withdrawn: [NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA],
  approved: [DECIDED, DECIDED, DECIDED, DECIDED, DECIDED, NA, NA, 'approved', 'launch_checklist_incomplete', NA, NA],
  launched: [DECIDED, DECIDED, DECIDED, DECIDED, DECIDED, NA, NA, NA, NA, NA, NA],
};

const cells = machine.statuses.flatMap((status) => REQUEST_EVENT_TYPES.map((event, i) => [status, event, table[status]![i]!] as const));
const withChecklist = (status: RequestStatus) => ({ ...stateIn(machine, status, base), checklist: status === 'approved' ? freshChecklist(OPENING_CHECKLIST) : [] });

describe('#opening.machine', () => {
  it('has a row for every status', () => {
    expect(Object.keys(table).sort()).toEqual([...machine.statuses].sort());
  });

  it.each(cells)('in %s, %s → %s', (status, type, expected) => {
    const state = withChecklist(status);
    expect(outcome(machine, state, eventOf(type, state, { item: 'gov_logo', timer: 'offline_overdue' }))).toBe(expected);
  });

  it('launches only when every checklist item is done, with who/when/evidence, and sets the 网站标识码 (art. 9–10)', () => {
    let state = withChecklist('approved');
    for (const item of OPENING_CHECKLIST) {
      const evidence = item === 'site_code' ? '1301810002' : `${item} 凭证`;
      expect(outcome(machine, state, { type: 'launch', by: alice })).toBe('launch_checklist_incomplete');
      state = machine.transition(state, { type: 'check', by: alice, item, evidence }, { now: NOW }).state;
    }
    expect(state.checklist.every((c) => c.done && c.by?.userid === 'alice' && c.at && c.evidence)).toBe(true);
    const launched = machine.transition(state, { type: 'launch', by: alice }, { now: NOW });
    expect(launched.state.status).toBe('launched');
    expect(launched.effects[0]).toEqual({ kind: 'set_site_status', payload: { siteId: 'site-1', status: 'online', code: '1301810002' } });
    expect(launched.effects[2]).toMatchObject({ kind: 'create_task', payload: { task: 'post_opening_notice', siteId: 'portal-1' } });
  });

  it('refuses a malformed 网站标识码 and an unknown item', () => {
    const state = withChecklist('approved');
    expect(outcome(machine, state, { type: 'check', by: alice, item: 'site_code', evidence: '12' })).toBe('site_code_invalid');
    expect(outcome(machine, state, { type: 'check', by: alice, item: 'coffee', evidence: 'x' })).toBe('checklist_item_unknown');
  });

  it('puts a rejected or withdrawn site back to planned', () => {
    const state = stateIn(machine, 'reviewing', base);
    expect(machine.transition(state, { type: 'reject', by: bob, step: 0, comment: 'no' }, { now: NOW }).effects).toContainEqual({ kind: 'set_site_status', payload: { siteId: 'site-1', status: 'planned' } });
    expect(machine.transition(state, { type: 'withdraw', by: alice }, { now: NOW }).effects).toContainEqual({ kind: 'set_site_status', payload: { siteId: 'site-1', status: 'planned' } });
  });
});
