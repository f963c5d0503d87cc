import { DEFAULT_OBLIGATION_CONFIG as D, obligationConfigSchema, parseObligationConfig } from './obligation.config';
import { appliesToSite, currentOccurrence, isPeriodOf, nextDue, occurrenceOf, occurrencesDueBetween } from './obligation.schedule';

const cfg = (raw: unknown) => obligationConfigSchema.parse(raw);

describe('#obligations: default due dates (Hebei Measures)', () => {
  it.each([
    ['2026-Q1', '2026-04-01', '2026-05-31'],
    ['2026-Q2', '2026-07-01', '2026-08-31'],
    ['2026-Q3', '2026-10-01', '2026-11-30'],
    ['2026-Q4', '2027-01-01', '2027-02-28'],
    ['2027-Q4', '2028-01-01', '2028-02-29'],
  ])('publishes the %s quarterly check results by the end of Feb/May/Aug/Nov (art. 32): window %s, due %s', (period, windowStart, dueDate) => {
    expect(occurrenceOf(D, 'quarterly_check', period)).toEqual({ obligation: 'quarterly_check', period, windowStart, dueDate });
  });

  it('wants the yearly supervision report of 2026 by 2027-01-31 (art. 32)', () => {
    expect(occurrenceOf(D, 'supervision_report', '2026')).toMatchObject({ windowStart: '2027-01-01', dueDate: '2027-01-31' });
  });

  it('wants the 2026 annual report public by 2027-01-31 and the sealed copy by 2027-01-30 (art. 36)', () => {
    expect(occurrenceOf(D, 'annual_report_public', '2026').dueDate).toBe('2027-01-31');
    expect(occurrenceOf(D, 'annual_report_sealed', '2026').dueDate).toBe('2027-01-30');
    expect(occurrenceOf(D, 'annual_report_sealed', '2026').windowStart).toBe('2027-01-01');
  });

  it('wants a security self-check in each half year (art. 29)', () => {
    expect(occurrenceOf(D, 'security_self_check', '2027-H1')).toMatchObject({ windowStart: '2027-01-01', dueDate: '2027-06-30' });
    expect(occurrenceOf(D, 'security_self_check', '2027-H2')).toMatchObject({ windowStart: '2027-07-01', dueDate: '2027-12-31' });
  });

  it('wants the special meeting within the year (art. 30)', () => {
    expect(occurrenceOf(D, 'special_meeting', '2027')).toMatchObject({ windowStart: '2027-01-01', dueDate: '2027-12-31' });
  });

  it('makes the mailbox check a daily item due the same day (art. 23)', () => {
    expect(occurrenceOf(D, 'mailbox_check', '2027-03-05')).toMatchObject({ windowStart: '2027-03-05', dueDate: '2027-03-05' });
    expect(occurrencesDueBetween(D, 'mailbox_check', '2026-12-30', '2027-01-02').map((o) => o.period)).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });

  it('refuses periods that do not fit the obligation', () => {
    expect(isPeriodOf('quarterly_check', '2026-Q5')).toBe(false);
    expect(isPeriodOf('security_self_check', '2026')).toBe(false);
    expect(isPeriodOf('mailbox_check', '2026-02-30')).toBe(false);
    expect(() => occurrenceOf(D, 'special_meeting', '2026-H1')).toThrow(RangeError);
  });
});

