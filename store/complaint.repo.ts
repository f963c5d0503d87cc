import { Types } from 'mongoose';
import type { ComplaintQuery, ComplaintRepo, ComplaintScope, StatRow } from '../core/complaints/complaint.ports';
import { OPEN_STATES, type Complaint, type ComplaintState, type NewComplaint } from '../core/complaints/complaint.types';
import { complaintDeadlineKeys, complaintOpenDeadlines } from '../core/deadlines/complaint.deadlines';
import { audienceKey, type CachedPeople, type OpenDeadline } from '../core/deadlines/deadline.types';
import { normalizeDomain } from '../core/registry/domain';
import type { Site } from '../core/registry/types';
import { ComplaintModel, type ComplaintDoc } from './complaint.model';
import { readComplaintEffect, readComplaintEntry } from './complaint.stored';
import { pendingEffects } from '../core/effects';
import { applyDeadlines, bulkWriteInChunks } from './deadline.model';
import { toSite } from './registry.repo';
import { SiteModel, type SiteDoc } from './site.model';
import { audiencePeople, roleHolders } from './people.repo';

export function toComplaint(d: ComplaintDoc): Complaint {
  return {
    id: String(d._id),
    platformId: d.platformId,
    siteRef: d.siteRef,
    site: d.siteId ? { id: d.siteId, name: d.siteName ?? d.siteId, hostUnit: d.hostUnit ?? '', supervisingUnit: d.supervisingUnit ?? '', scopeUnits: d.scopeUnits ?? [] } : null,
    pageUrl: d.pageUrl ?? null,
    errorType: d.errorType,
    description: d.description,
    receivedAt: d.receivedAt,
    state: d.state as ComplaintState,
    version: d.version,
    transferDue: d.transferDue?.dueAt ? { dueDate: d.transferDue.dueDate, dueAt: d.transferDue.dueAt, provisional: Boolean(d.transferDue.provisional) } : null,
    answerDue: d.answerDue?.dueAt ? { dueDate: d.answerDue.dueDate, dueAt: d.answerDue.dueAt, provisional: Boolean(d.answerDue.provisional) } : null,
    dueAt: d.dueAt ?? null,
    transferredAt: d.transferredAt ?? null,
    transferredBy: d.transferredBy ?? null,
    transferOnTime: d.transferOnTime ?? null,
    answeredAt: d.answeredAt ?? null,
    answeredBy: d.answeredBy ?? null,
    answer: d.answer ?? null,
    answerOnTime: d.answerOnTime ?? null,
    handlingDays: d.handlingDays ?? null,
    untrueReason: d.untrueReason ?? null,
    publishedAt: d.publishedAt ?? null,
    closedAt: d.closedAt ?? null,
    history: (d.history ?? []).map(readComplaintEntry),
    outbox: (d.outbox ?? []).map(readComplaintEffect),
  };
}

/** The stored form: the site flattened into indexed fields. */
export function toComplaintDoc(c: NewComplaint | Complaint): Omit<ComplaintDoc, '_id'> {
  return {
    platformId: c.platformId,
    siteRef: c.siteRef,
    siteId: c.site?.id ?? null,
    siteName: c.site?.name ?? null,
    hostUnit: c.site?.hostUnit ?? null,
    supervisingUnit: c.site?.supervisingUnit ?? null,
    scopeUnits: c.site?.scopeUnits ?? [],
    pageUrl: c.pageUrl,
    errorType: c.errorType,
    description: c.description,
    receivedAt: c.receivedAt,
    state: c.state,
    version: c.version,
    transferDue: c.transferDue,
    answerDue: c.answerDue,
    dueAt: c.dueAt,
    transferredAt: c.transferredAt,
    transferredBy: c.transferredBy,
    transferOnTime: c.transferOnTime,
    answeredAt: c.answeredAt,
    answeredBy: c.answeredBy,
    answer: c.answer,
    answerOnTime: c.answerOnTime,
    handlingDays: c.handlingDays,
    untrueReason: c.untrueReason,
    publishedAt: c.publishedAt,
    closedAt: c.closedAt,
    history: c.history,
    outbox: c.outbox,
    pendingEffects: pendingEffects(c.outbox).length,
  };
}

