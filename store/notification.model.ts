import mongoose, { Schema } from 'mongoose';

/**
 * A message for one user, stored for the channels to deliver (bot/deliver.ts): an i18n key with its params,
 * rendered in the user's locale at delivery. Unique on (effectId, userid): `effectId` is the natural key of
 * what caused it — a request's effect id, `complaint:<effect id>`, `reminder:complaint:<id>:<stage>:<date>:<slot>`,
 * `escalation:…`, `digest:<date>`, `calendar-warning:<year>:<date>` — so whoever creates it twice (a re-run,
 * a second instance) stores it once. Requests' notifications predate `template` and `kind`: their key is
 * `bot:requests.notify.<message>`.
 */
export interface NotificationDoc {
  effectId: string;
  userid: string;
  locale: string;
  message: string;
  params: Record<string, string>;
  /** Set on notifications of requests (art. 8–17). */
  requestId?: string;
  /** What the message is about (a report, a digest…). */
  subject?: { kind: string; id: string } | null;
  kind?: 'notice' | 'reminder' | 'escalation' | 'digest' | 'warning';
  /** Full i18n key; absent on request notifications (see above). */
  template?: string;
  /** Structured content for renderers that need more than params (digests). */
  data?: Record<string, unknown> | null;
  /** Sent after its time because the service was not running then. */
  late?: boolean;
  /**
   * pending → sent; `failed` after the last retry; `in_app` when no registered channel reaches the user —
   * both stay readable with the `notifications` command.
   */
  status: 'pending' | 'sent' | 'failed' | 'in_app';
  createdAt: Date;
  sentAt?: Date;
  /** Failed sends so far. */
  attempts?: number;
  /**
   * The sender's lease on the current attempt: set by the one conditional update that claims it, cleared with
   * the outcome. A lease that ran out with the notification still pending was left by a sender that stopped
   * mid-send.
   */
  claimedUntil?: Date | null;
  claimedBy?: string | null;
  /** Not delivered before this instant: quiet hours, retry backoff. */
  nextAttemptAt?: Date | null;
  lastError?: string | null;
  channel?: string | null;
}

const notificationSchema = new Schema<NotificationDoc>(
  {
    effectId: { type: String, required: true },
    userid: { type: String, required: true },
    locale: { type: String, required: true },
    message: { type: String, required: true },
    params: { type: Schema.Types.Mixed, default: {} },
    requestId: { type: String },
    subject: { type: { _id: false, kind: String, id: String }, default: null },
    kind: { type: String, default: 'notice' },
    template: { type: String },
    data: { type: Schema.Types.Mixed, default: null },
    late: { type: Boolean, default: false },
    status: { type: String, required: true, default: 'pending' },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, default: null },
    claimedUntil: { type: Date, default: null },
    claimedBy: { type: String, default: null },
    lastError: { type: String, default: null },
    channel: { type: String, default: null },
  },
  { versionKey: false, minimize: false },
);
notificationSchema.index({ effectId: 1, userid: 1 }, { unique: true });
notificationSchema.index({ status: 1, createdAt: 1 });
notificationSchema.index({ status: 1, nextAttemptAt: 1 });
notificationSchema.index({ userid: 1, createdAt: -1 });
notificationSchema.index({ 'subject.kind': 1, 'subject.id': 1 });

export const NotificationModel = mongoose.model<NotificationDoc>('Notification', notificationSchema, 'notifications');
