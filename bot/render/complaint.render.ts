import { chinaDateTimeOf } from '../../core/calendar/civil-date';
import type { Translate } from '../../core/i18n';
import type { ComplaintDTO, DueItemDTO, PublishedEntryDTO } from '../../core/presenters/complaint.presenter';
import type { ComplaintStats, SiteStats } from '../../core/complaints/complaint.stats';
import type { Digest } from '../../core/complaints/complaint.sweep';
import { text, type CardButton, type Reply } from '../reply';

/** China-local wall-clock time of an ISO instant, `YYYY-MM-DD HH:mm`, whatever the host's TZ. */
export function chinaTime(iso: string | null): string {
  return iso ? chinaDateTimeOf(new Date(iso)) : '—';
}

const state = (s: string, t: Translate) => t(`bot:complaint.state.${s}`);

function dueLine(c: ComplaintDTO, t: Translate): string {
  if (!c.due) return '';
  const key = c.due.overdue ? 'bot:complaint.due_overdue' : 'bot:complaint.due_by';
  return t(key, { stage: t(`bot:complaint.stage.${c.due.stage}`), date: c.due.dueDate }) + (c.due.provisional ? t('bot:complaint.provisional') : '');
}

export function renderComplaint(out: { complaint: ComplaintDTO }, t: Translate): Reply {
  const c = out.complaint;
  const lines = [
    t('bot:complaint.title', { platformId: c.platformId, state: state(c.state, t) }),
    t('bot:complaint.site', { site: c.site?.name ?? t('bot:complaint.no_site', { ref: c.siteRef }) }),
    t('bot:complaint.what', { type: c.errorType, description: c.description }),
    ...(c.pageUrl ? [t('bot:complaint.page', { url: c.pageUrl })] : []),
    t('bot:complaint.received', { at: chinaTime(c.receivedAt) }),
    ...(c.due ? [dueLine(c, t)] : []),
    ...(c.answer ? [t('bot:complaint.answer', { answer: c.answer, onTime: t(c.answerOnTime ? 'bot:complaint.on_time' : 'bot:complaint.late') })] : []),
    ...(c.untrueReason ? [t('bot:complaint.untrue_reason', { reason: c.untrueReason })] : []),
    t('bot:complaint.timeline'),
    ...c.timeline.map((h) => t('bot:complaint.timeline_line', { at: chinaTime(h.at), by: h.by, event: t(`bot:complaint.event.${h.event}`), note: h.note ? `：${h.note}` : '' })),
  ];
  return text(lines.join('\n'));
}

/** The reply to a lifecycle command: what happened and what runs next. */
export function renderComplaintDone(out: { complaint: ComplaintDTO }, t: Translate): Reply {
  const c = out.complaint;
  const head = t('bot:complaint.done', { platformId: c.platformId, state: state(c.state, t), site: c.site?.name ?? c.siteRef });
  return text([head, ...(c.due ? [dueLine(c, t)] : [])].join('\n'));
}

export function renderIntake(out: { total: number; created: number; unchanged: number; unmatched: { row: number; platformId: string; site: string }[]; failedRows: number }, t: Translate): Reply {
  const lines = [t('bot:complaint.intake', { ...out, unmatched: out.unmatched.length, failed: out.failedRows })];
  for (const u of out.unmatched.slice(0, 20)) lines.push(t('bot:complaint.intake_unmatched', u));
  return text(lines.join('\n'));
}

export function renderComplaintList(out: { complaints: ComplaintDTO[]; truncated: boolean }, t: Translate): Reply {
  if (!out.complaints.length) return text(t('bot:complaint.list_none'));
  const lines = out.complaints.map((c) => t('bot:complaint.list_line', { platformId: c.platformId, state: state(c.state, t), site: c.site?.name ?? c.siteRef, type: c.errorType, received: chinaTime(c.receivedAt).slice(0, 10) }));
  if (out.truncated) lines.push(t('bot:complaint.truncated', { count: out.complaints.length }));
  return text(lines.join('\n'));
}

