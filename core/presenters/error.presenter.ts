import { DomainError, ValidationError, type FieldProblem } from '../errors';
import type { Translate } from '../i18n';

export interface ErrorView {
  status: number;
  code: string;
  message: string;
  problems?: { field: string; code: string; message: string }[];
}

/** One problem in the reader's language, with the field it concerns. */
export function describeProblem(p: FieldProblem, t: Translate): string {
  return t(`errors:${p.code}`, localizedParams(p.params ?? {}, t));
}

/**
 * Role ids (`forbidden_role`) become the reader's names for them, which the text lists with
 * `{{roles, list(…)}}`. Other ids a text names (`what`, a status, an event) are looked up by the text itself
 * with `$t(…{{param}})`, so each text says which vocabulary its param belongs to.
 */
export function localizedParams(params: Record<string, unknown>, t: Translate): Record<string, unknown> {
  if (!Array.isArray(params.roles)) return { ...params };
  return { ...params, roles: params.roles.map((r) => t(`common:role.${String(r)}`)) };
}

/**
 * Any error as the user sees it: domain errors by their code (also the i18n key), validation errors with each
 * field's reason, everything else as `internal_error` (the caller logs the real one). The API, the chat
 * channels and the mini-program all show this same text.
 */
export function describeError(err: unknown, t: Translate, requestId: string): ErrorView {
  if (err instanceof ValidationError) {
    const problems = err.problems.map((p) => ({ field: p.field, code: p.code, message: describeProblem(p, t) }));
    const message = [t('errors:validation_failed', err.params), ...problems.map((p) => `${p.field}: ${p.message}`)].join('\n');
    return { status: err.status, code: err.code, message, problems };
  }
  if (err instanceof DomainError) return { status: err.status, code: err.code, message: t(`errors:${err.code}`, localizedParams(err.params, t)) };
  return { status: 500, code: 'internal_error', message: t('errors:internal_error', { requestId }) };
}
