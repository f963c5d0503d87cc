import { z } from 'zod';
import { commandById } from './commands/registry';
import { zodProblems } from './commands/run';
import { configSchema } from './config.schema';
import { parseReviewWorkingDays } from './requests/review.settings';
import { rangeInOrder, strictInt } from './strict-input';

const codeOf = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? r.data : zodProblems(r.error)[0]!.code;
};

describe('#strict-input', () => {
  describe('strictInt', () => {
    const year = strictInt({ min: 2000, max: 2100, message: 'year_bad' });

    it.each([
      [2025, 2025],
      ['2025', 2025],
      [' 2025 ', 2025],
      ['+2025', 2025],
      ['02025', 2025],
    ])('reads %p as %p', (input, expected) => {
      expect(year.parse(input)).toBe(expected);
    });

    it.each(['0x7e9', '0b11111101001', '0o3751', '2.025e3', '2025.0', '2_025', '', ' ', 'Infinity', '２０２５', '2025abc'])('refuses the text %p, which Number() would read', (input) => {
      expect(codeOf(year, input)).toBe('year_bad');
    });

    it.each([2025.5, Number.NaN, Number.POSITIVE_INFINITY, true, null, [2025], {}])('refuses %p', (input) => {
      expect(codeOf(year, input)).toBe('year_bad');
    });

    it('refuses a number outside its bounds with the same code', () => {
      expect(codeOf(year, '1999')).toBe('year_bad');
      expect(codeOf(year, 2101)).toBe('year_bad');
    });

    it('says integer_invalid when the caller gives no code, and refuses digits beyond a safe integer', () => {
      expect(codeOf(strictInt(), '0x10')).toBe('integer_invalid');
      expect(codeOf(strictInt(), '99999999999999999999')).toBe('integer_invalid');
      expect(strictInt().optional().parse(undefined)).toBeUndefined();
      expect(strictInt().parse('-0')).toBe(0);
    });
  });

  describe('every number a user types is strict', () => {
    const input = (id: string) => commandById(id)!.input;

    it('reads no hexadecimal year, day count, finding number or limit', () => {
      expect(codeOf(input('calendar.year'), { year: '0x7e9' })).toBe('calendar_year_param_invalid');
      expect(codeOf(input('calendar.year'), { year: '2027' })).toMatchObject({ year: 2027 });
      expect(codeOf(input('calendar.deadline'), { from: '2026-09-30', days: '0x3' })).toBe('calendar_deadline_days_invalid');
      expect(codeOf(input('annual-report.show'), { site: 'x', year: '0x7e9' })).toBe('annual_report_year_format');
      expect(codeOf(input('annual-report.show'), { site: 'x', year: '1e3' })).toBe('annual_report_year_format');
      expect(codeOf(input('complaint.list'), { limit: '1e2' })).toBe('integer_invalid');
      expect(codeOf(input('complaint.list'), { limit: '20' })).toMatchObject({ limit: 20 });
    });

    it('reads no hexadecimal setting from the environment, and an empty one is the default', () => {
      const bad = configSchema.safeParse({ PORT: '0xbb8', STEWARD_JOB_LOCK_LIMIT: '1e1', STEWARD_REVIEW_WORKING_DAYS: '0x5' });
      expect(bad.success).toBe(false);
      expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['PORT', 'STEWARD_JOB_LOCK_LIMIT', 'STEWARD_REVIEW_WORKING_DAYS']);
      const ok = configSchema.parse({ PORT: '8080', STEWARD_SESSION_TTL: '' });
      expect(ok).toMatchObject({ PORT: 8080, STEWARD_SESSION_TTL: 7200, STEWARD_JOB_LOCK_LIMIT: 10 });
      expect(() => parseReviewWorkingDays('0x5')).toThrow(/STEWARD_REVIEW_WORKING_DAYS/);
      expect(parseReviewWorkingDays('7')).toBe(7);
    });
  });

  describe('rangeInOrder', () => {
    const period = z.object({ from: z.string().optional(), to: z.string().optional() }).superRefine(rangeInOrder('from', 'to'));

    it('refuses a period whose from is after its to, on the to field, with both dates', () => {
      const r = period.safeParse({ from: '2026-10-31', to: '2026-10-01' });
      expect(r.success).toBe(false);
      expect(zodProblems(r.error!)).toEqual([
        { field: 'to', code: 'date_range_reversed', params: { detail: 'date_range_reversed', fromField: 'from', toField: 'to', from: '2026-10-31', to: '2026-10-01' } },
      ]);
    });

    it('takes a period of one day, or with one end open', () => {
      expect(period.safeParse({ from: '2026-10-01', to: '2026-10-01' }).success).toBe(true);
      expect(period.safeParse({ from: '2026-10-31' }).success).toBe(true);
    });
  });
});
