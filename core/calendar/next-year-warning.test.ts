import { defaultCalendar } from './index';
import { missingScheduleWarning } from './next-year-warning';
import type { YearSchedule } from './schedule';

const override2027: YearSchedule = { year: 2027, holidays: ['2027-01-01'], makeupWorkdays: [], source: 'override' };

describe('#calendar.next-year-warning', () => {
  const cal = defaultCalendar();

  it('stays quiet on 14 November while the notice may still be coming', () => {
    expect(missingScheduleWarning(new Date('2026-11-14T12:00:00+08:00'), cal)).toBeNull();
  });

  it('asks for 2027 from 15 November 00:30 China time, which is still the 14th in UTC', () => {
    const now = new Date('2026-11-14T16:30:00Z');
    expect(missingScheduleWarning(now, cal)).toEqual({ year: 2027 });
    expect(missingScheduleWarning(new Date('2026-12-31T23:00:00+08:00'), cal)).toEqual({ year: 2027 });
  });

  it('stays quiet once an operator has loaded 2027', () => {
    expect(missingScheduleWarning(new Date('2026-11-14T16:30:00Z'), defaultCalendar([override2027]))).toBeNull();
  });

  it('keeps asking for the current year after New Year if it is still missing', () => {
    expect(missingScheduleWarning(new Date('2027-03-01T09:00:00+08:00'), cal)).toEqual({ year: 2027 });
    expect(missingScheduleWarning(new Date('2027-03-01T09:00:00+08:00'), defaultCalendar([override2027]))).toBeNull();
  });
});