/** The filter of a scope; null when the scope can see nothing. */
function scopeFilter(scope: ComplaintScope): Record<string, unknown> | null {
  if (scope.all) return {};
  const or: Record<string, unknown>[] = [];
  if (scope.siteIds.length) or.push({ siteId: { $in: scope.siteIds } });
  if (scope.scopeUnits.length) or.push({ scopeUnits: { $in: scope.scopeUnits } });
  if (!or.length) return null;
  return or.length === 1 ? or[0]! : { $or: or };
}

function queryFilter(q: ComplaintQuery): Record<string, unknown> | null {
  const scope = scopeFilter(q.scope);
  if (!scope) return null;
  const and: Record<string, unknown>[] = [scope];
  if (q.states) and.push({ state: { $in: q.states } });
  if (q.siteId) and.push({ siteId: q.siteId });
  if (q.unit) and.push({ scopeUnits: q.unit });
  if (q.receivedFrom || q.receivedBefore) {
    and.push({ receivedAt: { ...(q.receivedFrom ? { $gte: q.receivedFrom } : {}), ...(q.receivedBefore ? { $lt: q.receivedBefore } : {}) } });
  }
  if (q.dueBy) and.push({ state: { $in: [...OPEN_STATES] }, dueAt: { $lte: q.dueBy } });
  if (q.published) and.push({ publishedAt: { $ne: null } });
  const parts = and.filter((p) => Object.keys(p).length);
  return parts.length === 0 ? {} : parts.length === 1 ? parts[0]! : { $and: parts };
}

const STAT_PROJECTION = {
  _id: 0,
  state: 1,
  receivedAt: 1,
  transferredAt: 1,
  transferOnTime: 1,
  answeredAt: 1,
  answerOnTime: 1,
  handlingDays: 1,
  dueAt: 1,
  publishedAt: 1,
  siteId: 1,
  siteName: 1,
  hostUnit: 1,
} as const;

export const complaintRepo: ComplaintRepo = {
  async byRef(ref) {
    const r = ref.trim();
    const or: Record<string, unknown>[] = [{ platformId: r }];
    if (Types.ObjectId.isValid(r) && /^[0-9a-f]{24}$/i.test(r)) or.push({ _id: new Types.ObjectId(r) });
    const d = await ComplaintModel.findOne(or.length === 1 ? or[0]! : { $or: or }).lean<ComplaintDoc>();
    return d ? toComplaint(d) : undefined;
  },

  async existingPlatformIds(ids) {
    if (ids.length === 0) return new Set();
    const found = await ComplaintModel.collection.find({ platformId: { $in: ids } }, { projection: { _id: 0, platformId: 1 } }).toArray();
    return new Set(found.map((d) => d.platformId as string));
  },

  async insertMany(list) {
    if (list.length === 0) return { inserted: [], duplicates: [] };
    const now = new Date();
    // The ids are ours, so the register entries of the new reports can be keyed without reading them back. A
    // new report without a running deadline has nothing to set or clear: it is stored settled.
    const ids = list.map(() => new Types.ObjectId());
    const dirty = list.map((c, i) => complaintOpenDeadlines({ ...c, id: String(ids[i]) }).length > 0);
    const docs = list.map((c, i) => ({ _id: ids[i]!, ...toComplaintDoc(c), registerDirty: dirty[i]!, createdAt: now, updatedAt: now }));
    let failed = new Set<number>();
    try {
      await ComplaintModel.collection.insertMany(docs as never[], { ordered: false });
    } catch (err) {
      const e = err as { code?: number; writeErrors?: { index: number; code: number }[] | { index: number; code: number } };
      const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
      if (!writeErrors.length || writeErrors.some((w) => w.code !== 11000)) throw err;
      failed = new Set(writeErrors.map((w) => w.index));
    }
    const stored = list.map((c, i) => ({ ...c, id: String(ids[i]) })).filter((_, i) => !failed.has(i) && dirty[i]);
    await settleDeadlines(stored);
    return { inserted: docs.filter((_, i) => !failed.has(i)).map((d) => d.platformId), duplicates: docs.filter((_, i) => failed.has(i)).map((d) => d.platformId) };
  },

  async save(next) {
    // One writer per version: the update matches only the version this writer read.
    const res = await ComplaintModel.collection.updateOne(
      { _id: new Types.ObjectId(next.id), version: next.version - 1 },
      { $set: { ...toComplaintDoc(next), registerDirty: true, updatedAt: new Date() } },
    );
    if (res.matchedCount !== 1) return false;
    await settleDeadlines([next]);
    return true;
  },

  async list(q) {
    const filter = queryFilter(q);
    if (!filter) return [];
    let query = ComplaintModel.find(filter).sort(q.dueBy ? { dueAt: 1 } : q.published ? { publishedAt: -1 } : { receivedAt: -1 });
    if (q.limit) query = query.limit(q.limit);
    return (await query.lean<ComplaintDoc[]>()).map(toComplaint);
  },

  async statRows(q) {
    const filter = queryFilter(q);
    if (!filter) return [];
    const rows: StatRow[] = [];
    for await (const d of ComplaintModel.collection.find(filter, { projection: STAT_PROJECTION, batchSize: 5000 })) {
      rows.push({
        state: d.state as ComplaintState,
        receivedAt: d.receivedAt as Date,
        transferredAt: (d.transferredAt as Date | null) ?? null,
        transferOnTime: (d.transferOnTime as boolean | null) ?? null,
        answeredAt: (d.answeredAt as Date | null) ?? null,
        answerOnTime: (d.answerOnTime as boolean | null) ?? null,
        handlingDays: (d.handlingDays as number | null) ?? null,
        dueAt: (d.dueAt as Date | null) ?? null,
        publishedAt: (d.publishedAt as Date | null) ?? null,
        siteId: (d.siteId as string | null) ?? null,
        siteName: (d.siteName as string | null) ?? null,
        hostUnit: (d.hostUnit as string | null) ?? null,
      });
    }
    return rows;
  },

  async sitesByRefs(refs) {
    const out = new Map<string, Site>();
    if (refs.length === 0) return out;
    const domains = refs.map(normalizeDomain);
    const docs = await SiteModel.find({ $or: [{ code: { $in: refs } }, { domains: { $in: domains } }] }).lean<SiteDoc[]>();
    for (const d of docs) {
      const site = toSite(d);
      if (site.code) out.set(site.code, site);
      for (const domain of site.domains) out.set(domain, site);
    }
    return out;
  },

  responsible(siteIds, unitCodes, withProvinceAdmins) {
    return roleHolders({ siteIds, unitCodes, provinceAdmins: withProvinceAdmins });
  },
};

