import { DomainError } from '../core/errors';
import { requestYear, withIds, type Change } from '../core/requests/machines';
import type { InboxQuery, RequestRepo, RequestRulesPort } from '../core/requests/ports';
import type { RequestRecord, RequestState } from '../core/requests/types';
import { chinaDateOf } from '../core/calendar/civil-date';
import { parseReviewWorkingDays } from '../core/requests/review.settings';
import { siteAfterChanges } from '../core/requests/site-changes';
import { nextSeq } from './counter.model';
import { checkSiteRow } from './import/registry-import';
import { unitRepo } from './registry.repo';
import { RequestModel, type RequestDoc } from './request.model';
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

/** The current step copied to top-level fields, so the inbox is one indexed query, most urgent first. */
function pendingOf(state: RequestState): Pick<RequestDoc, 'pendingUnit' | 'pendingAssignee' | 'pendingRoot' | 'pendingDueAt'> {
  const step = state.status === 'reviewing' ? state.steps[state.currentStep] : undefined;
  return { pendingUnit: step?.unitCode ?? null, pendingAssignee: step?.assignee?.userid ?? null, pendingRoot: step?.root ?? false, pendingDueAt: step?.deadline?.dueAt ?? null };
}

let reviewDaysFromEnv: number | undefined;

function stateFields(state: RequestState) {
  const { status, steps, currentStep, payload, checklist, round, flags } = state;
  return { status, steps, currentStep, payload, checklist, round, flags, ...pendingOf(state) };
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
      await RequestModel.create({ _id: id, ...draft, effects, ...pendingOf(record) });
    } catch (err) {
      await freeSlots(slots, id);
      throw err;
    }
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
    return { ...prev, ...change.state, year, version: prev.version + 1, updatedAt: now, audit: [...prev.audit, change.audit], effects: [...prev.effects, ...change.effects] };
  },
  async byRequester(userid, limit = 50) {
    return (await RequestModel.find({ 'requester.userid': userid }).sort({ createdAt: -1 }).limit(limit).lean<RequestDoc[]>()).map(toRequest);
  },
  async inbox(q: InboxQuery) {
    const or: Record<string, unknown>[] = [{ pendingAssignee: q.userid }];
    if (q.units.length) or.push({ pendingUnit: { $in: [...q.units] }, pendingAssignee: null });
    if (q.root) or.push({ pendingRoot: true, pendingAssignee: null });
    return (await RequestModel.find({ status: 'reviewing', $or: or }).sort({ pendingDueAt: 1, createdAt: 1 }).limit(q.limit ?? 100).lean<RequestDoc[]>()).map(toRequest);
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
