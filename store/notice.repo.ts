import { randomInt } from 'node:crypto';
import type { ReceivedNotice } from '../core/presenters/notice.presenter';
import { GROUP_PREFIX, noticeKey, type Notice, type NoticeFollowScope, type NoticeHead, type NoticeMessage, type NoticeRecipient, type NoticeRepo, type SentNotice } from '../core/notices/notice.types';
import { isDuplicateKey } from './duplicate-key';
import { NotificationModel, type NotificationDoc } from './notification.model';
import { NoticeAckModel, NoticeModel, type NoticeAckDoc, type NoticeDoc } from './notice.model';
import { supervisorsByUnit } from './reminder.repo';
import { SiteModel } from './site.model';
import { UserModel, type UserDoc } from './user.model';
import { WechatyRoomModel } from './wechaty-room.model';

/** No 0/O, 1/I/L: ids are read off one screen and typed on another. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const newId = () => `N${Array.from({ length: 6 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')}`;

const toHead = (d: Omit<NoticeDoc, 'body' | 'bodies'>): NoticeHead => ({
  id: d._id,
  kind: d.kind,
  title: d.title,
  requiresAck: Boolean(d.requiresAck),
  audience: { people: d.audience.people, units: d.audience.units ?? [], groups: Boolean(d.audience.groups) },
  unitCode: d.unitCode ?? null,
  unitName: d.unitName,
  by: { userid: d.by.userid, name: d.by.name },
  status: d.status,
  createdAt: d.createdAt,
  publishedAt: d.publishedAt ?? null,
  recipients: d.recipients ?? 0,
  groups: d.groups ?? 0,
});

const toNotice = (d: NoticeDoc): Notice => ({ ...toHead(d), body: d.body, bodies: d.bodies ?? {} });

const person = (u: Pick<UserDoc, 'userid' | 'name' | 'locale'>): NoticeRecipient => ({ userid: u.userid, name: u.name, locale: u.locale });
const USER_FIELDS = { userid: 1, name: 1, locale: 1, roles: 1, active: 1 };

/** Active admins of these sites: one query. */
async function adminsOfSites(siteIds: string[]): Promise<NoticeRecipient[]> {
  if (!siteIds.length) return [];
  const ids = new Set(siteIds);
  const users = await UserModel.find({ 'roles.siteId': { $in: siteIds } }, USER_FIELDS).lean<UserDoc[]>();
  return users.filter((u) => u.active !== false && u.roles.some((r) => r.role === 'site_admin' && ids.has(r.siteId ?? ''))).map(person);
}

const siteIdsOf = async (filter: Record<string, unknown>) => (await SiteModel.find({ ...filter, status: { $ne: 'closed' } }, { _id: 1 }).lean<{ _id: unknown }[]>()).map((s) => String(s._id));

const toDoc = (m: NoticeMessage, now: Date): Omit<NotificationDoc, 'sentAt'> => ({
  effectId: m.key,
  userid: m.userid,
  locale: m.locale,
  message: m.template,
  template: m.template,
  params: m.params,
  kind: m.kind,
  subject: m.subject,
  data: m.data,
  late: false,
  status: 'pending',
  createdAt: now,
  attempts: 0,
  nextAttemptAt: null,
  lastError: null,
  channel: null,
});

/**
 * Stores messages in bulk, each (key, userid) once: an unordered insertMany goes on past duplicates (they
 * are "already there" — a re-run after a crash, a second instance) and inserts the rest.
 */
export async function storeMessages(messages: readonly NoticeMessage[], now: Date): Promise<{ inserted: number; existing: number }> {
  if (!messages.length) return { inserted: 0, existing: 0 };
  try {
    const res = await NotificationModel.insertMany(
      messages.map((m) => toDoc(m, now)),
      { ordered: false, rawResult: true },
    );
    const inserted = (res as unknown as { insertedCount: number }).insertedCount;
    return { inserted, existing: messages.length - inserted };
  } catch (err) {
    const e = err as { writeErrors?: { code?: number; err?: { code?: number } }[]; result?: { insertedCount?: number }; insertedDocs?: unknown[] };
    const errors = e.writeErrors ?? [];
    const dupOnly = isDuplicateKey(err) && !errors.length ? true : errors.length > 0 && errors.every((w) => (w.code ?? w.err?.code) === 11000);
    if (!dupOnly) throw err;
    const inserted = e.result?.insertedCount ?? e.insertedDocs?.length ?? messages.length - errors.length;
    return { inserted, existing: messages.length - inserted };
  }
}

/** The notices sent to one person, newest first (their `notice:<id>` messages; reminders are not separate notices). */
async function receivedBy(userid: string, limit: number): Promise<ReceivedNotice[]> {
  const messages = await NotificationModel.find({ userid, kind: 'notice', 'subject.kind': 'notice' }, { subject: 1, createdAt: 1 })
    .sort({ createdAt: -1 })
    .limit(limit)
    .lean<Pick<NotificationDoc, 'subject' | 'createdAt'>[]>();
  const ids = [...new Set(messages.map((m) => m.subject?.id).filter((id): id is string => Boolean(id)))];
  if (!ids.length) return [];
  const [notices, acks] = await Promise.all([
    NoticeModel.find({ _id: { $in: ids } }).lean<NoticeDoc[]>(),
    NoticeAckModel.find({ noticeId: { $in: ids }, userid }, { noticeId: 1, at: 1 }).lean<Pick<NoticeAckDoc, 'noticeId' | 'at'>[]>(),
  ]);
  const byId = new Map(notices.map((d) => [d._id, toNotice(d)]));
  const ackedAt = new Map(acks.map((a) => [a.noticeId, a.at]));
  const out: ReceivedNotice[] = [];
  for (const m of messages) {
    const notice = byId.get(m.subject?.id ?? '');
    if (notice && !out.some((o) => o.notice.id === notice.id)) out.push({ notice, receivedAt: m.createdAt, acknowledgedAt: ackedAt.get(notice.id) ?? null });
  }
  return out;
}

