import { DomainError } from '../core/errors';
import { requestYear, withIds, type Change } from '../core/requests/machines';
import type { InboxQuery, RequestRepo, RequestRulesPort } from '../core/requests/ports';
import { actsOnReview } from '../core/deadlines/request.deadlines';
import type { RequestRecord, RequestState } from '../core/requests/types';
import { chinaDateOf } from '../core/calendar/civil-date';
import { parseReviewWorkingDays } from '../core/requests/review.settings';
import { siteAfterChanges } from '../core/requests/site-changes';
import { outageCoverOf } from '../core/requests/outage-cover';
import { nextSeq } from './counter.model';
import { checkSiteRow } from './import/registry-import';
import { unitRepo } from './registry.repo';
import { RequestModel, type RequestDoc } from './request.model';
import { readDeadlines } from './deadline.model';
import { settleRequestDeadlines } from './request-deadlines';
import { claimSlots, freeSlots, freeSlotsNotHeld } from './quota-slot.model';
import { quotaSlotsOf, slotChanges } from '../core/requests/quota-slots';

export const changedConcurrently = (id: string) => new DomainError('request_changed_concurrently', { id }, 409);

export function toRequest(d: RequestDoc): RequestRecord {
  return {
    id: d._id,
    type: d.type,
    status: d.status,
    site: d.site,
    requester: { userid: d.requester.userid, name: d.requester.name },
    year: d.year,
    scopeUnits: d.scopeUnits ?? [],
    steps: (d.steps ?? []).map((s) => ({ ...s, cc: s.cc ?? [], ...(s.deadline ? { deadline: { ...s.deadline, since: new Date(s.deadline.since), dueAt: new Date(s.deadline.dueAt) } } : {}) })),
    currentStep: d.currentStep ?? 0,
    payload: d.payload ?? {},
    checklist: d.checklist ?? [],
    round: d.round ?? 1,
    flags: d.flags ?? {},
    audit: d.audit ?? [],
    effects: d.effects ?? [],
    version: d.version,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

let reviewDaysFromEnv: number | undefined;

function stateFields(state: RequestState) {
  const { status, steps, currentStep, payload, checklist, round, flags } = state;
  // Marked for the register of open deadlines: the write's entries are applied right after it (settleRequestDeadlines).
  return { status, steps, currentStep, payload, checklist, round, flags, registerDirty: true };
}

/**
 * The versioned single-document write every change of a request goes through: it matches only the version the
 * writer read, so of two racing writers exactly one moves the request on (atomic on MongoDB, and on the
 * embedded FerretDB through its write-gating front).
 */
async function writeVersioned(id: string, version: number, update: { $set: Record<string, unknown>; $push?: Record<string, unknown> }): Promise<void> {
  const res = await RequestModel.updateOne({ _id: id, version }, { ...update, $set: { ...update.$set, version: version + 1 } });
  if (res.matchedCount === 0) throw changedConcurrently(id);
}

/**
 * Marks dispatched effects done (or failed) by their index, guarded by the version read but without bumping
 * it: a person acting on the request at the same moment (effects are dispatched right after each commit) never
 * gets "changed concurrently" because of us. If their write lands first, this matches nothing and the effects
 * stay pending; their next run finds what they did already stored (each effect is idempotent) and marks them.
 */
export async function markEffects(record: RequestRecord, results: { index: number; status: 'done' | 'failed'; error?: string }[], now: Date): Promise<void> {
  if (!results.length) return;
  const set: Record<string, unknown> = {};
  for (const r of results) {
    set[`effects.${r.index}.status`] = r.status;
    set[`effects.${r.index}.doneAt`] = now;
    if (r.error) set[`effects.${r.index}.error`] = r.error;
  }
  const res = await RequestModel.updateOne({ _id: record.id, version: record.version }, { $set: set });
  if (res.matchedCount === 0) throw changedConcurrently(record.id);
}

export const requestRepo: RequestRepo = {
  async create(draft, now) {
    const year = Number(chinaDateOf(now).slice(0, 4));
    const seq = await nextSeq(`request:${year}`);
    const id = `R${year}-${String(seq).padStart(4, '0')}`;
    const effects = withIds(id, 0, draft.effects);
    const record: RequestRecord = { ...draft, id, effects };
    // Art. 14 across documents: the quota slot first, so of two racing filings one is refused.
    const slots = quotaSlotsOf(record);
    await claimSlots(slots, record, now);
    try {
      await RequestModel.create({ _id: id, ...draft, effects, registerDirty: true });
    } catch (err) {
      await freeSlots(slots, id);
      throw err;
    }
    // Its review deadline (and an emergency shutdown's outage) in the register; a failure is the dispatcher's to repair.
    await settleRequestDeadlines([record]);
    return record;
  },
  async get(id) {
    const d = await RequestModel.findById(id.trim().toUpperCase()).lean<RequestDoc>();
    return d ? toRequest(d) : undefined;
  },
  async commit(prev: RequestRecord, change: Change, now: Date) {
    const year = requestYear(prev.type, change.state.payload, prev.createdAt);
    const slots = slotChanges(quotaSlotsOf(prev), quotaSlotsOf({ type: prev.type, status: change.state.status, site: prev.site, year }));
    await claimSlots(slots.claim, prev, now);
    try {
      await writeVersioned(prev.id, prev.version, {
        $set: { ...stateFields(change.state), year, updatedAt: now },
        $push: { audit: { $each: [change.audit] }, effects: { $each: change.effects } },
      });
    } catch (err) {
      // A racing writer of the same request may hold the same slots by now: free only what it does not hold.
      await freeSlotsNotHeld(slots.claim, prev.id);
      throw err;
    }
    await freeSlots(slots.free, prev.id);
    const next: RequestRecord = { ...prev, ...change.state, year, version: prev.version + 1, updatedAt: now, audit: [...prev.audit, change.audit], effects: [...prev.effects, ...change.effects] };
    await settleRequestDeadlines([next]);
    return next;
  },
  async byRequester(userid, limit = 50) {
    return (await RequestModel.find({ 'requester.userid': userid }).sort({ createdAt: -1 }).limit(limit).lean<RequestDoc[]>()).map(toRequest);
  },
  /**
   * The steps this approver decides, most urgent first, from the register of open deadlines (one read of the
   * open reviews, never of every request ever filed), then each request by its id.
   */
  async inbox(q: InboxQuery) {
    const mine = (await readDeadlines('review')).filter((e) => actsOnReview(e, q));
    const out: RequestRecord[] = [];
    for (const e of mine) {
      if (out.length >= (q.limit ?? 100)) break;
      const d = await RequestModel.findById(e.subjectId).lean<RequestDoc>();
      // An entry a moment behind its request (decided, its register write still to come) is not listed.
      if (d && d.status === 'reviewing' && (d.currentStep ?? 0) === Number(e.detail?.step)) out.push(toRequest(d));
    }
    return out;
  },
  /** STEWARD_REVIEW_WORKING_DAYS, validated at start by core/config.schema.ts. */
  reviewWorkingDays() {
    return (reviewDaysFromEnv ??= parseReviewWorkingDays(process.env.STEWARD_REVIEW_WORKING_DAYS));
  },
  async idsOf(q) {
    const filter: Record<string, unknown> = { 'site.id': q.siteId, type: q.type, status: { $in: [...q.statuses] } };
    if (q.year !== undefined) filter.year = q.year;
    const docs = await RequestModel.find(filter, { _id: 1 }).lean<{ _id: string }[]>();
    return docs.map((d) => d._id).filter((id) => id !== q.excludeId);
  },
  async coveringOutage(siteId, now) {
    // Asked only when a site has been down for hours, so one read of that site's offline and shutdown requests.
    const docs = await RequestModel.find({ 'site.id': siteId, type: { $in: ['temp_offline', 'emergency_shutdown'] } }).lean<RequestDoc[]>();
    return outageCoverOf(docs.map(toRequest), now);
  },
};

/** Art. 6, 11, 12 checked with the import's own rules (`checkSiteRow`) on the site as it would become. */
export const requestRules: RequestRulesPort = {
  async checkSite(site, changes) {
    const next = await siteAfterChanges(site, changes, unitRepo);
    const row = {
      ...(next.code ? { code: next.code } : {}),
      name: next.name,
      kind: next.kind,
      domains: next.domains,
      hostUnit: next.hostUnit,
      supervisingUnit: next.supervisingUnit,
      ...(next.operatorUnit ? { operatorUnit: next.operatorUnit } : {}),
      languages: next.languages,
      status: next.status,
      ...(next.exceptionNote ? { exceptionNote: next.exceptionNote } : {}),
    };
    return (await checkSiteRow(row as Parameters<typeof checkSiteRow>[0], site.id)).problems;
  },
};
