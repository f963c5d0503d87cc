import type { Logger } from '../../lib/logger';
import type { OutboxItem, WecomOutboxDoc, WecomStore } from '../../core/channels/wecom.ports';
import type { Reply } from '../reply';
import { WecomApiError, type WecomClient } from './client';
import { renderForGroup, renderForWecom, ROBOT_MARKDOWN_MAX_BYTES } from './message';
import { retryWhileUnreachable } from '../../lib/db-errors';
import type { WecomSettings } from './settings';

export interface OutboxOptions {
  settings: WecomSettings;
  client: Pick<WecomClient, 'sendMessage' | 'updateTemplateCard' | 'sendAppchat' | 'sendRobot'> & Partial<Pick<WecomClient, 'uploadMedia'>>;
  logger: Logger;
  /** The outbox, its files, cards, groups and robots (the composition root's WeCom store). */
  store: WecomStore;
  now?: () => Date;
}

/**
 * The only way a WeCom message leaves: written to MongoDB first, then sent by drainers that claim one message
 * at a time (atomically, with a lease), pace each recipient under WeCom's 30/min and 1000/h (it silently
 * drops the excess, so we keep the rest queued instead), retry transient failures with backoff and mark the
 * rest failed with the reason. Several instances may drain the same outbox.
 */
