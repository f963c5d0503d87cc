import { SUPPORTED_LOCALES } from '../../core/config.schema';
import { DomainError } from '../../core/errors';
import type { Deps } from '../../core/ports';
import type { ApiAuthStore } from '../../core/api-auth.ports';
import type { ApiMiddleware } from '../state';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * `Authorization: Bearer <token>` → the token's user (an API token, or a mini-program session token). No, a bad
 * or a revoked token is 401 `unauthorized`; a token of a deactivated user is 401 `account_deactivated` (the
 * mini-program then tries its refresh, which is refused too, and signs out); a token whose user is gone from
 * the registry is 403 `unknown_user`, the same answer the bot gives.
 * Sets the answer's language to the user's own unless the client asked for one.
 */
export function authenticate(deps: Pick<Deps, 'users'>, store: Pick<ApiAuthStore, 'isMpToken' | 'resolveMpSession' | 'resolveApiToken'>): ApiMiddleware {
  const { isMpToken, resolveMpSession, resolveApiToken } = store;
  return async (ctx, next) => {
    const token = BEARER.exec(ctx.get('Authorization'))?.[1];
    // Mini-program session tokens (`mps_…`, api/auth/session.ts) work like API tokens while they live.
    const resolved = !token ? undefined : isMpToken(token) ? await resolveMpSession(token) : await resolveApiToken(token);
    if (!resolved) throw new DomainError('unauthorized', {}, 401);
    const user = await deps.users.byUserid(resolved.userid);
    if (!user) throw new DomainError('unknown_user', { userid: resolved.userid }, 403);
    // Checked on every request, like the token itself: a deactivation (steward user deactivate, an import with
    // active=false) refuses the user's tokens and sessions from the next request on, revoked or not yet.
    if (!user.active) throw new DomainError('account_deactivated', { userid: user.userid }, 401);
    ctx.state.user = user;
    if (!ctx.state.requestedLng && SUPPORTED_LOCALES.includes(user.locale)) ctx.state.lng = user.locale;
    await next();
  };
}
