import type { Router } from '@koa/router';
import type Koa from 'koa';
import type { Wecom } from './wecom';

export const WECOM_CALLBACK_PATH = '/wecom/callback';

/**
 * Mounts `GET/POST /wecom/callback` on a router. The POST body is XML and read here: the router must run
 * before any middleware that refuses or consumes non-JSON bodies (api/app.ts's `requireJsonBody`), or use
 * `wecomMiddleware` below, which can be `app.use`d first.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function mountWecom(router: Router<any, any>, wecom: Pick<Wecom, 'callback'>, path = WECOM_CALLBACK_PATH): void {
  router.get(path, (ctx) => wecom.callback(ctx as unknown as Koa.Context));
  router.post(path, (ctx) => wecom.callback(ctx as unknown as Koa.Context));
}

/** The same endpoint as a plain Koa middleware: handles `path`, passes everything else on. */
export function wecomMiddleware(wecom: Pick<Wecom, 'callback'>, path = WECOM_CALLBACK_PATH): Koa.Middleware {
  return async (ctx, next) => {
    if (ctx.path !== path) return next();
    await wecom.callback(ctx);
  };
}
