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

/**
 * Active holders of `role` on each of these sites or units (id → people, each person once), in one query:
 * site admins by site id, supervisors by unit code.
 */
async function holdersBy(role: 'site_admin' | 'supervisor', field: 'siteId' | 'unitCode', ids: readonly string[]): Promise<Map<string, PersonRef[]>> {
  const out = new Map<string, PersonRef[]>();
  if (!ids.length) return out;
  const wanted = new Set(ids);
  const users = await UserModel.find({ [`roles.${field}`]: { $in: [...wanted] } }, { userid: 1, name: 1, locale: 1, roles: 1, active: 1 }).lean<UserDoc[]>();
  for (const u of users) {
    if (u.active === false) continue;
    for (const r of u.roles) {
      const id = r[field];
      if (r.role !== role || !id || !wanted.has(id)) continue;
      const list = out.get(id) ?? [];
      if (!list.some((p) => p.userid === u.userid)) list.push(person(u));
      out.set(id, list);
    }
  }
  return out;
}

/** Active admins of each of these sites (site id → people): whom a site's obligations and check findings are reminded to. */
export const siteAdminsBySite = (siteIds: readonly string[]) => holdersBy('site_admin', 'siteId', siteIds);

/** Active supervisors of each of these units (unit code → people): escalations, reminders and notices to a unit. */
export const supervisorsByUnit = (units: readonly string[]) => holdersBy('supervisor', 'unitCode', units);
