/** What a notification is for; only `escalation` is delivered during quiet hours. */
export type NotificationKind = 'notice' | 'reminder' | 'escalation' | 'digest' | 'warning';

/** A stored notification as readers see it (in-app list, channel renderers): what to say, not how. */
export interface NotificationView {
  id: string;
  kind: NotificationKind;
  /** Full i18n key, rendered with `params` in the reader's locale. */
  template: string;
  params: Record<string, string>;
  data: Record<string, unknown> | null;
  late: boolean;
  status: 'pending' | 'sent' | 'failed' | 'in_app';
  createdAt: Date;
  sentAt: Date | null;
}

/**
 * A stored notification as delivery (bot/deliver.ts) claims, sends and records it: storage's own key (`_id`,
 * opaque here and handed back as read), whom it is for and in which language, the attempts so far. Storage
 * renders the rest through the delivery port's `view`.
 */
export interface DeliverableNotification {
  _id: { toString(): string };
  userid: string;
  locale: string;
  attempts?: number;
}

/** The notifications a user can read in-app (`notifications` / `通知`), newest first. */
export interface NotificationRepo {
  recentFor(userid: string, limit: number): Promise<NotificationView[]>;
}
