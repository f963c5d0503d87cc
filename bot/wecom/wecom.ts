import { randomUUID } from 'node:crypto';
import type { Deps } from '../../core/ports';
import type { Logger } from '../../lib/logger';
import type { WecomStore } from '../../core/channels/wecom.ports';
import type { Channel } from '../channel';
import { createChatEngine, type ChatEngine } from '../chat-engine';
import type { Reply } from '../reply';
import { createWecomCallback } from './callback';
import type { WecomClient } from './client';
import type { WecomHealthReport } from './health';
import { createInboundHandler } from './inbound';
import { createInboundRunner } from './inbound-runner';
import { publishWecomMenu } from './menu';
import { allCommands } from '../../core/commands/registry';
import { translatorFor } from '../../lib/i18n';
import { createWecomOutbox, type WecomOutbox } from './outbox';
import type { WecomSettings } from './settings';

export interface WecomOptions {
  settings: WecomSettings;
  deps: Deps;
  logger: Logger;
  /** The shared chat engine; one is built from `deps` when absent. */
  engine?: ChatEngine;
  /** The WeCom API client the composition root built (the same one `deps.wecomGroups` creates groups with). */
  client: WecomClient;
  /** Where the channel keeps its token, inbound keys, outbox, cards, groups and robots. */
  store: WecomStore;
  /** For tests: a clock. */
  now?: () => Date;
}

export interface Wecom {
  channel: Channel;
  /** The Koa handler of `/wecom/callback` (GET and POST); it reads its own raw body. */
  callback: (ctx: import('koa').Context) => Promise<void>;
  outbox: WecomOutbox;
  client: WecomClient;
  /** For /readyz: problems an operator must fix (60020, 60011, bad credentials). */
  health(): WecomHealthReport;
  /** Waits for accepted callbacks to finish their work (tests, graceful stop). */
  settle(): Promise<void>;
  /**
   * Runs again the callbacks accepted but left unfinished (`received`) longer than the inbound lease — their
   * process died after the 200. Each run is claimed by a unique insert, so instances calling it together run
   * each message once. Called at start and every `inbound.recoverEveryMs`; returns how many it ran.
   */
  recoverInbound(now?: Date): Promise<number>;
  /**
   * Creates the app menu from the command registry (bot/wecom/menu.ts), in the deployment's language; true
   * when WeCom took it. Never throws: a failure is logged and chat works without a menu.
   */
  publishMenu(): Promise<boolean>;
}

/**
 * The WeCom self-built app channel, assembled: callback → chat engine → outbox → drainers → WeCom API.
 * `channel.start()` starts the drainers (every instance may run them), `channel.stop()` runs the accepted
 * callbacks for up to `inbound.stopGraceMs` (the rest are recovered after their lease) and waits for
 * in-flight sends.
 */
export function createWecom(opts: WecomOptions): Wecom {
  const { settings, deps, logger } = opts;
  const log = logger.child({ channel: 'wecom' });
  const engine = opts.engine ?? createChatEngine({ deps, logger: log, defaultLocale: settings.defaultLocale });
  const { client, store } = opts;
  const outbox = createWecomOutbox({ settings, client, logger: log, store, now: opts.now });
  const handle = createInboundHandler({ settings, deps, engine, outbox, cards: { find: store.findWecomCard, claim: store.claimWecomCard, release: store.releaseWecomCard }, logger: log, now: opts.now });
  const runner = createInboundRunner({ settings, handle, logger: log, store, now: opts.now });
  const cb = createWecomCallback({ settings, logger: log, store, onMessage: (msg) => runner.runAccepted(msg), now: opts.now });

  let recoverTimer: NodeJS.Timeout | undefined;
  let recovering: Promise<unknown> = Promise.resolve();
  const recoverInbound = (at?: Date): Promise<number> => {
    const job = runner.recover(at).catch((err) => {
      log.error({ err }, 'WeCom inbound recovery failed');
      return 0;
    });
    recovering = job;
    return job;
  };

  const channel: Channel = {
    name: 'wecom',
    async start() {
      await store.ensureIndexes();
      outbox.start();
      void recoverInbound();
      recoverTimer ??= setInterval(() => void recoverInbound(), settings.inbound.recoverEveryMs);
      recoverTimer.unref();
    },
    async stop() {
      clearInterval(recoverTimer);
      recoverTimer = undefined;
      const left = await cb.stop(settings.inbound.stopGraceMs);
      if (left) log.warn({ wecom: { left } }, 'WeCom messages still queued at stop are left for recovery after their lease');
      await recovering;
      await outbox.stop();
    },
    async send(to: string, reply: Reply) {
      await outbox.enqueue(to, reply, `s:${randomUUID()}`);
    },
  };
  // For the delivery engine: keyed by the notification, so a sender that crashed after enqueueing cannot
  // make the person read it twice.
  (channel as Channel & { sendOnce(to: string, reply: Reply, key: string): Promise<void> }).sendOnce = async (to, reply, key) => {
    await outbox.enqueue(to, reply, `n:${key}`);
  };

  const publishMenu = () => publishWecomMenu({ client, commands: allCommands(), lng: settings.defaultLocale, t: translatorFor(settings.defaultLocale), logger: log });
  return { channel, callback: cb.middleware, outbox, client, health: () => client.health(), settle: () => cb.drain(), recoverInbound, publishMenu };
}
