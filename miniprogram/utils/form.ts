import { api, type RequestActionDTO, type SiteDTO } from '../api/client';
import { t } from './i18n';
import type { RuleProblem } from './rules';
import { toast } from './page';
import { failureText, fieldErrorsOf, problemViews } from './view';

/** One field's problem as the form shows it, under the field: blocking ones red, policy warnings amber. */
export interface FieldProblem {
  message: string;
  blocking: boolean;
}

export interface FormState {
  /** Client-side problems by field (`(input)` for the form as a whole). */
  problems: Record<string, FieldProblem>;
  /** The server's refusals by field. */
  serverErrors: Record<string, string>;
  /** A refusal that belongs to no field, shown at the top. */
  error: string;
  /** After a successful submit: the result page's text (the form is cleared). */
  result: string;
  busy: boolean;
}

export const emptyFormState = (): FormState => ({ problems: {}, serverErrors: {}, error: '', result: '', busy: false });

/** The sites a picker offers: the ones I administer, by name (domain). */
export interface SiteOption {
  ref: string;
  label: string;
}

/** My sites for the site picker, online ones first (the picker starts on the first). */
export async function mySites(): Promise<SiteOption[]> {
  try {
    const { sites } = await api.sites();
    const rank = (s: SiteDTO) => (s.status === 'online' ? 0 : 1);
    return [...sites].sort((a, b) => rank(a) - rank(b)).map((s) => ({ ref: s.domain, label: `${s.name}（${s.domain}）` }));
  } catch {
    return [];
  }
}

/** The problems keyed by field, the first per field. */
export function problemsByField(problems: RuleProblem[]): Record<string, FieldProblem> {
  const views = problemViews(problems);
  const out: Record<string, FieldProblem> = {};
  for (const v of views) out[v.field] ??= { message: v.message, blocking: v.blocking };
  return out;
}

/**
 * Submits a form: blocking client-side problems stop it (nothing is sent); otherwise the server decides and
 * its answer is shown as it comes, localized (`Accept-Language` is the chosen language), at the field it
 * concerns when there is one.
 */
export async function submitForm(problems: RuleProblem[], file: () => Promise<RequestActionDTO>): Promise<Partial<FormState>> {
  const byField = problemsByField(problems);
  if (problems.some((p) => p.blocking)) return { problems: byField, serverErrors: {}, error: '', result: '' };
  try {
    const out = await file();
    const step = out.request.pendingStep;
    const result = step ? t('common:mp.forms.filed', { id: out.request.id, unit: step.assignee?.name ?? step.unitName }) : t('common:mp.forms.filed_plain', { id: out.request.id });
    return { problems: {}, serverErrors: {}, error: '', result };
  } catch (err) {
    const serverErrors = fieldErrorsOf(err);
    return { problems: byField, serverErrors, error: Object.keys(serverErrors).length ? '' : failureText(err), result: '' };
  }
}

/**
 * A filing form's submit, the same on every form: busy while it runs, the answer shown as `submitForm` gives
 * it, and after a success the form emptied behind the result page (it starts empty next time) and a toast.
 */
export async function submitAndShow(
  page: { setData(data: Record<string, unknown>): void },
  problems: () => RuleProblem[],
  file: () => Promise<RequestActionDTO>,
  blank: () => Record<string, unknown>,
): Promise<void> {
  page.setData({ busy: true, error: '', serverErrors: {} });
  const out = await submitForm(problems(), file);
  page.setData({ ...out, busy: false });
  if (out.result) {
    page.setData(blank());
    toast(out.result);
  }
}

/** The result page's way back: the inbox tab. */
export function goHome(): void {
  void wx.switchTab({ url: '/pages/inbox/index' });
}
