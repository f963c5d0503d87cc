import { bodyParser } from '@koa/bodyparser';
import { DomainError } from '../../core/errors';
import type { ApiMiddleware } from '../state';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Whether the request carries a body. `type-is` (behind `ctx.request.is`) counts any Content-Length, so a
 * bodiless POST sent as `Content-Length: 0` without a Content-Type looked like a body of no type and got a
 * 415. A chunked body (Transfer-Encoding) is a body whatever its length; otherwise Content-Length decides.
 */
export function hasRequestBody(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return typeof length === 'string' && /^\d+$/.test(length.trim()) && Number(length) > 0;
}

/**
 * A POST/PUT/PATCH body must be JSON: anything else is 415 `unsupported_media_type` before it is read.
 * A request without a body passes (a POST whose input is all in the path), whether it says
 * `Content-Length: 0` or nothing at all.
 */
export function requireJsonBody(): ApiMiddleware {
  return async (ctx, next) => {
    if (WRITE_METHODS.has(ctx.method) && hasRequestBody(ctx.req.headers) && ctx.request.is('application/json', '+json') === false) {
      throw new DomainError('unsupported_media_type', { type: ctx.request.type || '(none)' }, 415);
    }
    await next();
  };
}

/** What went wrong while reading the body, as our error codes: too large (with the limit), not JSON, other. */
function bodyError(err: Error & { status?: number; type?: string }, limit: string): DomainError | Error {
  if (err.status === 413) return new DomainError('payload_too_large', { limit }, 413);
  if (err.status === 415) return new DomainError('unsupported_media_type', { type: err.type ?? '' }, 415);
  if (err instanceof SyntaxError || err.type === 'entity.parse.failed') return new DomainError('bad_json', {}, 400);
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) return new DomainError('bad_request', {}, err.status);
  return err;
}

/** JSON bodies only, at most `limit` (e.g. '1mb'); co-body's errors become our codes. */
export function jsonBody(limit: string): ApiMiddleware {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: limit,
    onError(err) {
      throw bodyError(err, limit);
    },
  });
  return parse as unknown as ApiMiddleware;
}