type DeadlineSource = Pick<Complaint, 'id' | 'platformId' | 'state' | 'dueAt' | 'site' | 'version'>;

/** The register writes that make the register say what `c` says: its running deadline set, the other stages cleared. */
function registerWrites(list: readonly DeadlineSource[]) {
  const sets = list.flatMap((c) => complaintOpenDeadlines(c));
  const open = new Set(sets.map((e) => e.id));
  const clears = list.flatMap((c) => complaintDeadlineKeys(c.id).filter((k) => !open.has(k)).map((id) => ({ id, version: c.version })));
  return { sets, clears };
}

/** Reports whose register write failed in this process after their own write succeeded: the repair retries them first. */
const unsettled = new Set<string>();

/**
 * Applies the register entries of reports just written (the effect their write carries), then clears their
 * `registerDirty` mark guarded by the version applied. A report someone wrote again meanwhile is read again and
 * applied from its newest version, so the last writer's deadlines are what stays. A failure leaves the mark
 * set (the report's own write stands): the repair of the complaint-outbox job applies it later.
 */
async function settleDeadlines(list: readonly DeadlineSource[]): Promise<void> {
  if (!list.length) return;
  try {
    const { sets, clears } = registerWrites(list);
    await applyDeadlines(sets, clears);
    const res = await bulkWriteInChunks(
      ComplaintModel.collection as never,
      list.map((c) => ({ updateOne: { filter: { _id: new Types.ObjectId(c.id), version: c.version }, update: { $set: { registerDirty: false } } } })),
    );
    if (res.matchedCount === list.length) return;
    // Someone wrote one of them meanwhile: apply each again from what is stored now.
    for (const c of list) await settleOne(c.id);
  } catch {
    for (const c of list) unsettled.add(c.id);
  }
}

