import { chinaDateTimeOf } from '../../core/calendar/civil-date';
import type { Translate } from '../../core/i18n';
import type { RequestActionDTO, RequestDTO, RequestSummaryDTO } from '../../core/presenters/request.presenter';
import { text, type Reply } from '../reply';

const k = (key: string) => `bot:requests.${key}`;

function typeLabel(type: string, t: Translate): string {
  return t(k(`type.${type}`));
}

function statusLabel(status: string, t: Translate): string {
  return t(k(`status.${status}`));
}

const dk = (key: string) => `bot:request_deadline.${key}`;

/** The pending step's review deadline: "截止 2026-12-01（暂定）", or overdue; empty when nothing is pending. */
export function deadlineText(r: Pick<RequestSummaryDTO, 'deadline' | 'deadlineProvisional' | 'overdue'>, t: Translate): string {
  if (!r.deadline) return '';
  return t(dk(r.overdue ? 'overdue' : 'due'), { date: r.deadline }) + (r.deadlineProvisional ? t(dk('provisional')) : '');
}

/** Where the request stands: its status, and whose turn it is (by when) while it is under review. */
function standing(r: RequestSummaryDTO, t: Translate): string {
  if (!r.pendingStep) return statusLabel(r.status, t);
  const waiting = t(k('waiting_for'), { status: statusLabel(r.status, t), unit: r.pendingStep.assignee?.name ?? r.pendingStep.unitName });
  return r.deadline ? t(dk('standing'), { standing: waiting, deadline: deadlineText(r, t) }) : waiting;
}

export function requestLine(r: RequestSummaryDTO, t: Translate): string {
  const window = r.start && r.end ? t(k('window'), { start: r.start, end: r.end }) : '';
  return t(k('line'), { id: r.id, type: typeLabel(r.type, t), site: r.site.name, window, standing: standing(r, t), requester: r.requester.name });
}

export function renderRequestList(out: { requests: RequestSummaryDTO[] }, t: Translate): Reply {
  if (out.requests.length === 0) return text(t(k('none')));
  return text([t(k('list_title'), { count: out.requests.length }), ...out.requests.map((r) => requestLine(r, t))].join('\n'));
}

export function renderInbox(out: { requests: RequestSummaryDTO[] }, t: Translate): Reply {
  if (out.requests.length === 0) return text(t(k('inbox_none')));
  const note = out.requests.some((r) => r.deadlineProvisional) ? [t(dk('provisional_note'))] : [];
  return text([t(k('inbox_title'), { count: out.requests.length }), ...out.requests.map((r) => requestLine(r, t)), ...note, t(k('inbox_hint'))].join('\n'));
}

function payloadLines(r: RequestDTO, t: Translate): string[] {
  const p = r.payload;
  const lines: string[] = [];
  if (p.start && p.end) lines.push(t(k('field.window'), { start: p.start, end: p.end }));
  if (p.emergencyReason) lines.push(t(k('field.emergency_reason'), { reason: t(k(`emergency_reason.${p.emergencyReason}`)) }));
  if (p.reason) lines.push(t(k('field.reason'), { value: p.reason }));
  if (p.justification) lines.push(t(k('field.justification'), { value: p.justification }));
  if (p.note) lines.push(t(k('field.note'), { value: p.note }));
  if (p.migrateTo) lines.push(t(k('field.migrate_to'), { value: p.migrateTo }));
  for (const [field, value] of Object.entries(p.changes ?? {})) lines.push(t(k('field.change'), { field: t(k(`change_field.${field}`)), value }));
  return lines;
}

function stepLine(s: RequestDTO['steps'][number], i: number, t: Translate): string {
  const state = s.decision
    ? t(k('step_decided'), { action: t(k(`decision.${s.decision.action}`)), by: s.decision.by.name, comment: s.decision.comment ? t(k('comment'), { text: s.decision.comment }) : '' })
    : t(k('step_pending'));
  const assignee = s.assignee ? t(k('step_assignee'), { name: s.assignee.name }) : '';
  const cc = s.cc.length ? t(k('step_cc'), { names: s.cc.map((c) => c.name).join('、') }) : '';
  return t(k('step_line'), { n: i + 1, unit: s.unitName, role: t(k(`role.${s.role}`)), state, assignee, cc });
}

