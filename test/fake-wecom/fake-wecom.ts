import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encrypt, getSignature } from '@wecom/crypto';
import { buildXml } from '../../bot/wecom/xml';

/** A fault to answer instead of the real thing, `times` times (default once). */
export interface Fault {
  /** Answer HTTP 200 with this errcode. */
  errcode?: number;
  /** Answer this HTTP status with an empty body. */
  status?: number;
  /** Wait this long before answering (the real answer, or the fault). */
  delayMs?: number;
  times?: number;
  /** In force for every call until this instant (epoch ms) instead of `times` calls: an outage, not a hiccup. */
  untilMs?: number;
}

export type FakeApi = 'gettoken' | 'message/send' | 'message/update_template_card' | 'appchat/create' | 'appchat/send' | 'webhook/send' | 'media/upload' | 'menu/create';

const APIS: FakeApi[] = ['gettoken', 'message/send', 'message/update_template_card', 'appchat/create', 'appchat/send', 'webhook/send', 'media/upload', 'menu/create'];

/**
 * menu/create's rules (WeCom doc 90231): 1–3 top buttons, each a `click`/`view` button or a group of 1–5
 * sub-buttons; names ≤16 bytes on top and ≤40 below; a click's key ≤128 bytes. Null when the menu is valid.
 */
function menuProblem(body: Record<string, unknown>): string | null {
  const bytes = (v: unknown) => Buffer.byteLength(String(v ?? ''), 'utf8');
  const leaf = (b: Record<string, unknown>, maxName: number): string | null => {
    if (!b.name || bytes(b.name) > maxName) return `name ${String(b.name)}`;
    if (b.type === 'click') return b.key && bytes(b.key) <= 128 ? null : `key of ${String(b.name)}`;
    if (b.type === 'view') return b.url ? null : `url of ${String(b.name)}`;
    return `type of ${String(b.name)}`;
  };
  const top = body.button;
  if (!Array.isArray(top) || top.length < 1 || top.length > 3) return 'button: 1..3';
  for (const b of top as Record<string, unknown>[]) {
    const sub = b.sub_button as Record<string, unknown>[] | undefined;
    if (Array.isArray(sub) && sub.length) {
      if (sub.length > 5 || !b.name || bytes(b.name) > 16) return `group ${String(b.name)}`;
      for (const s of sub) {
        const p = leaf(s, 40);
        if (p) return p;
      }
    } else {
      const p = leaf(b, 16);
      if (p) return p;
    }
  }
  return null;
}

/** A file uploaded with media/upload: its temporary media_id, what the multipart part said, and the bytes. */
export interface UploadRecord {
  at: number;
  type: string;
  mediaId: string;
  fileName: string;
  contentType: string;
  data: Buffer;
}

/** A group created with appchat/create. */
export interface FakeAppchat {
  chatid: string;
  name: string;
  owner: string;
  userlist: string[];
  at: number;
}

/** A message posted to a group: by appchat/send (`chatid`) or by a robot's webhook (`key`). */
export interface GroupPostRecord {
  at: number;
  body: Record<string, unknown>;
  chatid?: string;
  key?: string;
}

export interface SentRecord {
  at: number;
  body: Record<string, unknown>;
  msgid: string;
  responseCode?: string;
}

export interface FakeWecomOptions {
  corpId?: string;
  secret?: string;
  agentId?: number;
  token?: string;
  aesKey?: string;
  tokenTtlSec?: number;
}

/**
 * A WeCom stand-in on 127.0.0.1 for end-to-end tests: a real HTTP server that issues access tokens, records
 * message/send (text, cards, files) and update_template_card calls and media/upload files (checking tokens, agent id, card shape and response codes the
 * way WeCom does), injects faults (errcodes, 5xx, slow answers), and plays WeCom's callback sender by
 * encrypting and signing messages and events and POSTing them to our callback URL.
 */
