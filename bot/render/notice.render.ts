import type { Translate } from '../../core/i18n';
import type { MyNoticeDTO, NoticeCountsDTO, NoticeDTO, SentNoticeDTO } from '../../core/presenters/notice.presenter';
import { NOT_ACKED_SHOWN, SENT_NOTICES_LIMIT } from '../../core/commands/notice.command';
import { chinaTime } from './calendar.render';
import { text, type Reply } from '../reply';

type R = (out: never, t: Translate) => Reply;

function renderPublished(out: { notice: NoticeDTO; recipients: number; groups: number }, t: Translate): Reply {
  const n = out.notice;
  const lines = [t('bot:notices.published', { id: n.id, kind: t(`bot:notices.kind.${n.kind}`), title: n.title, recipients: out.recipients, groups: out.groups })];
  if (n.requiresAck) lines.push(t('bot:notices.published_ack'));
  lines.push(t('bot:notices.published_hint', { id: n.id }));
  return text(lines.join('\n'));
}

function renderAck(out: { notice: NoticeDTO; already: boolean }, t: Translate): Reply {
  return text(t(out.already ? 'bot:notices.ack_already' : 'bot:notices.ack_done', { id: out.notice.id, title: out.notice.title }));
}

function renderStatus(out: { notice: NoticeDTO; counts: NoticeCountsDTO; notAcknowledged: { name: string }[] }, t: Translate): Reply {
  const n = out.notice;
  const lines = [
    t('bot:notices.status_title', { id: n.id, kind: t(`bot:notices.kind.${n.kind}`), title: n.title }),
    t('bot:notices.status_counts', { ...out.counts }),
  ];
  if (out.counts.groups) lines.push(t('bot:notices.status_groups', { groups: out.counts.groups, delivered: out.counts.groupsDelivered }));
  if (n.requiresAck) {
    lines.push(t('bot:notices.status_acks', { acknowledged: out.counts.acknowledged, recipients: out.counts.recipients }));
    if (out.notAcknowledged.length) {
      const shown = out.notAcknowledged.slice(0, NOT_ACKED_SHOWN).map((p) => p.name);
      lines.push(t('bot:notices.status_not_acked', { names: shown.join('、'), total: out.notAcknowledged.length }));
      if (out.notAcknowledged.length > shown.length) lines.push(t('bot:notices.status_more', { more: out.notAcknowledged.length - shown.length }));
    }
  }
  return text(lines.join('\n'));
}

function renderMine(out: { notices: MyNoticeDTO[] }, t: Translate): Reply {
  if (!out.notices.length) return text(t('bot:notices.mine_empty'));
  const lines = [t('bot:notices.mine_title', { count: out.notices.length })];
  for (const n of out.notices) {
    const state = !n.requiresAck ? t('bot:notices.mine_state.no_ack') : n.acknowledged ? t('bot:notices.mine_state.acknowledged') : t('bot:notices.mine_state.to_ack', { id: n.id });
    lines.push(t('bot:notices.mine_line', { id: n.id, kind: t(`bot:notices.kind.${n.kind}`), title: n.title, from: n.unit.name, date: n.createdAt.slice(0, 10), state }));
  }
  return text(lines.join('\n'));
}

/** Where a sent notice stands, in a few words: still publishing, no acknowledgement asked, or acknowledged n/m. */
export function sentNoticeState(n: SentNoticeDTO, t: Translate): string {
  if (n.status === 'publishing') return t('bot:notices_sent.state.publishing');
  if (!n.requiresAck) return t('bot:notices_sent.state.no_ack', { recipients: n.recipients });
  return t('bot:notices_sent.state.acks', { acknowledged: n.acknowledged, recipients: n.recipients });
}

function renderSent(out: { notices: SentNoticeDTO[]; truncated: boolean }, t: Translate): Reply {
  if (!out.notices.length) return text(t('bot:notices_sent.empty'));
  const lines = [t('bot:notices_sent.title', { count: out.notices.length })];
  for (const n of out.notices) {
    const date = chinaTime(n.publishedAt ?? n.createdAt).slice(0, 10);
    lines.push(t('bot:notices_sent.line', { id: n.id, kind: t(`bot:notices.kind.${n.kind}`), title: n.title, from: n.unit.name, by: n.by, date, state: sentNoticeState(n, t) }));
  }
  if (out.truncated) lines.push(t('bot:notices_sent.truncated', { limit: SENT_NOTICES_LIMIT }));
  lines.push(t('bot:notices_sent.hint', { id: out.notices[0]!.id }));
  return text(lines.join('\n'));
}

export const noticeRenderers = new Map<string, R>([
  ['notice.publish', renderPublished as R],
  ['notice.mine', renderMine as R],
  ['notice.sent', renderSent as R],
  ['notice.ack', renderAck as R],
  ['notice.status', renderStatus as R],
]);
