import type { Actor } from '../actor';
import type { Site } from '../registry/types';
import type { ApprovalStep, RequestRecord, RequestType } from '../requests/types';
import { administers, supervises } from './site.policy';

/**
 * A site admin files for their own sites only. An emergency shutdown (art. 15) is also filed by the offices
 * above the site (a city government office or a provincial department office writes to the province).
 */
export function canFile(actor: Actor, site: Site, type: RequestType): boolean {
  if (administers(actor, site)) return true;
  return type === 'emergency_shutdown' || type === 'opening' ? actor.supervisedUnits.some((u) => site.scopeUnits.includes(u)) || actor.isProvinceAdmin : false;
}

/**
 * Who may act on a step: after a 转办 only the named colleague; otherwise any supervisor of exactly the step's
 * unit (或签), and province admins on the root step (the provincial General Office).
 */
export function canActOnStep(actor: Actor, step: ApprovalStep): boolean {
  if (step.assignee) return step.assignee.userid === actor.user.userid;
  return belongsToStepUnit(actor, step);
}

export function belongsToStepUnit(actor: Actor, step: Pick<ApprovalStep, 'unitCode' | 'root'>): boolean {
  return actor.supervisedUnits.includes(step.unitCode) || (step.root && actor.isProvinceAdmin);
}

/** The requester, the site's admins, everyone on or copied to a step, and the supervisors above the site. */
export function canReadRequest(actor: Actor, r: RequestRecord): boolean {
  if (r.requester.userid === actor.user.userid) return true;
  if (actor.adminSiteIds.has(r.site.id)) return true;
  if (r.steps.some((s) => canActOnStep(actor, s) || belongsToStepUnit(actor, s) || s.cc.some((c) => c.userid === actor.user.userid))) return true;
  return supervises(actor, { scopeUnits: r.scopeUnits });
}

/** Withdraw, resubmit, checklist and back-online belong to the requester and the site's admins. */
export function canManageRequest(actor: Actor, r: RequestRecord): boolean {
  return r.requester.userid === actor.user.userid || actor.adminSiteIds.has(r.site.id);
}
