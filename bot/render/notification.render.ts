import type { Translate } from '../../core/i18n';
import type { NotificationView } from '../../core/reminders/notification';
import type { DigestData } from '../../core/reminders/reminder.plan';
import type { Stage } from '../../core/complaints/complaint.types';
import { text, type Reply } from '../reply';
import { chinaTime, renderDigest } from './complaint.render';
import type { NotificationCardData } from '../../core/presenters/notification-card';
import { cardOf } from './notification-cards';
import type { DigestObligationLine, ObligationDigest } from '../../core/obligations/obligation.digest';
import type { InspectionDigestLine } from '../../core/inspection/digest';

/** The inspection part of a digest (art. 28): one line per site. */
function renderInspectionLines(lines: readonly InspectionDigestLine[], t: Translate): string[] {
  // A county supervisor may watch dozens of sites: the ones with the most to fix first, the rest counted.
  const worst = [...lines].sort((a, b) => b.stale + b.brokenLinks + b.nearLimit - (a.stale + a.brokenLinks + a.nearLimit)).slice(0, INSPECTION_DIGEST_LINES);
  return [
    t('bot:digest_inspection.title', { sites: lines.length }),
    ...worst.map((l) =>
      t('bot:digest_inspection.line', {
        site: l.siteName,
        today: l.availabilityToday,
        week: l.availabilityWeek,
        home: l.homeDays === null ? t('bot:digest_inspection.home_unknown') : t('bot:digest_inspection.home_days', { count: l.homeDays }),
        nearLimit: l.nearLimit,
        stale: l.stale,
        broken: l.brokenLinks,
      }),
    ),
    ...(lines.length > worst.length ? [t('bot:digest_inspection.more', { more: lines.length - worst.length })] : []),
  ];
}

/** Inspection lines shown in one digest at most. */
const INSPECTION_DIGEST_LINES = 15;

export type { NotificationCardData };

function obligationState(l: DigestObligationLine, t: Translate): string {
  if (l.state === 'overdue') return t('bot:digest_obligations.state.overdue', { days: l.days });
  if (l.state === 'due_today') return t('bot:digest_obligations.state.due_today');
  return l.days === 0 ? t('bot:digest_obligations.state.due_soon_last') : t('bot:digest_obligations.state.due_soon', { count: l.days });
}

/** The recurring obligations part of a digest: counts, the first lines, how many more, how to acknowledge. */
function renderObligationLines(o: ObligationDigest, t: Translate): string[] {
  const lines = [t('bot:digest_obligations.title', { overdue: o.overdue, dueToday: o.dueToday, dueSoon: o.dueSoon })];
  for (const l of o.top) {
    lines.push(t('bot:digest_obligations.line', { state: obligationState(l, t), name: t(`bot:obligation.name.${l.obligation}`), subject: l.subject, period: l.period, due: l.dueDate }));
  }
  const more = o.overdue + o.dueToday + o.dueSoon - o.top.length;
  if (more > 0) lines.push(t('bot:digest_obligations.more', { count: more }));
  if (o.provisional) lines.push(t('bot:digest_obligations.provisional'));
  lines.push(t('bot:digest_obligations.hint'));
  return lines;
}

/** A digest notification: the error-report digest (when anything is due), the recurring obligations due, and the art. 23 mailbox line. */
function renderDigestNotification(d: DigestData, t: Translate): string {
  const lines: string[] = [];
  if (d.dueToday + d.overdue > 0) {
    const digest = {
      userid: '',
      locale: '',
      today: d.today,
      dueToday: d.dueToday,
      overdue: d.overdue,
      top: d.top.map((i) => ({ id: i.platformId, platformId: i.platformId, siteId: null, siteName: i.siteName, stage: i.stage as Stage, dueAt: new Date(i.dueAt) })),
    };
    const reply = renderDigest(digest, t);
    lines.push(reply.kind === 'text' ? reply.text : reply.fallback);
    const more = d.dueToday + d.overdue - d.top.length;
    if (more > 0) lines.push(t('bot:reminders.digest_more', { count: more }));
  } else {
    lines.push(t('bot:reminders.digest_nothing', { today: d.today }));
  }
  if (d.obligations?.top.length) lines.push(...renderObligationLines(d.obligations, t));
  if (d.inspection?.length) lines.push(...renderInspectionLines(d.inspection, t));
  if (d.mailbox) lines.push(t('bot:reminders.mailbox_line'));
  return lines.join('\n');
}

/** A stored notification as a chat message in the reader's locale; a late one says so. */
export function renderNotification(n: Pick<NotificationView, 'kind' | 'template' | 'params' | 'data' | 'late'>, t: Translate): Reply {
  const rendered = n.kind === 'digest' && n.data ? renderDigestNotification(n.data as unknown as DigestData, t) : t(n.template, n.params);
  const body = n.late ? `${rendered}\n${t('bot:reminders.late_note')}` : rendered;
  const card = n.kind !== 'digest' ? cardOf(n.data) : undefined;
  if (!card) return text(body);
  return {
    kind: 'card',
    title: t(card.title, n.params),
    body,
    // A button's input may name an i18n key (`bot:…`), e.g. the reason a "not our site" click sends: it is
    // written in the reader's language, like the button itself.
    buttons: card.buttons.map((b) => ({
      ...b,
      text: t(b.text, n.params),
      input: Object.fromEntries(Object.entries(b.input).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('bot:') ? t(v, n.params) : v])),
    })),
    fallback: card.hint ? `${body}\n${t(card.hint, n.params)}` : body,
    ...(card.open ? { open: { ...card.open, text: t(card.open.text, n.params) } } : {}),
  };
}

/** The in-app list (`通知` / `notifications`): newest first, each with when it was made. */
export function renderNotificationList(out: { notifications: (NotificationView & { createdAt: string | Date })[] }, t: Translate): Reply {
  if (!out.notifications.length) return text(t('bot:reminders.list_none'));
  const lines = [t('bot:reminders.list_title', { count: out.notifications.length })];
  for (const n of out.notifications) {
    const body = renderNotification({ ...n, late: false }, t);
    lines.push(t('bot:reminders.list_line', { at: chinaTime(new Date(n.createdAt).toISOString()), text: body.kind === 'text' ? body.text : body.fallback }));
  }
  return text(lines.join('\n'));
}
