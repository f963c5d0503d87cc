import { randomUUID } from 'node:crypto';
import type { Deps } from '../../core/ports';
import type { Logger } from '../../lib/logger';
import { WecomCardModel } from '../../store/wecom-card.model';
import { WecomInboundModel } from '../../store/wecom-inbound.model';
import { WecomOutboxClaimModel, WecomOutboxModel, WecomPaceSlotModel } from '../../store/wecom-outbox.model';
import { WecomTokenModel } from '../../store/wecom-token.model';
import type { Channel } from '../channel';
import { createChatEngine, type ChatEngine } from '../chat-engine';
import type { Reply } from '../reply';
import { createWecomCallback } from './callback';
import { createWecomClient, type WecomClient } from './client';
import type { WecomHealthReport } from './health';
import { createInboundHandler } from './inbound';
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
}

/** Creates the collections' indexes even if the models were loaded after connectMongo ran. */
export async function ensureWecomIndexes(): Promise<void> {
  for (const model of [WecomInboundModel, WecomTokenModel, WecomOutboxModel, WecomOutboxClaimModel, WecomPaceSlotModel, WecomCardModel]) await model.createIndexes();
}

/**
 * The WeCom self-built app channel, assembled: callback → chat engine → outbox → drainers → WeCom API.
 * `channel.start()` starts the drainers (every instance may run them), `channel.stop()` waits for accepted
 * callbacks and in-flight sends.
 */
export function createWecom(opts: WecomOptions): Wecom {
  const { settings, deps, logger } = opts;
  const log = logger.child({ channel: 'wecom' });
  const engine = opts.engine ?? createChatEngine({ deps, logger: log, defaultLocale: settings.defaultLocale });
  const client = opts.client ?? createWecomClient({ settings, logger: log, now: opts.now });
  const outbox = createWecomOutbox({ settings, client, logger: log, now: opts.now });
  const handle = createInboundHandler({ settings, deps, engine, outbox, logger: log, now: opts.now });
  const cb = createWecomCallback({ settings, logger: log, onMessage: handle, now: opts.now });

  const channel: Channel = {
    name: 'wecom',
    async start() {
      await ensureWecomIndexes();
      outbox.start();
    },
    async stop() {
      await cb.drain();
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

  return { channel, callback: cb.middleware, outbox, client, health: () => client.health(), settle: () => cb.drain() };
}
