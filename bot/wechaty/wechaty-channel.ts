import { EventEmitter } from 'node:events';
import { WechatyBuilder, types, type Contact, type Message, type Room, type Wechaty } from 'wechaty';
import { bindingRoom } from '../../core/commands/binding.command';
import { runCommand } from '../../core/commands/run';
import type { Config, Locale } from '../../core/config.schema';
import { DomainError, ValidationError } from '../../core/errors';
import type { Deps } from '../../core/ports';
import { buildCtx } from '../../lib/command-context';
import { translatorFor } from '../../lib/i18n';
import type { Logger } from '../../lib/logger';
import type { WechatyStore } from '../../core/channels/wechaty.ports';
import type { Channel } from '../channel';
import { createChatEngine, type ChatEngine } from '../chat-engine';
import { renderError, renderResult } from '../render/index';
import { replyText, text, type Reply } from '../reply';
import { classifyText, splitForWechat, type WechatyCommand } from './wechaty-text';

/** A puppet instance for `WechatyBuilder.build({ puppet })` (tests: `new PuppetMock({ mocker })`). */
export type WechatyPuppet = Extract<NonNullable<NonNullable<Parameters<typeof WechatyBuilder.build>[0]>['puppet']>, object>;

export interface WechatyChannelOptions {
  deps: Deps;
  logger: Logger;
  /** Message dedup keys, bound contacts and rooms (the composition root's Wechaty store). */
  store: WechatyStore;
  /** The language of people the bot does not know yet. */
  defaultLocale: Locale;
  /** An npm puppet name (`wechaty-puppet-service`, …) with its token, or a puppet instance. */
  puppetName?: string;
  puppetToken?: string;
  puppet?: WechatyPuppet;
  /** The shared chat engine; one is built from `deps` when absent. */
  engine?: ChatEngine;
  /** In rooms, a message that starts with one of these (or mentions the bot) is a command. */
  prefixes?: string[];
  /** Contacts never answered (other bots in the same rooms). Official accounts are always ignored. */
  ignoreContactIds?: string[];
  /** Restart backoff after the puppet drops: initial delay, doubling up to the maximum. */
  backoff?: { initialMs: number; maxMs: number };
  /** Pause between two outgoing messages: WeChat risk control punishes bursts. */
  sendIntervalMs?: number;
  /** Messages older than this (replayed after a restart) are ignored. */
  maxMessageAgeMs?: number;
  /** Failed binding-code attempts allowed per contact within `bindAttemptWindowMs`. */
  maxBindAttempts?: number;
  bindAttemptWindowMs?: number;
  now?: () => Date;
}

export interface WechatyChannelStats {
  loggedIn: boolean;
  restarts: number;
  handled: number;
  duplicates: number;
}

/** Emits `restarted` (after a reconnect) and `restart-scheduled` ({ reason, delayMs }). */
export interface WechatyChannel extends Channel {
  readonly bot: Wechaty;
  readonly events: EventEmitter;
  stats(): WechatyChannelStats;
  /** Waits until every message received so far has been handled and answered. */
  settle(): Promise<void>;
}

export const DEFAULT_PREFIXES = ['/', '！'];
const ROOM_TARGET = /^room:(.+)$/;

/** Why a `send` could not be delivered: nobody/no room bound, or the bot is offline. */
export class WechatySendError extends Error {
  constructor(
    readonly code: 'not_logged_in' | 'no_contact' | 'no_room',
    readonly to: string,
  ) {
    super(`wechaty: cannot send to ${to} (${code})`);
    this.name = 'WechatySendError';
  }
}

/**
 * The Wechaty channel: any puppet, bound contacts and rooms, dedup by message id, reconnect with backoff.
 * Inbound: self messages, official accounts and ignored contacts are dropped; in rooms only messages that
 * mention the bot or start with a prefix count. A contact not bound to a registry user may only redeem a
 * binding code; everyone else gets the polite refusal. Answers go back where the message came from.
 */