export function createWecomOutbox(opts: OutboxOptions) {
  const { settings: s, client, logger } = opts;
  const {
    findWecomAppchat,
    saveWecomCard,
    findWecomRobot,
    deleteWecomOutboxFile,
    loadWecomOutboxFile,
    rememberWecomMedia,
    reusableMediaId,
    saveWecomOutboxFile,
    claimWecomOutbox,
    deferWecomRecipient,
    enqueueWecomOutbox,
    finishWecomOutbox,
    nextDueWecomRecipient,
    reserveWecomSendSlot,
    wecomRecipientQueue,
  } = opts.store;
  const now = opts.now ?? (() => new Date());
  const pace = {
    perMinute: s.pace.perMinute,
    minuteMs: s.pace.minuteMs + s.pace.marginMs,
    perHour: s.pace.perHour,
    hourMs: s.pace.hourMs + s.pace.marginMs,
  };
  // Groups and robots: a per-minute limit only (the hourly window never binds).
  const perMinuteOnly = (p: WecomSettings['groupPace']) => ({ perMinute: p.perMinute, minuteMs: p.minuteMs + p.marginMs, perHour: Number.MAX_SAFE_INTEGER, hourMs: 3_600_000 });
  const paceOf = { send: pace, appchat: perMinuteOnly(s.groupPace), robot: perMinuteOnly(s.robotPace) } as const;
  let running = false;
  let loops: Promise<void>[] = [];
  const sleepers = new Set<() => void>();

  /** Wakes one sleeping worker (all of them would only race for the same message). */
  const kick = () => {
    const [wake] = sleepers;
    wake?.();
  };
  const wakeAll = () => {
    for (const wake of [...sleepers]) wake();
  };

  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });

  function backoff(attempts: number): number {
    const base = Math.min(s.outbox.backoffMaxMs, s.outbox.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  /**
   * Sends one claimed message; false when the recipient must wait (paced, or backing off). Its bookkeeping
   * waits out a database outage for half the claim's lease (`retryWhileUnreachable`), so a message WeCom
   * accepted is recorded as sent, not left `sending` to be resent after the lease.
   */
  async function deliver(doc: WecomOutboxDoc): Promise<boolean> {
    const until = Date.now() + s.outbox.leaseMs / 2;
    const record = <T>(fn: () => Promise<T>) => retryWhileUnreachable(fn, until, () => logger.warn({ wecom: { id: doc._id } }, 'WeCom outbox waits for the database'));
    if (doc.kind !== 'update_card') {
      const limits = paceOf[doc.kind];
      const slot = await record(() => reserveWecomSendSlot(doc.to, now().getTime(), limits));
      if (!slot.ok) {
        const retryAt = new Date(slot.retryAt);
        await record(() => finishWecomOutbox(doc, { status: 'pending', nextAttemptAt: retryAt }, { uncountAttempt: true }));
        await record(() => deferWecomRecipient(doc.to, retryAt));
        return false;
      }
    }
    let msgid: string | null = null;
    try {
      if (doc.kind === 'send' && doc.payload.msgtype === 'file') msgid = await sendFile(doc);
      else if (doc.kind === 'send') msgid = (await client.sendMessage(doc.payload)).msgid ?? null;
      else if (doc.kind === 'appchat') await client.sendAppchat(doc.payload);
      else if (doc.kind === 'robot') {
        // The URL is read at send time: a robot registered again (new key) takes over the queue.
        const robot = await findWecomRobot(doc.to.slice(ROBOT_PREFIX.length));
        if (!robot) throw new WecomApiError(-3, `no group robot registered for unit ${doc.to.slice(ROBOT_PREFIX.length)}`, false);
        await client.sendRobot(robot.url, doc.payload);
      } else await client.updateTemplateCard(doc.payload);
    } catch (err) {
      return record(() => failed(doc, err));
    }
    if ((await record(() => finishWecomOutbox(doc, { status: 'sent', sentAt: now(), msgid, lastError: null }))) && doc.payload.msgtype === 'file') await record(() => deleteWecomOutboxFile(doc._id));
    return true;
  }

  /**
   * A `file` message: the stored bytes go up (media/upload) and the media_id out (message/send). The media_id
   * is kept, so a retry sends the same one (and WeCom's duplicate check can catch a repeat) while it lives.
   */
  async function sendFile(doc: WecomOutboxDoc): Promise<string | null> {
    const file = await loadWecomOutboxFile(doc._id);
    if (!file) throw new WecomApiError(-3, 'the file of this message is gone', false);
    let mediaId = reusableMediaId(file, now());
    if (!mediaId) {
      if (!client.uploadMedia) throw new WecomApiError(-3, 'this WeCom client cannot upload files', false);
      mediaId = (await client.uploadMedia('file', file)).mediaId;
      await rememberWecomMedia(doc._id, mediaId, now());
    }
    try {
      return (await client.sendMessage({ ...doc.payload, file: { media_id: mediaId } })).msgid ?? null;
    } catch (err) {
      // 40007: invalid media_id (expired early): upload again on the next try.
      if (err instanceof WecomApiError && err.errcode === 40007) {
        await rememberWecomMedia(doc._id, null, now());
        throw new WecomApiError(err.errcode, err.errmsg, true, err.status);
      }
      throw err;
    }
  }

  /** Records a failure; true when the recipient's next message may go now (this one is finished for good). */
  async function failed(doc: WecomOutboxDoc, err: unknown): Promise<boolean> {
    const e = err instanceof WecomApiError ? err : new WecomApiError(-2, (err as Error).message ?? String(err), true);
    const reason = `${e.errcode}: ${e.errmsg}`;
    const configProblem = e.errcode === 60020 || e.errcode === 40001 || e.errcode === 40013;
    if (doc.kind === 'update_card' && !e.retryable) {
      // The response code was used or expired (or the card is gone): tell the person with a new message.
      logger.info({ wecom: { id: doc._id, to: doc.to, errcode: e.errcode } }, 'card update refused; sending the result as a new message');
      if (doc.fallback) await enqueueWecomOutbox([{ id: `${doc._id}:fallback`, kind: 'send', to: doc.to, payload: doc.fallback }], now());
      await finishWecomOutbox(doc, { status: 'failed', lastError: reason });
      return true;
    }
    if (e.retryable || configProblem) {
      // A misconfiguration (IP not trusted, bad secret) is fixed by an operator: keep the message, slowly.
      if (configProblem || doc.attempts < s.outbox.maxAttempts) {
        const at = new Date(now().getTime() + (configProblem ? s.outbox.backoffMaxMs : backoff(doc.attempts)));
        await finishWecomOutbox(doc, { status: 'pending', nextAttemptAt: at, lastError: reason }, { uncountAttempt: configProblem });
        await deferWecomRecipient(doc.to, at);
        return false;
      }
    }
    logger.error({ wecom: { id: doc._id, to: doc.to, kind: doc.kind, attempts: doc.attempts, error: reason } }, 'WeCom message failed for good');
    if ((await finishWecomOutbox(doc, { status: 'failed', lastError: reason })) && doc.payload.msgtype === 'file') await deleteWecomOutboxFile(doc._id);
    return true;
  }

  /**
   * Sends one recipient's messages in enqueue order: only the oldest unfinished one may go, so a later
   * message never overtakes an earlier one (even across instances, without a lock). Stops when the head is
   * not due (paced, backing off, or in another drainer's hands); a head that waits pushes the rest back to
   * its time so no drainer looks at this recipient in vain. Returns how many it finished.
   */
  async function serve(to: string): Promise<number> {
    let done = 0;
    while (done < 50 && running) {
      const queue = await wecomRecipientQueue(to, 20);
      if (!queue.length) break;
      for (const head of queue) {
        const doc = await claimWecomOutbox(head, now(), s.outbox.leaseMs);
        if (!doc) {
          // Backing off or paced: the later ones wait too. (In another drainer's hands: that one goes on.)
          if (head.status === 'pending' && head.nextAttemptAt.getTime() > now().getTime()) await deferWecomRecipient(to, head.nextAttemptAt);
          return done;
        }
        // Not sent (it waits for a retry or its pace slot): nothing after it may go before it.
        if (!(await deliver(doc))) return done;
        done++;
        if (!running) return done;
      }
    }
    return done;
  }

  /**
   * Finds a recipient with something due and serves it. False when nothing was sent. `skip` holds
   * recipients found busy or not due since this worker last slept.
   */
  async function step(skip: Set<string> = new Set()): Promise<boolean> {
    for (let tries = 0; tries < 5; tries++) {
      const to = await nextDueWecomRecipient(now(), [...skip].slice(0, 200));
      if (!to) return false;
      skip.add(to);
      if ((await serve(to)) > 0) {
        skip.delete(to);
        return true;
      }
    }
    return false;
  }

  async function loop(): Promise<void> {
    let skip = new Set<string>();
    while (running) {
      let worked = false;
      try {
        worked = await step(skip);
      } catch (err) {
        logger.error({ err }, 'WeCom outbox drainer error');
        await nap(s.outbox.pollMs * 4);
      }
      if (!worked && running) {
        skip = new Set();
        await nap(s.outbox.pollMs);
      }
    }
  }

  /**
   * `group:<unit>`: the unit's app chat (appchat/send), `robot:<unit>`: the unit's group robot. Paced per
   * chat and per robot (the outbox `to` is the target itself). Throws when the unit has no such group.
   */
  async function enqueueGroup(to: string, reply: Reply, key: string): Promise<void> {
    let payloads: Record<string, unknown>[];
    if (to.startsWith(GROUP_PREFIX)) {
      const unit = to.slice(GROUP_PREFIX.length);
      const chat = await findWecomAppchat(unit);
      if (!chat || chat.status !== 'active') throw new Error(`no WeCom group for unit ${unit}`);
      payloads = renderForGroup(reply, { chatid: chat.chatid });
    } else {
      const unit = to.slice(ROBOT_PREFIX.length);
      if (!(await findWecomRobot(unit))) throw new Error(`no WeCom group robot for unit ${unit}`);
      payloads = renderForGroup(reply, { markdownMaxBytes: ROBOT_MARKDOWN_MAX_BYTES });
    }
    const kind = to.startsWith(GROUP_PREFIX) ? 'appchat' : 'robot';
    await enqueueWecomOutbox(payloads.map((payload, i) => ({ id: `${key}:${i}`, kind, to, payload })), now());
    kick();
  }

  return {
    /**
     * Queues a reply to one person. `key` makes it idempotent (the answer to one callback is queued once,
     * however often the callback is handled); without one every call queues anew.
     */
    async enqueue(to: string, reply: Reply, key: string): Promise<void> {
      if (to.startsWith(GROUP_PREFIX) || to.startsWith(ROBOT_PREFIX)) return enqueueGroup(to, reply, key);
      if (reply.kind === 'card' && reply.buttons.length > 6) logger.warn({ to, buttons: reply.buttons.length }, 'WeCom cards hold 6 buttons; the rest are left off');
      const rendered = renderForWecom(to, reply, { duplicateCheckSeconds: s.duplicateCheckSeconds, miniprogramAppid: s.miniprogramAppid });
      const at = now();
      for (const r of rendered) if (r.card) await saveWecomCard({ ...r.card, createdAt: at, actedAt: null, actedBy: null, actedKey: null });
      // A file's bytes are stored before its message, so a drainer never finds the message without them.
      for (const [i, r] of rendered.entries()) if (r.file) await saveWecomOutboxFile(`${key}:${i}`, r.file, at);
      await enqueueWecomOutbox(rendered.map((r, i) => ({ id: `${key}:${i}`, kind: 'send', to, payload: r.payload })), at);
      kick();
    },
    async enqueueRaw(items: OutboxItem[]): Promise<void> {
      await enqueueWecomOutbox(items, now());
      kick();
    },
    step,
    kick,
    start(): void {
      if (running) return;
      running = true;
      loops = Array.from({ length: s.outbox.workers }, () => loop());
    },
    async stop(): Promise<void> {
      running = false;
      wakeAll();
      await Promise.all(loops);
      loops = [];
    },
  };
}

/** Outbox targets that are not members: a unit's app chat and a unit's group robot. */
export const GROUP_PREFIX = 'group:';
export const ROBOT_PREFIX = 'robot:';

export type WecomOutbox = ReturnType<typeof createWecomOutbox>;
