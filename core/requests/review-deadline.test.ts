import { WorkingCalendar, defaultCalendar, mergeSchedules, packageSchedules } from '../calendar';
import { configSchema } from '../config.schema';
import { changeRecordMachine } from './change-record.machine';
import { closureMachine } from './closure.machine';
import { emergencyShutdownMachine } from './emergency-shutdown.machine';
import { alice, bob, chainSteps, deptSite } from './machine-table';
import { applyEvent, createRequest } from './machines';
import { openingMachine } from './opening.machine';
import { stepDeadline, type DeadlineEnv } from './review-deadline';
import { DEFAULT_REVIEW_WORKING_DAYS, parseReviewWorkingDays } from './review.settings';
import { tempOfflineMachine } from './temp-offline.machine';
import type { CreateInput, RequestMachine, RequestPayload, RequestRecord, RequestState } from './types';

/** An instant given in China time, `2026-09-29T10:00`. */
const china = (local: string) => new Date(`${local}:00+08:00`);
/** The real calendar: chinese-days' official years (2026 is the last one it has); 2027 is not loaded. */
const calendar = defaultCalendar();
const env: DeadlineEnv = { calendar, workingDays: 5 };

const due = (s: { deadline?: { dueDate: string; provisional: boolean; basis: string } }) => s.deadline && [s.deadline.dueDate, s.deadline.provisional, s.deadline.basis];

describe('#request review deadlines: the calendar they are counted on', () => {
  it('uses the official 2026 schedule: National Day off 10-01..10-07, Saturday 10-10 worked, 2027 not loaded', () => {
    expect(calendar.hasSchedule(2026)).toBe(true);
    expect(calendar.hasSchedule(2027)).toBe(false);
    expect(['2026-10-01', '2026-10-07'].map((d) => calendar.dayInfo(d).reason)).toEqual(['holiday', 'holiday']);
    expect(calendar.dayInfo('2026-10-10')).toMatchObject({ working: true, reason: 'makeup_workday', provisional: false });
  });

  it('is 5 working days per level unless the deployment says otherwise', () => {
    expect(DEFAULT_REVIEW_WORKING_DAYS).toBe(5);
    expect(configSchema.parse({}).STEWARD_REVIEW_WORKING_DAYS).toBe(5);
    expect(configSchema.parse({ STEWARD_REVIEW_WORKING_DAYS: '3' }).STEWARD_REVIEW_WORKING_DAYS).toBe(3);
    expect(configSchema.safeParse({ STEWARD_REVIEW_WORKING_DAYS: '0' }).success).toBe(false);
    expect(configSchema.safeParse({ STEWARD_REVIEW_WORKING_DAYS: '2.5' }).success).toBe(false);
    expect(parseReviewWorkingDays(undefined)).toBe(5);
    expect(parseReviewWorkingDays(' ')).toBe(5);
    expect(parseReviewWorkingDays('10')).toBe(10);
    expect(() => parseReviewWorkingDays('many')).toThrow(/STEWARD_REVIEW_WORKING_DAYS/);
  });
});

