import type { Router } from '@koa/router';
import type { HttpMetrics } from '../metrics';
import type { ApiState } from '../state';

/**
 * Probes for the orchestrator and the scraper, outside `/api/v1` and without auth: `/healthz` says the
 * process answers, `/readyz` says it can reach its database (so a load balancer stops sending traffic
 * while it cannot), `/metrics` is Prometheus text.
 */
export function mountHealth(
  router: Router<ApiState>,
  readiness: () => Promise<boolean>,
  metrics: HttpMetrics,
  channelHealth?: () => Record<string, { ok: boolean; problems: unknown[] }>,
): void {
  router.get('/healthz', (ctx) => {
    ctx.body = { ok: true };
  });
  router.get('/readyz', async (ctx) => {
    const up = await readiness().catch(() => false);
    ctx.status = up ? 200 : 503;
    const body: Record<string, unknown> = up ? { ok: true, database: 'up' } : { ok: false, database: 'down' };
    // Channel problems (an untrusted IP, bad credentials) are shown but do not take the instance out of the
    // balancer: every instance shares them, and the API and other channels still work.
    if (channelHealth) body.channels = channelHealth();
    ctx.body = body;
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
}
