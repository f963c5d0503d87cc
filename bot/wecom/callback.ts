import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type Koa from 'koa';
import type { Logger } from '../../lib/logger';
import type { WecomStore } from '../../core/channels/wecom.ports';
import { createCommandGate } from './command-gate';
import { openEnvelope, signatureMatches } from './crypto';
import type { WecomSettings } from './settings';
import { parseXml, XmlError, xmlText, type XmlObject } from './xml';

/** A decrypted callback we accepted once: its fields and the key it was deduplicated by. */
export interface InboundMessage {
  key: string;
  fields: XmlObject;
  from: string;
  requestId: string;
  /** When the callback recorded it (its first run's lease starts then). */
  acceptedAt: Date;
}

export interface CallbackOptions {
  settings: WecomSettings;
  logger: Logger;
  /** Where the dedup keys of accepted callbacks are recorded. */
  store: Pick<WecomStore, 'claimWecomInbound'>;
  /** Runs after the 200 went out; errors are logged, never reach WeCom. */
  onMessage(msg: InboundMessage): Promise<void>;
  /** How many accepted messages run their command at once (default 4); the rest wait their turn in memory. */
  maxConcurrentCommands?: number;
  /**
   * During a burst (a callback in flight or acknowledged less than `quietAfterMs`, default 100 ms, ago): how
   * many run at once (default 1), once one has waited `maxDeferMs` (default 2 s); each then rests as long as
   * it ran (command-gate.ts).
   */
  busyConcurrentCommands?: number;
  maxDeferMs?: number;
  quietAfterMs?: number;
  now?: () => Date;
}

class BodyTooLarge extends Error {}