/** China-local "YYYY-MM-DD HH:mm" of an ISO instant. */
const chinaTime = (iso: string): string => chinaDateTimeOf(new Date(iso));

export function renderRequestDetail(r: RequestDTO, t: Translate): string {
  const lines = [
    t(k('detail_title'), { id: r.id, type: typeLabel(r.type, t), site: r.site.name, domain: r.site.domain }),
    t(k('detail_status'), { standing: standing(r, t), requester: r.requester.name, round: r.round }),
    ...(r.deadlineProvisional ? [t(dk('provisional_note'))] : []),
    ...payloadLines(r, t),
  ];
  if (r.steps.length) lines.push(t(k('steps_title')), ...r.steps.map((s, i) => stepLine(s, i, t)));
  if (r.checklist.length) {
    lines.push(t(k('checklist_title')));
    for (const c of r.checklist) {
      lines.push(c.done ? t(k('checklist_done'), { item: t(k(`checklist.${c.key}`)), key: c.key, by: c.by?.name ?? '', evidence: c.evidence ?? '' }) : t(k('checklist_open'), { item: t(k(`checklist.${c.key}`)), key: c.key }));
    }
  }
  lines.push(t(k('timeline_title')));
  for (const e of r.timeline) {
    const action = e.action.startsWith('timer:') ? t(k(`timer.${e.action.slice(6)}`)) : t(k(`event.${e.action}`));
    lines.push(t(k('timeline_line'), { at: chinaTime(e.at), by: e.by.userid === 'system' ? t(k('system')) : e.by.name, action, to: statusLabel(e.to, t), source: e.source, comment: e.comment ? t(k('comment'), { text: e.comment }) : '' }));
  }
  return lines.join('\n');
}

export function renderRequestShow(out: { request: RequestDTO }, t: Translate): Reply {
  return text(renderRequestDetail(out.request, t));
}

/** The answer to filing or deciding: what happened, then where the request now stands. */
export function renderRequestAction(out: RequestActionDTO, t: Translate): Reply {
  const r = out.request;
  const head = t(k(`done.${out.action}`), { id: r.id, type: typeLabel(r.type, t), site: r.site.name });
  const lines = [head, t(k('now'), { standing: standing(r, t) })];
  if (out.action === 'file' || out.action === 'resubmit') lines.push(...payloadLines(r, t));
  if (r.checklist.length && (out.action === 'approve' || out.action === 'check')) {
    const open = r.checklist.filter((c) => !c.done).map((c) => t(k('checklist_item'), { item: t(k(`checklist.${c.key}`)), key: c.key }));
    lines.push(open.length ? t(k('checklist_remaining'), { items: open.join('、') }) : t(k('checklist_complete')));
  }
  return text(lines.join('\n'));
}

/** Command id → renderer, for bot/render/index.ts. */
export const requestRenderers: [string, (out: never, t: Translate) => Reply][] = [
  ['request.mine', renderRequestList as (out: never, t: Translate) => Reply],
  ['request.inbox', renderInbox as (out: never, t: Translate) => Reply],
  ['request.show', renderRequestShow as (out: never, t: Translate) => Reply],
  ...[
    'request.temp_offline',
    'request.emergency_shutdown',
    'request.change_record',
    'request.opening',
    'request.closure',
    'request.approve',
    'request.reject',
    'request.return',
    'request.handoff',
    'request.cc',
    'request.withdraw',
    'request.resubmit',
    'request.check',
    'request.launch',
    'request.back_online',
  ].map((id): [string, (out: never, t: Translate) => Reply] => [id, renderRequestAction as (out: never, t: Translate) => Reply]),
];
