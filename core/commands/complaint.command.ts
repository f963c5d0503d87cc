import { z } from 'zod';
import { siteSnapshot, intakeComplaints } from '../complaints/complaint.intake';
import { transition } from '../complaints/complaint.machine';
import type { Complaint, ComplaintEvent } from '../complaints/complaint.types';
import { DomainError, ValidationError, notFound } from '../errors';
import { canActOnComplaint, canReadComplaint } from '../policies/complaint.policy';
import { supervises } from '../policies/site.policy';
import { complaintDto, presentComplaint } from '../presenters/complaint.presenter';
import { defineCommand, type Ctx } from './command';
import { visibleSite } from './visible';

const ref = z.string('complaint_ref_required').trim().min(1, 'complaint_ref_required').max(64);
const reason = (code: string) => z.string(code).trim().min(1, code).max(2000);
const out = z.object({ complaint: complaintDto });

/** Loads a report the actor may see; one they may not see reads as not found, so ids do not leak. */
export async function loadComplaint(ctx: Ctx, reference: string): Promise<Complaint> {
  const c = await ctx.deps.complaints.byRef(reference);
  if (!c || !canReadComplaint(ctx.actor, c)) throw notFound('complaint', reference);
  return c;
}

/**
 * One lifecycle step, the same for every command: load, check the policy, run the machine, write once with
 * the version guard (a concurrent change answers `complaint_changed`, nothing is half-written).
 */
async function act(ctx: Ctx, reference: string, makeEvent: (c: Complaint) => Promise<ComplaintEvent> | ComplaintEvent) {
  const c = await loadComplaint(ctx, reference);
  const event = await makeEvent(c);
  if (!canActOnComplaint(ctx.actor, c, event.type)) throw new DomainError('complaint_forbidden', { platformId: c.platformId, action: event.type }, 403);
  const now = ctx.deps.clock.now();
  const calendar = await ctx.deps.calendar.current();
  const { state: next } = transition(c, event, { now, calendar, by: { userid: ctx.actor.user.userid, name: ctx.actor.user.name }, source: ctx.source });
  if (!(await ctx.deps.complaints.save(next))) throw new DomainError('complaint_changed', { platformId: c.platformId }, 409);
  return { complaint: presentComplaint(next, now) };
}

/** Display names of the people in a report's history (a handful), so the timeline reads 王芳, not a userid. */
async function namesOf(ctx: Ctx, c: Complaint): Promise<Map<string, string>> {
  const ids = [...new Set(c.history.map((h) => h.by.userid))];
  const users = await Promise.all(ids.map((id) => ctx.deps.users.byUserid(id)));
  return new Map(users.flatMap((u) => (u ? [[u.userid, u.name] as [string, string]] : [])));
}

/** The target of an assignment: a known site the actor supervises (province admins: any); one they cannot see reads as missing. */
async function targetSite(ctx: Ctx, siteRef: string) {
  const site = await visibleSite(ctx, siteRef);
  if (!supervises(ctx.actor, site)) throw new DomainError('site_supervisor_only', { site: site.name }, 403);
  return siteSnapshot(site);
}

const rowRecord = z.record(z.string(), z.unknown());
export const INTAKE_MAX_ROWS = 1000;

export const complaintIntake = defineCommand({
  id: 'complaint.intake',
  input: z.union([z.object({ complaints: z.array(rowRecord).min(1).max(INTAKE_MAX_ROWS) }), rowRecord]),
  output: z.object({
    total: z.number().int(),
    created: z.number().int(),
    unchanged: z.number().int(),
    unmatched: z.array(z.object({ row: z.number().int(), platformId: z.string(), site: z.string() })),
    failed: z.array(z.object({ row: z.number().int(), field: z.string(), code: z.string(), params: z.record(z.string(), z.unknown()).optional() })),
    failedRows: z.number().int(),
  }),
  roles: ['province_admin'],
  http: { method: 'post', path: '/complaints' },
  /**
   * Reports from the national platform, one or a batch; the same platform id twice is stored once. A batch is
   * an import (bad rows are listed, the others taken in); a single report that is invalid is a 400 naming
   * each bad field, like any other invalid input.
   */
  async handler(ctx, input) {
    const batch = Array.isArray((input as { complaints?: unknown }).complaints);
    const list = batch ? (input as { complaints: Record<string, unknown>[] }).complaints : [input as Record<string, unknown>];
    const { entity: _entity, ...report } = await intakeComplaints(ctx.deps, list.map((data, i) => ({ row: i + 1, data })), { by: { userid: ctx.actor.user.userid, name: ctx.actor.user.name }, source: ctx.source, now: ctx.deps.clock.now() });
    if (!batch && report.failed.length) throw new ValidationError(report.failed.map(({ row: _row, ...problem }) => problem));
    return report;
  },
});

export const complaintShow = defineCommand({
  id: 'complaint.show',
  input: z.object({ ref }),
  output: out,
  roles: [],
  http: { method: 'get', path: '/complaints/:ref' },
  chat: { words: { 'zh-CN': ['投诉', '查看投诉'], en: ['complaint'] }, args: ['ref'] },
  /** One report with its deadlines and timeline. */
  async handler(ctx, input) {
    const c = await loadComplaint(ctx, input.ref);
    return { complaint: presentComplaint(c, ctx.deps.clock.now(), await namesOf(ctx, c)) };
  },
});

