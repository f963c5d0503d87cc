import { Types } from 'mongoose';
import type { SiteQuery, SiteRepo, UnitRepo, UserRepo } from '../core/registry/registry.ports';
import type { Locale } from '../core/config.schema';
import type { RoleBinding, Site, SiteKind, SiteStatus, Level, Unit, User } from '../core/registry/types';
import { normalizeDomain } from '../core/registry/domain';
import { SiteModel, type SiteDoc } from './site.model';
import { UnitModel, type UnitDoc } from './unit.model';
import { UserModel, type UserDoc } from './user.model';

export const toUnit = (d: UnitDoc): Unit => ({
  code: d._id,
  name: d.name,
  kind: d.kind,
  level: d.level,
  divisionCode: d.divisionCode,
  parentCode: d.parentCode ?? null,
  ancestors: d.ancestors ?? [],
});

export const toSite = (d: SiteDoc): Site => ({
  id: String(d._id),
  ...(d.code ? { code: d.code } : {}),
  name: d.name,
  kind: d.kind as SiteKind,
  level: d.level as Level,
  domains: d.domains,
  supervisingUnit: d.supervisingUnit,
  hostUnit: d.hostUnit,
  ...(d.operatorUnit ? { operatorUnit: d.operatorUnit } : {}),
  languages: d.languages as Locale[],
  status: d.status as SiteStatus,
  ...(d.exceptionNote ? { exceptionNote: d.exceptionNote } : {}),
  scopeUnits: d.scopeUnits ?? [],
});

export const toUser = (d: UserDoc): User => ({
  id: String(d._id),
  userid: d.userid,
  name: d.name,
  locale: d.locale as Locale,
  ...(d.mobile ? { mobile: d.mobile } : {}),
  ...(d.email ? { email: d.email } : {}),
  roles: (d.roles ?? []).map((r): RoleBinding => (r.role === 'site_admin' ? { role: 'site_admin', siteId: r.siteId! } : r.role === 'supervisor' ? { role: 'supervisor', unitCode: r.unitCode! } : { role: 'province_admin' })),
  active: d.active !== false,
});

export const unitRepo: UnitRepo = {
  async get(code) {
    const d = await UnitModel.findById(code).lean<UnitDoc>();
    return d ? toUnit(d) : undefined;
  },
  async getMany(codes) {
    if (codes.length === 0) return [];
    return (await UnitModel.find({ _id: { $in: codes } }).lean<UnitDoc[]>()).map(toUnit);
  },
  async subtree(code) {
    return (await UnitModel.find({ $or: [{ _id: code }, { ancestors: code }] }).sort({ _id: 1 }).lean<UnitDoc[]>()).map(toUnit);
  },
};

export const siteRepo: SiteRepo = {
  async getById(id) {
    if (!Types.ObjectId.isValid(id)) return undefined;
    const d = await SiteModel.findById(id).lean<SiteDoc>();
    return d ? toSite(d) : undefined;
  },
  async findByRef(ref) {
    const r = ref.trim();
    const d = await SiteModel.findOne({ $or: [{ code: r }, { domains: normalizeDomain(r) }] }).lean<SiteDoc>();
    return d ? toSite(d) : undefined;
  },
  async find(q: SiteQuery) {
    const filter: Record<string, unknown> = {};
    if (q.scopeUnits) filter.scopeUnits = { $in: q.scopeUnits };
    if (q.ids) filter._id = { $in: q.ids.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id)) };
    if (q.hostUnit) filter.hostUnit = q.hostUnit;
    if (q.statuses) filter.status = { $in: q.statuses };
    let query = SiteModel.find(filter).sort({ level: 1, code: 1, name: 1 });
    if (q.limit) query = query.limit(q.limit);
    return (await query.lean<SiteDoc[]>()).map(toSite);
  },
  async byDomains(domains) {
    if (domains.length === 0) return [];
    return (await SiteModel.find({ domains: { $in: domains.map(normalizeDomain) } }).lean<SiteDoc[]>()).map(toSite);
  },
  async portalOf(governmentCode) {
    const d = await SiteModel.findOne({ hostUnit: governmentCode, kind: 'portal', status: { $ne: 'closed' } }).lean<SiteDoc>();
    return d ? toSite(d) : undefined;
  },
};

export const userRepo: UserRepo = {
  async byUserid(userid) {
    const d = await UserModel.findOne({ userid }).lean<UserDoc>();
    return d ? toUser(d) : undefined;
  },
  async byIds(ids) {
    const valid = ids.filter((id) => Types.ObjectId.isValid(id));
    return (await UserModel.find({ _id: { $in: valid } }).lean<UserDoc[]>()).map(toUser);
  },
  async setLocale(userid, locale) {
    const d = await UserModel.findOneAndUpdate({ userid }, { $set: { locale } }, { returnDocument: 'after' }).lean<UserDoc>();
    return d ? toUser(d) : undefined;
  },
};
