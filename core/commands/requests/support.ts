import { actorOf, type Actor } from '../../actor';
import { DomainError, notFound } from '../../errors';
import { canActOnStep, canReadRequest, belongsToStepUnit } from '../../policies/request.policy';
import { presentRequest, type RequestActionDTO } from '../../presenters/request.presenter';
import { approvalChain, chainUnitCodes, stepsFor } from '../../requests/approval-chain';
import { chinaDateOf } from '../../calendar/civil-date';
import { yearOfDate } from '../../requests/dates';
import { applyEvent, createRequest, requestYear } from '../../requests/machines';
import { deadlineEnvOf } from '../../requests/review-deadline';
import { TEMP_OFFLINE_APPROVED } from '../../requests/temp-offline.machine';
import type { Who } from '../../audit';
import { OPEN_STATUSES, type RequestEvent, type RequestFacts, type RequestPayload, type RequestRecord, type RequestType, type SiteRef } from '../../requests/types';
import type { Site } from '../../registry/types';
import { governmentCodeOf } from '../../registry/unit.rules';
import type { Ctx } from '../command';
import type { Deps } from '../../ports';

export const whoOf = (actor: Actor): Who => ({ userid: actor.user.userid, name: actor.user.name });

/**
 * The site as a request remembers it, with its approval steps from the registry and the portal its notices
 * go on (art. 10, 14, 16): a department site's own government portal, a portal's superior portal.
 */
export async function requestSiteOf(deps: Deps, site: Site, type: RequestType): Promise<{ ref: SiteRef; steps: RequestRecord['steps'] }> {
  const host = await deps.units.get(site.hostUnit);
  if (!host) throw new DomainError('unit_unknown', { unit: site.hostUnit });
  const units = new Map((await deps.units.getMany(chainUnitCodes(host))).map((u) => [u.code, u]));
  const steps = stepsFor(type, approvalChain(site, host, units));
  const government = governmentCodeOf(host);
  const portalGov = site.kind === 'portal' ? (host.parentCode ?? host.code) : government;
  const portal = portalGov ? await deps.sites.portalOf(portalGov) : undefined;
  const ref: SiteRef = {
    id: site.id,
    name: site.name,
    kind: site.kind,
    domain: site.domains[0] ?? '',
    noticePortal: portal ? { id: portal.id, name: portal.name, domain: portal.domains[0] ?? '' } : null,
  };
  return { ref, steps };
}

/** Art. 14 facts for a temporary offline in the year its window starts. */
export async function quotaFacts(deps: Deps, siteId: string, start: string | undefined, excludeId?: string): Promise<RequestFacts> {
  if (!start || !/^\d{4}-/.test(start)) return {};
  const year = yearOfDate(start);
  const base = { siteId, type: 'temp_offline' as const, year, ...(excludeId ? { excludeId } : {}) };
  const [approvedInYear, pendingInYear] = await Promise.all([
    deps.requests.idsOf({ ...base, statuses: TEMP_OFFLINE_APPROVED }),
    deps.requests.idsOf({ ...base, statuses: OPEN_STATUSES }),
  ]);
  return { approvedInYear, pendingInYear };
}

/**
 * Files a request: the machine decides once (a refusal throws before any id is spent), then the repository
 * assigns the id, keys the effects to it and stores the request in one write.
 */
export async function fileRequest(ctx: Ctx, type: RequestType, site: Site, payload: RequestPayload, facts: RequestFacts = {}): Promise<RequestActionDTO> {
  const now = ctx.deps.clock.now();
  const { ref, steps } = await requestSiteOf(ctx.deps, site, type);
  const input = { site: ref, requester: whoOf(ctx.actor), steps, payload, facts: { today: chinaDateOf(now), siteStatus: site.status, ...facts } };
  const filing = createRequest(type, input, { now, deadlines: await deadlineEnvOf(ctx.deps) }, ctx.source);
  const record = await ctx.deps.requests.create(
    {
      ...filing.state,
      year: requestYear(type, payload, now),
      scopeUnits: site.scopeUnits,
      version: 0,
      audit: [filing.audit],
      effects: filing.effects,
      createdAt: now,
      updatedAt: now,
    },
    now,
  );
  return { action: 'file', request: presentRequest(record, now) };
}

/**
 * A request the actor may read. One they may not read answers exactly as a missing id (ids are sequential,
 * so a different answer would tell which exist); what they may read but not do is refused by the caller.
 */
export async function loadRequest(ctx: Ctx, id: string): Promise<RequestRecord> {
  const record = await ctx.deps.requests.get(id);
  if (!record || !canReadRequest(ctx.actor, record)) throw notFound('request', id);
  return record;
}

/** Runs one event and writes it (one guarded single-document write); answers the request as it now is. */
export async function act(ctx: Ctx, record: RequestRecord, event: RequestEvent): Promise<RequestActionDTO> {
  const now = ctx.deps.clock.now();
  const change = applyEvent(record, event, { now, deadlines: await deadlineEnvOf(ctx.deps) }, ctx.source);
  if (!change) return { action: event.type, request: presentRequest(record, now) };
  const saved = await ctx.deps.requests.commit(record, change, now);
  return { action: event.type, request: presentRequest(saved, now) };
}

/**
 * The step this approver acts on: the current one if it is theirs; else a step of theirs already decided
 * (the machine answers `step_already_decided`: a repeated click decides nothing twice); else not theirs.
 */
export function stepIndexFor(actor: Actor, record: RequestRecord): number {
  const current = record.steps[record.currentStep];
  if (record.status === 'reviewing' && current && canActOnStep(actor, current)) return record.currentStep;
  for (let i = record.steps.length - 1; i >= 0; i--) {
    const s = record.steps[i]!;
    if (s.decision && (belongsToStepUnit(actor, s) || s.assignee?.userid === actor.user.userid || s.decision.by.userid === actor.user.userid)) return i;
  }
  // Theirs, but the request is no longer under review (withdrawn, rejected…): the machine says why.
  if (record.status !== 'reviewing') {
    const mine = record.steps.findIndex((s) => belongsToStepUnit(actor, s));
    if (mine >= 0) return mine;
  }
  const unit = current?.assignee?.name ?? current?.unitName ?? '';
  throw new DomainError('not_your_step', { id: record.id, unit }, 403);
}

/**
 * A colleague named for 转办 must be able to act on the step; anyone registered may be copied (抄送). A 转办
 * to someone who is not such a colleague is refused in the same words whether they exist or not, naming
 * nobody: the refusal must not tell who is registered elsewhere, or what they are called.
 */
export async function colleague(ctx: Ctx, record: RequestRecord, userid: string, forHandoff: boolean): Promise<Who> {
  const user = await ctx.deps.users.byUserid(userid.trim());
  const step = record.steps[record.currentStep];
  if (forHandoff && (!user || !user.active || (step && !belongsToStepUnit(actorOf(user), step)))) {
    throw new DomainError('handoff_target_invalid', { unit: step?.unitName ?? '' }, 422);
  }
  if (!user || !user.active) throw notFound('user', userid);
  return { userid: user.userid, name: user.name };
}
