import type { Translate } from '../../core/i18n';
import type { ObligationItemDTO } from '../../core/presenters/obligation.presenter';
import { text, type Reply } from '../reply';

function itemLine(i: ObligationItemDTO, t: Translate): string {
  return t('bot:obligation.line', {
    status: i.status === 'overdue' ? t('bot:obligation.status.overdue', { days: i.daysOverdue }) : t(`bot:obligation.status.${i.status}`),
    name: t(`bot:obligation.name.${i.obligation}`),
    subject: i.subject.name,
    period: i.period,
    due: i.dueDate,
    article: i.article,
  });
}

export function renderObligationList(out: { today: string; items: ObligationItemDTO[]; total: number; truncated: boolean }, t: Translate): Reply {
  if (!out.items.length) return text(t('bot:obligation.none', { today: out.today }));
  const lines = [t('bot:obligation.title', { today: out.today, count: out.total }), ...out.items.map((i) => itemLine(i, t))];
  if (out.truncated) lines.push(t('bot:obligation.truncated', { shown: out.items.length, total: out.total }));
  lines.push(t('bot:obligation.hint'));
  return text(lines.join('\n'));
}

export function renderObligationAck(out: { item: ObligationItemDTO; already: boolean }, t: Translate): Reply {
  const i = out.item;
  const params = { name: t(`bot:obligation.name.${i.obligation}`), subject: i.subject.name, period: i.period, due: i.dueDate, by: i.acknowledgedBy ?? '' };
  if (out.already) return text(t('bot:obligation.already', params));
  return text(t(i.onTime ? 'bot:obligation.acknowledged' : 'bot:obligation.acknowledged_late', params));
}

export const obligationRenderers = new Map<string, (out: never, t: Translate) => Reply>([
  ['obligation.list', renderObligationList as (out: never, t: Translate) => Reply],
  ['obligation.ack', renderObligationAck as (out: never, t: Translate) => Reply],
]);
