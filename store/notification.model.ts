import mongoose, { Schema } from 'mongoose';

/**
 * A message for one user, stored for the chat channels to deliver (delivery is another module's job): the
 * i18n key `bot:requests.notify.<message>` with its params, rendered in the user's locale at delivery.
 * Unique on (effectId, userid): running an effect twice stores each message once.
 */
export interface NotificationDoc {
  effectId: string;
  userid: string;
  locale: string;
  message: string;
  params: Record<string, string>;
  requestId: string;
  status: 'pending' | 'sent';
  createdAt: Date;
  sentAt?: Date;
}

const notificationSchema = new Schema<NotificationDoc>(
  {
    effectId: { type: String, required: true },
    userid: { type: String, required: true },
    locale: { type: String, required: true },
    message: { type: String, required: true },
    params: { type: Schema.Types.Mixed, default: {} },
    requestId: { type: String, required: true },
    status: { type: String, required: true, default: 'pending' },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date },
  },
  { versionKey: false, minimize: false },
);
notificationSchema.index({ effectId: 1, userid: 1 }, { unique: true });
notificationSchema.index({ status: 1, createdAt: 1 });
notificationSchema.index({ userid: 1, createdAt: -1 });

export const NotificationModel = mongoose.model<NotificationDoc>('Notification', notificationSchema, 'notifications');