/** Applies one report's entries from its stored version until that version is still the stored one. */
async function settleOne(id: string): Promise<void> {
  const _id = new Types.ObjectId(id);
  for (let attempt = 0; attempt < 5; attempt++) {
    const d = await ComplaintModel.collection.findOne({ _id }, { projection: REGISTER_PROJECTION });
    if (!d) {
      await applyDeadlines([], complaintDeadlineKeys(id).map((k) => ({ id: k, version: Number.MAX_SAFE_INTEGER })));
      return;
    }
    const c = registerSource(d as unknown as ComplaintDoc);
    const { sets, clears } = registerWrites([c]);
    await applyDeadlines(sets, clears);
    const res = await ComplaintModel.collection.updateOne({ _id, version: c.version }, { $set: { registerDirty: false } });
    if (res.matchedCount === 1) return;
  }
  throw new Error(`complaint ${id} keeps changing; its register entries are left to the repair`);
}

const REGISTER_PROJECTION = { _id: 1, platformId: 1, state: 1, dueAt: 1, version: 1, siteId: 1, siteName: 1, hostUnit: 1, supervisingUnit: 1, scopeUnits: 1 } as const;

function registerSource(d: ComplaintDoc): DeadlineSource {
  return {
    id: String(d._id),
    platformId: d.platformId,
    state: d.state as ComplaintState,
    dueAt: d.dueAt ?? null,
    version: d.version,
    site: d.siteId ? { id: d.siteId, name: d.siteName ?? d.siteId, hostUnit: d.hostUnit ?? '', supervisingUnit: d.supervisingUnit ?? '', scopeUnits: d.scopeUnits ?? [] } : null,
  };
}

/**
 * The register's repair and backfill: applies the entries of every report whose write was not followed by its
 * register write (`registerDirty`, left by a crash or a failed write) and of every open report stored before
 * the register existed (no mark at all), in batches, with the people who act resolved once for all of them.
 * Idempotent: a second run finds nothing to do. It reads the reports collection, so it runs at start and now
 * and then, never per sweep.
 */
export async function reconcileComplaintDeadlines(now: Date = new Date(), batch = 500): Promise<{ applied: number }> {
  let applied = 0;
  for (const id of [...unsettled]) {
    unsettled.delete(id);
    await settleOne(id).catch(() => unsettled.add(id));
    applied += 1;
  }
  const filter = { $or: [{ registerDirty: true }, { registerDirty: { $exists: false }, state: { $in: [...OPEN_STATES] } }] };
  // Read first, then write: the projected rows are small, and no cursor stays open across our own writes.
  const found = (await ComplaintModel.collection.find(filter, { projection: { ...REGISTER_PROJECTION, registerDirty: 1 }, batchSize: 5000 }).toArray()) as unknown as ComplaintDoc[];
  if (!found.length) return { applied };
  const sources = found.map(registerSource);
  const people = await resolvePeople(sources.flatMap((c) => complaintOpenDeadlines(c)), now);
  for (let i = 0; i < found.length; i += batch) {
    const docs = found.slice(i, i + batch);
    const list = sources.slice(i, i + batch);
    const { sets, clears } = registerWrites(list);
    // A report never marked was stored before the register: it has no entry to clear.
    const marked = new Set(docs.filter((d) => d.registerDirty !== undefined).map((d) => String(d._id)));
    await applyDeadlines(
      sets.map((e) => ({ ...e, people: people.get(audienceKey(e.acts)) ?? null })),
      clears.filter((c) => marked.has(c.id.split(':')[1]!)),
    );
    const res = await bulkWriteInChunks(
      ComplaintModel.collection as never,
      list.map((c) => ({ updateOne: { filter: { _id: new Types.ObjectId(c.id), version: c.version }, update: { $set: { registerDirty: false } } } })),
    );
    if (res.matchedCount < list.length) for (const c of list) await settleOne(c.id);
    applied += list.length;
  }
  return { applied };
}

/** The people who act on these entries, by audience key, in one query (store/people.repo.ts). */
async function resolvePeople(entries: readonly OpenDeadline[], now: Date): Promise<Map<string, CachedPeople>> {
  const out = new Map<string, CachedPeople>();
  if (!entries.some((e) => e.acts)) return out;
  const peopleOf = await audiencePeople(entries);
  for (const e of entries) if (e.acts) out.set(audienceKey(e.acts), { key: audienceKey(e.acts), at: now, list: peopleOf(e.acts) });
  return out;
}
