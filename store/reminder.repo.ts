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
