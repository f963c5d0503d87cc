import type { z } from 'zod';
import type { FieldProblem } from './errors';

type Issue = z.core.$ZodIssue;

/**
 * Every code a zod issue can become when its schema set none of its own: each has a text in every locale,
 * so zod's English default messages never reach a reader (the locale tests render each of them).
 */
export const ZOD_ISSUE_CODES = [
  'required',
  'too_long',
  'too_short',
  'length_exact',
  'too_many',
  'too_few',
  'items_exact',
  'too_large',
  'must_be_below',
  'too_low',
  'must_be_above',
  'too_late',
  'too_early',
  'invalid_type',
  'invalid_value',
  'unknown_keys',
  'invalid_format',
  'email_format',
  'not_multiple_of',
  'invalid_input',
] as const;

/** The types `invalid_type` names, each with a word under `errors:expected.<type>`; zod's others read as `invalid_input`. */
export const EXPECTED_TYPES = ['string', 'number', 'int', 'boolean', 'array', 'object', 'date'] as const;
const EXPECTED_ALIASES: Record<string, (typeof EXPECTED_TYPES)[number]> = { record: 'object', tuple: 'array', set: 'array', bigint: 'int' };

/** A message that is one of our codes (`site_ref_required`), not a zod default sentence. */
const CODE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
/** A code that says the value is missing: true of an empty or absent value only, never of a too-long one. */
const saysMissing = (code: string) => code === 'required' || /_(?:required|missing)$/.test(code);

const num = (v: number | bigint) => (typeof v === 'bigint' ? v.toString() : v);
const asDate = (v: number | bigint) => new Date(Number(v)).toISOString().slice(0, 10);

const NO_RAW = Symbol('no raw input');

/** The value at `path` in the raw input, when we have it: tells "missing" from "of the wrong type". */
function valueAt(raw: unknown, path: readonly PropertyKey[]): { known: boolean; value?: unknown } {
  if (raw === NO_RAW) return { known: false };
  let v = raw;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return { known: true, value: undefined };
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return { known: true, value: v };
}
type Mapped = { code: string; params: Record<string, unknown> };

function sizeIssue(issue: Extract<Issue, { code: 'too_big' | 'too_small' }>, explicit: string | undefined): Mapped {
  const big = issue.code === 'too_big';
  const limit = big ? issue.maximum : issue.minimum;
  // A schema-wide message (`z.string({error: 'reason_required'})`) also covers its checks: "missing" must not
  // answer a value that is only too long (or too short beyond the first character).
  if (explicit && !(saysMissing(explicit) && (big || Number(limit) > 1 || issue.exact))) return { code: explicit, params: {} };
  switch (issue.origin) {
    case 'string':
      if (issue.exact) return { code: 'length_exact', params: { length: num(limit) } };
      if (!big && Number(limit) <= 1) return { code: explicit ?? 'required', params: {} };
      return big ? { code: 'too_long', params: { max: num(limit) } } : { code: 'too_short', params: { min: num(limit) } };
    case 'array':
    case 'set':
      if (issue.exact) return { code: 'items_exact', params: { n: num(limit) } };
      if (!big && Number(limit) <= 1) return { code: explicit ?? 'required', params: {} };
      return big ? { code: 'too_many', params: { max: num(limit) } } : { code: 'too_few', params: { min: num(limit) } };
    case 'date':
      return big ? { code: 'too_late', params: { max: asDate(limit) } } : { code: 'too_early', params: { min: asDate(limit) } };
    case 'number':
    case 'int':
    case 'bigint':
      if (big) return issue.inclusive === false ? { code: 'must_be_below', params: { max: num(limit) } } : { code: 'too_large', params: { max: num(limit) } };
      return issue.inclusive === false ? { code: 'must_be_above', params: { min: num(limit) } } : { code: 'too_low', params: { min: num(limit) } };
    default:
      return { code: 'invalid_input', params: {} };
  }
}

function mapIssue(issue: Issue, raw: unknown, path: readonly PropertyKey[]): Mapped {
  const explicit = CODE.test(issue.message) ? issue.message : undefined;
  switch (issue.code) {
    case 'custom':
      return { code: explicit ?? 'invalid_input', params: { ...(issue.params ?? {}) } };
    case 'too_big':
    case 'too_small':
      return sizeIssue(issue, explicit);
    case 'invalid_type': {
      const at = valueAt(raw, path);
      const absent = at.known && at.value === undefined;
      // A schema-wide "missing" message is right for an absent value, not for a present one of the wrong type.
      if (explicit && !(saysMissing(explicit) && at.known && !absent)) return { code: explicit, params: {} };
      if (absent) return { code: 'required', params: {} };
      const expected = EXPECTED_ALIASES[issue.expected] ?? issue.expected;
      return (EXPECTED_TYPES as readonly string[]).includes(expected) ? { code: 'invalid_type', params: { expected } } : { code: 'invalid_input', params: {} };
    }
    case 'invalid_value':
      return explicit ? { code: explicit, params: {} } : { code: 'invalid_value', params: { values: issue.values.map((v) => String(v)) } };
    case 'unrecognized_keys':
      return explicit ? { code: explicit, params: { keys: issue.keys } } : { code: 'unknown_keys', params: { keys: issue.keys } };
    case 'invalid_format':
      return { code: explicit ?? (issue.format === 'email' ? 'email_format' : 'invalid_format'), params: {} };
    case 'not_multiple_of':
      return { code: explicit ?? 'not_multiple_of', params: { divisor: issue.divisor } };
    default:
      return { code: explicit ?? 'invalid_input', params: {} };
  }
}

/**
 * A union refused every option: the option that got furthest speaks (one that reached a check or a custom
 * rule of ours, not just "wrong type"); with none, the value was of no type the union takes.
 */
function unionIssues(issue: Extract<Issue, { code: 'invalid_union' }>): { issues: Issue[] } | undefined {
  const branches = issue.errors.filter((b) => b.length > 0);
  const informative = branches.find((b) => b.some((i) => !(i.code === 'invalid_type' && i.path.length === 0)));
  return informative ? { issues: informative } : undefined;
}

const dotted = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(input)';

function problemsOf(issues: readonly Issue[], opts: ProblemOptions, prefix: readonly PropertyKey[]): FieldProblem[] {
  return issues.flatMap((issue): FieldProblem[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union') {
      const picked = unionIssues(issue);
      if (picked) return problemsOf(picked.issues, opts, path);
    }
    const { code, params } = mapIssue(issue, 'raw' in opts ? opts.raw : NO_RAW, path);
    // `detail` keeps the schema's own code as it always has (readers of a report rely on it); it is never zod's text.
    const own = code === issue.message ? { detail: code } : {};
    return [{ field: (opts.fieldOf ?? dotted)(path), code, params: { ...own, ...params } }];
  });
}

export interface ProblemOptions {
  /** The input as given: tells a missing value from one of the wrong type. */
  raw?: unknown;
  /** How a path reads as a field name (default `a.0.b`). */
  fieldOf?: (path: readonly PropertyKey[]) => string;
}

/**
 * Zod issues as field problems whose codes are our i18n keys: the schema's own code where it set one that
 * fits the issue, else the issue's kind with its limit or allowed values (`too_long` {max}, `invalid_value`
 * {values}…). Zod's own English sentence is never passed on. Without `raw`, a missing value is reported
 * as one of the wrong type (`invalid_type`: "must be text"), which is still true of it.
 */
export function zodIssueProblems(error: z.ZodError, opts: ProblemOptions = {}): FieldProblem[] {
  return problemsOf(error.issues as Issue[], opts, []);
}
