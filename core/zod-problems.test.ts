import { z } from 'zod';
import { allCommands } from './commands/registry';
import { zodProblems } from './commands/run';
import { SUPPORTED_LOCALES } from './config.schema';
import { ValidationError } from './errors';
import { describeError, describeProblem } from './presenters/error.presenter';
import { zodIssueProblems } from './zod-problems';
import { loadLocaleResources, translatorFor } from '../lib/i18n';
import { leakContext, leaksIn } from '../test/error-codes';

const problemsOf = (schema: z.ZodType, input: unknown, withRaw = true) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return withRaw ? zodProblems(parsed.error, input) : zodIssueProblems(parsed.error);
};
const render = (schema: z.ZodType, input: unknown, lng: 'zh-CN' | 'en') => describeError(new ValidationError(problemsOf(schema, input)), translatorFor(lng), 'r').message;

describe('#zod issues as our codes', () => {
  // As the request commands write a required text: a schema-wide "missing" message, a minimum and a maximum.
  const reason = z.object({ reason: z.string({ error: 'reason_required' }).trim().min(1, 'reason_required').max(500) });
  const note = z.object({ note: z.string({ error: 'note_required' }).trim().max(1000) });

  it('reports a too-long text as too long, with its limit, never as missing', () => {
    expect(problemsOf(reason, { reason: 'x'.repeat(501) })).toEqual([{ field: 'reason', code: 'too_long', params: { max: 500 } }]);
    expect(problemsOf(note, { note: 'x'.repeat(1001) })).toEqual([{ field: 'note', code: 'too_long', params: { max: 1000 } }]);
    expect(render(reason, { reason: 'x'.repeat(501) }, 'zh-CN')).toBe('输入有 1 处错误：\nreason: 太长了，最多 500 个字符');
    expect(render(reason, { reason: 'x'.repeat(501) }, 'en')).toBe('The input has 1 problem(s):\nreason: too long: at most 500 characters');
  });

  it('keeps the schema’s own code where it fits: an empty or absent value is missing', () => {
    expect(problemsOf(reason, { reason: '  ' }).map((p) => p.code)).toEqual(['reason_required']);
    expect(problemsOf(reason, {}).map((p) => p.code)).toEqual(['reason_required']);
    expect(problemsOf(note, {}).map((p) => p.code)).toEqual(['note_required']);
  });

  it('tells a value of the wrong type from a missing one when it has the input', () => {
    expect(problemsOf(reason, { reason: 42 })).toEqual([{ field: 'reason', code: 'invalid_type', params: { expected: 'string' } }]);
    expect(problemsOf(z.object({ n: z.number() }), {})).toEqual([{ field: 'n', code: 'required', params: {} }]);
    // Without the input (an import row), a missing value is "must be a number": still true of it.
    expect(problemsOf(z.object({ n: z.number() }), {}, false)).toEqual([{ field: 'n', code: 'invalid_type', params: { expected: 'number' } }]);
    expect(render(z.object({ n: z.number() }), { n: 'x' }, 'zh-CN')).toBe('输入有 1 处错误：\nn: 应为数字');
  });

  it('names the allowed values of an enum, and unknown fields', () => {
    expect(problemsOf(z.object({ to: z.enum(['admins', 'units', 'groups']) }), { to: 'all' })).toEqual([{ field: 'to', code: 'invalid_value', params: { values: ['admins', 'units', 'groups'] } }]);
    expect(render(z.object({ to: z.enum(['admins', 'units', 'groups']) }), { to: 'all' }, 'zh-CN')).toBe('输入有 1 处错误：\nto: 只能是以下之一：admins、units或groups');
    expect(render(z.strictObject({}), { a: 1, b: 2 }, 'en')).toBe('The input has 1 problem(s):\n(input): unknown fields: a and b');
  });

  it('maps sizes and formats by the kind of value', () => {
    const codes = (schema: z.ZodType, input: unknown) => problemsOf(schema, input).map((p) => [p.code, p.params]);
    expect(codes(z.string().min(3), 'ab')).toEqual([['too_short', { min: 3 }]]);
    expect(codes(z.string().min(1), '')).toEqual([['required', {}]]);
    expect(codes(z.string().length(10), 'ab')).toEqual([['length_exact', { length: 10 }]]);
    expect(codes(z.array(z.string()).max(2), ['a', 'b', 'c'])).toEqual([['too_many', { max: 2 }]]);
    expect(codes(z.array(z.string()).min(2), ['a'])).toEqual([['too_few', { min: 2 }]]);
    expect(codes(z.number().max(5), 6)).toEqual([['too_large', { max: 5 }]]);
    expect(codes(z.number().lt(5), 5)).toEqual([['must_be_below', { max: 5 }]]);
    expect(codes(z.number().min(1), 0)).toEqual([['too_low', { min: 1 }]]);
    expect(codes(z.number().int(), 1.5)).toEqual([['invalid_type', { expected: 'int' }]]);
    expect(codes(z.string().email(), 'x')).toEqual([['email_format', {}]]);
    expect(codes(z.string().regex(/^\d+$/), 'x')).toEqual([['invalid_format', {}]]);
    expect(codes(z.number().multipleOf(5), 7)).toEqual([['not_multiple_of', { divisor: 5 }]]);
  });

  it('lets the union option that got furthest speak (a custom rule of ours over "wrong type")', () => {
    const flag = z.union([
      z.boolean(),
      z.string().transform((v, ctx) => {
        ctx.addIssue({ code: 'custom', message: 'notice_flag_invalid', params: { value: v } });
        return z.NEVER;
      }),
    ]);
    expect(problemsOf(z.object({ ack: flag }), { ack: 'maybe' })).toEqual([{ field: 'ack', code: 'notice_flag_invalid', params: { detail: 'notice_flag_invalid', value: 'maybe' } }]);
    expect(problemsOf(z.object({ ack: flag }), { ack: 5 })).toEqual([{ field: 'ack', code: 'invalid_input', params: {} }]);
  });
});

