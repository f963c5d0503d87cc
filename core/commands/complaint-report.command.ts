import { z } from 'zod';
import type { Actor } from '../actor';
import type { WorkingCalendar } from '../calendar';
import { tryDayNumber } from '../calendar/civil-date';
import { dateOutsideWindow, eventWindow } from '../calendar/date-window';
import type { ComplaintQuery, ComplaintScope, DueRow } from '../complaints/complaint.ports';
import { computeStats } from '../complaints/complaint.stats';
import { classifyDue, toDueItem } from '../complaints/complaint.sweep';
import { COMPLAINT_STATES } from '../complaints/complaint.types';
import { toDueRow } from '../deadlines/complaint.deadlines';
import { DomainError, ValidationError, notFound, type FieldProblem } from '../errors';
import { complaintScopeOf } from '../policies/complaint.policy';
import { canReadSite } from '../policies/site.policy';
import { complaintDto, complaintStatsDto, dueItemDto, presentComplaint, presentDueItem, presentPublished, publishedEntryDto, siteStatsDto } from '../presenters/complaint.presenter';
import type { Deps } from '../ports';
import { rangeInOrder, strictInt } from '../strict-input';
import { defineCommand, type Ctx } from './command';

/** Longest list one answer carries; totals are always exact. */
export const COMPLAINT_LIST_LIMIT = 50;

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'complaint_date_format')
  .refine((v) => tryDayNumber(v) !== undefined, 'complaint_date_format');
const limit = strictInt({ min: 1, max: 200 });

/**
 * Open reports due by tonight that this actor acts on or watches: answers due at the sites they administer,
 * everything in the subtree they supervise, everything for province admins. At most two reads of the register
 * of open deadlines, never of the reports.
 */
