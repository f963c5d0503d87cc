import { DomainError } from '../../core/errors';
import { isDatabaseUnreachable } from '../../lib/db-errors';
import type { Locale } from '../../core/config.schema';
import { describeError } from '../../core/presenters/error.presenter';
import { translatorFor } from '../../lib/i18n';
import type { Logger } from '../../lib/logger';
import type { ApiMiddleware } from '../state';

/** The body of every failed answer, whatever failed. */
export interface ErrorEnvelope {
  ok: false;
  error: string;
  message: string;
  requestId: string;
  problems?: { field: string; code: string; message: string }[];
}

/** A client error thrown by Koa or a library (http-errors with `expose`) that no adapter translated. */
function asClientError(err: unknown): DomainError | undefined {
  if (err instanceof DomainError || typeof err !== 'object' || err === null) return undefined;
  const { status, expose } = err as { status?: unknown; expose?: unknown };
  if (typeof status === 'number' && status >= 400 && status < 500 && expose === true) return new DomainError('bad_request', {}, status);
  return undefined;
}

/** The database went away under a request (lib/database-supervisor.ts sees it too): a 503, not a bug. */
function asUnavailable(err: unknown): DomainError | undefined {
  return isDatabaseUnreachable(err) ? new DomainError('database_unavailable', {}, 503) : undefined;
}

/**
 * Every error becomes `{ok:false, error, message, requestId, problems?}` in the request's language, through
 * the same `describeError` the chat channels use (ARCHITECTURE.md convention 4). Unknown errors are logged
 * in full and shown only as `internal_error`; a request no route took is `route_not_found`.
 */
export function errorHandler(logger: Logger, defaultLocale: Locale): ApiMiddleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null) throw new DomainError('route_not_found', { path: ctx.path }, 404);
    } catch (err) {
      const requestId = ctx.state.requestId;
      const view = describeError(asClientError(err) ?? asUnavailable(err) ?? err, translatorFor(ctx.state.lng ?? defaultLocale), requestId);
      if (view.code === 'internal_error') logger.error({ err, requestId, method: ctx.method, path: ctx.path }, 'unhandled error');
      const body: ErrorEnvelope = { ok: false, error: view.code, message: view.message, requestId, ...(view.problems ? { problems: view.problems } : {}) };
      ctx.status = view.status;
      ctx.body = body;
      if (view.status === 503) ctx.set('Retry-After', '5');
      if (view.status === 401) ctx.set('WWW-Authenticate', 'Bearer');
    }
  };
}
