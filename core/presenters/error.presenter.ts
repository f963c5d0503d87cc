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
  return t(`errors:${p.code}`, { ...p.params });
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
  if (err instanceof DomainError) {
    const params = { ...err.params };
    if (typeof params.what === 'string') params.what = t(`common:what.${params.what}`);
    return { status: err.status, code: err.code, message: t(`errors:${err.code}`, params) };
  }
  return { status: 500, code: 'internal_error', message: t('errors:internal_error', { requestId }) };
}
