import type { NoticeAckRow } from '../core/annual-report/annual-report.types';
import { noticeKey, type NoticeAudience } from '../core/notices/notice.types';
import { NotificationModel, type NotificationDoc } from './notification.model';
import { NoticeAckModel, NoticeModel, type NoticeAckDoc } from './notice.model';
import { UserModel, type UserDoc } from './user.model';

type NoticeStatDoc = { _id: string; audience: Partial<NoticeAudience>; unitCode?: string | null; createdAt: Date; publishedAt?: Date | null };

/**
 * The notices asking for acknowledgement that went out in [from, before) (published then, or created then
 * and still publishing) and reached at least one admin of the site, with those admins and their
 * acknowledgements: what the annual report counts (core/annual-report/annual-report.notices.ts).
 *
 * Four plain finds with projections, joined in memory: FerretDB v1 has few aggregation stages and uses no
 * secondary index, so a `$lookup` pipeline would be both unsupported and no faster. The site's admins are
 * its users with the site_admin role now, active or not (one deactivated since may have received notices).
 */
export async function siteNoticeAckRows(siteId: string, from: Date, before: Date): Promise<NoticeAckRow[]> {
  const users = await UserModel.find({ 'roles.siteId': siteId }, { userid: 1, roles: 1 }).lean<Pick<UserDoc, 'userid' | 'roles'>[]>();
  const admins = users.filter((u) => u.roles.some((r) => r.role === 'site_admin' && r.siteId === siteId)).map((u) => u.userid);
  if (!admins.length) return [];
  const notices = await NoticeModel.find(
    { requiresAck: true, $or: [{ publishedAt: { $gte: from, $lt: before } }, { publishedAt: null, createdAt: { $gte: from, $lt: before } }] },
    { audience: 1, unitCode: 1, createdAt: 1, publishedAt: 1 },
  ).lean<NoticeStatDoc[]>();
  if (!notices.length) return [];
  const ids = notices.map((n) => n._id);
  const [messages, acks] = await Promise.all([
    NotificationModel.find({ effectId: { $in: ids.map(noticeKey) }, userid: { $in: admins } }, { _id: 0, effectId: 1, userid: 1 }).lean<Pick<NotificationDoc, 'effectId' | 'userid'>[]>(),
    NoticeAckModel.find({ noticeId: { $in: ids }, userid: { $in: admins } }, { _id: 0, noticeId: 1, userid: 1, at: 1 }).lean<Pick<NoticeAckDoc, 'noticeId' | 'userid' | 'at'>[]>(),
  ]);
  const recipients = new Map<string, string[]>();
  for (const m of messages) recipients.set(m.effectId, [...(recipients.get(m.effectId) ?? []), m.userid]);
  const acksOf = new Map<string, { userid: string; at: Date }[]>();
  for (const a of acks) acksOf.set(a.noticeId, [...(acksOf.get(a.noticeId) ?? []), { userid: a.userid, at: a.at }]);
  return notices
    .filter((n) => recipients.has(noticeKey(n._id)))
    .map((n) => ({
      id: n._id,
      sentAt: n.publishedAt ?? n.createdAt,
      audience: { people: n.audience.people ?? 'none', units: n.audience.units ?? [] },
      unitCode: n.unitCode ?? null,
      recipients: [...new Set(recipients.get(noticeKey(n._id)))],
      acks: acksOf.get(n._id) ?? [],
    }));
}
