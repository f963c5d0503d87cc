import { ApiFailure, type RequestSummaryDTO } from '../api/client';
import { t } from './i18n';
import type { RuleProblem } from './rules';

/**
 * What a failed call shows: the server's own localized message, as it came; a network failure (WeChat's raw
 * `request:fail …`) in the user's words.
 */
export function failureText(err: unknown): string {
  if (err instanceof ApiFailure) return err.code === 'network_error' ? t('common:mp.network_error') : err.message;
  return t('common:mp.error_generic');
}

/**
 * Refusals that belong to one field of a form although the server names none (domain errors, not input
 * validation): shown at that field.
 */
const FIELD_OF_CODE: Record<string, string> = {
  temp_offline_too_long: 'end',
  window_end_before_start: 'end',
  window_start_in_past: 'start',
  reason_required: 'reason',
  note_required: 'note',
  comment_required: 'comment',
  complaint_reason_required: 'text',
  complaint_answer_required: 'text',
  campaign_rectify_note_required: 'note',
  site_not_found: 'site',
  not_site_admin: 'site',
};

/** The server's field problems (and field-bound refusals) as `{field: message}`, the message without the raw field name. */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  if (!(err instanceof ApiFailure)) return {};
  const out: Record<string, string> = {};
  for (const p of err.problems) out[p.field] ??= p.message;
  const field = FIELD_OF_CODE[err.code];
  if (field && !err.problems.length) out[field] = err.message;
  return out;
}

/** Client-side problems in the same words the server uses (`errors:<code>`). */
export function problemViews(problems: RuleProblem[]): { field: string; message: string; blocking: boolean }[] {
  return problems.map((p) => ({ field: p.field, message: (p.blocking ? '' : t('common:mp.forms.warning')) + t(`errors:${p.code}`, p.params), blocking: p.blocking }));
}

export function requestLine(r: RequestSummaryDTO) {
  return {
    id: r.id,
    type: t(`bot:requests.type.${r.type}`),
    site: r.site.name,
    status: t(`bot:requests.status.${r.status}`),
    requester: t('common:mp.inbox.filed_by', { name: r.requester.name }),
    waiting: r.pendingStep ? t('common:mp.inbox.waiting_for', { unit: r.pendingStep.assignee?.name ?? r.pendingStep.unitName }) : '',
    window: r.start && r.end ? t('common:mp.inbox.window', { start: r.start, end: r.end }) : '',
  };
}

/** The value of an `<input>`/`<textarea>` event. */
export const valueOf = (e: WechatMiniprogram.CustomEvent) => String((e.detail as { value?: unknown }).value ?? '');
/** `data-*` of the element an event came from. */
export const datasetOf = (e: WechatMiniprogram.BaseEvent) => e.currentTarget.dataset as Record<string, string>;