function dueItemLine(i: DueItemDTO, t: Translate): string {
  return t('bot:complaint.due_line', { platformId: i.platformId, site: i.site ?? '—', stage: t(`bot:complaint.stage.${i.stage}`), date: i.dueDate });
}

const renderDue = (titleKey: string, noneKey: string) => (out: { today: string; items: DueItemDTO[]; total: number; truncated: boolean }, t: Translate): Reply => {
  if (!out.total) return text(t(noneKey, { today: out.today }));
  const lines = [t(titleKey, { count: out.total, today: out.today }), ...out.items.map((i) => dueItemLine(i, t))];
  if (out.truncated) lines.push(t('bot:complaint.truncated', { count: out.items.length }));
  return text(lines.join('\n'));
};
export const renderDueToday = renderDue('bot:complaint.due_title', 'bot:complaint.due_none');
export const renderOverdue = renderDue('bot:complaint.overdue_title', 'bot:complaint.overdue_none');

function statsLine(s: ComplaintStats, t: Translate): string {
  return t('bot:complaint.stats_line', { ...s, mean: s.meanHandlingDays === null ? '—' : s.meanHandlingDays });
}

export function renderStats(out: { site: { name: string } | null; unit: string | null; from: string | null; to: string | null; totals: ComplaintStats; bySite: SiteStats[]; sites: number }, t: Translate): Reply {
  const scope = out.site?.name ?? out.unit ?? t('bot:complaint.stats_all');
  const lines = [t('bot:complaint.stats_title', { scope, from: out.from ?? '…', to: out.to ?? '…' }), statsLine(out.totals, t)];
  if (!out.site && out.bySite.length > 1) {
    for (const s of out.bySite.slice(0, 10)) lines.push(`· ${s.siteName}: ${statsLine(s, t)}`);
    if (out.sites > 10) lines.push(t('bot:complaint.truncated', { count: 10 }));
  }
  return text(lines.join('\n'));
}

export function renderPublished(out: { entries: PublishedEntryDTO[]; truncated: boolean }, t: Translate): Reply {
  if (!out.entries.length) return text(t('bot:complaint.published_none'));
  const lines = out.entries.map((e) =>
    t('bot:complaint.published_line', { platformId: e.platformId, site: e.site, received: chinaTime(e.receivedAt).slice(0, 10), answered: chinaTime(e.answeredAt).slice(0, 10), unit: e.answeringUnit.name, answer: e.answer ?? '' }),
  );
  if (out.truncated) lines.push(t('bot:complaint.truncated', { count: out.entries.length }));
  return text(lines.join('\n'));
}

/**
 * The card a site admin gets for a transferred report (channels without cards show `fallback`): the buttons
 * run `complaint.show` / `complaint.return` through the same command layer; answering needs text, so the
 * card tells the command to type.
 */
export function renderTransferredCard(c: ComplaintDTO, t: Translate): Reply {
  const body = [t('bot:complaint.what', { type: c.errorType, description: c.description }), dueLine(c, t), t('bot:complaint.card_answer_hint', { platformId: c.platformId })].join('\n');
  const buttons: CardButton[] = [{ key: 'show', text: t('bot:complaint.card_show'), command: 'complaint.show', input: { ref: c.platformId }, style: 'primary' }];
  const title = t('bot:complaint.card_title', { platformId: c.platformId, site: c.site?.name ?? c.siteRef });
  return { kind: 'card', title, body, buttons, fallback: `${title}\n${body}` };
}

/** One person's daily digest ("3 due today, 1 overdue") from `buildDigests`. */
export function renderDigest(d: Digest, t: Translate): Reply {
  const lines = [t('bot:complaint.digest', { today: d.today, dueToday: d.dueToday, overdue: d.overdue })];
  for (const i of d.top) lines.push(t('bot:complaint.due_line', { platformId: i.platformId, site: i.siteName ?? '—', stage: t(`bot:complaint.stage.${i.stage}`), date: chinaTime(new Date(i.dueAt.getTime() - 1).toISOString()).slice(0, 10) }));
  return text(lines.join('\n'));
}
