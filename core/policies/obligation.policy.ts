import type { Actor } from '../actor';
import type { ObligationSubject } from '../obligations/obligation.due';

/**
 * A site's duties (self-check, meeting, annual report, mailbox) are acknowledged by its admins; a unit's
 * (quarterly check, supervision report) by the supervisors of exactly that unit, and the province's by province admins.
 */
export function canAcknowledgeObligation(actor: Actor, subject: Pick<ObligationSubject, 'kind' | 'id' | 'escalateTo'>): boolean {
  if (subject.kind === 'site') return actor.adminSiteIds.has(subject.id);
  return actor.supervisedUnits.includes(subject.id) || (actor.isProvinceAdmin && subject.escalateTo === null);
}
