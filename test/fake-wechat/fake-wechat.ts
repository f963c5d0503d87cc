import type { MpAuthConfig } from '../../api/auth/session';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeWechatOptions {
  corpId?: string;
  corpSecret?: string;
  appId?: string;
  appSecret?: string;
}

/**
 * WeCom and WeChat's mini-program login servers on 127.0.0.1, as one real HTTP server: WeCom's
 * `/cgi-bin/gettoken` and `/cgi-bin/miniprogram/jscode2session`, WeChat's `/sns/jscode2session`. A test makes a
 * login code for a person (`wecomCode('demo.province')`, `wechatCode('openid-1')`), as `wx.qy.login` / `wx.login`
 * would on the phone; each code works once, like the real ones (then 40029). Every call is recorded.
 */
export async function startFakeWechat(opts: FakeWechatOptions = {}) {
  const corpId = opts.corpId ?? 'wwfakecorp0001';
  const corpSecret = opts.corpSecret ?? 'fake-mp-secret';
  const appId = opts.appId ?? 'wxfakeapp00001';
  const appSecret = opts.appSecret ?? 'fake-app-secret';
  const tokens = new Set<string>();
  const wecomCodes = new Map<string, { corpid: string; userid: string }>();
  const wechatCodes = new Map<string, string>();
  const calls: { path: string; query: Record<string, string> }[] = [];
  let sessionKeys = 0;

  function answer(url: URL): Record<string, unknown> {
    const q = url.searchParams;
    if (url.pathname === '/cgi-bin/gettoken') {
      if (q.get('corpid') !== corpId || q.get('corpsecret') !== corpSecret) return { errcode: 40001, errmsg: 'invalid credential' };
      const t = randomBytes(24).toString('hex');
      tokens.add(t);
      return { errcode: 0, errmsg: 'ok', access_token: t, expires_in: 7200 };
    }
    if (url.pathname === '/cgi-bin/miniprogram/jscode2session') {
      if (!tokens.has(q.get('access_token') ?? '')) return { errcode: 40014, errmsg: 'invalid access_token' };
      if (q.get('grant_type') !== 'authorization_code') return { errcode: 40002, errmsg: 'invalid grant_type' };
      const who = wecomCodes.get(q.get('js_code') ?? '');
      if (!who) return { errcode: 40029, errmsg: 'invalid code' };
      wecomCodes.delete(q.get('js_code')!);
      return { errcode: 0, errmsg: 'ok', corpid: who.corpid, userid: who.userid, session_key: `sk-wecom-${++sessionKeys}` };
    }
    if (url.pathname === '/sns/jscode2session') {
      if (q.get('appid') !== appId || q.get('secret') !== appSecret) return { errcode: 40013, errmsg: 'invalid appid' };
      const openid = wechatCodes.get(q.get('js_code') ?? '');
      if (!openid) return { errcode: 40029, errmsg: 'invalid code' };
      wechatCodes.delete(q.get('js_code')!);
      return { openid, session_key: `sk-wechat-${++sessionKeys}` };
    }
    return { errcode: 404, errmsg: 'no such api' };
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    calls.push({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
    const body = answer(url);
    res.writeHead(body.errcode === 404 ? 404 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const newCode = () => randomBytes(12).toString('hex');

  return {
    base,
    corpId,
    corpSecret,
    appId,
    appSecret,
    calls,
    /** What `wx.qy.login` gives a WeCom member (of another corp with `corpid`). */
    wecomCode(userid: string, corpid = corpId): string {
      const code = newCode();
      wecomCodes.set(code, { corpid, userid });
      return code;
    },
    /** What `wx.login` gives a WeChat user. */
    wechatCode(openid: string): string {
      const code = newCode();
      wechatCodes.set(code, openid);
      return code;
    },
    /** Makes every issued access token unknown, as when WeCom invalidates one early. */
    expireTokens() {
      tokens.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeWechat = Awaited<ReturnType<typeof startFakeWechat>>;

/** The mini-program sign-in settings pointing at this fake: WeCom's code exchange, and WeChat's own app when asked. */
export function fakeMiniprogramConfig(fake: FakeWechat, opts: { wechatApp?: boolean } = {}): MpAuthConfig {
  return {
    wecomApiBase: fake.base,
    wecomCorpId: fake.corpId,
    wecomSecret: fake.corpSecret,
    wechatApiBase: fake.base,
    ...(opts.wechatApp ? { wechatAppId: fake.appId, wechatSecret: fake.appSecret } : {}),
    sessionTtlSec: 7200,
  };
}
