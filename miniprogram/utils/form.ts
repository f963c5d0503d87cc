import { api, type RequestActionDTO } from '../api/client';
import { t } from './i18n';
import type { RuleProblem } from './rules';
import { failureText, problemViews } from './view';

export interface FormState {
  problems: { field: string; message: string; blocking: boolean }[];
  error: string;
  result: string;
  busy: boolean;
}

export const emptyFormState = (): FormState => ({ problems: [], error: '', result: '', busy: false });

/** The first site I administer, to start the form with (the user may type another). */
export async function defaultSite(): Promise<string> {
  try {
    return (await api.sites()).sites.find((s) => s.status === 'online')?.domain ?? '';
  } catch {
    return '';
  }
}

/**
 * Submits a form: blocking client-side problems stop it (nothing is sent); otherwise the server decides and
 * its answer is shown as it comes, localized (`Accept-Language` is the chosen language).
 */
export async function submitForm(problems: RuleProblem[], file: () => Promise<RequestActionDTO>): Promise<Partial<FormState>> {
  const views = problemViews(problems);
  if (problems.some((p) => p.blocking)) return { problems: views, error: '', result: '' };
  try {
    const out = await file();
    const step = out.request.pendingStep;
    const result = step ? t('common:mp.forms.filed', { id: out.request.id, unit: step.assignee?.name ?? step.unitName }) : t('common:mp.forms.filed_plain', { id: out.request.id });
    return { problems: views, error: '', result };
  } catch (err) {
    return { problems: views, error: failureText(err), result: '' };
  }
}