/** The object shape under a command's input schema (through preprocess, pipes, unions, optional and default). */
function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
  if (!def) return undefined;
  if (def.type === 'object') return def.shape as Record<string, unknown>;
  if (def.type === 'pipe') return shapeOf(def.out) ?? shapeOf(def.in);
  if (def.type === 'union') for (const o of def.options as unknown[]) if (shapeOf(o)) return shapeOf(o);
  return def.innerType ? shapeOf(def.innerType) : undefined;
}

describe('#every command input', () => {
  const ctx = leakContext(loadLocaleResources() as never);
  const resources = loadLocaleResources();
  const templatesOf = (code: string) => SUPPORTED_LOCALES.map((l) => String((resources[l]?.errors as Record<string, unknown> | undefined)?.[code] ?? ''));

  it('refuses bad input to any command in the reader’s words only: no zod English, no raw key', () => {
    const leaks: string[] = [];
    let refused = 0;
    for (const command of allCommands()) {
      const keys = Object.keys(shapeOf(command.input) ?? {});
      const all = (v: unknown) => Object.fromEntries(keys.map((k) => [k, v]));
      for (const input of [{}, all(''), all('x'.repeat(10_001)), all(12345), all(['a']), all({ a: 1 }), all('zzz-unknown'), all(true)]) {
        const parsed = command.input.safeParse(input);
        if (parsed.success) continue;
        refused++;
        const problems = zodProblems(parsed.error, input);
        for (const lng of SUPPORTED_LOCALES) {
          const t = translatorFor(lng);
          const message = describeError(new ValidationError(problems), t, 'r').message;
          const templates = ['validation_failed', ...problems.map((p) => p.code)].flatMap(templatesOf);
          for (const p of problems) if (describeProblem(p, t) === p.code) leaks.push(`${command.id} ${lng}: the raw key ${p.code}`);
          for (const leak of leaksIn(message, lng, 'validation_failed', templates, ctx)) leaks.push(`${command.id} ${JSON.stringify(input).slice(0, 60)} ${lng}: ${leak} in “${message}”`);
          if (/Invalid|Too (?:big|small)|expected/.test(message)) leaks.push(`${command.id} ${lng}: zod's text in “${message}”`);
        }
      }
    }
    expect(refused).toBeGreaterThan(50);
    expect([...new Set(leaks)]).toEqual([]);
  });
});