/**
 * The notices a supervisor follows (`NoticeFollowScope`), newest first: one find without the bodies, and one
 * find of the listed notices' acknowledgements, counted in memory (FerretDB v1 has few aggregation stages and
 * uses no secondary index, so a `$group` would gain nothing). One more than `limit` is read to tell `truncated`.
 */
async function followedBy(scope: NoticeFollowScope, limit: number): Promise<{ notices: SentNotice[]; truncated: boolean }> {
  const filter = scope.units === null ? {} : { $or: [{ 'by.userid': scope.userid }, { unitCode: { $in: [...scope.units] } }] };
  const docs = await NoticeModel.find(filter, { body: 0, bodies: 0 })
    .sort({ createdAt: -1, _id: 1 })
    .limit(limit + 1)
    .lean<Omit<NoticeDoc, 'body' | 'bodies'>[]>();
  const listed = docs.slice(0, limit);
  if (!listed.length) return { notices: [], truncated: false };
  const acks = await NoticeAckModel.find({ noticeId: { $in: listed.map((d) => d._id) } }, { _id: 0, noticeId: 1 }).lean<Pick<NoticeAckDoc, 'noticeId'>[]>();
  const acked = new Map<string, number>();
  for (const a of acks) acked.set(a.noticeId, (acked.get(a.noticeId) ?? 0) + 1);
  return { notices: listed.map((d) => ({ notice: toHead(d), acknowledged: acked.get(d._id) ?? 0 })), truncated: docs.length > limit };
}

export const noticeRepo: NoticeRepo = {
  receivedBy,
  followedBy,
  async create(draft) {
    for (let attempt = 0; ; attempt++) {
      const id = newId();
      try {
        await NoticeModel.create({ ...draft, _id: id });
        return { ...draft, id };
      } catch (err) {
        if (!isDuplicateKey(err) || attempt >= 4) throw err;
      }
    }
  },
  async get(id) {
    const d = await NoticeModel.findById(id.trim().toUpperCase()).lean<NoticeDoc>();
    return d ? toNotice(d) : undefined;
  },
  async publishing(limit) {
    return (await NoticeModel.find({ status: 'publishing' }).sort({ createdAt: 1 }).limit(limit).lean<NoticeDoc[]>()).map(toNotice);
  },
  async awaitingAcks(since) {
    return (await NoticeModel.find({ status: 'published', requiresAck: true, publishedAt: { $gte: since } }).lean<NoticeDoc[]>()).map(toNotice);
  },
  async markPublished(id, counts, at) {
    await NoticeModel.updateOne({ _id: id, status: 'publishing' }, { $set: { status: 'published', publishedAt: at, ...counts } });
  },
  async siteAdminsOfScope(units) {
    return adminsOfSites(await siteIdsOf(units === null ? {} : { scopeUnits: { $in: units } }));
  },
  async peopleOfUnits(units) {
    const admins = await adminsOfSites(await siteIdsOf({ $or: [{ hostUnit: { $in: units } }, { supervisingUnit: { $in: units } }] }));
    return [...[...(await supervisorsByUnit(units)).values()].flat(), ...admins];
  },
  async unitsWithGroups(units) {
    const rooms = await WechatyRoomModel.find(units === null ? {} : { unitCode: { $in: units } }, { unitCode: 1 }).lean<{ unitCode: string }[]>();
    return [...new Set(rooms.map((r) => r.unitCode))].sort();
  },
  store: storeMessages,
  async recipientsOf(noticeId) {
    const docs = await NotificationModel.find({ effectId: noticeKey(noticeId) }, { userid: 1, locale: 1, data: 1 }).lean<Pick<NotificationDoc, 'userid' | 'locale' | 'data'>[]>();
    return docs.filter((d) => !d.userid.startsWith(GROUP_PREFIX)).map((d) => ({ userid: d.userid, locale: d.locale, name: String((d.data as { name?: string } | null)?.name ?? d.userid) }));
  },
  async deliveryCounts(noticeId) {
    const docs = await NotificationModel.find({ effectId: noticeKey(noticeId) }, { userid: 1, status: 1 }).lean<Pick<NotificationDoc, 'userid' | 'status'>[]>();
    const counts = { recipients: 0, delivered: 0, pending: 0, failed: 0, inApp: 0, groups: 0, groupsDelivered: 0 };
    for (const d of docs) {
      if (d.userid.startsWith(GROUP_PREFIX)) {
        counts.groups++;
        if (d.status === 'sent') counts.groupsDelivered++;
        continue;
      }
      counts.recipients++;
      if (d.status === 'sent') counts.delivered++;
      else if (d.status === 'pending') counts.pending++;
      else if (d.status === 'failed') counts.failed++;
      else counts.inApp++;
    }
    return counts;
  },
  async ack(noticeId, who, at) {
    try {
      await NoticeAckModel.create({ _id: `${noticeId}:${who.userid}`, noticeId, userid: who.userid, name: who.name, at });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  },
  async ackedUserids(noticeId) {
    return new Set((await NoticeAckModel.find({ noticeId }, { userid: 1 }).lean<Pick<NoticeAckDoc, 'userid'>[]>()).map((a) => a.userid));
  },
  async isRecipient(noticeId, userid) {
    return (await NotificationModel.exists({ effectId: noticeKey(noticeId), userid })) !== null;
  },
};
