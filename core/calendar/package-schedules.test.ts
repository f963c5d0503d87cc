import { packageSchedules } from './package-schedules';

function mmdd(dates: readonly string[] | undefined): string[] {
  return (dates ?? []).map((d) => d.slice(5));
}

describe('#calendar.package-schedules', () => {
  it('covers exactly the years chinese-days has official data for (2004–2026 in 1.5.7)', () => {
    const years = [...packageSchedules().keys()];
    expect(years).toEqual(Array.from({ length: 2026 - 2004 + 1 }, (_, i) => 2004 + i));
    expect(packageSchedules().has(2027)).toBe(false);
    expect(packageSchedules().has(2030)).toBe(false);
  });

  it('builds the schedules once and hands out the same map afterwards', () => {
    expect(packageSchedules()).toBe(packageSchedules());
  });

  it('reads 2026 as published by the State Council (国办, 2025-11-04)', () => {
    const y2026 = packageSchedules().get(2026);
    expect(y2026?.source).toBe('package');
    expect(mmdd(y2026?.holidays)).toEqual([
      '01-01', '01-02', '01-03',
      '02-15', '02-16', '02-17', '02-18', '02-19', '02-20', '02-21', '02-22', '02-23',
      '04-04', '04-05', '04-06',
      '05-01', '05-02', '05-03', '05-04', '05-05',
      '06-19', '06-20', '06-21',
      '09-25', '09-26', '09-27',
      '10-01', '10-02', '10-03', '10-04', '10-05', '10-06', '10-07',
    ]);
    expect(mmdd(y2026?.makeupWorkdays)).toEqual(['01-04', '02-14', '02-28', '05-09', '09-20', '10-10']);
  });

  it('reads 2025 as published (国办发明电〔2024〕12号)', () => {
    const y2025 = packageSchedules().get(2025);
    expect(mmdd(y2025?.holidays)).toEqual([
      '01-01',
      '01-28', '01-29', '01-30', '01-31', '02-01', '02-02', '02-03', '02-04',
      '04-04', '04-05', '04-06',
      '05-01', '05-02', '05-03', '05-04', '05-05',
      '05-31', '06-01', '06-02',
      '10-01', '10-02', '10-03', '10-04', '10-05', '10-06', '10-07', '10-08',
    ]);
    expect(mmdd(y2025?.makeupWorkdays)).toEqual(['01-26', '02-08', '04-27', '09-28', '10-11']);
  });

  it("does not mistake the package's in-lieu days (weekdays given off) for make-up workdays", () => {
    // chinese-days marks 2026-10-06 and 10-07 isInLieu: they are days off, compensated by 09-20 and 10-10.
    const y2026 = packageSchedules().get(2026);
    expect(y2026?.holidays).toEqual(expect.arrayContaining(['2026-10-06', '2026-10-07']));
    expect(y2026?.makeupWorkdays).not.toContain('2026-10-06');
  });

  it('only ever has make-up workdays on weekends and never a day both off and on', () => {
    for (const schedule of packageSchedules().values()) {
      const holidays = new Set(schedule.holidays);
      for (const date of schedule.makeupWorkdays) {
        const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
        expect([date, weekday === 0 || weekday === 6]).toEqual([date, true]);
        expect(holidays.has(date)).toBe(false);
      }
    }
  });
});