async function dueForActor(deps: Deps, actor: Actor, until: Date): Promise<DueRow[]> {
  const due = async (scope: ComplaintScope) => (await deps.deadlines.dueBy({ kind: 'complaint', until, scope })).map(toDueRow);
  if (actor.isProvinceAdmin) return due({ all: true });
  const parts: DueRow[][] = [];
  if (actor.adminSiteIds.size) {
    parts.push((await due({ siteIds: [...actor.adminSiteIds], scopeUnits: [] })).filter((r) => r.state === 'transferred'));
  }
  if (actor.supervisedUnits.length) parts.push(await due({ siteIds: [], scopeUnits: [...actor.supervisedUnits] }));
  const seen = new Set<string>();
  return parts
    .flat()
    .filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

const dueOutput = z.object({ today: z.string(), items: z.array(dueItemDto), total: z.number().int(), truncated: z.boolean() });

function dueCommand(id: 'complaint.due' | 'complaint.overdue', kind: 'due_today' | 'overdue', words: { 'zh-CN': string[]; en: string[] }, path: string) {
  return defineCommand({
    id,
    input: z.object({}),
    output: dueOutput,
    roles: [],
    http: { method: 'get', path },
    chat: { words },
    async handler(ctx) {
      const now = ctx.deps.clock.now();
      const calendar = await ctx.deps.calendar.current();
      const today = calendar.localDateOf(now);
      const rows = (await dueForActor(ctx.deps, ctx.actor, calendar.endOfLocalDay(today))).filter((r) => classifyDue(r.dueAt, now, calendar.endOfLocalDay(today)) === kind);
      return { today, items: rows.slice(0, COMPLAINT_LIST_LIMIT).map((r) => presentDueItem(toDueItem(r), calendar)), total: rows.length, truncated: rows.length > COMPLAINT_LIST_LIMIT };
    },
  });
}

export const complaintDue = dueCommand('complaint.due', 'due_today', { 'zh-CN': ['今日到期'], en: ['due'] }, '/complaints/due');
export const complaintOverdue = dueCommand('complaint.overdue', 'overdue', { 'zh-CN': ['已逾期'], en: ['overdue'] }, '/complaints/overdue');

const filters = z.object({
  site: z.string().trim().min(1).max(253).optional(),
  unit: z.string().trim().min(1).max(64).optional(),
  from: day.optional(),
  to: day.optional(),
});

/** `from` after `to` is a 400 (`date_range_reversed`), not an empty answer. */
const inOrder = rangeInOrder<z.output<typeof filters>>('from', 'to');

/**
 * Turns the shared filters into a query: a named site must be readable; the period is China-local days, `to`
 * inclusive, and both ends are dates reports can have been received on (2000-01-01 … end of next year).
 */
async function queryOf(ctx: Ctx, f: z.output<typeof filters>, calendar: WorkingCalendar, scope = complaintScopeOf(ctx.actor)): Promise<{ q: ComplaintQuery; site?: { id: string; name: string } }> {
  const window = eventWindow(calendar.localDateOf(ctx.deps.clock.now()));
  const outside = [f.from && dateOutsideWindow('from', f.from, window), f.to && dateOutsideWindow('to', f.to, window)].filter((p): p is FieldProblem => !!p);
  if (outside.length) throw new ValidationError(outside);
  const q: ComplaintQuery = { scope };
  let site: { id: string; name: string } | undefined;
  if (f.site) {
    // A site the actor cannot see reads as missing: the same 404, without its name.
    const s = await ctx.deps.sites.findByRef(f.site);
    if (!s || (!scope.all && !canReadSite(ctx.actor, s))) throw notFound('site', f.site);
    q.siteId = s.id;
    site = { id: s.id, name: s.name };
  }
  if (f.unit) q.unit = f.unit;
  try {
    if (f.from) q.receivedFrom = calendar.startOfLocalDay(f.from);
    if (f.to) q.receivedBefore = calendar.endOfLocalDay(f.to);
  } catch {
    throw new DomainError('complaint_date_format', { value: `${f.from ?? ''} ${f.to ?? ''}`.trim() }, 400);
  }
  return { q, ...(site ? { site } : {}) };
}

export const complaintList = defineCommand({
  id: 'complaint.list',
  input: filters.extend({ state: z.enum(COMPLAINT_STATES).optional(), limit: limit.optional() }).superRefine(inOrder),
  output: z.object({ complaints: z.array(complaintDto), truncated: z.boolean() }),
  roles: [],
  http: { method: 'get', path: '/complaints' },
  chat: { words: { 'zh-CN': ['投诉列表'], en: ['complaints'] }, args: ['state'] },
  /** The reports in the actor's scope, newest first; `state=unmatched` is the province's assignment queue. */
  async handler(ctx, input) {
    const calendar = await ctx.deps.calendar.current();
    const { q } = await queryOf(ctx, input, calendar);
    const limit = input.limit ?? COMPLAINT_LIST_LIMIT;
    if (input.state) q.states = [input.state];
    q.limit = limit + 1;
    const list = await ctx.deps.complaints.list(q);
    const now = ctx.deps.clock.now();
    return { complaints: list.slice(0, limit).map((c) => presentComplaint(c, now)), truncated: list.length > limit };
  },
});

export const complaintStats = defineCommand({
  id: 'complaint.stats',
  input: filters.superRefine(inOrder),
  output: z.object({
    site: z.object({ id: z.string(), name: z.string() }).nullable(),
    unit: z.string().nullable(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    totals: complaintStatsDto,
    bySite: z.array(siteStatsDto),
    sites: z.number().int(),
  }),
  roles: [],
  http: { method: 'get', path: '/complaints/stats' },
  chat: { words: { 'zh-CN': ['投诉统计'], en: ['complaint stats'] }, args: ['site'] },
  /** Art. 23 figures for a site, a unit's subtree or everything the actor sees, over a period of receipt. */
  async handler(ctx, input) {
    const calendar = await ctx.deps.calendar.current();
    const { q, site } = await queryOf(ctx, input, calendar);
    const { totals, bySite } = computeStats(await ctx.deps.complaints.statRows(q), ctx.deps.clock.now());
    return { site: site ?? null, unit: input.unit ?? null, from: input.from ?? null, to: input.to ?? null, totals, bySite: bySite.slice(0, COMPLAINT_LIST_LIMIT), sites: bySite.length };
  },
});

export const complaintPublished = defineCommand({
  id: 'complaint.published',
  input: filters.extend({ limit: limit.optional() }).superRefine(inOrder),
  output: z.object({ entries: z.array(publishedEntryDto), truncated: z.boolean() }),
  roles: [],
  http: { method: 'get', path: '/complaints/published' },
  chat: { words: { 'zh-CN': ['投诉公开列表'], en: ['published complaints'] }, args: ['site'] },
  /** The public list of art. 23: receipt and answer dates, answering unit, answer. Public, so not scoped. */
  async handler(ctx, input) {
    const calendar = await ctx.deps.calendar.current();
    const { q } = await queryOf(ctx, input, calendar, { all: true });
    const limit = input.limit ?? COMPLAINT_LIST_LIMIT;
    const list = await ctx.deps.complaints.list({ ...q, published: true, limit: limit + 1 });
    const shown = list.slice(0, limit);
    const units = await ctx.deps.units.getMany([...new Set(shown.map((c) => c.site?.hostUnit ?? '').filter(Boolean))]);
    const names = new Map(units.map((u) => [u.code, u.name]));
    return { entries: shown.map((c) => presentPublished(c, names)), truncated: list.length > limit };
  },
});

export const complaintReportCommands = [complaintList, complaintDue, complaintOverdue, complaintStats, complaintPublished];
