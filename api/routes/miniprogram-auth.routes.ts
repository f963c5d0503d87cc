import type { Router } from '@koa/router';
import { z } from 'zod';
import { zodProblems } from '../../core/commands/run';
import { configSchema } from '../../core/config.schema';
import { ValidationError } from '../../core/errors';
import type { Deps } from '../../core/ports';
import type { ApiAuthStore } from '../../core/api-auth.ports';
import { translatorFor } from '../../lib/i18n';
import { createMpAuth, mpAuthConfigOf, type MpAuthConfig } from '../auth/session';
import type { MpPeers } from '../auth/session-peers';
import type { ApiContext, ApiState } from '../state';

const code = z.string({ error: 'mp_code_required' }).trim().min(1, 'mp_code_required').max(256);
const loginInput = z.object({ mode: z.enum(['wecom', 'wechat'], { message: 'mp_mode_invalid' }), code });
const bindInput = z.object({ code });
const refreshInput = z.object({ refreshToken: z.string({ error: 'mp_refresh_invalid' }).trim().min(1, 'mp_refresh_invalid').max(200) });

function parse<T extends z.ZodType>(schema: T, ctx: ApiContext): z.output<T> {
  const body: unknown = ctx.request.body ?? {};
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ValidationError(zodProblems(parsed.error, body));
  return parsed.data;
}

const bearerOf = (ctx: ApiContext) => /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('Authorization'))?.[1];

/** The settings from the environment when the caller (`steward start`) passes none: defaults fill the gaps. */
export function mpAuthConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MpAuthConfig {
  const keys = { WECOM_API_BASE: true, WECOM_CORP_ID: true, WECOM_SECRET: true, WECHAT_API_BASE: true, WECHAT_APPID: true, WECHAT_SECRET: true, STEWARD_SESSION_TTL: true } as const;
  const parsed = configSchema.pick(keys).safeParse(env);
  return mpAuthConfigOf(parsed.success ? parsed.data : configSchema.pick(keys).parse({}));
}

/**
 * The mini-program's sign-in under /api/v1/mp (no bearer token needed, except the bind ticket for `bind`):
 * `login` {mode, code} → session or bind ticket; `bind` {code} with the bind ticket; `refresh` {refreshToken}
 * → a new pair (the old refresh token is spent); `logout` ends the login. Every answer is `{ok:true, data}`.
 */
export function mountMiniprogramAuth(router: Router<ApiState>, deps: Deps, store: ApiAuthStore, cfg: MpAuthConfig, peers?: MpPeers): void {
  const auth = createMpAuth(deps, store, cfg, peers);
  router.post('/mp/login', async (ctx) => {
    const input = parse(loginInput, ctx);
    ctx.body = { ok: true, data: await auth.login(input.mode, input.code, translatorFor(ctx.state.lng)) };
  });
  router.post('/mp/bind', async (ctx) => {
    const input = parse(bindInput, ctx);
    ctx.body = { ok: true, data: await auth.bind(bearerOf(ctx), input.code) };
  });
  router.post('/mp/refresh', async (ctx) => {
    const input = parse(refreshInput, ctx);
    ctx.body = { ok: true, data: await auth.refresh(input.refreshToken) };
  });
  router.post('/mp/logout', async (ctx) => {
    const token = bearerOf(ctx);
    if (token) await auth.logout(token);
    ctx.body = { ok: true, data: {} };
  });
}
