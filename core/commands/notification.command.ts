import { z } from 'zod';
import { defineCommand } from './command';

/** How many notifications the in-app list shows. */
export const NOTIFICATION_LIST_LIMIT = 20;

export const notificationDto = z.object({
  id: z.string(),
  kind: z.enum(['notice', 'reminder', 'escalation', 'digest', 'warning']),
  /** i18n key and params: the mini-program renders them with the same locale files. */
  template: z.string(),
  params: z.record(z.string(), z.string()),
  data: z.record(z.string(), z.unknown()).nullable(),
  late: z.boolean(),
  status: z.enum(['pending', 'sent', 'failed', 'in_app']),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

/**
 * My recent notifications, newest first: for users no push channel reaches (they read reminders in the
 * shell or the mini-program) and for anyone looking back at what the bot said.
 */
export const notificationMine = defineCommand({
  id: 'notification.mine',
  input: z.object({}),
  output: z.object({ notifications: z.array(notificationDto) }),
  roles: [],
  http: { method: 'get', path: '/notifications' },
  chat: { words: { 'zh-CN': ['通知', '我的通知'], en: ['notifications', 'notices'] } },
  async handler(ctx) {
    const list = await ctx.deps.notifications.recentFor(ctx.actor.user.userid, NOTIFICATION_LIST_LIMIT);
    return {
      notifications: list.map((n) => ({ ...n, createdAt: n.createdAt.toISOString(), sentAt: n.sentAt ? n.sentAt.toISOString() : null })),
    };
  },
});

export const notificationCommands = [notificationMine];
