import type { NotificationAction } from '../presenters/notification-card';
import type { Actor } from '../actor';
import type { Deps } from '../ports';
import { chinaDateOf } from '../calendar/civil-date';
import type { Unit } from '../registry/types';
import { supervisesUnit } from '../policies/unit.policy';
import { GROUP_PREFIX, noticeKey, noticeReminderKey, type Notice, type NoticeFollowScope, type NoticeMessage, type NoticeRecipient, type NoticeRepo } from './notice.types';

export function noticeRepoOf(deps: Deps): NoticeRepo {
  return deps.notices;
}

/** A supervisor speaks for its unit's subtree; a province admin for any unit (and, with none named, the province). */
export function canSendFrom(actor: Actor, unit: Pick<Unit, 'code' | 'ancestors'>): boolean {
  return supervisesUnit(actor, unit);
}

/** Who may follow a notice's progress: its sender, the supervisors of its unit and above, province admins. */
export function canFollow(actor: Actor, notice: Pick<Notice, 'by' | 'unitCode'>, unit: Pick<Unit, 'code' | 'ancestors'> | undefined): boolean {
  return actor.user.userid === notice.by.userid || actor.isProvinceAdmin || (unit !== undefined && canSendFrom(actor, unit));
}

/**
 * `canFollow` as a query, for listing: everything for a province admin; otherwise what the actor sent and
 * what was sent for a unit in the subtrees it supervises (the units themselves and every unit below them).
 */
export async function followScope(deps: Deps, actor: Actor): Promise<NoticeFollowScope> {
  if (actor.isProvinceAdmin) return { userid: actor.user.userid, units: null };
  const subtrees = await Promise.all(actor.supervisedUnits.map((code) => deps.units.subtree(code)));
  return { userid: actor.user.userid, units: [...new Set([...actor.supervisedUnits, ...subtrees.flat().map((u) => u.code)])] };
}

/** What a recipient is asked for: to acknowledge, with one button running `notice.ack <id>` (bot/render/notification-cards.ts). */
export const ackAction = (n: Pick<Notice, 'id' | 'kind'>): { action: NotificationAction } => ({ action: { kind: 'notice.ack', id: n.id, noticeKind: n.kind } });

function personMessage(n: Notice, p: NoticeRecipient, key: string, kind: NoticeMessage['kind'], template: string): NoticeMessage {
  const body = n.bodies[p.locale as keyof Notice['bodies']] ?? n.body;
  return {
    key,
    userid: p.userid,
    locale: p.locale,
    kind,
    template,
    params: { id: n.id, title: n.title, body, from: n.unitName, by: n.by.name, date: chinaDateOf(n.createdAt) },
    subject: { kind: 'notice', id: n.id },
    data: { name: p.name, ...(n.requiresAck ? ackAction(n) : {}) },
  };
}

/** Everyone the notice reaches now: people per its audience, deduplicated, and the units whose groups get a post. */
export async function resolveAudience(deps: Deps, n: Notice): Promise<{ people: NoticeRecipient[]; groups: string[] }> {
  const repo = noticeRepoOf(deps);
  const scope = n.unitCode === null ? null : (await deps.units.subtree(n.unitCode)).map((u) => u.code);
  const people =
    n.audience.people === 'admins' ? await repo.siteAdminsOfScope(n.unitCode === null ? null : [n.unitCode]) : n.audience.people === 'units' ? await repo.peopleOfUnits(n.audience.units) : [];
  const seen = new Set<string>();
  const unique = people.filter((p) => !seen.has(p.userid) && seen.add(p.userid));
  const groups = n.audience.groups ? await repo.unitsWithGroups(n.audience.people === 'units' ? n.audience.units : scope) : [];
  return { people: unique, groups };
}

/**
 * Materializes a notice: one message per person (`notice:<id>` + userid) and one post per bound group
 * (`room:<unitCode>`), stored in bulk with unique keys. Resumable: after a crash, running it again stores
 * only what is missing and nobody gets two. The delivery engine (bot/deliver.ts) sends them, paced and retried.
 */
export async function publishNotice(deps: Deps, n: Notice, now: Date): Promise<{ recipients: number; groups: number; inserted: number }> {
  const repo = noticeRepoOf(deps);
  const { people, groups } = await resolveAudience(deps, n);
  const template = `bot:notices.message.${n.kind}`;
  const messages: NoticeMessage[] = [
    ...people.map((p) => personMessage(n, p, noticeKey(n.id), 'notice', template)),
    ...groups.map((unit) => ({
      key: noticeKey(n.id),
      userid: `${GROUP_PREFIX}${unit}`,
      locale: 'zh-CN',
      kind: 'notice' as const,
      template: `bot:notices.group_post.${n.kind}`,
      params: { id: n.id, title: n.title, body: n.body, from: n.unitName, by: n.by.name, date: chinaDateOf(n.createdAt) },
      subject: { kind: 'notice', id: n.id },
      data: { group: unit },
    })),
  ];
  const { inserted } = await repo.store(messages, now);
  await repo.markPublished(n.id, { recipients: people.length, groups: groups.length }, now);
  return { recipients: people.length, groups: groups.length, inserted };
}

/** Today's reminders of a notice to the people who have not acknowledged it, keyed by notice, date and person. */
export async function planNoticeReminders(deps: Deps, n: Notice, today: string): Promise<NoticeMessage[]> {
  const repo = noticeRepoOf(deps);
  const acked = await repo.ackedUserids(n.id);
  const missing = (await repo.recipientsOf(n.id)).filter((p) => !acked.has(p.userid));
  return missing.map((p) => personMessage(n, p, noticeReminderKey(n.id, today), 'reminder', `bot:notices.reminder.${n.kind}`));
}
