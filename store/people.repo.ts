import type { PersonRef, Responsible } from '../core/complaints/complaint.ports';
import { audiencesOf, peopleOfAudience, type DeadlineAudience } from '../core/deadlines/deadline.types';
import { UserModel, type UserDoc } from './user.model';

const person = (u: Pick<UserDoc, 'userid' | 'name' | 'locale'>): PersonRef => ({ userid: u.userid, name: u.name, locale: u.locale });

function push(map: Map<string, PersonRef[]>, key: string, p: PersonRef): void {
  const list = map.get(key) ?? [];
  if (!list.some((x) => x.userid === p.userid)) list.push(p);
  map.set(key, list);
}

/**
 * The one recipients query: the active people who hold a role on these sites (site admins) and units
 * (supervisors), the province admins when asked, and these users by id — in one query, whatever their
 * number. Every workflow's notifications, the reminders and the digests resolve people through it.
 */
export async function roleHolders(q: { siteIds?: readonly string[]; unitCodes?: readonly string[]; provinceAdmins?: boolean; userids?: readonly string[] }): Promise<Responsible & { users: PersonRef[] }> {
  const out = { siteAdmins: new Map<string, PersonRef[]>(), supervisors: new Map<string, PersonRef[]>(), provinceAdmins: [] as PersonRef[], users: [] as PersonRef[] };
  const sites = new Set(q.siteIds ?? []);
  const units = new Set(q.unitCodes ?? []);
  const ids = new Set(q.userids ?? []);
  const or: Record<string, unknown>[] = [];
  if (sites.size) or.push({ 'roles.siteId': { $in: [...sites] } });
  if (units.size) or.push({ 'roles.unitCode': { $in: [...units] } });
  if (q.provinceAdmins) or.push({ 'roles.role': 'province_admin' });
  if (ids.size) or.push({ userid: { $in: [...ids] } });
  if (!or.length) return out;
  const users = await UserModel.find({ $or: or }, { userid: 1, name: 1, locale: 1, roles: 1, active: 1 }).lean<UserDoc[]>();
  for (const u of users) {
    if (u.active === false) continue;
    const p = person(u);
    if (ids.has(u.userid)) out.users.push(p);
    for (const r of u.roles ?? []) {
      if (r.role === 'site_admin' && r.siteId && sites.has(r.siteId)) push(out.siteAdmins, r.siteId, p);
      else if (r.role === 'supervisor' && r.unitCode && units.has(r.unitCode)) push(out.supervisors, r.unitCode, p);
      else if (r.role === 'province_admin' && q.provinceAdmins && !out.provinceAdmins.some((x) => x.userid === p.userid)) out.provinceAdmins.push(p);
    }
  }
  return out;
}

/**
 * The people of every audience these entries name (a site's admins, a unit's supervisors, the province
 * admins, an approval step's deciders), resolved in one `roleHolders` query: a lookup from an audience to its
 * people (none for null).
 */
export async function audiencePeople(entries: readonly { acts: DeadlineAudience | null }[]): Promise<(a: DeadlineAudience | null) => PersonRef[]> {
  const { sites, units, province, users } = audiencesOf(entries);
  const who = await roleHolders({ siteIds: sites, unitCodes: units, provinceAdmins: province, userids: users });
  return (a) => peopleOfAudience(a, who);
}
