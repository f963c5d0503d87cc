import type { PersonRef } from '../core/complaints/complaint.ports';
import { UserModel, type UserDoc } from './user.model';
import { roleHolders } from './people.repo';

const person = (u: Pick<UserDoc, 'userid' | 'name' | 'locale'>): PersonRef => ({ userid: u.userid, name: u.name, locale: u.locale });

/** Every active site admin: each gets the art. 23 daily mailbox line in their digest. One query. */
export async function activeSiteAdmins(): Promise<PersonRef[]> {
  const users = await UserModel.find({ 'roles.role': 'site_admin' }, { userid: 1, name: 1, locale: 1, roles: 1, active: 1 }).lean<UserDoc[]>();
  return users.filter((u) => u.active !== false && u.roles.some((r) => r.role === 'site_admin')).map(person);
}

/** Every active province admin (the calendar warning's audience). */
export async function activeProvinceAdmins(): Promise<PersonRef[]> {
  return (await roleHolders({ provinceAdmins: true })).provinceAdmins;
}

/** Active admins of each of these sites (site id → people): whom a site's obligations and check findings are reminded to. */
export const siteAdminsBySite = async (siteIds: readonly string[]) => (await roleHolders({ siteIds })).siteAdmins;

/** Active supervisors of each of these units (unit code → people): escalations, reminders and notices to a unit. */
export const supervisorsByUnit = async (units: readonly string[]) => (await roleHolders({ unitCodes: units })).supervisors;
