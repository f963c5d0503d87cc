import { ApiFailure, type RequestSummaryDTO } from '../api/client';
import { t } from './i18n';
import type { RuleProblem } from './rules';

/** What a failed call shows: the server's own localized message (and its field problems), as it came. */
export function failureText(err: unknown): string {
  if (err instanceof ApiFailure) return err.message;
  return t('common:mp.error_generic');
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
