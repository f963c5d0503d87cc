import { createHash } from 'node:crypto';
import type { Logger } from '../../lib/logger';
import type { WecomStore } from '../../core/channels/wecom.ports';
import { createWecomHealth, problemFor, type WecomHealth, type WecomHealthReport } from './health';
import type { WecomSettings } from './settings';

/** A WeCom API answer with errcode ≠ 0, or a transport failure (`errcode` -2, `status` set for HTTP errors). */
export class WecomApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(`WeCom ${errcode}: ${errmsg}`);
    this.name = 'WecomApiError';
  }
}

/** -1 = "system busy"; 45009 / 45033 = over a frequency limit: worth another try later. */
const RETRYABLE_ERRCODES = new Set([-1, 45009, 45033]);
const TOKEN_EXPIRED = new Set([40014, 42001, 41001]);

export interface WecomSendResult {
  msgid?: string;
  response_code?: string;
  invaliduser?: string;
}

export interface WecomClient {
  /** message/send; `body` without `agentid` (added here). */
  sendMessage(body: Record<string, unknown>): Promise<WecomSendResult>;
  updateTemplateCard(body: Record<string, unknown>): Promise<void>;
  /** appchat/create: `name` ≤50 chars, `owner`, `userlist` of 2..2000 userids, `chatid` ≤32 of [0-9a-zA-Z]. */
  createAppchat(body: { name: string; owner: string; userlist: string[]; chatid: string }): Promise<{ chatid: string }>;
  /** appchat/send: `body` has `chatid`, `msgtype` (text, markdown) and the content. */
  sendAppchat(body: Record<string, unknown>): Promise<void>;
  /** A group robot's webhook (`…/cgi-bin/webhook/send?key=…`): no access token, the key is in the URL. */
  sendRobot(url: string, body: Record<string, unknown>): Promise<void>;
  /**
   * media/upload?type=file (multipart/form-data, field `media`): a temporary media_id, valid 3 days, for a
   * `file` message (message/send with `msgtype: 'file'`, `file: { media_id }`).
   */
  uploadMedia(type: 'file', file: { fileName: string; data: Buffer; mime: string }): Promise<{ mediaId: string }>;
  /** menu/create?agentid=…: replaces the app's menu (`{button: [...]}`, 1–3 top buttons of 1–5 sub-buttons). */
  createMenu(menu: { button: unknown[] }): Promise<void>;
  accessToken(): Promise<string>;
  health(): WecomHealthReport;
}

