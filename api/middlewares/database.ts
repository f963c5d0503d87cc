import { DomainError } from '../../core/errors';
import type { ApiMiddleware } from '../state';

/** The probes answer whatever the database does: they are how an operator and a load balancer see it. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * While the database is unreachable every other request is refused at once with 503 `database_unavailable`
 * (the error handler adds `Retry-After` to every 503), rather than waiting on the driver and failing later as a 500: a client, or WeCom for
 * its callbacks, retries, and nothing is half done. A request already past this point when the database
 * goes fails on its own write, which is never acknowledged.
 */
export function requireDatabase(up: () => boolean): ApiMiddleware {
  return async (ctx, next) => {
    if (!PROBES.has(ctx.path) && !up()) throw new DomainError('database_unavailable', {}, 503);
    await next();
  };
}
