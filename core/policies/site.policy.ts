import type { Actor } from '../actor';
import type { Site } from '../registry/types';

/** A supervisor covers every site whose host or supervising unit lies in its subtree (art. 3, 5). */
export function supervises(actor: Actor, site: Pick<Site, 'scopeUnits'>): boolean {
  return actor.isProvinceAdmin || actor.supervisedUnits.some((u) => site.scopeUnits.includes(u));
}

/** A site admin acts only on the sites bound to them. */
export function administers(actor: Actor, site: Pick<Site, 'id'>): boolean {
  return actor.adminSiteIds.has(site.id);
}

export function canReadSite(actor: Actor, site: Pick<Site, 'id' | 'scopeUnits'>): boolean {
  return administers(actor, site) || supervises(actor, site);
}
