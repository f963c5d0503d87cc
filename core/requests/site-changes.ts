import { normalizeDomain } from '../registry/domain';
import type { UnitRepo } from '../registry/registry.ports';
import type { Site } from '../registry/types';
import { governmentCodeOf } from '../registry/unit.rules';
import type { SiteChanges } from './types';

/**
 * A site as it would be after a change record (art. 11): the new host brings its supervising government (a
 * portal is supervised by its host itself) and its level; a new domain replaces the main one. Checked before
 * filing (art. 6, 11, 12) and applied to the registry on approval, so both read the same rule. A host the
 * registry does not know leaves the supervising unit and level as they were (the registry check reports it).
 */
export async function siteAfterChanges(site: Site, changes: SiteChanges, units: Pick<UnitRepo, 'get'>): Promise<Site> {
  let supervisingUnit = site.supervisingUnit;
  let level = site.level;
  if (changes.hostUnit && changes.hostUnit !== site.hostUnit) {
    const host = await units.get(changes.hostUnit);
    if (host) {
      supervisingUnit = site.kind === 'portal' ? host.code : (governmentCodeOf(host) ?? host.code);
      level = host.level;
    }
  }
  const domains = changes.domain ? [normalizeDomain(changes.domain), ...site.domains.slice(1).filter((d) => d !== normalizeDomain(changes.domain!))] : site.domains;
  return { ...site, hostUnit: changes.hostUnit ?? site.hostUnit, supervisingUnit, level, name: changes.name ?? site.name, domains };
}
