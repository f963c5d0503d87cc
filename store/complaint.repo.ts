import { Types } from 'mongoose';
import type { ComplaintQuery, ComplaintRepo, ComplaintScope, DueRow, PersonRef, Responsible, StatRow } from '../core/complaints/complaint.ports';
import { OPEN_STATES, type Complaint, type ComplaintState, type NewComplaint, type OpenState } from '../core/complaints/complaint.types';
import { normalizeDomain } from '../core/registry/domain';
import type { Site } from '../core/registry/types';
import { ComplaintModel, type ComplaintDoc } from './complaint.model';
import { toSite } from './registry.repo';
import { SiteModel, type SiteDoc } from './site.model';
import { UserModel, type UserDoc } from './user.model';

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
    history: (d.history ?? []) as Complaint['history'],
    outbox: (d.outbox ?? []) as Complaint['outbox'],
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
    outbox: c.outbox as ComplaintDoc['outbox'],
    pendingEffects: c.outbox.filter((e) => e.doneAt === null).length,
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

const DUE_PROJECTION = { _id: 1, platformId: 1, state: 1, dueAt: 1, siteId: 1, siteName: 1, supervisingUnit: 1 } as const;
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

const person = (u: Pick<UserDoc, 'userid' | 'name' | 'locale'>): PersonRef => ({ userid: u.userid, name: u.name, locale: u.locale });

function push<K>(map: Map<K, PersonRef[]>, key: K, p: PersonRef): void {
  const list = map.get(key);
  if (list) list.push(p);
  else map.set(key, [p]);
}

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
    const docs = list.map((c) => ({ ...toComplaintDoc(c), createdAt: now, updatedAt: now }));
    try {
      await ComplaintModel.collection.insertMany(docs as never[], { ordered: false });
      return { inserted: docs.map((d) => d.platformId), duplicates: [] };
    } catch (err) {
      const e = err as { code?: number; writeErrors?: { index: number; code: number }[] | { index: number; code: number } };
      const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
      if (!writeErrors.length || writeErrors.some((w) => w.code !== 11000)) throw err;
      const failed = new Set(writeErrors.map((w) => w.index));
      return { inserted: docs.filter((_, i) => !failed.has(i)).map((d) => d.platformId), duplicates: docs.filter((_, i) => failed.has(i)).map((d) => d.platformId) };
    }
  },

  async save(next) {
    // One writer per version: the update matches only the version this writer read.
    const res = await ComplaintModel.collection.updateOne(
      { _id: new Types.ObjectId(next.id), version: next.version - 1 },
      { $set: { ...toComplaintDoc(next), updatedAt: new Date() } },
    );
    return res.matchedCount === 1;
  },

  async list(q) {
    const filter = queryFilter(q);
    if (!filter) return [];
    let query = ComplaintModel.find(filter).sort(q.dueBy ? { dueAt: 1 } : q.published ? { publishedAt: -1 } : { receivedAt: -1 });
    if (q.limit) query = query.limit(q.limit);
    return (await query.lean<ComplaintDoc[]>()).map(toComplaint);
  },

  async openDueBy(until, scope = { all: true }) {
    const sf = scopeFilter(scope);
    if (!sf) return [];
    const filter = { state: { $in: [...OPEN_STATES] }, dueAt: { $lte: until }, ...sf };
    const cursor = ComplaintModel.collection.find(filter, { projection: DUE_PROJECTION, batchSize: 5000 }).sort({ dueAt: 1 });
    const rows: DueRow[] = [];
    for await (const d of cursor) {
      rows.push({
        id: String(d._id),
        platformId: d.platformId as string,
        state: d.state as OpenState,
        dueAt: d.dueAt as Date,
        siteId: (d.siteId as string | null) ?? null,
        siteName: (d.siteName as string | null) ?? null,
        supervisingUnit: (d.supervisingUnit as string | null) ?? null,
      });
    }
    return rows;
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

  async responsible(siteIds, unitCodes, withProvinceAdmins) {
    const out: Responsible = { siteAdmins: new Map(), supervisors: new Map(), provinceAdmins: [] };
    const or: Record<string, unknown>[] = [];
    if (siteIds.length) or.push({ 'roles.siteId': { $in: siteIds } });
    if (unitCodes.length) or.push({ 'roles.unitCode': { $in: unitCodes } });
    if (withProvinceAdmins) or.push({ 'roles.role': 'province_admin' });
    if (!or.length) return out;
    const wantSites = new Set(siteIds);
    const wantUnits = new Set(unitCodes);
    const users = await UserModel.find({ $or: or }, { userid: 1, name: 1, locale: 1, roles: 1, active: 1 }).lean<UserDoc[]>();
    for (const u of users) {
      if (u.active === false) continue;
      const p = person(u);
      for (const r of u.roles ?? []) {
        if (r.role === 'site_admin' && r.siteId && wantSites.has(r.siteId)) push(out.siteAdmins, r.siteId, p);
        else if (r.role === 'supervisor' && r.unitCode && wantUnits.has(r.unitCode)) push(out.supervisors, r.unitCode, p);
        else if (r.role === 'province_admin' && withProvinceAdmins && !out.provinceAdmins.some((x) => x.userid === p.userid)) out.provinceAdmins.push(p);
      }
    }
    return out;
  },
};
