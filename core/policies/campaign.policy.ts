import type { Actor } from '../actor';
import type { Unit } from '../registry/types';
import type { SiteCheck } from '../campaigns/campaign.types';
import { supervisesUnit } from './unit.policy';

/** A campaign is run (opened, findings entered, checks closed) by supervisors of its unit or of a unit above (art. 32). */
export function canRunCampaign(actor: Actor, unit: Pick<Unit, 'code' | 'ancestors'>): boolean {
  return supervisesUnit(actor, unit);
}

/** Findings are acknowledged and rectified by the admins of the checked site only. */
export function canAnswerCheck(actor: Actor, check: Pick<SiteCheck, 'site'>): boolean {
  return actor.adminSiteIds.has(check.site.id);
}