export interface ClientOptions {
  settings: WecomSettings;
  logger: Logger;
  /** Where the access token shared by every instance is kept (the composition root's WeCom store). */
  store: Pick<WecomStore, 'readWecomToken' | 'lockWecomTokenRefresh' | 'saveWecomToken' | 'releaseWecomTokenLock' | 'invalidateWecomToken'>;
  now?: () => Date;
  fetch?: typeof fetch;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The thin typed WeCom client: one access token per app shared by every instance through MongoDB
 * (refreshed before expiry, and once when WeCom says it expired), quick retries on 5xx / -1 / network
 * errors, and the errors an operator must fix (60020, 60011, bad credentials) reported once and kept for
 * /readyz. Pacing and durability are the outbox's job, not this one's.
 */
export function createWecomClient(opts: ClientOptions): WecomClient & { healthTracker: WecomHealth } {
  const { settings: s, logger } = opts;
  const { readWecomToken, lockWecomTokenRefresh, saveWecomToken, releaseWecomTokenLock, invalidateWecomToken } = opts.store;
  const now = opts.now ?? (() => new Date());
  const doFetch = opts.fetch ?? fetch;
  const health = createWecomHealth(logger);
  const tokenKey = `${s.corpId}:${s.agentId}:${createHash('sha256').update(s.secret).digest('hex').slice(0, 12)}`;
  let memo: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function fetchJson(url: string, init: RequestInit): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal: AbortSignal.timeout(s.httpTimeoutMs) });
    } catch (err) {
      throw new WecomApiError(-2, `network: ${(err as Error).message}`, true);
    }
    if (res.status >= 500) throw new WecomApiError(-2, `HTTP ${res.status}`, true, res.status);
    if (!res.ok) throw new WecomApiError(-2, `HTTP ${res.status}`, false, res.status);
    try {
      return (await res.json()) as Record<string, unknown>;
    } catch {
      throw new WecomApiError(-2, 'answer is not JSON', true, res.status);
    }
  }

  async function fetchToken(): Promise<{ token: string; expiresInMs: number }> {
    const url = `${s.apiBase}/cgi-bin/gettoken?corpid=${encodeURIComponent(s.corpId)}&corpsecret=${encodeURIComponent(s.secret)}`;
    const body = await withRetries('gettoken', () => fetchJson(url, { method: 'GET' }));
    const errcode = Number(body.errcode ?? 0);
    if (errcode !== 0) {
      const code = problemFor(errcode);
      if (code) health.report(code, errcode, String(body.errmsg ?? ''));
      throw new WecomApiError(errcode, String(body.errmsg ?? ''), RETRYABLE_ERRCODES.has(errcode));
    }
    health.clear('bad_credentials');
    return { token: String(body.access_token), expiresInMs: Number(body.expires_in ?? 7200) * 1000 };
  }

  async function withRetries<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof WecomApiError) || !err.retryable || attempt >= s.httpRetries) throw err;
        const wait = s.retryBaseMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
        logger.warn({ wecom: { api: what, errcode: err.errcode, errmsg: err.errmsg, attempt } }, 'WeCom call failed, retrying');
        await sleep(wait);
      }
    }
  }

  /** The shared token: memory, then MongoDB, then (one instance at a time) gettoken. */
  async function loadToken(): Promise<string> {
    const deadline = Date.now() + s.httpTimeoutMs * (s.httpRetries + 2);
    for (;;) {
      const t = now();
      const cached = await readWecomToken(tokenKey);
      if (cached?.token && cached.expiresAt.getTime() - s.tokenRefreshMarginMs > t.getTime()) {
        memo = { token: cached.token, refreshAt: cached.expiresAt.getTime() - s.tokenRefreshMarginMs };
        return cached.token;
      }
      const lockMs = s.httpTimeoutMs * (s.httpRetries + 1);
      if (await lockWecomTokenRefresh(tokenKey, t, lockMs)) {
        try {
          const fresh = await fetchToken();
          const at = now();
          await saveWecomToken(tokenKey, fresh.token, new Date(at.getTime() + fresh.expiresInMs), at);
          memo = { token: fresh.token, refreshAt: at.getTime() + fresh.expiresInMs - s.tokenRefreshMarginMs };
          return fresh.token;
        } catch (err) {
          await releaseWecomTokenLock(tokenKey, t, lockMs).catch(() => undefined);
          throw err;
        }
      }
      // Another instance is refreshing: wait for its token rather than calling gettoken too.
      if (Date.now() > deadline) throw new WecomApiError(-2, 'timed out waiting for another instance to refresh the token', true);
      await sleep(50);
    }
  }

  async function accessToken(): Promise<string> {
    if (memo && memo.refreshAt > now().getTime()) return memo.token;
    inflight ??= loadToken().finally(() => (inflight = undefined));
    return inflight;
  }

  async function invalidate(token: string): Promise<void> {
    if (memo?.token === token) memo = undefined;
    await invalidateWecomToken(tokenKey, token);
  }

  /** POSTs to /cgi-bin/<path>, refreshing the token once if WeCom says it expired. */
  async function post(path: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    return call(path, '', () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }));
  }

  /** One API call with the access token (and `query`), refreshing the token once if WeCom says it expired. */
  async function call(path: string, query: string, init: () => RequestInit, o: { reportProblems?: boolean } = {}): Promise<Record<string, unknown>> {
    let refreshed = false;
    for (;;) {
      const token = await accessToken();
      const body = await withRetries(path, async () => {
        const answer = await fetchJson(`${s.apiBase}/cgi-bin/${path}?access_token=${encodeURIComponent(token)}${query}`, init());
        const errcode = Number(answer.errcode ?? 0);
        if (RETRYABLE_ERRCODES.has(errcode)) throw new WecomApiError(errcode, String(answer.errmsg ?? ''), true);
        return answer;
      });
      const errcode = Number(body.errcode ?? 0);
      if (errcode === 0) {
        health.clear('ip_not_trusted', 'bad_credentials');
        return body;
      }
      if (TOKEN_EXPIRED.has(errcode) && !refreshed) {
        refreshed = true;
        logger.info({ wecom: { api: path, errcode } }, 'WeCom access token expired early; refreshing once');
        await invalidate(token);
        continue;
      }
      const code = o.reportProblems === false ? undefined : problemFor(errcode);
      if (code) health.report(code, errcode, String(body.errmsg ?? ''));
      // A token still refused after a fresh one was fetched is WeCom's side having a bad minute, not a bad
      // message: worth another try later, with the backoff of the outbox.
      throw new WecomApiError(errcode, String(body.errmsg ?? ''), TOKEN_EXPIRED.has(errcode));
    }
  }

  return {
    healthTracker: health,
    accessToken,
    health: () => health.snapshot(),
    async sendMessage(body) {
      const res = await post('message/send', { ...body, agentid: s.agentId });
      if (res.invaliduser) logger.warn({ wecom: { invaliduser: res.invaliduser } }, 'WeCom did not deliver to some users');
      return {
        msgid: res.msgid === undefined ? undefined : String(res.msgid),
        response_code: res.response_code === undefined ? undefined : String(res.response_code),
        invaliduser: res.invaliduser ? String(res.invaliduser) : undefined,
      };
    },
    async uploadMedia(type, file) {
      if (file.data.length < 5) throw new WecomApiError(-3, 'a WeCom media file must hold at least 5 bytes', false);
      const res = await call('media/upload', `&type=${type}`, () => {
        const form = new FormData();
        form.append('media', new Blob([new Uint8Array(file.data)], { type: file.mime }), file.fileName);
        return { method: 'POST', body: form };
      });
      if (!res.media_id) throw new WecomApiError(-2, 'media/upload answered no media_id', true);
      return { mediaId: String(res.media_id) };
    },
    async updateTemplateCard(body) {
      await post('message/update_template_card', { ...body, agentid: s.agentId });
    },
    async createAppchat(body) {
      if ([...body.name].length > 50) throw new WecomApiError(-3, 'appchat name longer than 50 characters', false);
      if (body.userlist.length < 2 || body.userlist.length > 2000) throw new WecomApiError(-3, `appchat needs 2..2000 members, got ${body.userlist.length}`, false);
      if (!/^[0-9a-zA-Z]{1,32}$/.test(body.chatid)) throw new WecomApiError(-3, 'appchat chatid must be 1..32 of [0-9a-zA-Z]', false);
      const res = await post('appchat/create', body);
      return { chatid: String(res.chatid ?? body.chatid) };
    },
    async sendAppchat(body) {
      await post('appchat/send', body);
    },
    async createMenu(menu) {
      // Its errors (60011: the app may not change its menu) say nothing about messages reaching people, so
      // they are not the channel's health problems (/readyz); the caller logs them.
      const init = () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(menu) });
      await call('menu/create', `&agentid=${encodeURIComponent(String(s.agentId))}`, init, { reportProblems: false });
    },
    async sendRobot(url, body) {
      const answer = await withRetries('webhook/send', async () => {
        const a = await fetchJson(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const errcode = Number(a.errcode ?? 0);
        if (RETRYABLE_ERRCODES.has(errcode)) throw new WecomApiError(errcode, String(a.errmsg ?? ''), true);
        return a;
      });
      const errcode = Number(answer.errcode ?? 0);
      if (errcode !== 0) throw new WecomApiError(errcode, String(answer.errmsg ?? ''), false);
    },
  };
}