describe('#obligations: next due date and the current occurrence across year ends', () => {
  it('points at the Q4 check after New Year, then at Q1 once February is over', () => {
    expect(nextDue(D, 'quarterly_check', '2026-12-15')).toMatchObject({ period: '2026-Q4', dueDate: '2027-02-28' });
    expect(nextDue(D, 'quarterly_check', '2027-02-28')).toMatchObject({ period: '2026-Q4' });
    expect(nextDue(D, 'quarterly_check', '2027-03-01')).toMatchObject({ period: '2027-Q1', dueDate: '2027-05-31' });
  });

  it('points at last year\'s annual report in January and at this year\'s from February', () => {
    expect(nextDue(D, 'annual_report_public', '2027-01-31')).toMatchObject({ period: '2026', dueDate: '2027-01-31' });
    expect(nextDue(D, 'annual_report_public', '2027-02-01')).toMatchObject({ period: '2027', dueDate: '2028-01-31' });
    expect(nextDue(D, 'annual_report_sealed', '2026-12-31')).toMatchObject({ period: '2026', dueDate: '2027-01-30' });
  });

  it('moves the half-year self-check window on at 1 July and at New Year', () => {
    expect(currentOccurrence(D, 'security_self_check', '2027-06-30').period).toBe('2027-H1');
    expect(currentOccurrence(D, 'security_self_check', '2027-07-01').period).toBe('2027-H2');
    expect(currentOccurrence(D, 'security_self_check', '2027-12-31').period).toBe('2027-H2');
    expect(currentOccurrence(D, 'security_self_check', '2028-01-01').period).toBe('2028-H1');
  });

  it('takes, in January, the quarter that just ended as the check in progress', () => {
    expect(currentOccurrence(D, 'quarterly_check', '2027-01-05')).toMatchObject({ period: '2026-Q4', dueDate: '2027-02-28' });
    // In March nothing is open (Q1 can be checked once it is over): the late Q4 check is still the one to finish.
    expect(currentOccurrence(D, 'quarterly_check', '2027-03-31')).toMatchObject({ period: '2026-Q4' });
    expect(currentOccurrence(D, 'quarterly_check', '2027-04-01')).toMatchObject({ period: '2027-Q1', dueDate: '2027-05-31' });
  });

  it('lists every occurrence due in a range, in due order', () => {
    expect(occurrencesDueBetween(D, 'quarterly_check', '2026-11-01', '2027-06-01').map((o) => `${o.period}@${o.dueDate}`)).toEqual(['2026-Q3@2026-11-30', '2026-Q4@2027-02-28', '2027-Q1@2027-05-31']);
    expect(occurrencesDueBetween(D, 'security_self_check', '2026-12-01', '2027-07-01').map((o) => o.period)).toEqual(['2026-H2', '2027-H1']);
  });
});

describe('#obligations: other deployments set other dates', () => {
  it('publishes within the quarter when the offset is -1 (Q1 → end of February)', () => {
    const c = cfg({ quarterly_check: { monthsAfterQuarter: -1 } });
    expect(occurrenceOf(c, 'quarterly_check', '2027-Q1')).toMatchObject({ windowStart: '2027-01-01', dueDate: '2027-02-28' });
    expect(occurrenceOf(c, 'quarterly_check', '2027-Q4')).toMatchObject({ windowStart: '2027-10-01', dueDate: '2027-11-30' });
    expect(currentOccurrence(c, 'quarterly_check', '2027-11-15').period).toBe('2027-Q4');
    expect(currentOccurrence(c, 'quarterly_check', '2028-01-01').period).toBe('2028-Q1');
  });

  it('takes other yearly days, keeping the rest at their defaults', () => {
    const c = parseObligationConfig(JSON.stringify({ annual_report_public: { due: '01-15' }, supervision_report: { due: '02-29' }, security_self_check: { secondHalfDue: '01-20' } }));
    expect(occurrenceOf(c, 'annual_report_public', '2026').dueDate).toBe('2027-01-15');
    expect(occurrenceOf(c, 'annual_report_sealed', '2026').dueDate).toBe('2027-01-30');
    // 02-29 means the last day of February in a common year.
    expect(occurrenceOf(c, 'supervision_report', '2026').dueDate).toBe('2027-02-28');
    expect(occurrenceOf(c, 'supervision_report', '2027').dueDate).toBe('2028-02-29');
    // A second-half day before July falls in the next year.
    expect(occurrenceOf(c, 'security_self_check', '2026-H2').dueDate).toBe('2027-01-20');
    expect(occurrenceOf(c, 'quarterly_check', '2026-Q4').dueDate).toBe('2027-02-28');
  });

  it('refuses a typo loudly', () => {
    expect(() => parseObligationConfig('{"annual_report_public":{"due":"13-01"}}')).toThrow(/annual_report_public.due/);
    expect(() => parseObligationConfig('{"quartely_check":{}}')).toThrow(/STEWARD_OBLIGATIONS/);
    expect(() => parseObligationConfig('{nope')).toThrow(/not valid JSON/);
    expect(parseObligationConfig('')).toEqual(D);
  });

  it('binds the sealed copy to city sites and provincial department sites only, unless configured', () => {
    expect(appliesToSite(D, 'annual_report_sealed', { level: 'city', kind: 'portal' })).toBe(true);
    expect(appliesToSite(D, 'annual_report_sealed', { level: 'province', kind: 'department' })).toBe(true);
    expect(appliesToSite(D, 'annual_report_sealed', { level: 'province', kind: 'portal' })).toBe(false);
    expect(appliesToSite(D, 'annual_report_sealed', { level: 'county', kind: 'portal' })).toBe(false);
    expect(appliesToSite(cfg({ annual_report_sealed: { appliesTo: [{ level: 'county' }] } }), 'annual_report_sealed', { level: 'county', kind: 'portal' })).toBe(true);
    expect(appliesToSite(D, 'annual_report_public', { level: 'county', kind: 'department' })).toBe(true);
    expect(appliesToSite(D, 'quarterly_check', { level: 'county', kind: 'portal' })).toBe(false);
  });
});
