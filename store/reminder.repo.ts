import type { PersonRef } from '../core/complaints/complaint.ports';
import { UserModel, type UserDoc } from './user.model';

const person = (u: Pick<UserDoc, 'userid' | 'name' | 'locale'>): PersonRef => ({ userid: u.userid, name: u.name, locale: u.locale });

/** Every active site admin: each gets the art. 23 daily mailbox line in their digest. One query. */
export async function activeSiteAdmins(): Promise<PersonRef[]> {
  const users = await UserModel.find({ 'roles.role': 'site_admin' }, { userid: 1, name: 1, locale: 1, roles: 1, active: 1 }).lean<UserDoc[]>();
  return users.filter((u) => u.active !== false && u.roles.some((r) => r.role === 'site_admin')).map(person);
}

/** Every active province admin (the calendar warning's audience). */
export async function activeProvinceAdmins(): Promise<PersonRef[]> {
  const users = await UserModel.find({ 'roles.role': 'province_admin' }, { userid: 1, name: 1, locale: 1, roles: 1, active: 1 }).lean<UserDoc[]>();
  return users.filter((u) => u.active !== false && u.roles.some((r) => r.role === 'province_admin')).map(person);
}

/** Active admins of each of these sites (site id → people), in one query: whom a site's obligations and check findings are reminded to. */
export async function siteAdminsBySite(siteIds: readonly string[]): Promise<Map<string, PersonRef[]>> {
  const out = new Map<string, PersonRef[]>();
  if (!siteIds.length) return out;
  const wanted = new Set(siteIds);
  const users = await UserModel.find({ 'roles.siteId': { $in: [...wanted] } }, { userid: 1, name: 1, locale: 1, roles: 1, active: 1 }).lean<UserDoc[]>();
  for (const u of users) {
    if (u.active === false) continue;
    for (const r of u.roles) {
      if (r.role !== 'site_admin' || !r.siteId || !wanted.has(r.siteId)) continue;
      const list = out.get(r.siteId) ?? [];
      if (!list.some((p) => p.userid === u.userid)) list.push(person(u));
      out.set(r.siteId, list);
    }
  }
  return out;
}

/** Active supervisors of each of these units (unit code → people), in one query. */
export async function supervisorsByUnit(units: readonly string[]): Promise<Map<string, PersonRef[]>> {
  const out = new Map<string, PersonRef[]>();
  if (!units.length) return out;
  const wanted = new Set(units);
  const users = await UserModel.find({ 'roles.unitCode': { $in: [...wanted] } }, { userid: 1, name: 1, locale: 1, roles: 1, active: 1 }).lean<UserDoc[]>();
  for (const u of users) {
    if (u.active === false) continue;
    for (const r of u.roles) {
      if (r.role !== 'supervisor' || !r.unitCode || !wanted.has(r.unitCode)) continue;
      const list = out.get(r.unitCode) ?? [];
      if (!list.some((p) => p.userid === u.userid)) list.push(person(u));
      out.set(r.unitCode, list);
    }
  }
  return out;
}