describe('#request review deadlines: the rule', () => {
  const plain = { type: 'opening' as const, payload: {} };
  const offline = (start: string) => ({ type: 'temp_offline' as const, payload: { start, end: start, reason: 'x' } });

  // [story, request, step active since (China time), working days, due date, provisional, basis]
  it.each([
    ['filed Tue 2026-09-29: 09-30, (National Day 10-01..07), 10-08, 10-09, Sat 10-10 make-up day, (Sun), Mon 10-12', plain, '2026-09-29T10:00', 5, '2026-10-12', false, 'working_days'],
    ['filed late at night: counting still starts the next day', plain, '2026-09-29T23:59', 5, '2026-10-12', false, 'working_days'],
    ['filed on the Sunday before: Mon 09-28 is the first day', plain, '2026-09-27T09:00', 1, '2026-09-28', false, 'working_days'],
    ['3 working days (a deployment setting) from 09-29', plain, '2026-09-29T10:00', 3, '2026-10-09', false, 'working_days'],
    ['activated Thu 2026-12-24: all five days in 2026', plain, '2026-12-24T10:00', 5, '2026-12-31', false, 'working_days'],
    ['activated Mon 2026-12-28: lands in 2027, whose schedule is not loaded', plain, '2026-12-28T10:00', 5, '2027-01-05', true, 'working_days'],
    ['temporary offline starting Fri 10-09: the working day before is 10-08', offline('2026-10-09'), '2026-09-29T10:00', 5, '2026-10-08', false, 'offline_start'],
    ['temporary offline starting Mon 10-12: the working day before is the make-up Saturday 10-10', offline('2026-10-12'), '2026-09-29T10:00', 5, '2026-10-10', false, 'offline_start'],
    ['temporary offline starting Thu 10-08: walks back over the holiday to 09-30', offline('2026-10-08'), '2026-09-29T10:00', 5, '2026-09-30', false, 'offline_start'],
    ['temporary offline starting 09-30: due the day it was filed', offline('2026-09-30'), '2026-09-29T10:00', 5, '2026-09-29', false, 'offline_start'],
    ['temporary offline starting the day it is filed: due that day, not before', offline('2026-09-29'), '2026-09-29T10:00', 5, '2026-09-29', false, 'offline_start'],
    ['temporary offline starting well after the review time: the review time wins', offline('2026-11-02'), '2026-09-29T10:00', 5, '2026-10-12', false, 'working_days'],
    ['temporary offline starting on the deadline day itself: the day before is earlier', offline('2026-10-12'), '2026-09-29T10:00', 5, '2026-10-10', false, 'offline_start'],
    ['temporary offline starting Tue 2027-01-05: capped at Mon 01-04, a guess in the unloaded 2027', offline('2027-01-05'), '2026-12-28T10:00', 5, '2027-01-04', true, 'offline_start'],
    ['temporary offline starting 2027-01-01: capped at 2026-12-31, which is certain', offline('2027-01-01'), '2026-12-28T10:00', 5, '2026-12-31', false, 'offline_start'],
    ['temporary offline starting Mon 2027-01-04, filed 12-24: 12-31 either way, and certain', offline('2027-01-04'), '2026-12-24T10:00', 5, '2026-12-31', false, 'working_days'],
  ] as const)('%s', (_story, request, since, workingDays, dueDate, provisional, basis) => {
    const d = stepDeadline(request, china(since), { calendar, workingDays });
    expect([d.dueDate, d.provisional, d.basis]).toEqual([dueDate, provisional, basis]);
    // By the end of the due day, China time: the next day's 00:00.
    expect(d.dueAt).toEqual(new Date(china(`${dueDate}T00:00`).getTime() + 86_400_000));
    expect(d.since).toEqual(china(since));
    expect(d.workingDays).toBe(workingDays);
  });

  it('is not provisional once the operator loads the 2027 schedule (the calendar in force is handed in)', () => {
    const loaded = new WorkingCalendar(mergeSchedules(packageSchedules().values(), [{ year: 2027, holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], makeupWorkdays: [], source: 'override' }]));
    const d = stepDeadline(plain, china('2026-12-28T10:00'), { calendar: loaded, workingDays: 5 });
    expect([d.dueDate, d.provisional]).toEqual(['2027-01-05', false]);
  });
});

