import { z } from 'zod';
import type { Actor } from '../actor';
import { DomainError, notFound } from '../errors';
import { obligationIdOf } from '../obligations/obligation.aliases';
import type { ObligationId } from '../obligations/obligation.config';
import { ACTIVE_SITE_STATUSES, obligationItems, siteSubject, unitSubject, type ObligationSubject } from '../obligations/obligation.due';
import { SUBJECT_OF, addDaysTo, appliesToSite, currentOccurrence, isPeriodOf, obligationKey, occurrenceOf, occurrencesDueBetween, type Occurrence } from '../obligations/obligation.schedule';
import { canAcknowledgeObligation } from '../policies/obligation.policy';
import { canReadSite } from '../policies/site.policy';
import { obligationItemDto, presentObligationItem } from '../presenters/obligation.presenter';
import type { Deps } from '../ports';
import { chinaDateOf } from '../calendar/civil-date';
import { defineCommand } from './command';

/** Longest list one answer carries. */
export const OBLIGATION_LIST_LIMIT = 50;

const obligationName = z
  .string()
  .trim()
  .min(1, 'obligation_required')
  .transform((v, ctx) => {
    const id = obligationIdOf(v);
    if (!id) {
      ctx.addIssue({ code: 'custom', message: 'obligation_unknown', params: { value: v } });
      return z.NEVER;
    }
    return id;
  });

/** The actor's own subjects: the sites they administer and the units they supervise directly. */
async function ownSubjects(deps: Deps, actor: Actor): Promise<ObligationSubject[]> {
  const sites = actor.adminSiteIds.size ? (await deps.sites.find({ ids: [...actor.adminSiteIds] })).filter((s) => ACTIVE_SITE_STATUSES.includes(s.status)) : [];
  const units = actor.supervisedUnits.length ? await deps.units.getMany([...actor.supervisedUnits]) : [];
  return [...sites.map(siteSubject), ...units.map(unitSubject)];
}

/**
 * "Done" without a period means the oldest occurrence still not acknowledged among those past due (within the
 * look-back) and the one open now; when all are acknowledged, the one open now (answered with "already").
 */
async function defaultOccurrence(deps: Deps, obligation: ObligationId, subjectId: string, today: string): Promise<Occurrence> {
  const cfg = deps.obligations.config();
  const current = currentOccurrence(cfg, obligation, today);
  const candidates = [...occurrencesDueBetween(cfg, obligation, addDaysTo(today, -cfg.lookbackDays), addDaysTo(today, -1)), current].filter((o, i, all) => all.findIndex((x) => x.period === o.period) === i);
  const acks = await deps.obligations.acksByKeys(candidates.map((o) => obligationKey(obligation, subjectId, o.period)));
  return candidates.find((o) => !acks.has(obligationKey(obligation, subjectId, o.period))) ?? current;
}

export const obligationList = defineCommand({
  id: 'obligation.list',
  input: z.object({ obligation: obligationName.optional() }),
  output: z.object({ today: z.string(), items: z.array(obligationItemDto), total: z.number().int(), truncated: z.boolean() }),
  roles: [],
  http: { method: 'get', path: '/obligations' },
  chat: { words: { 'zh-CN': ['定期任务', '我的义务'], en: ['obligations', 'duties'] }, args: ['obligation'] },
  /** The actor's recurring duties: overdue, open and upcoming ones, and those already acknowledged that are not yet past due. */
  async handler(ctx, input) {
    const cfg = ctx.deps.obligations.config();
    const today = chinaDateOf(ctx.deps.clock.now());
    const items = await obligationItems(ctx.deps, await ownSubjects(ctx.deps, ctx.actor), today, { from: addDaysTo(today, -cfg.lookbackDays), to: addDaysTo(today, Math.max(cfg.horizonDays, 60)) }, input.obligation ? [input.obligation] : undefined);
    const shown = items.filter((i) => i.status !== 'acknowledged' || i.dueDate >= today);
    const order = { overdue: 0, open: 1, upcoming: 2, acknowledged: 3 } as const;
    shown.sort((a, b) => order[a.status] - order[b.status] || a.dueDate.localeCompare(b.dueDate));
    return { today, items: shown.slice(0, OBLIGATION_LIST_LIMIT).map(presentObligationItem), total: shown.length, truncated: shown.length > OBLIGATION_LIST_LIMIT };
  },
});

export const obligationAck = defineCommand({
  id: 'obligation.ack',
  input: z.object({
    obligation: obligationName,
    subject: z.string().trim().min(1, 'obligation_subject_required').max(253),
    period: z.string().trim().max(20).optional(),
    note: z.string().trim().max(500).optional(),
  }),
  output: z.object({ item: obligationItemDto, already: z.boolean() }),
  roles: [],
  http: { method: 'post', path: '/obligations/ack' },
  chat: { words: { 'zh-CN': ['义务完成', '完成义务'], en: ['duty done'] }, args: ['obligation', 'subject', 'note'] },
  /**
   * Records that an occurrence is done (a self-check held, a report published…), once: the unique key
   * `<obligation>:<subject>:<period>` makes a second acknowledgement answer with the first one.
   */
  async handler(ctx, input) {
    const { deps, actor } = ctx;
    const cfg = deps.obligations.config();
    const obligation: ObligationId = input.obligation;
    if (!cfg[obligation].enabled) throw new DomainError('obligation_disabled', { obligation }, 422);
    let subject: ObligationSubject;
    if (SUBJECT_OF[obligation] === 'site') {
      // A site the actor cannot see reads as missing (before "not applicable", which would name it).
      const site = await deps.sites.findByRef(input.subject);
      if (!site || !canReadSite(actor, site)) throw notFound('site', input.subject);
      subject = siteSubject(site);
      if (!appliesToSite(cfg, obligation, site)) throw new DomainError('obligation_not_applicable', { obligation, subject: site.name }, 422);
    } else {
      const unit = await deps.units.get(input.subject);
      if (!unit) throw notFound('unit', input.subject);
      subject = unitSubject(unit);
    }
    if (!canAcknowledgeObligation(actor, subject)) throw new DomainError('obligation_not_yours', { subject: subject.name }, 403);
    const now = deps.clock.now();
    const today = chinaDateOf(now);
    if (input.period && !isPeriodOf(obligation, input.period)) throw new DomainError('obligation_period_invalid', { period: input.period }, 400);
    const occ = input.period ? occurrenceOf(cfg, obligation, input.period) : await defaultOccurrence(deps, obligation, subject.id, today);
    if (occ.windowStart > today) throw new DomainError('obligation_not_open', { period: occ.period, from: occ.windowStart }, 422);
    const { created, ack } = await deps.obligations.acknowledge({
      key: obligationKey(obligation, subject.id, occ.period),
      obligation,
      subjectKind: subject.kind,
      subjectId: subject.id,
      subjectName: subject.name,
      period: occ.period,
      dueDate: occ.dueDate,
      by: { userid: actor.user.userid, name: actor.user.name },
      at: now,
      note: input.note ?? null,
      onTime: today <= occ.dueDate,
      source: ctx.source,
    });
    const item = presentObligationItem({ ...occ, key: ack.key, subject, status: 'acknowledged', daysOverdue: 0, ack });
    return { item, already: !created };
  },
});

export const obligationCommands = [obligationList, obligationAck];
