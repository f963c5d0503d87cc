import type { FieldProblem } from '../errors';
import { isGovCn, isHostname, isPortalDomain, isUnderPortal, normalizeDomain, portalZone, SITE_CODE_PATTERN } from './domain';
import type { Site, Unit } from './types';
import { isAtOrAbove } from './unit.rules';

/** What the rules need to know about a site's surroundings, loaded by the caller. */
export interface SiteRuleContext {
  hostUnit?: Unit;
  supervisingUnit?: Unit;
  operatorUnit?: Unit;
  /** The portal of the host's own government, for department sites. */
  governmentPortal?: Pick<Site, 'id' | 'domains' | 'name'>;
  /** Other sites (not closed) of the same host unit. */
  otherSitesOfHost: Pick<Site, 'id' | 'name' | 'status'>[];
  /** Other sites already using one of this site's domains. */
  domainOwners: Pick<Site, 'id' | 'name' | 'domains'>[];
  /** The government a department belongs to (its parent government). */
  hostGovernment?: Unit;
}

export type SiteCandidate = Pick<Site, 'name' | 'kind' | 'domains' | 'supervisingUnit' | 'hostUnit' | 'operatorUnit' | 'exceptionNote' | 'code'> & { id?: string };

const problem = (field: string, code: string, params: Record<string, unknown> = {}): FieldProblem => ({ field, code, params });

/**
 * The opening rules of the Measures for one site, each answer citing its article: art. 2 and 6 (who may
 * open what, one site per unit), art. 11 (named after the agency), art. 12 (`.gov.cn`, `www.` for portals,
 * department sites under their government's portal). Used on import, on opening and on change records.
 */
export function checkSite(site: SiteCandidate, ctx: SiteRuleContext): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const domains = site.domains.map(normalizeDomain);

  if (site.code !== undefined && !SITE_CODE_PATTERN.test(site.code)) problems.push(problem('code', 'site_code_invalid', { value: site.code }));
  if (domains.length === 0) problems.push(problem('domains', 'site_domain_required', { article: 12 }));
  for (const d of domains) {
    if (!isHostname(d)) problems.push(problem('domains', 'domain_invalid', { domain: d }));
    else if (!isGovCn(d)) problems.push(problem('domains', 'domain_not_gov_cn', { domain: d, article: 12 }));
  }
  for (const owner of ctx.domainOwners) {
    if (owner.id === site.id) continue;
    const taken = owner.domains.find((d) => domains.includes(d));
    if (taken) problems.push(problem('domains', 'domain_taken', { domain: taken, site: owner.name }));
  }

  const host = ctx.hostUnit;
  if (!host) problems.push(problem('hostUnit', 'unit_unknown', { unit: site.hostUnit }));
  if (!ctx.supervisingUnit) problems.push(problem('supervisingUnit', 'unit_unknown', { unit: site.supervisingUnit }));
  if (site.operatorUnit && !ctx.operatorUnit) problems.push(problem('operatorUnit', 'unit_unknown', { unit: site.operatorUnit }));
  if (!host) return problems;

  if (!site.name.includes(host.name)) problems.push(problem('name', 'site_name_not_agency', { name: site.name, unit: host.name, article: 11 }));

  const sup = ctx.supervisingUnit;
  if (sup && !isAtOrAbove(sup.code, host)) {
    problems.push(problem('supervisingUnit', 'supervising_unit_not_above_host', { unit: sup.name, host: host.name, article: 3 }));
  }

  const others = ctx.otherSitesOfHost.filter((s) => s.id !== site.id && s.status !== 'closed');
  if (site.kind === 'portal') {
    if (host.kind !== 'government' || host.level === 'township') {
      problems.push(problem('hostUnit', 'portal_host_not_government', { unit: host.name, article: 6 }));
    }
    if (others.length > 0) problems.push(problem('hostUnit', 'portal_already_exists', { unit: host.name, site: others[0]!.name, article: 6 }));
    const main = domains[0];
    if (main && isGovCn(main) && !isPortalDomain(main)) problems.push(problem('domains', 'portal_domain_not_www', { domain: main, article: 12 }));
    return problems;
  }

  // Department sites.
  if (host.kind === 'government') problems.push(problem('hostUnit', 'department_site_host_is_government', { unit: host.name, article: 2 }));
  if (others.length > 0) problems.push(problem('hostUnit', 'department_site_already_exists', { unit: host.name, site: others[0]!.name, article: 6 }));
  if ((host.level === 'county' || host.level === 'township' || host.kind === 'township') && !site.exceptionNote?.trim()) {
    problems.push(problem('hostUnit', 'county_department_site_needs_exception', { unit: host.name, article: 6 }));
  }
  const portal = ctx.governmentPortal;
  if (!portal) {
    problems.push(problem('domains', 'government_portal_missing', { unit: ctx.hostGovernment?.name ?? host.parentCode ?? '', article: 12 }));
  } else {
    const portalDomain = portal.domains[0]!;
    for (const d of domains) {
      if (isGovCn(d) && !isUnderPortal(d, portalDomain)) {
        problems.push(problem('domains', 'department_domain_not_under_portal', { domain: d, zone: portalZone(portalDomain), portal: portalDomain, article: 12 }));
      }
    }
  }
  return problems;
}