describe('#request review deadlines in the machines', () => {
  const tempOffline: RequestPayload = { start: '2026-11-02', end: '2026-11-10', reason: '机房搬迁' };
  const input = (payload: RequestPayload, steps = chainSteps('approval')): CreateInput => ({ site: deptSite, requester: alice, steps, payload, facts: { today: '2026-09-29' } });
  const record = (state: RequestState, at: Date): RequestRecord => ({ ...state, id: 'R2026-0001', year: 2026, scopeUnits: [], version: 0, audit: [], effects: [], createdAt: at, updatedAt: at });

  const cases: [string, RequestMachine, RequestPayload, 'approval' | 'single'][] = [
    ['temp_offline', tempOfflineMachine, tempOffline, 'approval'],
    ['opening', openingMachine, {}, 'approval'],
    ['closure', closureMachine, { reason: '整合迁移' }, 'approval'],
    ['change_record', changeRecordMachine, { changes: { personInCharge: '张三' } }, 'single'],
    ['emergency_shutdown', emergencyShutdownMachine, { emergencyReason: 'force_majeure', start: '2026-09-29', end: '2026-09-30', note: '暴雨断电' }, 'single'],
  ];

  it.each(cases)('%s: the first step is due 5 working days after filing, the steps not reached yet have no deadline', (_type, machine, payload, chain) => {
    const { state } = machine.create(input(payload, chainSteps(chain)), { now: china('2026-09-29T10:00'), deadlines: env });
    expect(due(state.steps[0]!)).toEqual(['2026-10-12', false, 'working_days']);
    expect(state.steps[0]!.deadline!.since).toEqual(china('2026-09-29T10:00'));
    expect(state.steps.slice(1).map((s) => s.deadline)).toEqual(state.steps.slice(1).map(() => undefined));
  });

  it('without a calendar (a timer, an old caller) stamps nothing', () => {
    const { state } = tempOfflineMachine.create(input(tempOffline), { now: china('2026-09-29T10:00') });
    expect(state.steps[0]!.deadline).toBeUndefined();
  });

  it('gives the next level its own time from the approval, keeps it on 转办 and 抄送, and starts afresh on resubmission', () => {
    const filed = createRequest('temp_offline', input(tempOffline), { now: china('2026-09-29T10:00'), deadlines: env }, 'shell');
    let r = record(filed.state, china('2026-09-29T10:00'));
    expect(due(r.steps[0]!)).toEqual(['2026-10-12', false, 'working_days']);

    // The county approves on Fri 10-09: the city's 5 days are 10-10 (make-up), 10-12, 10-13, 10-14, 10-15.
    r = { ...r, ...applyEvent(r, { type: 'approve', by: bob, step: 0, facts: {} }, { now: china('2026-10-09T16:00'), deadlines: env }, 'shell')!.state };
    expect(r.currentStep).toBe(1);
    expect(due(r.steps[0]!)).toEqual(['2026-10-12', false, 'working_days']);
    expect(due(r.steps[1]!)).toEqual(['2026-10-15', false, 'working_days']);
    expect(r.steps[1]!.deadline!.since).toEqual(china('2026-10-09T16:00'));
    expect(r.steps[2]!.deadline).toBeUndefined();

    // 转办 and 抄送 a week later move nothing.
    const before = r.steps[1]!.deadline;
    r = { ...r, ...applyEvent(r, { type: 'handoff', by: bob, step: 1, to: alice }, { now: china('2026-10-14T09:00'), deadlines: env }, 'shell')!.state };
    r = { ...r, ...applyEvent(r, { type: 'cc', by: alice, step: 1, to: bob }, { now: china('2026-10-14T09:30'), deadlines: env }, 'shell')!.state };
    expect(r.steps[1]!.assignee).toEqual(alice);
    expect(r.steps[1]!.deadline).toEqual(before);

    // Returned, amended with a new window, resubmitted on 10-20: a new round, the first level's time again.
    r = { ...r, ...applyEvent(r, { type: 'return', by: alice, step: 1, comment: '补充材料' }, { now: china('2026-10-15T09:00'), deadlines: env }, 'shell')!.state };
    r = { ...r, ...applyEvent(r, { type: 'resubmit', by: alice, changes: { start: '2026-10-26', end: '2026-10-30' }, facts: { today: '2026-10-20' } }, { now: china('2026-10-20T09:00'), deadlines: env }, 'shell')!.state };
    expect(r.round).toBe(2);
    // 5 working days from 10-20 would be 10-27, but the window now starts Mon 10-26: due Fri 10-23.
    expect(due(r.steps[0]!)).toEqual(['2026-10-23', false, 'offline_start']);
    expect(r.steps.slice(1).map((s) => s.deadline)).toEqual([undefined, undefined]);
  });

  it('caps a later level by the offline start too: no review is useful once the window has begun', () => {
    const payload = { start: '2026-10-12', end: '2026-10-20', reason: '机房搬迁' };
    const filed = tempOfflineMachine.create(input(payload), { now: china('2026-09-29T10:00'), deadlines: env }).state;
    expect(due(filed.steps[0]!)).toEqual(['2026-10-10', false, 'offline_start']);
    const next = tempOfflineMachine.transition(filed, { type: 'approve', by: bob, step: 0, facts: {} }, { now: china('2026-10-08T10:00'), deadlines: env }).state;
    expect(due(next.steps[1]!)).toEqual(['2026-10-10', false, 'offline_start']);
  });

  it('marks a step activated in late December provisional when its deadline lands in 2027', () => {
    const payload = { start: '2027-02-01', end: '2027-02-05', reason: '机房搬迁' };
    const { state } = tempOfflineMachine.create({ ...input(payload), facts: { today: '2026-12-28' } }, { now: china('2026-12-28T10:00'), deadlines: env });
    expect(due(state.steps[0]!)).toEqual(['2027-01-05', true, 'working_days']);
  });
});