export const complaintTransfer = defineCommand({
  id: 'complaint.transfer',
  input: z.object({ ref, note: z.string().trim().max(2000).optional() }),
  output: out,
  roles: ['supervisor'],
  http: { method: 'post', path: '/complaints/:ref/transfer' },
  chat: { words: { 'zh-CN': ['转办投诉', '转办'], en: ['transfer'] }, args: ['ref', 'note'] },
  /** The supervising unit hands the report to the site's host unit (art. 35: within 1 working day). */
  async handler(ctx, input) {
    return act(ctx, input.ref, () => ({ type: 'transfer', ...(input.note ? { note: input.note } : {}) }));
  },
});

export const complaintAnswer = defineCommand({
  id: 'complaint.answer',
  input: z.object({ ref, text: reason('complaint_answer_required') }),
  output: out,
  roles: ['site_admin'],
  http: { method: 'post', path: '/complaints/:ref/answer' },
  chat: { words: { 'zh-CN': ['答复'], en: ['answer'] }, args: ['ref', 'text'] },
  /** The host unit answers the netizen (art. 35: within 3 working days of the transfer). */
  async handler(ctx, input) {
    return act(ctx, input.ref, () => ({ type: 'answer', text: input.text }));
  },
});

export const complaintUntrue = defineCommand({
  id: 'complaint.untrue',
  input: z.object({ ref, reason: reason('complaint_reason_required') }),
  output: out,
  roles: ['site_admin', 'supervisor'],
  http: { method: 'post', path: '/complaints/:ref/untrue' },
  chat: { words: { 'zh-CN': ['不属实'], en: ['untrue'] }, args: ['ref', 'reason'] },
  /** The one outcome that is not published (art. 35); the reason is kept. */
  async handler(ctx, input) {
    return act(ctx, input.ref, () => ({ type: 'mark_untrue', reason: input.reason }));
  },
});

export const complaintPublish = defineCommand({
  id: 'complaint.publish',
  input: z.object({ ref }),
  output: out,
  roles: ['site_admin', 'supervisor'],
  http: { method: 'post', path: '/complaints/:ref/publish' },
  chat: { words: { 'zh-CN': ['公开投诉'], en: ['publish'] }, args: ['ref'] },
  /** Puts the handling on the public list (art. 23, 35). */
  async handler(ctx, input) {
    return act(ctx, input.ref, () => ({ type: 'publish' }));
  },
});

export const complaintClose = defineCommand({
  id: 'complaint.close',
  input: z.object({ ref }),
  output: out,
  roles: ['supervisor'],
  http: { method: 'post', path: '/complaints/:ref/close' },
  chat: { words: { 'zh-CN': ['办结投诉', '办结'], en: ['close complaint'] }, args: ['ref'] },
  async handler(ctx, input) {
    return act(ctx, input.ref, () => ({ type: 'close' }));
  },
});

export const complaintReturn = defineCommand({
  id: 'complaint.return',
  input: z.object({ ref, reason: reason('complaint_reason_required') }),
  output: out,
  roles: ['site_admin'],
  http: { method: 'post', path: '/complaints/:ref/return' },
  chat: { words: { 'zh-CN': ['退回投诉', '非本站'], en: ['return complaint', 'not ours'] }, args: ['ref', 'reason'] },
  /** "Not our site": back to the supervising unit, which re-assigns it. */
  async handler(ctx, input) {
    return act(ctx, input.ref, () => ({ type: 'return', reason: input.reason }));
  },
});

export const complaintReassign = defineCommand({
  id: 'complaint.reassign',
  input: z.object({ ref, site: z.string().trim().min(1, 'site_ref_required').max(253) }),
  output: out,
  roles: ['supervisor'],
  http: { method: 'post', path: '/complaints/:ref/reassign' },
  chat: { words: { 'zh-CN': ['改派投诉', '改派'], en: ['reassign'] }, args: ['ref', 'site'] },
  /** Moves a report to another site the supervisor also covers; the new side gets a fresh working day. */
  async handler(ctx, input) {
    return act(ctx, input.ref, async () => ({ type: 'reassign', site: await targetSite(ctx, input.site) }));
  },
});

export const complaintAssign = defineCommand({
  id: 'complaint.assign',
  input: z.object({ ref, site: z.string().trim().min(1, 'site_ref_required').max(253) }),
  output: out,
  roles: ['province_admin'],
  http: { method: 'post', path: '/complaints/:ref/assign' },
  chat: { words: { 'zh-CN': ['分配投诉'], en: ['assign complaint'] }, args: ['ref', 'site'] },
  /** Takes a report out of the unmatched queue by naming its site. */
  async handler(ctx, input) {
    return act(ctx, input.ref, async () => ({ type: 'assign', site: await targetSite(ctx, input.site) }));
  },
});

export const complaintReopen = defineCommand({
  id: 'complaint.reopen',
  input: z.object({ ref, reason: reason('complaint_reason_required') }),
  output: out,
  roles: ['supervisor'],
  http: { method: 'post', path: '/complaints/:ref/reopen' },
  chat: { words: { 'zh-CN': ['重办投诉', '重办'], en: ['reopen'] }, args: ['ref', 'reason'] },
  /** Back to the host unit for a new answer, with a new 3-working-day deadline. */
  async handler(ctx, input) {
    return act(ctx, input.ref, () => ({ type: 'reopen', reason: input.reason }));
  },
});

export const complaintActionCommands = [
  complaintIntake,
  complaintShow,
  complaintTransfer,
  complaintAnswer,
  complaintUntrue,
  complaintPublish,
  complaintClose,
  complaintReturn,
  complaintReassign,
  complaintAssign,
  complaintReopen,
];