async function readRaw(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** WeCom's dedup advice: MsgId for messages, FromUserName + CreateTime (+ what was clicked) for events. */
export function dedupKeyOf(fields: XmlObject): string | undefined {
  const msgId = xmlText(fields, 'MsgId');
  if (msgId) return `msg:${msgId}`;
  const from = xmlText(fields, 'FromUserName');
  const created = xmlText(fields, 'CreateTime');
  if (!from || !created) return undefined;
  return ['evt', from, created, xmlText(fields, 'Event') ?? '', xmlText(fields, 'EventKey') ?? '', xmlText(fields, 'TaskId') ?? ''].join(':');
}

const one = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');

/**
 * `GET/POST /wecom/callback`. GET answers WeCom's URL check with the decrypted echostr. POST checks the
 * signature (401 and nothing else when it is forged or missing), the timestamp window (replays), the
 * receive id (our corp), parses the XML strictly, records the dedup key in MongoDB, answers an empty 200
 * at once and only then runs the message: a retry or a second instance finds the key taken and runs nothing.
 */
export function createWecomCallback(opts: CallbackOptions) {
  const { settings: s, logger } = opts;
  const { claimWecomInbound } = opts.store;
  const now = opts.now ?? (() => new Date());
  const inflight = new Set<Promise<void>>();
  let acknowledging = 0;
  let lastAcknowledgedAt = 0;
  const quietAfterMs = opts.quietAfterMs ?? 100;
  const slots = createCommandGate({
    quiet: opts.maxConcurrentCommands ?? 4,
    busy: opts.busyConcurrentCommands ?? 1,
    maxDeferMs: opts.maxDeferMs ?? 2000,
    busyUntil: () => (acknowledging > 0 ? Infinity : lastAcknowledgedAt + quietAfterMs),
  });

  const refuse = (ctx: Koa.Context, status: number, reason: string) => {
    logger.warn({ wecom: { callback: reason }, ip: ctx.ip }, 'WeCom callback refused');
    ctx.status = status;
    ctx.type = 'text/plain';
    ctx.body = status === 401 ? 'unauthorized' : 'bad request';
  };

  async function verifyUrl(ctx: Koa.Context): Promise<void> {
    const sig = one(ctx.query.msg_signature);
    const timestamp = one(ctx.query.timestamp);
    const nonce = one(ctx.query.nonce);
    const echostr = one(ctx.query.echostr);
    if (!sig || !timestamp || !nonce || !echostr) return refuse(ctx, 401, 'verify: missing parameters');
    if (!signatureMatches(s.token, timestamp, nonce, echostr, sig)) return refuse(ctx, 401, 'verify: bad signature');
    const opened = openEnvelope(s.aesKey, echostr);
    if (!opened || opened.receiveId !== s.corpId) return refuse(ctx, 401, 'verify: not for our corp');
    ctx.status = 200;
    ctx.type = 'text/plain';
    ctx.body = opened.message;
  }

  async function receive(ctx: Koa.Context, requestId: string): Promise<void> {
    const sig = one(ctx.query.msg_signature);
    const timestamp = one(ctx.query.timestamp);
    const nonce = one(ctx.query.nonce);
    if (!sig || !/^\d{1,12}$/.test(timestamp) || !nonce) return refuse(ctx, 401, 'missing signature parameters');
    let raw: string;
    try {
      raw = await readRaw(ctx.req, s.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) return refuse(ctx, 413, 'body too large');
      throw err;
    }
    let outer: XmlObject;
    try {
      outer = parseXml(raw, { maxChars: s.maxBodyBytes });
    } catch (err) {
      if (err instanceof XmlError) return refuse(ctx, 401, `outer xml: ${err.message}`);
      throw err;
    }
    const encrypted = xmlText(outer, 'Encrypt');
    if (!encrypted || !signatureMatches(s.token, timestamp, nonce, encrypted, sig)) return refuse(ctx, 401, 'bad signature');
    if (Math.abs(now().getTime() - Number(timestamp) * 1000) > s.replayWindowMs) return refuse(ctx, 401, 'timestamp outside the replay window');
    const opened = openEnvelope(s.aesKey, encrypted);
    if (!opened || opened.receiveId !== s.corpId) return refuse(ctx, 401, 'receive id is not our corp');
    let fields: XmlObject;
    try {
      fields = parseXml(opened.message, { maxChars: s.maxBodyBytes });
    } catch (err) {
      if (err instanceof XmlError) return refuse(ctx, 400, `inner xml: ${err.message}`);
      throw err;
    }
    const agent = xmlText(fields, 'AgentID');
    if (agent && Number(agent) !== s.agentId) return refuse(ctx, 400, `for agent ${agent}, not ours`);
    const key = dedupKeyOf(fields);
    const from = xmlText(fields, 'FromUserName');
    if (!key || !from) return refuse(ctx, 400, 'no MsgId or FromUserName/CreateTime');
    // A failure here is a 500: WeCom retries, and the key is not yet taken.
    // The fields are kept (`received`) until the answer is enqueued: a crash after the 200 is recovered
    // (inbound-runner.ts), since WeCom does not retry a callback it got a 200 for.
    const at = now();
    const first = await claimWecomInbound(key, {
      from,
      kind: xmlText(fields, 'Event') ?? xmlText(fields, 'MsgType') ?? '',
      receivedAt: at,
      status: 'received',
      fields,
      requestId,
      // Run 1 is this one's: winning the dedup key is the claim (recovery claims the later runs).
      runs: 1,
      runAt: at,
    });
    ctx.status = 200;
    ctx.type = 'text/plain';
    ctx.body = '';
    if (!first) {
      logger.info({ requestId, wecom: { key } }, 'WeCom callback already handled (retry or replay)');
      return;
    }
    // Commands run a few at a time, one while a burst is being acknowledged (command-gate.ts).
    const job = slots
      .acquire()
      .then((startedAt) =>
        // Abandoned at stop: it stays `received` in MongoDB, for recovery.
        startedAt === undefined ? undefined : opts.onMessage({ key, fields, from, requestId, acceptedAt: at }).finally(() => slots.release(startedAt)),
      )
      .catch((err) => logger.error({ err, requestId, wecom: { key } }, 'WeCom message handling failed'))
      .finally(() => inflight.delete(job));
    inflight.add(job);
  }

  async function drain(): Promise<void> {
    while (inflight.size) await Promise.allSettled([...inflight]);
  }

  const middleware = async (ctx: Koa.Context): Promise<void> => {
    const requestId = (ctx.state as { requestId?: string }).requestId ?? randomUUID();
    if (ctx.method === 'GET' || ctx.method === 'HEAD') return verifyUrl(ctx);
    if (ctx.method === 'POST') {
      acknowledging++;
      try {
        return await receive(ctx, requestId);
      } finally {
        acknowledging--;
        lastAcknowledgedAt = Date.now();
        if (acknowledging === 0) slots.pump();
      }
    }
    ctx.status = 405;
    ctx.set('Allow', 'GET, POST');
  };

  return {
    middleware,
    /** Waits for the messages accepted so far to finish (tests, benchmarks). */
    drain,
    /**
     * Graceful stop: runs the accepted messages for up to `graceMs`, then leaves those not started yet as
     * they are in MongoDB (`received`, recovered after their lease) and waits only for the running ones.
     * Returns how many it left.
     */
    async stop(graceMs: number): Promise<number> {
      const deadline = Date.now() + graceMs;
      while (inflight.size && Date.now() < deadline) {
        let timer: NodeJS.Timeout | undefined;
        const timeUp = new Promise<void>((r) => (timer = setTimeout(r, deadline - Date.now())));
        await Promise.race([Promise.allSettled([...inflight]), timeUp]);
        clearTimeout(timer);
      }
      const left = slots.abandonWaiting();
      await drain();
      return left;
    },
  };
}
