import { randomUUID } from 'node:crypto';
import { isQuiet } from '../core/reminders/quiet-hours';
import { backoffMs, DEFAULT_REMINDER_SETTINGS, type ReminderSettings } from '../core/reminders/reminder.settings';
import type { Locale } from '../core/i18n';
import type { DeliverableNotification, NotificationView } from '../core/reminders/notification';
import { SUPPORTED_LOCALES } from '../core/config.schema';
import { translatorFor } from '../lib/i18n';
import type { Logger } from '../lib/logger';
import type { Channel } from './channel';
import type { Reply } from './reply';
import { renderNotification } from './render/notification.render';

/**
 * What delivery needs of a channel: `send` (a WeCom send only enqueues, durably). Optional: `sendOnce`, which
 * a channel with its own durable outbox implements by deduplicating on `key` (the notification id), so even a
 * sender that crashed between sending and recording it cannot make the person read a message twice; and
 * `reaches`, for channels that only reach some users (default: everyone).
 */
export interface DeliveryChannel {
  readonly name: string;
  send(to: string, reply: Reply): Promise<void>;
  sendOnce?(to: string, reply: Reply, key: string): Promise<void>;
  reaches?(userid: string): boolean | Promise<boolean>;
}

const channels: DeliveryChannel[] = [];

/** Adds a push channel (WeCom, Wechaty…); the first registered channel that reaches a user delivers to them. */
export function registerChannel(channel: DeliveryChannel | Channel): void {
  const at = channels.findIndex((c) => c.name === channel.name);
  if (at >= 0) channels.splice(at, 1, channel);
  else channels.push(channel);
}

export function unregisterChannel(name: string): void {
  const at = channels.findIndex((c) => c.name === name);
  if (at >= 0) channels.splice(at, 1);
}

export function registeredChannels(): readonly DeliveryChannel[] {
  return channels;
}

/** The stored notifications, as delivery claims, sends and records them (built by the composition root). */
export interface DeliveryStore {
  pending(now: Date, limit: number, onlyEscalations: boolean): Promise<DeliverableNotification[]>;
  /** The attempt number this sender now holds, or null when another sender holds the notification. */
  claimSend(n: DeliverableNotification, instance: string, now: Date, staleMs: number): Promise<number | null>;
  markSent(id: DeliverableNotification['_id'], channel: string, now: Date): Promise<void>;
  markFailed(id: DeliverableNotification['_id'], attempts: number, retryAt: Date | null, error: string): Promise<void>;
  markInApp(id: DeliverableNotification['_id']): Promise<void>;
  view(n: DeliverableNotification): NotificationView;
}

export interface DeliverOptions {
  store: DeliveryStore;
  settings?: ReminderSettings;
  /** Defaults to the registry (`registerChannel`). */
  channels?: readonly DeliveryChannel[];
  /** Names this sender in its claims (logs and debugging). */
  instance?: string;
  /** Notifications fetched per batch. */
  limit?: number;
  /** Wall-clock time one run may spend before leaving the rest to the next run. */
  budgetMs?: number;
  logger?: Logger;
}

export interface DeliverResult {
  sent: number;
  retried: number;
  failed: number;
  inApp: number;
  /** Claimed by another sender. */
  skipped: number;
}

const localeOf = (l: string): Locale => ((SUPPORTED_LOCALES as readonly string[]).includes(l) ? (l as Locale) : 'zh-CN');

async function channelFor(list: readonly DeliveryChannel[], userid: string): Promise<DeliveryChannel | undefined> {
  for (const c of list) if (!c.reaches || (await c.reaches(userid))) return c;
  return undefined;
}

/**
 * Delivers pending notifications whose time has come: each is claimed with a conditional update (a lease,
 * store/notification.repo.ts `claimSend`) so two instances never send one twice, rendered in
 * the recipient's locale, sent through the first channel that reaches them, then marked sent. A failed send
 * is retried with exponential backoff (`attempts`, `nextAttemptAt`) and ends `failed` after the last attempt,
 * still readable in-app, never dropped; with no channel for the user it is `in_app` at once. During quiet
 * hours only escalations go out.
 */
export async function deliverPending(now: Date, opts: DeliverOptions): Promise<DeliverResult> {
  const settings = opts.settings ?? DEFAULT_REMINDER_SETTINGS;
  const list = opts.channels ?? channels;
  const instance = opts.instance ?? randomUUID();
  const result: DeliverResult = { sent: 0, retried: 0, failed: 0, inApp: 0, skipped: 0 };
  const quiet = isQuiet(now, settings.quietHours);
  const limit = opts.limit ?? 200;
  const budgetEnds = Date.now() + (opts.budgetMs ?? 20_000);
  // Batch after batch (a morning's digests are thousands) while batches make progress and time remains;
  // a batch that only meets other senders' claims ends the run.
  for (;;) {
    const batch = await opts.store.pending(now, limit, quiet);
    const before = result.sent + result.retried + result.failed + result.inApp;
    await deliverBatch(batch, now, { ...opts, settings, list, instance }, result);
    const progressed = result.sent + result.retried + result.failed + result.inApp > before;
    if (batch.length < limit || !progressed || Date.now() > budgetEnds) break;
  }
  return result;
}

async function deliverBatch(
  batch: DeliverableNotification[],
  now: Date,
  opts: DeliverOptions & { settings: ReminderSettings; list: readonly DeliveryChannel[]; instance: string },
  result: DeliverResult,
): Promise<void> {
  const { settings, list, instance } = opts;
  for (const n of batch) {
    const channel = await channelFor(list, n.userid);
    if (!channel) {
      await opts.store.markInApp(n._id);
      result.inApp++;
      continue;
    }
    const attempt = await opts.store.claimSend(n, instance, now, settings.delivery.staleClaimMs);
    if (attempt === null) {
      result.skipped++;
      continue;
    }
    const outcome = await sendOne(opts.store.view(n), n, channel);
    if (outcome === null) {
      await opts.store.markSent(n._id, channel.name, now);
      result.sent++;
      continue;
    }
    const attempts = attempt + 1;
    const retryAt = attempts >= settings.delivery.maxAttempts ? null : new Date(now.getTime() + backoffMs(attempts, settings.delivery));
    await opts.store.markFailed(n._id, attempts, retryAt, outcome);
    opts.logger?.warn({ notification: String(n._id), userid: n.userid, channel: channel.name, attempts, retryAt, err: outcome }, retryAt ? 'send failed, will retry' : 'send failed for good');
    if (retryAt) result.retried++;
    else result.failed++;
  }
}

/** Sends one notification; null on success, else the error text. */
async function sendOne(view: NotificationView, n: DeliverableNotification, channel: DeliveryChannel): Promise<string | null> {
  try {
    const reply = renderNotification(view, translatorFor(localeOf(n.locale)));
    if (channel.sendOnce) await channel.sendOnce(n.userid, reply, `notification:${String(n._id)}`);
    else await channel.send(n.userid, reply);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
