import { defaultCalendar, overrideSchedule, yearScheduleFileSchema } from '../calendar';
import { DEFAULT_OBLIGATION_CONFIG as D } from './obligation.config';
import { occurrenceOf } from './obligation.schedule';
import { reminderWindowStart, whenOf, windowStanding } from './obligation.window';

const cal = defaultCalendar();

/** The days of a window from its start through the due day, as `date:left` for the working ones. */
function remindedDays(c: typeof cal, from: string, to: string, due: string, n = 3): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.toISOString().slice(0, 10);
    const w = windowStanding(c, day, due, n);
    if (w.inWindow && c.isWorkingDay(day)) out.push(`${day}:${w.workingDaysLeft}`);
  }
  return out;
}

describe('#obligations: the reminder window before a due day (3 working days by default)', () => {
  it('defaults to 3 working days', () => {
    expect(D.remindWorkingDays).toBe(3);
  });

  it('starts on Wednesday 25 November for the 2026-Q3 check due Monday 30 November 2026', () => {
    expect(occurrenceOf(D, 'quarterly_check', '2026-Q3').dueDate).toBe('2026-11-30');
    expect(reminderWindowStart(cal, '2026-11-30', 3)).toEqual({ date: '2026-11-25', provisional: false });
    // Wed, Thu, Fri, then the Monday itself; never the weekend.
    expect(remindedDays(cal, '2026-11-20', '2026-12-02', '2026-11-30')).toEqual(['2026-11-25:3', '2026-11-26:2', '2026-11-27:1', '2026-11-30:0']);
  });

  it('counts the 补班 Saturday 28 February 2026 as the due working day of the 2025-Q4 check', () => {
    expect(occurrenceOf(D, 'quarterly_check', '2025-Q4').dueDate).toBe('2026-02-28');
    expect(cal.dayInfo('2026-02-28')).toMatchObject({ working: true, reason: 'makeup_workday' });
    expect(reminderWindowStart(cal, '2026-02-28', 3).date).toBe('2026-02-25');
    expect(remindedDays(cal, '2026-02-20', '2026-03-02', '2026-02-28')).toEqual(['2026-02-25:3', '2026-02-26:2', '2026-02-27:1', '2026-02-28:0']);
  });

  it('skips the Spring Festival week: 3 working days before 26 February 2026 reach back to the 补班 Saturday 14 February', () => {
    // 15–23 February 2026 are holidays, 14 February a 补班 Saturday.
    expect(reminderWindowStart(cal, '2026-02-26', 3)).toEqual({ date: '2026-02-14', provisional: false });
  });

  it('ends a Sunday deadline (2027-02-28, the 2026-Q4 check) on the Friday before, provisionally without a 2027 schedule', () => {
    expect(occurrenceOf(D, 'quarterly_check', '2026-Q4').dueDate).toBe('2027-02-28');
    expect(cal.hasSchedule(2027)).toBe(false);
    expect(reminderWindowStart(cal, '2027-02-28', 3)).toEqual({ date: '2027-02-24', provisional: true });
    expect(remindedDays(cal, '2027-02-20', '2027-03-02', '2027-02-28')).toEqual(['2027-02-24:2', '2027-02-25:1', '2027-02-26:0']);
    expect(windowStanding(cal, '2027-02-26', '2027-02-28', 3)).toEqual({ inWindow: true, workingDaysLeft: 0, provisional: true });
    expect(whenOf('2027-02-26', '2027-02-28', 0)).toBe('last_working_day');
    expect(windowStanding(cal, '2027-02-23', '2027-02-28', 3).inWindow).toBe(false);
  });

  it('follows a loaded 2027 schedule: a 补班 Saturday 27 February moves the window and it is no longer provisional', () => {
    const file = yearScheduleFileSchema.parse({ year: 2027, holidays: ['2027-01-01', '2027-02-08', '2027-02-09', '2027-02-10'], makeupWorkdays: ['2027-02-27'] });
    const loaded = defaultCalendar([overrideSchedule(file)]);
    expect(reminderWindowStart(loaded, '2027-02-28', 3)).toEqual({ date: '2027-02-25', provisional: false });
    expect(remindedDays(loaded, '2027-02-20', '2027-03-02', '2027-02-28')).toEqual(['2027-02-25:2', '2027-02-26:1', '2027-02-27:0']);
  });

  it('with 0 days reminds on the due day only, or on the last working day before a due day off', () => {
    expect(reminderWindowStart(cal, '2026-11-30', 0).date).toBe('2026-11-30');
    expect(reminderWindowStart(cal, '2026-05-31', 0).date).toBe('2026-05-29');
    expect(remindedDays(cal, '2026-05-25', '2026-06-02', '2026-05-31', 0)).toEqual(['2026-05-29:0']);
  });

  it('words the time left', () => {
    expect(whenOf('2026-11-30', '2026-11-30', 0)).toBe('due_today');
    expect(whenOf('2026-11-26', '2026-11-30', 2)).toBe('days_left');
    expect(whenOf('2026-11-27', '2026-11-30', 1)).toBe('day_left');
  });
});
