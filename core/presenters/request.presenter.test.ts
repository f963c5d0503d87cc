import { defaultCalendar } from '../calendar';
import { alice, bob, chainSteps, deptSite } from '../requests/machine-table';
import { tempOfflineMachine } from '../requests/temp-offline.machine';
import type { RequestRecord, RequestState } from '../requests/types';
import { presentRequest, presentRequestSummary, requestDto, requestSummaryDto } from './request.presenter';

const china = (local: string) => new Date(`${local}:00+08:00`);
const env = { calendar: defaultCalendar(), workingDays: 5 };
const record = (state: RequestState): RequestRecord => ({
  ...state,
  id: 'R2026-0007',
  year: 2026,
  scopeUnits: [],
  version: 1,
  audit: [],
  effects: [],
  createdAt: china('2026-12-28T10:00'),
  updatedAt: china('2026-12-28T10:00'),
});
const filed = (payload: RequestState['payload'], at: string) =>
  tempOfflineMachine.create({ site: deptSite, requester: alice, steps: chainSteps('approval'), payload, facts: { today: at.slice(0, 10) } }, { now: china(at), deadlines: env }).state;

describe('#request.presenter deadlines', () => {
  const provisional = record(filed({ start: '2027-02-01', end: '2027-02-05', reason: '机房搬迁' }, '2026-12-28T10:00'));

  it("shows the pending step's deadline as a China date, provisional when it lies in a year not loaded", () => {
    const dto = presentRequestSummary(provisional, china('2026-12-30T10:00'));
    expect(requestSummaryDto.parse(dto)).toEqual(dto);
    expect(dto).toMatchObject({ deadline: '2027-01-05', deadlineProvisional: true, overdue: false });
  });

  it('is overdue from the end of the due day on, not before', () => {
    expect(presentRequestSummary(provisional, china('2027-01-05T23:59')).overdue).toBe(false);
    expect(presentRequestSummary(provisional, china('2027-01-06T00:00')).overdue).toBe(true);
  });

  it('carries each step its deadline in the detail; only reached steps have one', () => {
    const approved = record(tempOfflineMachine.transition(provisional, { type: 'approve', by: bob, step: 0, facts: {} }, { now: china('2026-12-29T09:00'), deadlines: env }).state);
    const dto = presentRequest(approved, china('2026-12-29T09:00'));
    expect(requestDto.parse(dto)).toEqual(dto);
    expect(dto.steps.map((s) => [s.deadline, s.deadlineProvisional])).toEqual([
      ['2027-01-05', true],
      ['2027-01-06', true],
      [null, false],
    ]);
    expect(dto).toMatchObject({ deadline: '2027-01-06', deadlineProvisional: true, overdue: false });
  });

  it('has no deadline once nothing is pending (returned) or for a request stored before deadlines existed', () => {
    const returned = record(tempOfflineMachine.transition(provisional, { type: 'return', by: bob, step: 0, comment: '补充材料' }, { now: china('2026-12-29T09:00'), deadlines: env }).state);
    expect(presentRequestSummary(returned, china('2027-03-01T09:00'))).toMatchObject({ deadline: null, deadlineProvisional: false, overdue: false });
    const old = record({ ...provisional, steps: provisional.steps.map(({ deadline: _d, ...s }) => s) });
    expect(presentRequestSummary(old, china('2027-03-01T09:00'))).toMatchObject({ deadline: null, deadlineProvisional: false, overdue: false });
  });

  it('shows a certain deadline without the mark', () => {
    const certain = record(filed({ start: '2026-10-12', end: '2026-10-20', reason: '机房搬迁' }, '2026-09-29T10:00'));
    expect(presentRequestSummary(certain, china('2026-09-29T10:00'))).toMatchObject({ deadline: '2026-10-10', deadlineProvisional: false, overdue: false });
  });
});
