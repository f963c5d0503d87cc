/**
 * The server's rules for the forms, mirrored so a mistake shows while typing. The server stays the authority:
 * the same codes (i18n keys `errors:<code>`) come back from it, and its answer is what counts. `blocking`
 * problems (a missing or malformed field) stop the submit; policy limits (art. 14's 30 days, a start in the
 * past by the phone's clock) are shown as warnings and the server decides.
 */
export interface RuleProblem {
  field: string;
  code: string;
  params: Record<string, unknown>;
  blocking: boolean;
}

/** Art. 14 (core/requests/temp-offline.machine.ts MAX_OFFLINE_DAYS; a test keeps the two equal). */
export const MP_MAX_OFFLINE_DAYS = 30;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real YYYY-MM-DD date, or undefined. */
export function dayNumber(date: string | undefined): number | undefined {
  const m = DATE.exec(date ?? '');
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / 86_400_000;
}

function windowProblems(start: string | undefined, end: string | undefined, today: string | undefined): RuleProblem[] {
  const out: RuleProblem[] = [];
  const s = dayNumber(start);
  const e = dayNumber(end);
  if (s === undefined) out.push({ field: 'start', code: 'date_invalid', params: { field: 'start', value: start ?? '' }, blocking: true });
  if (e === undefined) out.push({ field: 'end', code: 'date_invalid', params: { field: 'end', value: end ?? '' }, blocking: true });
  if (s === undefined || e === undefined) return out;
  if (e < s) return [...out, { field: 'end', code: 'window_end_before_start', params: { start, end }, blocking: true }];
  const days = e - s + 1;
  if (days > MP_MAX_OFFLINE_DAYS) out.push({ field: 'end', code: 'temp_offline_too_long', params: { days, max: MP_MAX_OFFLINE_DAYS, article: 14 }, blocking: false });
  if (today && start! < today) out.push({ field: 'start', code: 'window_start_in_past', params: { start, today }, blocking: false });
  return out;
}

export function tempOfflineProblems(input: { start?: string; end?: string; reason?: string }, today?: string): RuleProblem[] {
  const out = windowProblems(input.start, input.end, today);
  if (!input.reason?.trim()) out.push({ field: 'reason', code: 'reason_required', params: { article: 14 }, blocking: true });
  return out;
}

export function emergencyProblems(input: { start?: string; end?: string; reason?: string; note?: string }): RuleProblem[] {
  const out: RuleProblem[] = [];
  const s = dayNumber(input.start);
  const e = dayNumber(input.end);
  if (s === undefined) out.push({ field: 'start', code: 'date_invalid', params: { field: 'start', value: input.start ?? '' }, blocking: true });
  if (e === undefined) out.push({ field: 'end', code: 'date_invalid', params: { field: 'end', value: input.end ?? '' }, blocking: true });
  if (s !== undefined && e !== undefined && e < s) out.push({ field: 'end', code: 'window_end_before_start', params: { start: input.start, end: input.end }, blocking: true });
  if (input.reason !== 'force_majeure' && input.reason !== 'ordered_by_authority') out.push({ field: 'reason', code: 'emergency_reason_invalid', params: {}, blocking: true });
  if (!input.note?.trim()) out.push({ field: 'note', code: 'note_required', params: {}, blocking: true });
  return out;
}

const GOV_CN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+gov\.cn$/;

export function changeRecordProblems(input: Record<string, string | undefined>): RuleProblem[] {
  const out: RuleProblem[] = [];
  const fields = ['hostUnit', 'name', 'personInCharge', 'contacts', 'domain', 'columns', 'url'];
  if (!fields.some((f) => input[f]?.trim())) out.push({ field: '(input)', code: 'change_record_empty', params: { fields: fields.join(', '), article: 17 }, blocking: true });
  const domain = input.domain?.trim().toLowerCase();
  if (domain && !GOV_CN.test(domain)) out.push({ field: 'domain', code: 'domain_not_gov_cn', params: { domain, article: 12 }, blocking: false });
  return out;
}
