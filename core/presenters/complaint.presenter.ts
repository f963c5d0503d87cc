import { z } from 'zod';
import type { WorkingCalendar } from '../calendar';
import { runningDeadline } from '../complaints/complaint.machine';
import type { ComplaintStats, SiteStats } from '../complaints/complaint.stats';
import type { DueItem } from '../complaints/complaint.sweep';
import { COMPLAINT_STATES, type Complaint } from '../complaints/complaint.types';

const iso = z.string();
const deadlineDto = z.object({ dueDate: z.string(), dueAt: iso, provisional: z.boolean() });

/**
 * One step of a report's audit trail. `due` is the deadline the step started (transfer after receipt, assignment
 * or return; answer after transfer or reopening) and `onTime` whether the step that met a deadline met it in time;
 * both come from what the report keeps, so a deadline a later step replaced reads as null. `byName` is the actor's
 * name when the caller resolved it (the trail stores userids), else null.
 */
export const complaintEntryDto = z.object({
  at: iso,
  by: z.string(),
  byName: z.string().nullable(),
  event: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  note: z.string().nullable(),
  due: deadlineDto.extend({ stage: z.enum(['transfer', 'answer']) }).nullable(),
  onTime: z.boolean().nullable(),
});
export type ComplaintEntryDTO = z.infer<typeof complaintEntryDto>;

/** A report as chat, REST and the mini-program show it; `timeline` is its audit trail. */
export const complaintDto = z.object({
  id: z.string(),
  platformId: z.string(),
  state: z.enum(COMPLAINT_STATES),
  site: z.object({ id: z.string(), name: z.string() }).nullable(),
  siteRef: z.string(),
  pageUrl: z.string().nullable(),
  errorType: z.string(),
  description: z.string(),
  receivedAt: iso,
  /** The running deadline, if any: transfer while received, answer while transferred. */
  due: deadlineDto.extend({ stage: z.enum(['transfer', 'answer']), overdue: z.boolean() }).nullable(),
  transferDue: deadlineDto.nullable(),
  answerDue: deadlineDto.nullable(),
  transferredAt: iso.nullable(),
  transferOnTime: z.boolean().nullable(),
  answeredAt: iso.nullable(),
  answerOnTime: z.boolean().nullable(),
  answer: z.string().nullable(),
  untrueReason: z.string().nullable(),
  publishedAt: iso.nullable(),
  closedAt: iso.nullable(),
  handlingDays: z.number().nullable(),
  version: z.number().int(),
  timeline: z.array(complaintEntryDto),
});
export type ComplaintDTO = z.infer<typeof complaintDto>;

const isoOf = (d: Date | null) => (d ? d.toISOString() : null);
const deadlineOf = (d: Complaint['transferDue']) => (d ? { dueDate: d.dueDate, dueAt: d.dueAt.toISOString(), provisional: d.provisional } : null);

/** Steps that start the transfer deadline (art. 35: 1 working day) and the answer deadline (3 working days). */
const STARTS_TRANSFER = new Set<string>(['created', 'assign', 'reassign', 'return']);
const STARTS_ANSWER = new Set<string>(['transfer', 'reopen']);

