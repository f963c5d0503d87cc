/**
 * A rule of the domain said no. `code` is snake_case and is also the i18n key (`errors:<code>`), so the API,
 * every chat channel and the mini-program show the same localized message. `article` cites the Measures.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, unknown> = {},
    readonly status: number = 422,
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

/** One problem with one field of an input, for per-row import reports and validation answers. */
export interface FieldProblem {
  field: string;
  code: string;
  params?: Record<string, unknown>;
}

/** Several problems at once (a rejected import row, an invalid request body). */
export class ValidationError extends DomainError {
  constructor(readonly problems: FieldProblem[]) {
    super('validation_failed', { count: problems.length }, 400);
  }
}

/** The kinds of thing `not_found` may name; each has a noun under `errors:what.<kind>` in every locale. */
export const NOT_FOUND_KINDS = ['site', 'unit', 'user', 'request', 'notice', 'complaint'] as const;
export type NotFoundKind = (typeof NOT_FOUND_KINDS)[number];

/**
 * The one answer for anything the actor may not see, whether it is missing or someone else's: the same
 * status, code and text either way (ids are sequential, so a different answer would tell which exist). The
 * text names only the kind of thing; `ref` (what the actor typed) stays out of it, so two refusals read alike.
 */
export const notFound = (what: NotFoundKind, ref: string) => new DomainError('not_found', { what, ref }, 404);
export const forbidden = (action: string) => new DomainError('forbidden', { action }, 403);
