import { randomUUID } from 'node:crypto';
import type { Deps } from '../../core/ports';
import type { Logger } from '../../lib/logger';
import { provideWecomGroups } from '../../core/commands/wecom.command';
import { WecomAppchatModel } from '../../store/wecom-appchat.model';
import { WecomCardModel } from '../../store/wecom-card.model';
import { WecomRobotModel } from '../../store/wecom-robot.model';
import { WecomInboundModel } from '../../store/wecom-inbound.model';
import { WecomOutboxClaimModel, WecomOutboxDoneModel, WecomOutboxModel, WecomPaceSlotModel } from '../../store/wecom-outbox.model';
import { WecomTokenModel } from '../../store/wecom-token.model';
import { WecomOutboxFileChunkModel, WecomOutboxFileModel } from '../../store/wecom-outbox-file.model';
import type { Channel } from '../channel';
import { createChatEngine, type ChatEngine } from '../chat-engine';
import type { Reply } from '../reply';
import { createWecomCallback } from './callback';
import { createWecomClient, type WecomClient } from './client';
import { createWecomGroupPort } from './groups';
import type { WecomHealthReport } from './health';
import { createInboundHandler } from './inbound';
import { createInboundRunner } from './inbound-runner';
import { createWecomOutbox, type WecomOutbox } from './outbox';
import type { WecomSettings } from './settings';

export interface WecomOptions {
  settings: WecomSettings;
  deps: Deps;
  logger: Logger;
  /** The shared chat engine; one is built from `deps` when absent. */
  engine?: ChatEngine;
  /** For tests: a client double, a clock. */
  client?: WecomClient;
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
}

/** Creates the collections' indexes even if the models were loaded after connectMongo ran. */
export async function ensureWecomIndexes(): Promise<void> {
  for (const model of [WecomInboundModel, WecomTokenModel, WecomOutboxModel, WecomOutboxDoneModel, WecomOutboxClaimModel, WecomPaceSlotModel, WecomCardModel, WecomAppchatModel, WecomRobotModel, WecomOutboxFileModel, WecomOutboxFileChunkModel]) {
    await model.createIndexes();
  }
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
  const client = opts.client ?? createWecomClient({ settings, logger: log, now: opts.now });
  const outbox = createWecomOutbox({ settings, client, logger: log, now: opts.now });
  const handle = createInboundHandler({ settings, deps, engine, outbox, logger: log, now: opts.now });
  const runner = createInboundRunner({ settings, handle, logger: log, now: opts.now });
  const cb = createWecomCallback({ settings, logger: log, onMessage: (msg) => runner.runAccepted(msg), now: opts.now });
  // The supervisor commands that create a unit's group and register its robot reach WeCom through this.
  provideWecomGroups(createWecomGroupPort({ settings, client, logger: log }));

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
      await ensureWecomIndexes();
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

  return { channel, callback: cb.middleware, outbox, client, health: () => client.health(), settle: () => cb.drain(), recoverInbound };
}
