import { DomainError, ValidationError } from '../errors';
import { emergencyShutdownMachine } from './emergency-shutdown.machine';
import { NOW, alice, chainSteps, deptSite, stateIn } from './machine-table';
import { tempOfflineMachine } from './temp-offline.machine';
import type { RequestPayload, RequestState } from './types';

const TODAY = '2027-02-01';

/** What a filing answers: ok, or the error's code, status and (for a validation error) each field's problem. */
function refusal(fn: () => unknown) {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof ValidationError) return { code: err.code, status: err.status, problems: err.problems.map((p) => `${p.field}:${p.code}`) };
    if (err instanceof DomainError) return { code: err.code, status: err.status };
    throw err;
  }
}

const offline = (payload: RequestPayload) => () => tempOfflineMachine.create({ site: deptSite, requester: alice, steps: chainSteps('approval'), payload: { reason: '机房搬迁', ...payload }, facts: { today: TODAY } }, { now: NOW });
const shutdown = (payload: RequestPayload) => () =>
  emergencyShutdownMachine.create({ site: deptSite, requester: alice, steps: chainSteps('single'), payload: { emergencyReason: 'force_majeure', note: '停电', ...payload }, facts: { today: TODAY } }, { now: NOW });

describe('#request dates', () => {
  describe('temporary offline: a plan, from today to two years on', () => {
    it.each([
      ['today', { start: TODAY, end: '2027-02-10' }, 'ok'],
      ['ending on the last day of the window', { start: '2029-01-25', end: '2029-02-01' }, 'ok'],
      ['in year 9999', { start: '9999-12-25', end: '9999-12-31' }, { code: 'validation_failed', status: 400, problems: ['start:date_out_of_range', 'end:date_out_of_range'] }],
      ['ending a day past the window', { start: '2029-01-25', end: '2029-02-02' }, { code: 'validation_failed', status: 400, problems: ['end:date_out_of_range'] }],
      ['starting 1900-01-01', { start: '1900-01-01', end: '1900-01-05' }, { code: 'window_start_in_past', status: 400 }],
      ['ending before it starts', { start: '2027-03-10', end: '2027-03-01' }, { code: 'window_end_before_start', status: 400 }],
    ])('%s → %j', (_name, payload, expected) => {
      expect(refusal(offline(payload))).toEqual(expected);
    });

    it('checks an amended window on resubmission too', () => {
      const base: Omit<RequestState, 'status'> = { type: 'temp_offline', site: deptSite, requester: alice, steps: chainSteps('approval'), currentStep: 0, payload: { start: '2027-03-01', end: '2027-03-10', reason: 'x' }, checklist: [], round: 1, flags: {} };
      const returned = stateIn(tempOfflineMachine, 'returned', base);
      const resubmit = () => tempOfflineMachine.transition(returned, { type: 'resubmit', by: alice, changes: { start: '9999-12-30', end: '9999-12-31' }, facts: { today: TODAY } }, { now: NOW });
      expect(refusal(resubmit)).toEqual({ code: 'validation_failed', status: 400, problems: ['start:date_out_of_range', 'end:date_out_of_range'] });
    });
  });

  describe('emergency shutdown: the start may have happened, the expected end is a plan', () => {
    it.each([
      ['started yesterday', { start: '2027-01-31', end: '2027-02-03' }, 'ok'],
      ['started in 1900', { start: '1900-01-01', end: '2027-02-03' }, { code: 'validation_failed', status: 400, problems: ['start:date_out_of_range'] }],
      ['expected to end in 9999', { start: '2027-01-31', end: '9999-12-31' }, { code: 'validation_failed', status: 400, problems: ['end:date_out_of_range'] }],
      ['ending before it starts', { start: '2027-02-03', end: '2027-02-01' }, { code: 'window_end_before_start', status: 400 }],
    ])('%s → %j', (_name, payload, expected) => {
      expect(refusal(shutdown(payload))).toEqual(expected);
    });
  });
});
