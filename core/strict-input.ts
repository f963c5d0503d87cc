import { z } from 'zod';

/** An optional sign and decimal digits: the only way a whole number may be written in user input. */
const DECIMAL_INTEGER = /^[+-]?\d+$/;

/**
 * A whole number from user input (a query string, a chat word, a CSV cell, an environment variable, a JSON
 * body). `z.coerce.number` goes through `Number()`, which reads '0x7e9' as 2025, '1e3' as 1000 and '' as 0, so
 * a typo became a valid value; this accepts only a JS integer or a string of an optional sign and decimal
 * digits (surrounding blanks ignored). `message` is the i18n code of every refusal (default
 * `integer_invalid`); when none is given, the range checks keep zod's own wording (for the configuration).
 */
export function strictInt(opts: { min?: number; max?: number; message?: string } = {}) {
  const { min, max, message } = opts;
  let inner = z.number(message ?? 'integer_invalid').int(message ?? 'integer_invalid');
  if (min !== undefined) inner = message ? inner.min(min, message) : inner.min(min);
  if (max !== undefined) inner = message ? inner.max(max, message) : inner.max(max);
  return z.preprocess((value, ctx) => {
    if (typeof value === 'number') return value;
    if (typeof value === 'string') {
      const text = value.trim();
      if (DECIMAL_INTEGER.test(text)) {
        const n = Number(text) + 0; // `+ 0` turns -0 into 0
        if (Number.isSafeInteger(n)) return n;
      }
    }
    ctx.addIssue({ code: 'custom', message: message ?? 'integer_invalid', params: { value: typeof value === 'string' ? value : String(value) } });
    return z.NEVER;
  }, inner);
}

/**
 * A `from`/`to` pair of 'YYYY-MM-DD' dates (either may be absent) must not run backwards: a period that ends
 * before it starts is a mistake to report, not an empty answer. Add it with `.superRefine` after the object's
 * last `.extend`.
 */
export function rangeInOrder<T extends Record<string, unknown>>(fromKey: keyof T & string, toKey: keyof T & string) {
  return (value: T, ctx: z.RefinementCtx) => {
    const from = value[fromKey];
    const to = value[toKey];
    if (typeof from === 'string' && typeof to === 'string' && from > to) {
      ctx.addIssue({ code: 'custom', path: [toKey], message: 'date_range_reversed', params: { fromField: fromKey, toField: toKey, from, to } });
    }
  };
}
