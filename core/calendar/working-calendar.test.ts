import { defaultCalendar } from './index';
import { packageSchedules } from './package-schedules';
import type { YearSchedule } from './schedule';
import { MAX_WALK_DAYS, WorkingCalendar, mergeSchedules } from './working-calendar';

/** An instant given as China wall-clock time, e.g. china('2026-09-30T17:00'). */
const china = (local: string): Date => new Date(`${local}+08:00`);

const cal = defaultCalendar();

function offDays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = nextDay(d)) {
    if (!cal.isWorkingDay(d)) out.push(d);
  }
  return out;
}

function nextDay(date: string): string {
  return cal.localDateOf(cal.endOfLocalDay(date));
}

const override2027: YearSchedule = {
  year: 2027,
  holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-10-01', '2027-10-04'],
  makeupWorkdays: ['2027-09-26'],
  source: 'override',
};

describe('#calendar', () => {
  describe('2026 National Day (10-01..10-07 off, 09-20 and 10-10 make-up)', () => {
    it('counts a make-up Saturday as a working day', () => {
      expect(cal.dayInfo('2026-10-10')).toEqual({ date: '2026-10-10', working: true, reason: 'makeup_workday', provisional: false });
    });

    it('counts the make-up Sunday before the holiday as a working day', () => {
      expect(cal.dayInfo('2026-09-20')).toMatchObject({ working: true, reason: 'makeup_workday' });
    });

    it('gives the whole week 10-01..10-07 off and nothing else that week', () => {
      expect(offDays('2026-09-28', '2026-10-11')).toEqual([
        '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-11',
      ]);
      expect(cal.dayInfo('2026-10-06')).toMatchObject({ working: false, reason: 'holiday' });
      expect(cal.dayInfo('2026-10-11')).toMatchObject({ working: false, reason: 'weekend' });
    });

    it('gives a report received 2026-09-30 17:00 until the end of 2026-10-08 for 1 working day', () => {
      const deadline = cal.deadlineAfterWorkingDays(china('2026-09-30T17:00'), 1);
      expect(deadline).toEqual({ dueDate: '2026-10-08', dueAt: new Date('2026-10-08T16:00:00Z'), provisional: false });
      expect(china('2026-10-08T23:59:59.999') < deadline.dueAt).toBe(true);
      expect(china('2026-10-09T00:00') < deadline.dueAt).toBe(false);
    });

    it('counts 3 working days from 2026-10-08 through the make-up Saturday to Monday 10-12', () => {
      expect(cal.deadlineAfterWorkingDays(china('2026-10-08T10:00'), 3).dueDate).toBe('2026-10-12');
      expect(cal.addWorkingDays('2026-10-08', 3)).toEqual({ date: '2026-10-12', provisional: false });
    });

    it('starts counting the day after the event, whatever the hour', () => {
      expect(cal.deadlineAfterWorkingDays(china('2026-10-08T00:01'), 3).dueDate).toBe('2026-10-12');
      expect(cal.deadlineAfterWorkingDays(china('2026-10-08T23:59'), 3).dueDate).toBe('2026-10-12');
    });

    it('uses the China date, not the UTC date, of an event just after midnight', () => {
      // 2026-10-09 00:30 in China is still 2026-10-08 in UTC.
      const event = china('2026-10-09T00:30');
      expect(event.toISOString().slice(0, 10)).toBe('2026-10-08');
      expect(cal.deadlineAfterWorkingDays(event, 3).dueDate).toBe('2026-10-13');
    });
  });

  describe('2026 Spring Festival and New Year', () => {
    it('gives 02-15..02-23 off with make-up Saturdays 02-14 and 02-28', () => {
      expect(offDays('2026-02-09', '2026-03-01')).toEqual([
        '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22',
        '2026-02-23', '2026-03-01',
      ]);
      expect(cal.dayInfo('2026-02-14')).toMatchObject({ working: true, reason: 'makeup_workday' });
      expect(cal.dayInfo('2026-02-28')).toMatchObject({ working: true, reason: 'makeup_workday' });
      expect(cal.addWorkingDays('2026-02-13', 1).date).toBe('2026-02-14');
      expect(cal.addWorkingDays('2026-02-14', 1).date).toBe('2026-02-24');
    });

    it('gives 1/1–1/3 off and works Sunday 1/4', () => {
      expect(['2026-01-01', '2026-01-02', '2026-01-03'].map((d) => cal.isWorkingDay(d))).toEqual([false, false, false]);
      expect(cal.dayInfo('2026-01-04')).toMatchObject({ working: true, reason: 'makeup_workday', provisional: false });
    });
  });

  describe('2025, as the package has it', () => {
    it('gives Spring Festival 01-28..02-04 off with make-up days 01-26 (Sun) and 02-08 (Sat)', () => {
      expect(offDays('2025-01-25', '2025-02-09')).toEqual([
        '2025-01-25', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03',
        '2025-02-04', '2025-02-09',
      ]);
      expect(cal.isWorkingDay('2025-01-26')).toBe(true);
      expect(cal.isWorkingDay('2025-02-08')).toBe(true);
    });

    it('gives National Day 10-01..10-08 off with make-up days 09-28 (Sun) and 10-11 (Sat)', () => {
      expect(offDays('2025-09-27', '2025-10-12')).toEqual([
        '2025-09-27', '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07',
        '2025-10-08', '2025-10-12',
      ]);
      expect(cal.addWorkingDays('2025-09-30', 1).date).toBe('2025-10-09');
      expect(cal.addWorkingDays('2025-10-09', 2).date).toBe('2025-10-11');
    });
  });

  it('crosses the year boundary: 2025-12-31 + 1 working day is the make-up Sunday 2026-01-04', () => {
    expect(cal.addWorkingDays('2025-12-31', 1)).toEqual({ date: '2026-01-04', provisional: false });
  });

  it('returns the day itself for n = 0 when it is worked, else the next working day', () => {
    expect(cal.addWorkingDays('2026-10-09', 0)).toEqual({ date: '2026-10-09', provisional: false });
    expect(cal.addWorkingDays('2026-10-01', 0)).toEqual({ date: '2026-10-08', provisional: false });
    expect(cal.deadlineAfterWorkingDays(china('2026-10-10T09:00'), 0).dueDate).toBe('2026-10-10');
  });

  describe('a year without an official schedule', () => {
    it('guesses 2027 from weekends and the fixed-date statutory holidays, and says so', () => {
      expect(cal.hasSchedule(2027)).toBe(false);
      expect(cal.dayInfo('2027-01-01')).toEqual({ date: '2027-01-01', working: false, reason: 'holiday', provisional: true });
      expect(cal.dayInfo('2027-01-04')).toEqual({ date: '2027-01-04', working: true, reason: 'workday', provisional: true });
      expect(cal.dayInfo('2027-05-01')).toMatchObject({ working: false, reason: 'holiday', provisional: true });
      expect(cal.dayInfo('2027-05-03')).toMatchObject({ working: true, provisional: true });
      expect(cal.dayInfo('2027-10-02')).toMatchObject({ working: false, reason: 'holiday', provisional: true });
    });

    it('guesses 2030 the same way: Jan 1, May 1–2, Oct 1–3 and weekends off', () => {
      const holidays = ['2030-01-01', '2030-05-01', '2030-05-02', '2030-10-01', '2030-10-02', '2030-10-03'];
      for (const date of holidays) expect(cal.dayInfo(date)).toMatchObject({ date, working: false, reason: 'holiday', provisional: true });
      expect(cal.dayInfo('2030-10-04')).toMatchObject({ working: true, reason: 'workday', provisional: true });
      expect(cal.dayInfo('2030-10-05')).toMatchObject({ working: false, reason: 'weekend', provisional: true });
      expect(cal.addWorkingDays('2030-09-30', 1)).toEqual({ date: '2030-10-04', provisional: true });
    });

    it('flags a deadline that crosses from 2026 into 2027 as provisional', () => {
      const deadline = cal.deadlineAfterWorkingDays(china('2026-12-30T15:00'), 3);
      expect(deadline).toEqual({ dueDate: '2027-01-05', dueAt: new Date('2027-01-05T16:00:00Z'), provisional: true });
      expect(cal.deadlineAfterWorkingDays(china('2026-12-29T15:00'), 1)).toMatchObject({ dueDate: '2026-12-30', provisional: false });
    });
  });

  describe('operator overrides', () => {
    it('makes 2027 official once an operator loads it, with its holidays and make-up days', () => {
      const withOverride = defaultCalendar([override2027]);
      expect(withOverride.hasSchedule(2027)).toBe(true);
      expect(withOverride.dayInfo('2027-10-04')).toEqual({ date: '2027-10-04', working: false, reason: 'holiday', provisional: false });
      expect(withOverride.dayInfo('2027-09-26')).toMatchObject({ working: true, reason: 'makeup_workday', provisional: false });
      // Not listed in the override, so an ordinary Tuesday: official, not guessed.
      expect(withOverride.dayInfo('2027-10-05')).toMatchObject({ working: true, reason: 'workday', provisional: false });
      // 12-31 (1), 01-01..01-04 off by the override, 01-05 (2), 01-06 (3); the guess alone would say 01-05.
      expect(withOverride.deadlineAfterWorkingDays(china('2026-12-30T15:00'), 3)).toMatchObject({ dueDate: '2027-01-06', provisional: false });
    });

    it('replaces the package year when an operator overrides 2026', () => {
      const flat2026: YearSchedule = { year: 2026, holidays: ['2026-10-02'], makeupWorkdays: [], source: 'override' };
      const merged = mergeSchedules(packageSchedules().values(), [flat2026]);
      expect(merged.find((s) => s.year === 2026)).toBe(flat2026);
      expect(merged.map((s) => s.year)).toEqual([...packageSchedules().keys()]);
      const withOverride = new WorkingCalendar(merged);
      expect(withOverride.dayInfo('2026-10-01')).toMatchObject({ working: true, reason: 'workday', provisional: false });
      expect(withOverride.dayInfo('2026-10-02')).toMatchObject({ working: false, reason: 'holiday' });
      expect(withOverride.dayInfo('2026-10-10')).toMatchObject({ working: false, reason: 'weekend' });
    });

    it('refuses two overrides for the same year, and two schedules for one year in a calendar', () => {
      expect(() => mergeSchedules([], [override2027, override2027])).toThrow(/calendar_duplicate_override/);
      expect(() => new WorkingCalendar([override2027, override2027])).toThrow(/calendar_duplicate_year/);
    });

    it('refuses a schedule whose dates are not in its year', () => {
      const wrong: YearSchedule = { year: 2027, holidays: ['2028-01-01'], makeupWorkdays: [], source: 'override' };
      expect(() => new WorkingCalendar([wrong])).toThrow(RangeError);
    });
  });

  describe('China-local days and instants', () => {
    it('maps an instant to its China date at the +8 h boundary', () => {
      expect(cal.localDateOf(new Date('2026-09-30T15:59:59.999Z'))).toBe('2026-09-30');
      expect(cal.localDateOf(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01');
    });

    it('starts a China day at 16:00 UTC the day before and ends it at the next day start', () => {
      expect(cal.startOfLocalDay('2026-10-01')).toEqual(new Date('2026-09-30T16:00:00Z'));
      expect(cal.endOfLocalDay('2026-10-01')).toEqual(new Date('2026-10-01T16:00:00Z'));
      expect(cal.endOfLocalDay('2026-12-31')).toEqual(cal.startOfLocalDay('2027-01-01'));
    });
  });

  describe('handling time in working days', () => {
    it('counts a whole working day as 1 and a weekend or holiday as 0', () => {
      expect(cal.workingDaysBetween(china('2026-10-12T00:00'), china('2026-10-13T00:00'))).toBe(1);
      expect(cal.workingDaysBetween(china('2026-10-01T00:00'), china('2026-10-08T00:00'))).toBe(0);
      expect(cal.workingDaysBetween(china('2026-10-11T08:00'), china('2026-10-11T20:00'))).toBe(0);
    });

    it('counts a part of a working day as its fraction of 24 hours', () => {
      expect(cal.workingDaysBetween(china('2026-10-12T12:00'), china('2026-10-12T18:00'))).toBeCloseTo(0.25, 12);
    });

    it('counts Friday noon to Monday noon across a make-up Saturday as 2', () => {
      // Fri 10-09 half + Sat 10-10 (make-up) whole + Sun 0 + Mon 10-12 half.
      expect(cal.workingDaysBetween(china('2026-10-09T12:00'), china('2026-10-12T12:00'))).toBeCloseTo(2, 12);
    });

    it('counts a report sitting through National Day as the working time around it', () => {
      // 09-30 17:00 → 24:00 is 7/24, the holiday week is 0, 10-08 00:00 → 10:00 is 10/24.
      expect(cal.workingDaysBetween(china('2026-09-30T17:00'), china('2026-10-08T10:00'))).toBeCloseTo(17 / 24, 12);
    });

    it('gives the negative when the end comes before the start, and 0 for no time', () => {
      expect(cal.workingDaysBetween(china('2026-10-13T00:00'), china('2026-10-12T00:00'))).toBe(-1);
      expect(cal.workingDaysBetween(china('2026-10-12T09:00'), china('2026-10-12T09:00'))).toBe(0);
    });
  });

  describe('bad input', () => {
    it('throws a RangeError for malformed or unreal dates', () => {
      expect(() => cal.dayInfo('2026-02-30')).toThrow(RangeError);
      expect(() => cal.dayInfo('2026-2-3')).toThrow(/calendar_invalid_date: "2026-2-3"/);
      expect(() => cal.isWorkingDay('')).toThrow(RangeError);
      expect(() => cal.addWorkingDays('2026/10/01', 1)).toThrow(RangeError);
      expect(() => cal.endOfLocalDay('2026-13-01')).toThrow(RangeError);
    });

    it('throws a RangeError for a negative, fractional or non-finite count', () => {
      for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => cal.addWorkingDays('2026-10-08', n)).toThrow(/calendar_invalid_count/);
      }
    });

    it('stops a runaway walk instead of hanging', () => {
      expect(() => cal.addWorkingDays('2026-10-08', MAX_WALK_DAYS)).toThrow(/calendar_walk_limit/);
      expect(() => cal.workingDaysBetween(new Date(0), china('2026-10-08T00:00'))).toThrow(/calendar_walk_limit/);
    });

    it('throws a RangeError for an invalid instant', () => {
      expect(() => cal.localDateOf(new Date('not a date'))).toThrow(/calendar_invalid_instant/);
      expect(() => cal.deadlineAfterWorkingDays(new Date(Number.NaN), 1)).toThrow(RangeError);
    });
  });

  it('lists the years it has official schedules for', () => {
    expect(cal.scheduledYears()[0]).toBe(2004);
    expect(cal.scheduledYears().at(-1)).toBe(2026);
    expect(defaultCalendar([override2027]).scheduledYears().at(-1)).toBe(2027);
  });
});
