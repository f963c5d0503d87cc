import type { Actor } from '../actor';
import type { ComplaintScope } from '../complaints/complaint.ports';
import type { Complaint, ComplaintEventType, ComplaintSite } from '../complaints/complaint.types';
import { administers, supervises } from './site.policy';

const asSite = (s: ComplaintSite) => ({ id: s.id, scopeUnits: s.scopeUnits });

/** Unmatched reports belong to no site yet, so only province admins see them. */
export function canReadComplaint(actor: Actor, c: Pick<Complaint, 'site'>): boolean {
  if (actor.isProvinceAdmin) return true;
  if (!c.site) return false;
  return administers(actor, asSite(c.site)) || supervises(actor, asSite(c.site));
}

/**
 * Who may make each event happen (art. 35): the supervising side transfers, re-assigns, closes and reopens;
 * the site admin answers or returns a report that is not theirs; either may mark untrue or publish.
 * The province assigns the unmatched queue.
 */
export function canActOnComplaint(actor: Actor, c: Pick<Complaint, 'site'>, event: ComplaintEventType): boolean {
  if (event === 'assign') return actor.isProvinceAdmin;
  if (!c.site) return false;
  const site = asSite(c.site);
  switch (event) {
    case 'transfer':
    case 'reassign':
    case 'close':
    case 'reopen':
      return supervises(actor, site);
    case 'answer':
    case 'return':
      return administers(actor, site);
    case 'mark_untrue':
    case 'publish':
      return administers(actor, site) || supervises(actor, site);
  }
}

/** The reports an actor may list: their sites and their supervised subtree; everything for province admins. */
export function complaintScopeOf(actor: Actor): ComplaintScope {
  if (actor.isProvinceAdmin) return { all: true };
  return { siteIds: [...actor.adminSiteIds], scopeUnits: [...actor.supervisedUnits] };
}
