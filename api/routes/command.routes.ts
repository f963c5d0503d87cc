import { Router } from '@koa/router';
import type { AnyCommand } from '../../core/commands/command';
import { runCommand } from '../../core/commands/run';
import { ValidationError } from '../../core/errors';
import type { Deps } from '../../core/ports';
import { buildCtx } from '../../lib/command-context';
import type { ApiContext, ApiMiddleware, ApiState } from '../state';

/** Every REST route of a command lives under this prefix. */
export const API_PREFIX = '/api/v1';

/** Query parameters the API itself reads; they never reach a command's input. */
const RESERVED_QUERY = new Set(['lng']);

/**
 * The command's raw input: query (GET/DELETE only), then the JSON body, then path params, later ones winning,
 * so `/sites/:ref` cannot be redirected by a body field. Validation is the command's own (`runCommand`).
 */
export function commandInput(ctx: ApiContext & { params?: Record<string, string> }, method: string): Record<string, unknown> {
  const fromQuery: Record<string, unknown> = {};
  if (method === 'get' || method === 'delete') {
    for (const [k, v] of Object.entries(ctx.query)) if (!RESERVED_QUERY.has(k)) fromQuery[k] = v;
  }
  const body = ctx.request.body;
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw new ValidationError([{ field: '(body)', code: 'body_not_object' }]);
  }
  return { ...fromQuery, ...(body as Record<string, unknown> | undefined), ...ctx.params };
}

/**
 * One route per command that declares `http`, generated from the registry: authenticate, gather the input,
 * run the command the way every channel does, answer `{ok:true, data}`. No business logic lives here.
 */
export function mountCommands(router: Router<ApiState>, commands: readonly AnyCommand[], deps: Deps, auth: ApiMiddleware): void {
  for (const spec of commands) {
    if (!spec.http) continue;
    const { method, path } = spec.http;
    const handler: ApiMiddleware = async (ctx) => {
      const user = ctx.state.user;
      if (!user) throw new Error(`route ${spec.id} reached without an authenticated user`);
      const input = commandInput(ctx, method);
      const commandCtx = buildCtx(user, 'api', deps, { requestId: ctx.state.requestId, lng: ctx.state.lng });
      const data = await runCommand(spec, input, commandCtx);
      ctx.status = method === 'post' ? 201 : 200;
      ctx.body = { ok: true, data };
    };
    router[method](path, auth, handler);
  }
}
