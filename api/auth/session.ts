import type { Locale } from '../../core/config.schema';
import type { Config } from '../../core/config.schema';
import { DomainError } from '../../core/errors';
import type { MpLoginDTO, MpSessionDTO } from '../../core/commands/mp.command';
import type { Clock } from '../../core/clock';
import type { Deps } from '../../core/ports';
import type { User } from '../../core/registry/types';
import type { Translate } from '../../core/i18n';
import type { ApiAuthStore } from '../../core/api-auth.ports';
import { createMpPeers, type MpPeerConfig, type MpPeers } from './session-peers';

export interface MpAuthConfig extends MpPeerConfig {
  /** Session token lifetime in seconds (STEWARD_SESSION_TTL). */
  sessionTtlSec: number;
}

export function mpAuthConfigOf(config: Pick<Config, 'WECOM_API_BASE' | 'WECOM_CORP_ID' | 'WECOM_SECRET' | 'WECHAT_API_BASE' | 'WECHAT_APPID' | 'WECHAT_SECRET' | 'STEWARD_SESSION_TTL'>): MpAuthConfig {
  return {
    wecomApiBase: config.WECOM_API_BASE.replace(/\/+$/, ''),
    wechatApiBase: config.WECHAT_API_BASE.replace(/\/+$/, ''),
    sessionTtlSec: config.STEWARD_SESSION_TTL,
    ...(config.WECOM_CORP_ID ? { wecomCorpId: config.WECOM_CORP_ID } : {}),
    ...(config.WECOM_SECRET ? { wecomSecret: config.WECOM_SECRET } : {}),
    ...(config.WECHAT_APPID ? { wechatAppId: config.WECHAT_APPID } : {}),
    ...(config.WECHAT_SECRET ? { wechatSecret: config.WECHAT_SECRET } : {}),
  };
}

/** Credentials live in wall-clock time (as API tokens do), not in the domain clock tests may move. */
const wallClock: Clock = { now: () => new Date() };

/** Only registered, active users get a session; anyone else is refused with the reason, in their language. */
async function registered(deps: Pick<Deps, 'users'>, userid: string): Promise<User> {
  const user = await deps.users.byUserid(userid);
  if (!user || !user.active) throw new DomainError('mp_unknown_identity', { userid }, 403);
  return user;
}

const userOf = (u: User) => ({ userid: u.userid, name: u.name, locale: u.locale as Locale });

/**
 * Mini-program sign-in: exchange the login code with WeCom or WeChat, map the identity to a registry user,
 * issue a session. WeCom identities are registry userids (the corp must be ours); WeChat openids are bound
 * once with a binding code the bot gives the user in chat.
 */
export function createMpAuth(deps: Pick<Deps, 'users'>, store: ApiAuthStore, cfg: MpAuthConfig, peers: MpPeers = createMpPeers(cfg), clock: Clock = wallClock) {
  const { bindOpenid, consumeBindingCode, issueBindTicket, issueMpSession, resolveBindTicket, resolveMpSession, revokeMpFamily, rotateMpRefresh, spendBindTicket, userForOpenid } = store;
  const appid = cfg.wechatAppId ?? 'wechat';
  return {
    async login(mode: 'wecom' | 'wechat', code: string, t: Translate): Promise<MpLoginDTO> {
      const now = clock.now();
      if (mode === 'wecom') {
        const { corpid, userid } = await peers.wecom(code);
        // One mini-program may be linked to several corps: a member of another corp is not ours.
        if (cfg.wecomCorpId && corpid !== cfg.wecomCorpId) throw new DomainError('mp_wrong_corp', { corpid }, 403);
        const user = await registered(deps, userid);
        return { status: 'ok', session: await issueMpSession(user.userid, cfg.sessionTtlSec, now), user: userOf(user) };
      }
      const { openid } = await peers.wechat(code);
      const bound = await userForOpenid(appid, openid);
      if (!bound) return { status: 'bind_required', ...(await issueBindTicket(openid, now)), message: t('errors:mp_bind_required') };
      const user = await registered(deps, bound);
      return { status: 'ok', session: await issueMpSession(user.userid, cfg.sessionTtlSec, now, openid), user: userOf(user) };
    },

    /** The bind ticket's openid + a binding code from chat → bound for good, and signed in. */
    async bind(bindToken: string | undefined, code: string): Promise<MpLoginDTO> {
      const now = clock.now();
      const ticket = bindToken ? await resolveBindTicket(bindToken, now) : undefined;
      if (!ticket) throw new DomainError('unauthorized', {}, 401);
      const userid = await consumeBindingCode(code, now);
      if (!userid) throw new DomainError('mp_binding_code_invalid', {}, 422);
      const user = await registered(deps, userid);
      const owner = await bindOpenid(appid, ticket.openid, user.userid, now);
      if (owner !== user.userid) throw new DomainError('mp_openid_bound_elsewhere', {}, 409);
      if (bindToken && !(await spendBindTicket(bindToken, now))) throw new DomainError('unauthorized', {}, 401);
      await revokeMpFamily(ticket.family, now);
      return { status: 'ok', session: await issueMpSession(user.userid, cfg.sessionTtlSec, now, ticket.openid), user: userOf(user) };
    },

    async refresh(refreshToken: string): Promise<{ session: MpSessionDTO; user: ReturnType<typeof userOf> }> {
      const now = clock.now();
      const rotated = await rotateMpRefresh(refreshToken, cfg.sessionTtlSec, now);
      if (!('session' in rotated)) throw new DomainError(rotated.replayed ? 'mp_refresh_reused' : 'mp_refresh_invalid', {}, 401);
      const user = await deps.users.byUserid(rotated.userid);
      if (!user || !user.active) {
        // A deactivation normally revoked this login already; if not, it ends here, the pair just drawn with it.
        await revokeMpFamily(rotated.family, now);
        if (!user) throw new DomainError('mp_unknown_identity', { userid: rotated.userid }, 403);
        throw new DomainError('account_deactivated', { userid: user.userid }, 401);
      }
      return { session: rotated.session, user: userOf(user) };
    },

    async logout(accessToken: string): Promise<void> {
      const now = clock.now();
      const session = await resolveMpSession(accessToken, now);
      if (session) await revokeMpFamily(session.family, now);
    },
  };
}

export type MpAuth = ReturnType<typeof createMpAuth>;