export async function startFakeWecom(opts: FakeWecomOptions = {}) {
  const corpId = opts.corpId ?? 'wwfakecorp0001';
  const secret = opts.secret ?? 'fake-secret';
  const agentId = opts.agentId ?? 1000002;
  const token = opts.token ?? 'FakeToken123';
  const aesKey = opts.aesKey ?? randomBytes(32).toString('base64').slice(0, 43);
  const tokens = new Map<string, number>();
  const faults = new Map<FakeApi, Fault[]>();
  const sent: SentRecord[] = [];
  const suppressed: SentRecord[] = [];
  const updates: { at: number; body: Record<string, unknown> }[] = [];
  const appchats = new Map<string, FakeAppchat>();
  const appchatCreates: { at: number; body: Record<string, unknown> }[] = [];
  const groupPosts: GroupPostRecord[] = [];
  const uploads: UploadRecord[] = [];
  const calls: { api: string; at: number; errcode: number; status: number }[] = [];
  /** Menus created with menu/create, in order: the agent id from the query string, and the body. */
  const menus: { at: number; agentid: number; body: Record<string, unknown> }[] = [];
  const responseCodes = new Map<string, { used: boolean; userid: string }>();
  const taskIds = new Set<string>();
  let tokensIssued = 0;
  let msgSeq = 0;

  const newResponseCode = (userid: string) => {
    const code = `rc-${randomBytes(8).toString('hex')}`;
    responseCodes.set(code, { used: false, userid });
    return code;
  };

  function takeFault(api: FakeApi): Fault | undefined {
    const list = faults.get(api);
    while (list?.[0]?.untilMs !== undefined && list[0].untilMs <= Date.now()) list.shift();
    const f = list?.[0];
    if (!f) return undefined;
    if (f.untilMs !== undefined) return f;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) list!.shift();
    return f;
  }

  function checkToken(url: URL): number {
    const t = url.searchParams.get('access_token');
    if (!t) return 41001;
    const exp = tokens.get(t);
    if (exp === undefined) return 40014;
    if (exp <= Date.now()) return 42001;
    return 0;
  }

  async function readBody(req: http.IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  function parseJson(raw: Buffer): Record<string, unknown> {
    try {
      return JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return {};
    }
  }

  /** media/upload's multipart body as WeCom reads it: the `media` part, with its filename and content type. */
  async function parseUpload(req: http.IncomingMessage, raw: Buffer): Promise<Record<string, unknown>> {
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('multipart/form-data')) return { __upload: null };
    try {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
      const media = form.get('media');
      if (!media || typeof media === 'string') return { __upload: null };
      return { __upload: { fileName: media.name, contentType: media.type, data: Buffer.from(await media.arrayBuffer()) } };
    } catch {
      return { __upload: null };
    }
  }

  /** The content of a text or markdown group message, undefined for another type. */
  function groupContent(body: Record<string, unknown>): string | undefined {
    if (body.msgtype === 'text') return String((body.text as { content?: string } | undefined)?.content ?? '');
    if (body.msgtype === 'markdown') return String((body.markdown as { content?: string } | undefined)?.content ?? '');
    return undefined;
  }

  function handle(api: FakeApi, url: URL, body: Record<string, unknown>): Record<string, unknown> {
    if (api === 'gettoken') {
      if (url.searchParams.get('corpid') !== corpId || url.searchParams.get('corpsecret') !== secret) return { errcode: 40001, errmsg: 'invalid credential' };
      const t = randomBytes(24).toString('hex');
      tokens.set(t, Date.now() + (opts.tokenTtlSec ?? 7200) * 1000);
      tokensIssued++;
      return { errcode: 0, errmsg: 'ok', access_token: t, expires_in: opts.tokenTtlSec ?? 7200 };
    }
    if (api === 'webhook/send') {
      // A robot's webhook: the key in the URL is the credential; text ≤2048 bytes, markdown ≤4096.
      const key = url.searchParams.get('key');
      if (!key) return { errcode: 93000, errmsg: 'invalid webhook url' };
      const content = groupContent(body);
      if (content === undefined) return { errcode: 40008, errmsg: 'invalid message type' };
      if (Buffer.byteLength(content) > (body.msgtype === 'markdown' ? 4096 : 2048)) return { errcode: 40058, errmsg: 'content too long' };
      groupPosts.push({ at: Date.now(), body, key });
      return { errcode: 0, errmsg: 'ok' };
    }
    const tokenErr = checkToken(url);
    if (tokenErr) return { errcode: tokenErr, errmsg: 'access_token problem' };
    if (api === 'media/upload') {
      // type=file: 5 bytes to 20 MB, in the multipart field `media`; the media_id lives 3 days.
      const type = url.searchParams.get('type');
      if (!type || !['image', 'voice', 'video', 'file'].includes(type)) return { errcode: 40004, errmsg: 'invalid media type' };
      const up = body.__upload as { fileName: string; contentType: string; data: Buffer } | null;
      if (!up) return { errcode: 41005, errmsg: 'media data missing' };
      if (up.data.length < 5 || up.data.length > 20 * 1024 * 1024) return { errcode: 40006, errmsg: 'invalid file size' };
      const mediaId = `media-${randomBytes(12).toString('hex')}`;
      uploads.push({ at: Date.now(), type, mediaId, ...up });
      return { errcode: 0, errmsg: 'ok', type, media_id: mediaId, created_at: String(Math.floor(Date.now() / 1000)) };
    }
    if (api === 'appchat/create') {
      const userlist = Array.isArray(body.userlist) ? body.userlist.map(String) : [];
      const chatid = String(body.chatid ?? '');
      if (!body.name || [...String(body.name)].length > 50) return { errcode: 86216, errmsg: 'invalid name' };
      if (userlist.length < 2 || userlist.length > 2000 || new Set(userlist).size !== userlist.length) return { errcode: 86214, errmsg: 'invalid userlist' };
      if (body.owner !== undefined && !userlist.includes(String(body.owner))) return { errcode: 86217, errmsg: 'owner not in userlist' };
      if (!/^[0-9a-zA-Z]{1,32}$/.test(chatid)) return { errcode: 86218, errmsg: 'invalid chatid' };
      appchatCreates.push({ at: Date.now(), body });
      if (appchats.has(chatid)) return { errcode: 86215, errmsg: 'chatid exists' };
      appchats.set(chatid, { chatid, name: String(body.name), owner: String(body.owner ?? userlist[0]), userlist, at: Date.now() });
      return { errcode: 0, errmsg: 'ok', chatid };
    }
    if (api === 'appchat/send') {
      const chatid = String(body.chatid ?? '');
      if (!appchats.has(chatid)) return { errcode: 86003, errmsg: 'chat not exists' };
      const content = groupContent(body);
      if (content === undefined) return { errcode: 40008, errmsg: 'invalid message type' };
      groupPosts.push({ at: Date.now(), body, chatid });
      return { errcode: 0, errmsg: 'ok' };
    }
    if (api === 'menu/create') {
      if (Number(url.searchParams.get('agentid')) !== agentId) return { errcode: 40056, errmsg: 'invalid agentid' };
      const problem = menuProblem(body);
      if (problem) return { errcode: 40054, errmsg: `invalid menu: ${problem}` };
      menus.push({ at: Date.now(), agentid: agentId, body });
      return { errcode: 0, errmsg: 'ok' };
    }
    if (Number(body.agentid) !== agentId) return { errcode: 40056, errmsg: 'invalid agentid' };
    if (api === 'message/send') {
      if (body.msgtype === 'file') {
        const mediaId = (body.file as { media_id?: string } | undefined)?.media_id;
        if (!mediaId || !uploads.some((u) => u.mediaId === mediaId && u.at > Date.now() - 3 * 86_400_000)) return { errcode: 40007, errmsg: 'invalid media_id' };
      }
      const card = body.template_card as { task_id?: string; button_list?: unknown[]; card_type?: string } | undefined;
      if (body.msgtype === 'template_card') {
        if (!card?.task_id || taskIds.has(card.task_id)) return { errcode: 40058, errmsg: 'task_id missing or used' };
        if (card.card_type === 'button_interaction' && (!card.button_list?.length || card.button_list.length > 6)) return { errcode: 40058, errmsg: 'button_list' };
        taskIds.add(card.task_id);
      }
      const msgid = `msg${++msgSeq}`;
      const rec: SentRecord = { at: Date.now(), body, msgid };
      // WeCom's duplicate check: same content to the same person within the interval is not delivered again.
      if (Number(body.enable_duplicate_check) === 1) {
        const interval = Number(body.duplicate_check_interval ?? 1800) * 1000;
        const content = JSON.stringify({ ...body, enable_duplicate_check: undefined });
        const dup = sent.find((r) => r.at > Date.now() - interval && JSON.stringify({ ...r.body, enable_duplicate_check: undefined }) === content);
        if (dup) {
          suppressed.push(rec);
          return { errcode: 0, errmsg: 'ok', msgid: dup.msgid };
        }
      }
      if (card?.card_type === 'button_interaction') rec.responseCode = newResponseCode(String(body.touser));
      sent.push(rec);
      return { errcode: 0, errmsg: 'ok', msgid, ...(rec.responseCode ? { response_code: rec.responseCode } : {}) };
    }
    // update_template_card: each response code works once. (The real errcode for a used code is not in our docs.)
    const rc = responseCodes.get(String(body.response_code));
    if (!rc || rc.used) return { errcode: 40098, errmsg: 'invalid response_code' };
    rc.used = true;
    updates.push({ at: Date.now(), body });
    return { errcode: 0, errmsg: 'ok' };
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = url.pathname.replace(/^\/cgi-bin\//, '') as FakeApi;
    if (!APIS.includes(api)) {
      res.writeHead(404).end();
      return;
    }
    const raw = req.method === 'POST' ? await readBody(req) : Buffer.alloc(0);
    const body = req.method !== 'POST' ? {} : api === 'media/upload' ? await parseUpload(req, raw) : parseJson(raw);
    const fault = takeFault(api);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.status) {
      calls.push({ api, at: Date.now(), errcode: -2, status: fault.status });
      res.writeHead(fault.status).end();
      return;
    }
    const answer = fault?.errcode !== undefined ? { errcode: fault.errcode, errmsg: 'injected' } : handle(api, url, body);
    calls.push({ api, at: Date.now(), errcode: Number(answer.errcode), status: 200 });
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** Encrypts, signs and POSTs one callback the way WeCom does. */
  async function postCallback(
    callbackUrl: string,
    fields: Record<string, string | number>,
    o: { timestamp?: number; nonce?: string; forge?: boolean; receiveId?: string; omitSignature?: boolean } = {},
  ): Promise<{ status: number; body: string; ms: number }> {
    const inner = buildXml({ ToUserName: corpId, AgentID: agentId, ...fields });
    const encrypted = encrypt(aesKey, inner, o.receiveId ?? corpId);
    const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = o.nonce ?? randomBytes(6).toString('hex');
    let sig = getSignature(token, timestamp, nonce, encrypted);
    if (o.forge) sig = sig.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    const q = new URLSearchParams({ timestamp, nonce, ...(o.omitSignature ? {} : { msg_signature: sig }) });
    const started = performance.now();
    const res = await fetch(`${callbackUrl}?${q}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: buildXml({ ToUserName: corpId, AgentID: agentId, Encrypt: encrypted }),
    });
    return { status: res.status, body: await res.text(), ms: performance.now() - started };
  }

  let created = Math.floor(Date.now() / 1000);
  const fake = {
    base,
    corpId,
    secret,
    agentId,
    token,
    aesKey,
    sent,
    suppressed,
    /** Files uploaded with media/upload. */
    uploads,
    /** The `file` messages sent to one person, with the upload each one names. */
    filesTo(userid: string) {
      return sent
        .filter((r) => r.body.touser === userid && r.body.msgtype === 'file')
        .map((r) => ({ record: r, upload: uploads.find((u) => u.mediaId === (r.body.file as { media_id?: string }).media_id) }));
    },
    updates,
    calls,
    menus,
    /** Groups created (by chatid), every appchat/create call that passed validation, posts to groups. */
    appchats,
    appchatCreates,
    groupPosts,
    /** Posts through appchat/send to one chat. */
    postsToChat(chatid: string) {
      return groupPosts.filter((r) => r.chatid === chatid);
    },
    /** Posts to the robot with this webhook key. */
    robotPosts(key: string) {
      return groupPosts.filter((r) => r.key === key);
    },
    /** A robot webhook URL on this server (what a supervisor registers). */
    webhookUrl(key: string) {
      return `${base}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`;
    },
    get tokensIssued() {
      return tokensIssued;
    },
    inject(api: FakeApi, fault: Fault) {
      faults.set(api, [...(faults.get(api) ?? []), fault]);
    },
    /** Makes every issued token expired: the next call gets 42001, as when WeCom invalidates one early. */
    expireTokens() {
      for (const t of tokens.keys()) tokens.set(t, 0);
    },
    sentTo(userid: string) {
      return sent.filter((r) => r.body.touser === userid);
    },
    postCallback,
    /** A text message from `from`, with a fresh MsgId unless one is given. */
    sendText(callbackUrl: string, from: string, content: string, o: { msgId?: string; timestamp?: number; forge?: boolean } = {}) {
      return postCallback(
        callbackUrl,
        { FromUserName: from, CreateTime: ++created, MsgType: 'text', Content: content, MsgId: o.msgId ?? String(BigInt(Date.now()) * 1000n + BigInt(msgSeq++)) },
        o,
      );
    },
    /** A click on a button card we delivered: a template_card_event with a fresh one-use ResponseCode. */
    clickCard(callbackUrl: string, from: string, taskId: string, eventKey: string) {
      return postCallback(callbackUrl, {
        FromUserName: from,
        CreateTime: ++created,
        MsgType: 'event',
        Event: 'template_card_event',
        EventKey: eventKey,
        TaskId: taskId,
        CardType: 'button_interaction',
        ResponseCode: newResponseCode(from),
      });
    },
    /** A click on an app menu button: an event `click` with the button's key (no MsgId; dedup by sender and time). */
    clickMenu(callbackUrl: string, from: string, eventKey: string) {
      return postCallback(callbackUrl, { FromUserName: from, CreateTime: ++created, MsgType: 'event', Event: 'click', EventKey: eventKey });
    },
    /** WeCom's URL check: GET with an encrypted echostr; answers what our endpoint returned. */
    async verifyUrl(callbackUrl: string, echo: string, o: { forge?: boolean } = {}) {
      const echostr = encrypt(aesKey, echo, corpId);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = randomBytes(6).toString('hex');
      let sig = getSignature(token, timestamp, nonce, echostr);
      if (o.forge) sig = sig.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
      const q = new URLSearchParams({ msg_signature: sig, timestamp, nonce, echostr });
      const res = await fetch(`${callbackUrl}?${q}`);
      return { status: res.status, body: await res.text() };
    },
    async waitFor(pred: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
      const until = Date.now() + timeoutMs;
      while (!pred()) {
        if (Date.now() > until) throw new Error(`fake WeCom: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    reset() {
      sent.length = 0;
      suppressed.length = 0;
      updates.length = 0;
      calls.length = 0;
      appchatCreates.length = 0;
      groupPosts.length = 0;
      uploads.length = 0;
      menus.length = 0;
      faults.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

export type FakeWecom = Awaited<ReturnType<typeof startFakeWecom>>;