export function createWechatyChannel(opts: WechatyChannelOptions): WechatyChannel {
  const { deps, defaultLocale } = opts;
  const { contactOfUserid, ensureIndexes: ensureWechatyIndexes, redeemBindingCode, roomsOfUnit, useridOfContact, claimWechatyMessage } = opts.store;
  const log = opts.logger.child({ channel: 'wechaty' });
  const engine = opts.engine ?? createChatEngine({ deps, logger: log, defaultLocale });
  const now = opts.now ?? (() => new Date());
  const prefixes = opts.prefixes ?? DEFAULT_PREFIXES;
  const ignored = new Set(opts.ignoreContactIds ?? []);
  const backoff = opts.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
  const sendIntervalMs = opts.sendIntervalMs ?? 500;
  const maxMessageAgeMs = opts.maxMessageAgeMs ?? 10 * 60_000;
  const maxBindAttempts = opts.maxBindAttempts ?? 5;
  const bindAttemptWindowMs = opts.bindAttemptWindowMs ?? 15 * 60_000;
  const events = new EventEmitter();

  const bot: Wechaty = opts.puppet
    ? WechatyBuilder.build({ puppet: opts.puppet })
    : WechatyBuilder.build({
        puppet: (opts.puppetName ?? 'wechaty-puppet-service') as never,
        ...(opts.puppetToken ? { puppetOptions: { token: opts.puppetToken } } : {}),
      });

  let state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  let restarting = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let attempts = 0;
  let restarts = 0;
  let handled = 0;
  let duplicates = 0;
  let startErrors = 0;
  let starting = false;
  const inflight = new Set<Promise<void>>();
  const bindFailures = new Map<string, { count: number; since: number }>();

  // Outgoing messages go one at a time with a pause between them.
  let sendChain: Promise<void> = Promise.resolve();
  let lastSendAt = 0;
  function paced<T>(fn: () => Promise<T>): Promise<T> {
    const run = sendChain.then(async () => {
      const wait = lastSendAt + sendIntervalMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        return await fn();
      } finally {
        lastSendAt = Date.now();
      }
    });
    sendChain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Into a room (mentioning the person answered, if any) or to one contact. */
  async function say(target: { room: Room; mention?: Contact } | { contact: Contact }, reply: Reply): Promise<void> {
    for (const chunk of splitForWechat(replyText(reply))) {
      await paced(async () => {
        if ('room' in target) await (target.mention ? target.room.say(chunk, target.mention) : target.room.say(chunk));
        else await target.contact.say(chunk);
      });
    }
  }

  // ---- reconnect ----------------------------------------------------------------------------------------

  function scheduleRestart(reason: string): void {
    if (state !== 'running' || restartTimer || restarting) return;
    const delayMs = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempts);
    attempts++;
    log.warn({ reason, delayMs, attempt: attempts }, 'wechaty: puppet dropped, restarting');
    events.emit('restart-scheduled', { reason, delayMs });
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      void restart(reason);
    }, delayMs);
    restartTimer.unref?.();
  }

  async function restart(reason: string): Promise<void> {
    if (state !== 'running') return;
    // A puppet that logged back in by itself (its own watchdog reset) needs nothing from us.
    if (reason !== 'error' && bot.isLoggedIn) {
      log.info({ reason }, 'wechaty: puppet recovered by itself');
      return;
    }
    restarting = true;
    try {
      await bot.stop().catch((err: unknown) => log.warn({ err }, 'wechaty: stop before restart failed'));
      if (state !== 'running') return;
      // Errors from here on mean the new start did not take.
      startErrors = 0;
      await bot.start();
    } catch (err) {
      log.error({ err }, 'wechaty: restart failed');
      startErrors++;
    } finally {
      restarting = false;
    }
    if (state !== 'running') return;
    if (startErrors > 0) {
      scheduleRestart('start failed');
      return;
    }
    restarts++;
    log.info({ restarts }, 'wechaty: restarted');
    events.emit('restarted', { restarts });
  }

  bot.on('scan', (qrcode, status) => log.warn({ status: types.ScanStatus[status], qrcode }, 'wechaty: scan the QR code to log in'));
  bot.on('login', (user) => {
    attempts = 0;
    log.info({ self: user.id }, 'wechaty: logged in');
  });
  bot.on('logout', (user, reason) => {
    log.warn({ self: user.id, reason }, 'wechaty: logged out');
    if (!restarting) scheduleRestart('logout');
  });
  bot.on('error', (err) => {
    // Wechaty reports its own and the puppet's errors here (the puppet's also reach watchPuppet); Wechaty's
    // start() reports a puppet that failed to start here rather than by throwing.
    if (restarting || starting) startErrors++;
    log.warn({ err }, 'wechaty: error');
  });
  bot.on('message', (msg) => {
    const p = onMessage(msg)
      .catch((err: unknown) => log.error({ err, messageId: msg.id }, 'wechaty: message handling failed'))
      .finally(() => inflight.delete(p));
    inflight.add(p);
  });

  let puppetWatched = false;
  function watchPuppet(): void {
    if (puppetWatched) return;
    puppetWatched = true;
    const puppet = bot.puppet as unknown as EventEmitter;
    puppet.on('error', () => {
      if (restarting) startErrors++;
      else scheduleRestart('error');
    });
    puppet.on('stop', () => {
      if (!restarting) scheduleRestart('puppet stopped');
    });
  }

  // ---- inbound ------------------------------------------------------------------------------------------

  async function onMessage(msg: Message): Promise<void> {
    if (state !== 'running' || msg.self()) return;
    const talker = msg.talker();
    if (ignored.has(talker.id) || talker.type() === types.Contact.Official || talker.type() === types.Contact.Corporation) return;
    const age = now().getTime() - msg.date().getTime();
    if (age > maxMessageAgeMs) {
      log.info({ messageId: msg.id, ageMs: age }, 'wechaty: stale message ignored');
      return;
    }
    const room = msg.room();
    const isText = msg.type() === types.Message.Text;
    if (room && !isText) return;
    const mentioned = room ? await msg.mentionSelf() : false;
    const command: WechatyCommand | undefined = isText
      ? classifyText(mentioned ? await msg.mentionText() : msg.text(), { inRoom: Boolean(room), mentioned, prefixes })
      : { kind: 'command', text: '' };
    if (!command) return;

    if (!(await claimWechatyMessage(msg.id, { talkerId: talker.id, ...(room ? { roomId: room.id } : {}), receivedAt: now() }))) {
      duplicates++;
      log.info({ messageId: msg.id }, 'wechaty: duplicate delivery ignored');
      return;
    }
    handled++;
    const requestId = `wechaty:${msg.id}`;
    const answer = (reply: Reply) => say(room ? { room, mention: talker } : { contact: talker }, reply);
    const userid = await useridOfContact(talker.id);

    if (command.kind === 'redeem') {
      if (userid) return answer(text((await translatorOf(userid))('bot:wechaty_already_bound', { userid })));
      return answer(await redeem(talker, command.code));
    }
    if (!userid) {
      log.info({ requestId, contact: talker.id }, 'wechaty: message from unbound contact refused');
      return answer(text(translatorFor(defaultLocale)('errors:wechaty_unknown_contact')));
    }
    // A picture, voice or file in a direct message: say what the bot understands.
    if (!isText) return answer(text((await translatorOf(userid))('bot:wechaty_text_only')));
    if (command.kind === 'bind-room') return answer(await bindRoom(userid, room, command.unit, requestId));
    return answer(await engine.handle({ userid, text: command.text, source: 'wechaty', requestId, messageId: requestId }));
  }

  async function translatorOf(userid: string) {
    const user = await deps.users.byUserid(userid);
    return translatorFor(user?.locale ?? defaultLocale);
  }

  async function redeem(talker: Contact, code: string): Promise<Reply> {
    const t = translatorFor(defaultLocale);
    const at = now().getTime();
    const failures = bindFailures.get(talker.id);
    if (failures && at - failures.since > bindAttemptWindowMs) bindFailures.delete(talker.id);
    else if (failures && failures.count >= maxBindAttempts) {
      return text(t('bot:wechaty_code_too_many', { minutes: Math.ceil((failures.since + bindAttemptWindowMs - at) / 60_000) }));
    }
    const result = await redeemBindingCode(code, { id: talker.id, name: talker.name() }, now());
    if (!result.ok) {
      const f = bindFailures.get(talker.id) ?? { count: 0, since: at };
      f.count++;
      bindFailures.set(talker.id, f);
      log.info({ contact: talker.id, reason: result.reason }, 'wechaty: binding code refused');
      return text(t(`bot:wechaty_code_${result.reason}`));
    }
    bindFailures.delete(talker.id);
    const user = await deps.users.byUserid(result.userid);
    log.info({ contact: talker.id, userid: result.userid, replaced: result.replaced }, 'wechaty: contact bound');
    const tu = translatorFor(user?.locale ?? defaultLocale);
    return text(tu(result.replaced ? 'bot:wechaty_bound_replaced' : 'bot:wechaty_bound', { name: user?.name ?? result.userid, userid: result.userid }));
  }

  async function bindRoom(userid: string, room: Room | undefined, unit: string | undefined, requestId: string): Promise<Reply> {
    const user = await deps.users.byUserid(userid);
    if (!user || !user.active) return text(translatorFor(defaultLocale)('errors:unknown_user', { userid }));
    const ctx = buildCtx(user, 'wechaty', deps, { requestId });
    if (!room) return text(ctx.t('bot:wechaty_room_bind_in_room_only'));
    if (!unit) return text(ctx.t('bot:wechaty_room_bind_usage'));
    try {
      const topic = await room.topic().catch(() => undefined);
      const out = await runCommand(bindingRoom, { unit, room: room.id, ...(topic ? { topic } : {}) }, ctx);
      log.info({ requestId, userid, room: room.id, unit }, 'wechaty: room bound');
      return renderResult(bindingRoom.id, out, ctx.t);
    } catch (err) {
      if (err instanceof DomainError || err instanceof ValidationError) log.info({ requestId, userid, room: room.id, unit, code: err.code }, 'wechaty: room binding refused');
      else log.error({ err, requestId, userid, room: room.id }, 'wechaty: room binding failed');
      return renderError(err, ctx.t, requestId);
    }
  }

  // ---- channel ------------------------------------------------------------------------------------------

  return {
    name: 'wechaty',
    bot,
    events,
    async start() {
      if (state === 'running') return;
      await ensureWechatyIndexes();
      state = 'running';
      starting = true;
      startErrors = 0;
      try {
        await bot.start();
      } finally {
        starting = false;
      }
      watchPuppet();
      if (startErrors > 0) scheduleRestart('start failed');
    },
    async stop() {
      if (state !== 'running') return;
      state = 'stopping';
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = undefined;
      await Promise.allSettled([...inflight]);
      await sendChain;
      await bot.stop().catch((err: unknown) => log.warn({ err }, 'wechaty: stop failed'));
      state = 'stopped';
    },
    async send(to, reply) {
      if (!bot.isLoggedIn) throw new WechatySendError('not_logged_in', to);
      const roomTarget = ROOM_TARGET.exec(to);
      if (roomTarget) {
        const rooms = (await Promise.all((await roomsOfUnit(roomTarget[1]!)).map((id) => bot.Room.find({ id })))).filter((r): r is Room => Boolean(r));
        if (rooms.length === 0) throw new WechatySendError('no_room', to);
        for (const room of rooms) await say({ room }, reply);
        return;
      }
      const contactId = await contactOfUserid(to);
      const contact = contactId ? await bot.Contact.find({ id: contactId }) : undefined;
      if (!contact) throw new WechatySendError('no_contact', to);
      await say({ contact }, reply);
    },
    stats: () => ({ loggedIn: bot.isLoggedIn, restarts, handled, duplicates }),
    async settle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
      await sendChain;
    },
  };
}

/**
 * Builds the Wechaty channel from the configuration (WECHATY_PUPPET, WECHATY_PUPPET_TOKEN, STEWARD_LOCALE) and
 * starts it. For scripts/cli/start.ts when WECHATY_PUPPET is set; `puppet` replaces the named one in tests.
 */
export async function startWechatyChannel(args: {
  deps: Deps;
  logger: Logger;
  store: WechatyStore;
  config: Pick<Config, 'WECHATY_PUPPET' | 'WECHATY_PUPPET_TOKEN' | 'STEWARD_LOCALE'>;
  puppet?: WechatyPuppet;
  engine?: ChatEngine;
  options?: Partial<WechatyChannelOptions>;
}): Promise<WechatyChannel> {
  const channel = createWechatyChannel({
    ...args.options,
    deps: args.deps,
    logger: args.logger,
    store: args.store,
    defaultLocale: args.config.STEWARD_LOCALE,
    puppetName: args.config.WECHATY_PUPPET,
    puppetToken: args.config.WECHATY_PUPPET_TOKEN,
    ...(args.puppet ? { puppet: args.puppet } : {}),
    ...(args.engine ? { engine: args.engine } : {}),
  });
  await channel.start();
  return channel;
}
