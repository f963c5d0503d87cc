import type { User } from './registry/types';

/**
 * Who is acting, with their role bindings flattened for the policies: the sites they administer and the
 * units whose subtree they supervise. Built once per command from the registry user.
 */
export interface Actor {
  user: User;
  isProvinceAdmin: boolean;
  adminSiteIds: ReadonlySet<string>;
  supervisedUnits: readonly string[];
}

export function actorOf(user: User): Actor {
  const adminSiteIds = new Set<string>();
  const supervisedUnits: string[] = [];
  let isProvinceAdmin = false;
  for (const r of user.roles) {
    if (r.role === 'site_admin') adminSiteIds.add(r.siteId);
    else if (r.role === 'supervisor') supervisedUnits.push(r.unitCode);
    else isProvinceAdmin = true;
  }
  return { user, isProvinceAdmin, adminSiteIds, supervisedUnits };
}

export type RoleName = 'site_admin' | 'supervisor' | 'province_admin';

export function hasRole(actor: Actor, role: RoleName): boolean {
  if (role === 'province_admin') return actor.isProvinceAdmin;
  if (role === 'supervisor') return actor.isProvinceAdmin || actor.supervisedUnits.length > 0;
  return actor.adminSiteIds.size > 0;
}
