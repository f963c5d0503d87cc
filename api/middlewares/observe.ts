import type { Logger } from '../../lib/logger';
import type { HttpMetrics } from '../metrics';
import type { ApiMiddleware } from '../state';

/** Probes hit these every few seconds: logged at debug so they do not drown the access log. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One access-log line and one metrics sample per request, after the error handler has set the final
 * status. Labels use the route template (`/api/v1/sites/:ref`), never the raw path, to bound cardinality;
 * requests no route took are `unmatched`. Headers are not logged, so no token reaches the log.
 */
export function observe(logger: Logger, metrics: HttpMetrics): ApiMiddleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const matched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
      const labels = { method: ctx.method, route: typeof matched === 'string' ? matched : 'unmatched', status: String(ctx.status) };
      metrics.requests.inc(labels);
      metrics.duration.observe(labels, seconds);
      const line = {
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round(seconds * 1e4) / 10,
        requestId: ctx.state.requestId,
        ...(ctx.state.user ? { userid: ctx.state.user.userid } : {}),
      };
      if (QUIET_PATHS.has(ctx.path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    }
  };
}
