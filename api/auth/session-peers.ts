import { DomainError } from '../../core/errors';

/** What the server needs to exchange mini-program login codes (core/config.schema.ts: WECOM_*, WECHAT_*). */
export interface MpPeerConfig {
  wecomApiBase: string;
  wecomCorpId?: string;
  /** The secret of the WeCom app the mini-program is linked to. */
  wecomSecret?: string;
  wechatApiBase: string;
  wechatAppId?: string;
  wechatSecret?: string;
}

export interface MpPeers {
  /** `wx.qy.login` code → the WeCom member (corp id + userid). */
  wecom(code: string): Promise<{ corpid: string; userid: string }>;
  /** `wx.login` code → the WeChat openid. */
  wechat(code: string): Promise<{ openid: string }>;
}

type Answer = Record<string, unknown> & { errcode?: number; errmsg?: string };

/** Codes WeChat and WeCom give for a bad, used or expired login code. */
const BAD_CODE = new Set([40029, 40163, 40125]);
const TOKEN_EXPIRED = new Set([40014, 42001, 41001]);

async function getJson(url: string, fetchImpl: typeof fetch): Promise<Answer> {
  let res: Response;
  try {
    res = await fetchImpl(url, { signal: AbortSignal.timeout(8000) });
  } catch {
    throw new DomainError('mp_peer_unreachable', {}, 502);
  }
  if (!res.ok) throw new DomainError('mp_peer_unreachable', {}, 502);
  return (await res.json().catch(() => ({ errcode: -2, errmsg: 'not json' }))) as Answer;
}

function refuse(answer: Answer): never {
  if (BAD_CODE.has(Number(answer.errcode))) throw new DomainError('mp_code_invalid', {}, 401);
  if (Number(answer.errcode) === 45011) throw new DomainError('mp_rate_limited', {}, 429);
  throw new DomainError('mp_peer_failed', { errcode: String(answer.errcode ?? '') }, 502);
}

/**
 * The code exchanges, against real (or, in tests, fake) WeCom and WeChat servers. The WeCom access token is
 * cached in memory until a few minutes before it expires and fetched again once when WeCom says it expired.
 * `session_key` is read and dropped here: it never leaves this module.
 */
export function createMpPeers(cfg: MpPeerConfig, fetchImpl: typeof fetch = fetch): MpPeers {
  let token: { value: string; until: number } | undefined;

  async function accessToken(force = false): Promise<string> {
    if (!force && token && token.until > Date.now()) return token.value;
    if (!cfg.wecomCorpId || !cfg.wecomSecret) throw new DomainError('mp_mode_unavailable', { mode: 'wecom' }, 503);
    const q = new URLSearchParams({ corpid: cfg.wecomCorpId, corpsecret: cfg.wecomSecret });
    const answer = await getJson(`${cfg.wecomApiBase}/cgi-bin/gettoken?${q}`, fetchImpl);
    if (Number(answer.errcode ?? 0) !== 0 || typeof answer.access_token !== 'string') refuse(answer);
    const ttl = Math.max(60, Number(answer.expires_in ?? 7200) - 300);
    token = { value: answer.access_token as string, until: Date.now() + ttl * 1000 };
    return token.value;
  }

  return {
    async wecom(code) {
      for (let attempt = 0; ; attempt++) {
        const q = new URLSearchParams({ access_token: await accessToken(attempt > 0), js_code: code, grant_type: 'authorization_code' });
        const answer = await getJson(`${cfg.wecomApiBase}/cgi-bin/miniprogram/jscode2session?${q}`, fetchImpl);
        const errcode = Number(answer.errcode ?? 0);
        if (TOKEN_EXPIRED.has(errcode) && attempt === 0) continue;
        if (errcode !== 0 || typeof answer.userid !== 'string' || typeof answer.corpid !== 'string') refuse(answer);
        return { corpid: answer.corpid as string, userid: answer.userid as string };
      }
    },
    async wechat(code) {
      if (!cfg.wechatAppId || !cfg.wechatSecret) throw new DomainError('mp_mode_unavailable', { mode: 'wechat' }, 503);
      const q = new URLSearchParams({ appid: cfg.wechatAppId, secret: cfg.wechatSecret, js_code: code, grant_type: 'authorization_code' });
      const answer = await getJson(`${cfg.wechatApiBase}/sns/jscode2session?${q}`, fetchImpl);
      if (Number(answer.errcode ?? 0) !== 0 || typeof answer.openid !== 'string') refuse(answer);
      return { openid: answer.openid as string };
    },
  };
}
