import { overrideSchedule, yearScheduleFileSchema } from './schedule';

const valid2027 = {
  year: 2027,
  holidays: ['2027-01-01', '2027-10-01', '2027-10-02'],
  makeupWorkdays: ['2027-09-26'],
  note: '国办发明电〔2026〕x号',
};

function issuesOf(input: unknown): { message: string; path: PropertyKey[]; params?: Record<string, unknown> }[] {
  const result = yearScheduleFileSchema.safeParse(input);
  if (result.success) throw new Error('expected the file to be rejected');
  return result.error.issues.map((issue) => ({
    message: issue.message,
    path: issue.path,
    params: 'params' in issue ? (issue.params as Record<string, unknown>) : undefined,
  }));
}

describe('#calendar.override-file', () => {
  it('accepts a well-formed year an operator typed in from the State Council notice', () => {
    const parsed = yearScheduleFileSchema.parse(valid2027);
    expect(overrideSchedule(parsed)).toEqual({
      year: 2027,
      holidays: ['2027-01-01', '2027-10-01', '2027-10-02'],
      makeupWorkdays: ['2027-09-26'],
      source: 'override',
    });
  });

  it('rejects a date outside the year, naming the date', () => {
    expect(issuesOf({ ...valid2027, holidays: ['2027-01-01', '2026-12-31'] })).toEqual([
      { message: 'calendar_date_outside_year', path: ['holidays', 1], params: { date: '2026-12-31', year: 2027 } },
    ]);
  });

  it('rejects a make-up workday that falls on a weekday', () => {
    // 2027-09-27 is a Monday: a weekday is worked anyway, so the operator mistyped the date.
    expect(issuesOf({ ...valid2027, makeupWorkdays: ['2027-09-27'] })).toEqual([
      { message: 'calendar_makeup_not_weekend', path: ['makeupWorkdays', 0], params: { date: '2027-09-27' } },
    ]);
  });

  it('rejects a date that is both a holiday and a make-up workday', () => {
    const issues = issuesOf({ ...valid2027, holidays: ['2027-09-26'], makeupWorkdays: ['2027-09-26'] });
    expect(issues).toEqual([
      { message: 'calendar_date_both_holiday_and_makeup', path: ['makeupWorkdays', 0], params: { date: '2027-09-26' } },
    ]);
  });

  it('rejects malformed and unreal dates', () => {
    const issues = issuesOf({ ...valid2027, holidays: ['2027-1-1', '2027-02-30', 'tomorrow'] });
    expect(issues.map((i) => [i.message, i.path])).toEqual([
      ['calendar_date_malformed', ['holidays', 0]],
      ['calendar_date_not_real', ['holidays', 1]],
      ['calendar_date_malformed', ['holidays', 2]],
    ]);
    expect(issues[1]?.params).toEqual({ date: '2027-02-30' });
  });

  it('rejects a holiday listed twice', () => {
    expect(issuesOf({ ...valid2027, holidays: ['2027-10-01', '2027-10-01'] })).toEqual([
      { message: 'calendar_date_duplicate', path: ['holidays', 1], params: { date: '2027-10-01' } },
    ]);
  });

  it('rejects a year outside 2000–2100, a fractional year and an unknown key', () => {
    expect(issuesOf({ ...valid2027, year: 1999, holidays: [], makeupWorkdays: [] }).map((i) => i.message)).toEqual([
      'calendar_year_out_of_range',
    ]);
    expect(issuesOf({ ...valid2027, year: 2027.5, holidays: [], makeupWorkdays: [] }).map((i) => i.message)).toEqual([
      'calendar_year_not_integer',
    ]);
    expect(issuesOf({ ...valid2027, makeupWorkday: [] }).map((i) => i.message)).toEqual(['calendar_unknown_key']);
  });

  it('requires both lists, even when empty', () => {
    expect(issuesOf({ year: 2027, holidays: [] }).map((i) => [i.message, i.path])).toEqual([
      ['calendar_makeup_workdays_not_a_list', ['makeupWorkdays']],
    ]);
  });
});