function lastIndexWhere<T>(list: readonly T[], ok: (x: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (ok(list[i]!)) return i;
  return -1;
}

/**
 * The audit trail with the deadlines the report still keeps: the current `transferDue` was started by the last
 * transfer-starting step, a non-null `answerDue` by the last transfer or reopening (a later return clears it).
 * The transfer that set `transferredAt` and the answer that set `answeredAt` carry their on-time flag.
 */
export function presentTimeline(c: Complaint, names?: ReadonlyMap<string, string>): ComplaintEntryDTO[] {
  const transferStart = c.transferDue ? lastIndexWhere(c.history, (h) => STARTS_TRANSFER.has(h.action)) : -1;
  const answerStart = c.answerDue ? lastIndexWhere(c.history, (h) => STARTS_ANSWER.has(h.action)) : -1;
  const same = (a: Date, b: Date | null) => b !== null && a.getTime() === b.getTime();
  return c.history.map((h, i) => {
    let due: ComplaintEntryDTO['due'] = null;
    if (i === transferStart) due = { stage: 'transfer', ...deadlineOf(c.transferDue)! };
    else if (i === answerStart) due = { stage: 'answer', ...deadlineOf(c.answerDue)! };
    let onTime: boolean | null = null;
    if (h.action === 'transfer' && same(h.at, c.transferredAt)) onTime = c.transferOnTime;
    else if ((h.action === 'answer' || h.action === 'mark_untrue') && same(h.at, c.answeredAt)) onTime = c.answerOnTime;
    // The name today, else the name the entry kept (an entry stored before names were kept has only the userid).
    const byName = names?.get(h.by.userid) ?? (h.by.name !== h.by.userid ? h.by.name : null);
    return { at: h.at.toISOString(), by: h.by.userid, byName, event: h.action, from: h.from, to: h.to, note: h.comment ?? null, due, onTime };
  });
}

export function presentComplaint(c: Complaint, now: Date, names?: ReadonlyMap<string, string>): ComplaintDTO {
  const running = runningDeadline(c);
  return {
    id: c.id,
    platformId: c.platformId,
    state: c.state,
    site: c.site ? { id: c.site.id, name: c.site.name } : null,
    siteRef: c.siteRef,
    pageUrl: c.pageUrl,
    errorType: c.errorType,
    description: c.description,
    receivedAt: c.receivedAt.toISOString(),
    due: running ? { stage: running.stage, dueDate: running.dueDate, dueAt: running.dueAt.toISOString(), provisional: running.provisional, overdue: running.dueAt <= now } : null,
    transferDue: deadlineOf(c.transferDue),
    answerDue: deadlineOf(c.answerDue),
    transferredAt: isoOf(c.transferredAt),
    transferOnTime: c.transferOnTime,
    answeredAt: isoOf(c.answeredAt),
    answerOnTime: c.answerOnTime,
    answer: c.answer,
    untrueReason: c.untrueReason,
    publishedAt: isoOf(c.publishedAt),
    closedAt: isoOf(c.closedAt),
    handlingDays: c.handlingDays === null ? null : Math.round(c.handlingDays * 100) / 100,
    version: c.version,
    timeline: presentTimeline(c, names),
  };
}

export const dueItemDto = z.object({
  platformId: z.string(),
  site: z.string().nullable(),
  stage: z.enum(['transfer', 'answer']),
  dueDate: z.string(),
  dueAt: iso,
});
export type DueItemDTO = z.infer<typeof dueItemDto>;

export function presentDueItem(i: DueItem, calendar: WorkingCalendar): DueItemDTO {
  // dueAt is the end of the due day, i.e. the next day's 00:00: the due day is the China-local day before it.
  return { platformId: i.platformId, site: i.siteName, stage: i.stage, dueDate: calendar.localDateOf(new Date(i.dueAt.getTime() - 1)), dueAt: i.dueAt.toISOString() };
}

const statsFields = {
  received: z.number().int(),
  unmatched: z.number().int(),
  transferred: z.number().int(),
  transferredOnTime: z.number().int(),
  answered: z.number().int(),
  answeredOnTime: z.number().int(),
  untrue: z.number().int(),
  published: z.number().int(),
  overdueNow: z.number().int(),
  meanHandlingDays: z.number().nullable(),
};
export const complaintStatsDto = z.object(statsFields);
export const siteStatsDto = z.object({ siteId: z.string(), siteName: z.string(), ...statsFields });
export type ComplaintStatsDTO = ComplaintStats;
export type SiteStatsDTO = SiteStats;

/** One line of the art. 23 public list: dates, answering unit, answer. */
export const publishedEntryDto = z.object({
  platformId: z.string(),
  site: z.string(),
  errorType: z.string(),
  description: z.string(),
  receivedAt: iso,
  answeredAt: iso.nullable(),
  answeringUnit: z.object({ code: z.string(), name: z.string() }),
  answer: z.string().nullable(),
  publishedAt: iso,
});
export type PublishedEntryDTO = z.infer<typeof publishedEntryDto>;

export function presentPublished(c: Complaint, unitNames: Map<string, string>): PublishedEntryDTO {
  const host = c.site?.hostUnit ?? '';
  return {
    platformId: c.platformId,
    site: c.site?.name ?? c.siteRef,
    errorType: c.errorType,
    description: c.description,
    receivedAt: c.receivedAt.toISOString(),
    answeredAt: isoOf(c.answeredAt),
    answeringUnit: { code: host, name: unitNames.get(host) ?? host },
    answer: c.answer,
    publishedAt: (c.publishedAt ?? c.receivedAt).toISOString(),
  };
}
