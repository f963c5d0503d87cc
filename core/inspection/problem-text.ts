import type { Translate } from '../i18n';
import type { BrokenLinkDTO, ProblemDTO } from '../presenters/inspection.presenter';

/**
 * The words of an inspection problem in a reader's language: the chat line, the xlsx row and the text of the
 * quarterly-check finding a supervisor makes of it all read the same. Kept beside the rules (not in bot/)
 * because the finding's text is stored by a command.
 */

/** A link's status: `HTTP 404`, or the probe outcome in words (超时, 域名无法解析…). */
export function statusText(status: BrokenLinkDTO['status'], t: Translate): string {
  return typeof status === 'number' ? `HTTP ${status}` : t(`bot:inspect_view.outcome.${status}`);
}

export function problemText(p: ProblemDTO, t: Translate): string {
  const params: Record<string, unknown> = { ...p.params };
  if (typeof params.kind === 'string') params.kind = t(`bot:inspect_view.kind.${params.kind}`);
  if (typeof params.element === 'string') params.element = t(`bot:inspect_view.element.${params.element}`);
  if (p.type === 'broken_link') params.status = statusText(p.params.status as BrokenLinkDTO['status'], t);
  if (p.type === 'veto') return t(`bot:inspect_view.veto_problem.${String(p.params.reason)}`, params);
  return t(`bot:inspect_view.problem.${p.type}`, params);
}
