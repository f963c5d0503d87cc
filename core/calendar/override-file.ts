import type { FieldProblem } from '../errors';
import { zodIssueProblems } from '../zod-problems';
import { yearScheduleFileSchema, type YearScheduleFile } from './schedule';

export type OverrideFileCheck = { ok: true; file: YearScheduleFile } | { ok: false; problems: FieldProblem[] };

/** `holidays.3` reads better as `holidays[3]` to an operator counting entries in a JSON file. */
function fieldOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(file)';
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}

/**
 * Checks parsed JSON against `yearScheduleFileSchema`, turning every issue into a field problem whose code is
 * an `errors:` key and whose params name the offending date (or unknown key), so each is reported in the
 * operator's language with the entry it concerns.
 */
export function checkOverrideFile(raw: unknown): OverrideFileCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ field: '(file)', code: 'calendar_file_not_object' }] };
  }
  const parsed = yearScheduleFileSchema.safeParse(raw);
  if (parsed.success) return { ok: true, file: parsed.data };
  // The schema's own `calendar_*` codes where it set them, else the issue's kind (`too_long` {max}…): never zod's English.
  const problems = zodIssueProblems(parsed.error, { raw, fieldOf }).map((p) =>
    p.code === 'calendar_unknown_key' && Array.isArray(p.params?.keys) ? { ...p, params: { ...p.params, keys: p.params.keys.join(', ') } } : p,
  );
  return { ok: false, problems };
}
