import { Types } from 'mongoose';
import type { NotificationRepo, NotificationView } from '../core/reminders/notification';
import type { NotificationIntent } from '../core/reminders/reminder.plan';
import { isDuplicateKey } from './duplicate-key';
import { NotificationModel, type NotificationDoc } from './notification.model';

export type StoredNotification = NotificationDoc & { _id: Types.ObjectId };

/** Stores planned notifications; each (key, userid) once — a duplicate key means "already done" and is skipped. */
export async function insertNotifications(intents: readonly NotificationIntent[], now: Date): Promise<{ inserted: number; existing: number }> {
  let inserted = 0;
  let existing = 0;
  for (const i of intents) {
    try {
      await NotificationModel.create({
        effectId: i.key,
        userid: i.userid,
        locale: i.locale,
        message: i.template,
        template: i.template,
        params: i.params,
        kind: i.kind,
        subject: i.subject,
        data: i.data ?? null,
        late: i.late,
        status: 'pending',
        createdAt: now,
        attempts: 0,
        nextAttemptAt: i.notBefore,
      });
      inserted++;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      existing++;
    }
  }
  return { inserted, existing };
}

/** Pending notifications whose time has come (quiet hours and backoff are in `nextAttemptAt`), oldest first; at night only escalations. */
export async function pendingNotifications(now: Date, limit: number, onlyEscalations = false): Promise<StoredNotification[]> {
  return NotificationModel.find({ status: 'pending', ...(onlyEscalations ? { kind: 'escalation' } : {}), $or: [{ nextAttemptAt: null }, { nextAttemptAt: { $lte: now } }] })
    .sort({ createdAt: 1 })
    .limit(limit)
    .lean<StoredNotification[]>();
}

/**
 * Claims the right to send `n` now: the attempt number claimed, or null when another sender holds it (or
 * already sent it — the copy we read was old). The claim is one conditional update of the notification (a
 * lease of `staleMs`), so of racing senders exactly one gets it. A lease that ran out with the notification
 * still pending at that attempt was left by a sender that stopped mid-send: one taker counts that attempt as
 * lost and claims the next.
 */
export async function claimSend(n: StoredNotification, instance: string, now: Date, staleMs: number): Promise<number | null> {
  const attempt = n.attempts ?? 0;
  const lease = { claimedBy: instance, claimedUntil: new Date(now.getTime() + staleMs) };
  const fresh = await NotificationModel.updateOne({ _id: n._id, status: 'pending', attempts: attempt, claimedUntil: null }, { $set: lease });
  if (fresh.modifiedCount === 1) return attempt;
  const takeover = await NotificationModel.updateOne(
    { _id: n._id, status: 'pending', attempts: attempt, claimedUntil: { $lte: now } },
    { $set: { ...lease, attempts: attempt + 1, lastError: `attempt ${attempt} lost (sender stopped mid-send)` } },
  );
  return takeover.modifiedCount === 1 ? attempt + 1 : null;
}

export async function markSent(id: Types.ObjectId, channel: string, now: Date): Promise<void> {
  await NotificationModel.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: now, channel, lastError: null, claimedUntil: null } });
}

/** Records a failed attempt and lets the lease go: retried at `retryAt`, or `failed` for good when `retryAt` is null. */
export async function markFailed(id: Types.ObjectId, attempts: number, retryAt: Date | null, error: string): Promise<void> {
  await NotificationModel.updateOne(
    { _id: id },
    { $set: { attempts, lastError: error.slice(0, 500), claimedUntil: null, claimedBy: null, ...(retryAt ? { nextAttemptAt: retryAt } : { status: 'failed' }) } },
  );
}

/** No registered channel reaches the user: the message stays readable in-app only. */
export async function markInApp(id: Types.ObjectId): Promise<void> {
  await NotificationModel.updateOne({ _id: id }, { $set: { status: 'in_app' } });
}

export function toNotificationView(d: StoredNotification): NotificationView {
  return {
    id: String(d._id),
    kind: d.kind ?? 'notice',
    template: d.template ?? `bot:requests.notify.${d.message}`,
    params: d.params ?? {},
    data: d.data ?? null,
    late: Boolean(d.late),
    status: d.status,
    createdAt: d.createdAt,
    sentAt: d.sentAt ?? null,
  };
}

export const notificationRepo: NotificationRepo = {
  async recentFor(userid, limit) {
    return (await NotificationModel.find({ userid }).sort({ createdAt: -1 }).limit(limit).lean<StoredNotification[]>()).map(toNotificationView);
  },
};

/** What delivery (bot/deliver.ts) reads and records: the composition root hands it to the delivery job. */
export const notificationDelivery = {
  pending: pendingNotifications,
  claimSend,
  markSent,
  markFailed,
  markInApp,
  view: toNotificationView,
};
