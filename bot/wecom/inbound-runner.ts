import { randomUUID } from 'node:crypto';
import type { Logger } from '../../lib/logger';
import { retryWhileUnreachable } from '../../lib/db-errors';
import type { WecomStore } from '../../core/channels/wecom.ports';
import type { InboundMessage } from './callback';
import type { WecomSettings } from './settings';
import type { XmlObject } from './xml';

export interface InboundRunnerOptions {
  settings: WecomSettings;
  /** What a message means (inbound.ts); its answers are enqueued with keys derived from the message key. */
  handle(msg: InboundMessage): Promise<void>;
  logger: Logger;
  /** Where runs are claimed and finished. */
  store: Pick<WecomStore, 'claimWecomInboundRun' | 'finishWecomInbound' | 'staleWecomInbound'>;
  now?: () => Date;
}

/**
 * Runs recorded callbacks exactly once in the normal case and at least once across crashes: the first run
 * belongs to the callback that won the dedup key, each later one is claimed by a unique insert
 * (`inbound:<key>:<n>`), the message is marked `done` once its answer is in the
 * outbox, and `recover` re-runs messages left `received` past the lease. A re-run re-enqueues under the same
 * outbox keys, so an answer that did get enqueued before the crash is not sent twice.
 */
export function createInboundRunner(opts: InboundRunnerOptions) {
  const { settings: s, handle, logger } = opts;
  const { claimWecomInboundRun, finishWecomInbound, staleWecomInbound } = opts.store;
  const now = opts.now ?? (() => new Date());

  /**
   * Runs a message this process holds and marks it done. While the database is unreachable it tries again,
   * with backoff, as long as the run's lease is surely still ours (half of it): a re-run re-enqueues under
   * the same keys, so nothing is answered twice, and the person gets the answer seconds after the database
   * is back instead of after the lease. Any other failure, or a longer outage, leaves it `received` for
   * recovery.
   */
  async function runHeld(msg: InboundMessage, heldSince: Date = now()): Promise<void> {
    // The lease is judged on the wall clock the database's other users share, not on a test's `now`.
    const until = Date.now() + (heldSince.getTime() + s.inbound.leaseMs / 2 - now().getTime());
    await retryWhileUnreachable(
      async () => {
        await handle(msg);
        await finishWecomInbound(msg.key, 'done', now());
      },
      until,
      () => logger.warn({ requestId: msg.requestId, wecom: { key: msg.key } }, 'WeCom message waits for the database'),
    );
  }

  /**
   * Runs a message this process's callback accepted. Winning the dedup key holds run 1 (two writes fewer on
   * every message), for the lease that started at acceptance. A message that waited in memory past half of
   * it (a long burst) claims its run like a recovered one: by then another instance may have recovered it.
   */
  async function runAccepted(msg: InboundMessage): Promise<void> {
    if (now().getTime() - msg.acceptedAt.getTime() > s.inbound.leaseMs / 2) {
      await run(msg, 1);
      return;
    }
    await runHeld(msg, msg.acceptedAt);
  }

  /** Claims the run after `runsSeen` and runs the message; false when another runner holds it. */
  async function run(msg: InboundMessage, runsSeen: number, at: Date = now()): Promise<boolean> {
    const n = await claimWecomInboundRun(msg.key, runsSeen + 1, at, s.inbound.leaseMs);
    if (n === undefined) return false;
    if (n > s.inbound.maxRuns) {
      logger.error({ requestId: msg.requestId, wecom: { key: msg.key, runs: n - 1 } }, 'WeCom message given up after repeated failed runs');
      await finishWecomInbound(msg.key, 'failed', now());
      return false;
    }
    await runHeld(msg, at);
    return true;
  }

  /** Re-runs messages left `received` longer than the lease; returns how many this instance ran. */
  async function recover(at: Date = now()): Promise<number> {
    const stale = await staleWecomInbound(new Date(at.getTime() - s.inbound.leaseMs));
    let ran = 0;
    for (const doc of stale) {
      if (!doc.fields) continue;
      const msg: InboundMessage = { key: doc._id, fields: doc.fields as XmlObject, from: doc.from, requestId: doc.requestId ?? randomUUID(), acceptedAt: doc.receivedAt };
      try {
        if (await run(msg, doc.runs ?? 0, at)) {
          ran++;
          logger.warn({ requestId: msg.requestId, wecom: { key: msg.key } }, 'WeCom message recovered: it was accepted but never finished');
        }
      } catch (err) {
        logger.error({ err, requestId: msg.requestId, wecom: { key: msg.key } }, 'WeCom message recovery failed; will try again');
      }
    }
    return ran;
  }

  return { run, runAccepted, recover };
}

export type InboundRunner = ReturnType<typeof createInboundRunner>;
