import { defaultCalendar } from '../calendar';
import { afterQuietHours, isQuiet, parseQuietHours } from './quiet-hours';
import { planDeadlineReminders, planDigests, type DeadlineItem } from './reminder.plan';
import { DEFAULT_REMINDER_SETTINGS as s, backoffMs } from './reminder.settings';

const china = (local: string) => new Date(`${local}:00+08:00`);
const calendar = defaultCalendar();
const sup = { userid: 'sup', name: 'S', locale: 'zh-CN' };
const boss = { userid: 'boss', name: 'B', locale: 'en' };

/** The National Day case: received 2026-09-30 17:00, transfer due by the end of 2026-10-08. */
function nationalDayItem(): DeadlineItem {
  const due = calendar.deadlineAfterWorkingDays(china('2026-09-30T17:00'), 1);
  return { subject: { kind: 'complaint', id: 'c1' }, stage: 'transfer', dueDate: due.dueDate, dueAt: due.dueAt, params: { platformId: 'P1' }, recipients: [sup], escalateTo: [boss] };
}
const plan = (at: string) => planDeadlineReminders([nationalDayItem()], china(at), s).map((i) => `${i.key}@${i.userid}${i.late ? ' late' : ''}`);

describe('#reminder.plan', () => {
  it('reminds at 09:00 and 16:00 China time on the due working day (2026-10-08), not during the holiday', () => {
    expect(nationalDayItem().dueDate).toBe('2026-10-08');
    for (const at of ['2026-10-01T09:00', '2026-10-07T16:00', '2026-10-08T08:59']) expect(plan(at)).toEqual([]);
    expect(plan('2026-10-08T09:00')).toEqual(['reminder:complaint:c1:transfer:2026-10-08:start@sup']);
    expect(plan('2026-10-08T15:59')).toEqual(['reminder:complaint:c1:transfer:2026-10-08:start@sup late']);
    expect(plan('2026-10-08T16:00')).toEqual(['reminder:complaint:c1:transfer:2026-10-08:before_end@sup']);
    expect(plan('2026-10-09T00:00')).toEqual(['escalation:complaint:c1:transfer:2026-10-08@boss']);
    expect(plan('2026-10-09T03:00')).toEqual(['escalation:complaint:c1:transfer:2026-10-08@boss late']);
  });

  it('holds a late evening reminder until quiet hours end, and drops it when that is past the deadline', () => {
    const late = planDeadlineReminders([nationalDayItem()], china('2026-10-08T21:00'), s);
    expect(late[0]).toMatchObject({ late: true, notBefore: china('2026-10-08T21:00') });
    expect(planDeadlineReminders([nationalDayItem()], china('2026-10-08T23:00'), s)).toEqual([]);
  });

  it('sends digests only on working days, from digestAt, once keyed per day', () => {
    const input = { today: '2026-10-08', workingDay: true, digests: [], mailboxUsers: [sup] };
    expect(planDigests(input, china('2026-10-08T08:29'), s)).toEqual([]);
    expect(planDigests({ ...input, workingDay: false }, china('2026-10-08T09:00'), s)).toEqual([]);
    expect(planDigests(input, china('2026-10-08T08:30'), s).map((d) => [d.key, d.userid, d.late])).toEqual([['digest:2026-10-08', 'sup', false]]);
    expect(planDigests(input, china('2026-10-08T23:00'), s)).toEqual([]);
  });
});

describe('#quiet hours', () => {
  const q = parseQuietHours('22:00-08:00');
  it('wraps midnight and ends at 08:00 China time', () => {
    expect([isQuiet(china('2026-10-08T21:59'), q), isQuiet(china('2026-10-08T22:00'), q), isQuiet(china('2026-10-09T07:59'), q), isQuiet(china('2026-10-09T08:00'), q)]).toEqual([false, true, true, false]);
    expect(afterQuietHours(china('2026-10-08T23:10'), q)).toEqual(china('2026-10-09T08:00'));
    expect(afterQuietHours(china('2026-10-09T03:00'), q)).toEqual(china('2026-10-09T08:00'));
    expect(parseQuietHours('off')).toBeNull();
  });

  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 20].map((n) => backoffMs(n, s.delivery))).toEqual([30_000, 60_000, 120_000, 3_600_000]);
  });
});
