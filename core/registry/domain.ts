/** Lower-cases a domain and strips a trailing dot; the form every rule and index compares. */
export function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function isHostname(domain: string): boolean {
  const labels = domain.split('.');
  return domain.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l));
}

/** Art. 12: government sites use `.gov.cn`. */
export function isGovCn(domain: string): boolean {
  return domain.endsWith('.gov.cn') && domain.split('.').length >= 3;
}

/** Art. 12: a portal's domain is `www.<name>.gov.cn`. */
export function isPortalDomain(domain: string): boolean {
  return /^www\.([a-z0-9-]+\.)+gov\.cn$/.test(domain) && isHostname(domain);
}

/** The zone a portal's department sites live under: `www.bd.gov.cn` → `bd.gov.cn`. */
export function portalZone(portalDomain: string): string {
  return portalDomain.replace(/^www\./, '');
}

/** Art. 12: `slj.bd.gov.cn` is a subdomain of the portal `www.bd.gov.cn`; `www.bd.gov.cn` itself is not. */
export function isUnderPortal(domain: string, portalDomain: string): boolean {
  const zone = portalZone(portalDomain);
  return domain !== portalDomain && domain.endsWith(`.${zone}`) && !domain.startsWith('www.' + zone);
}

/** 网站标识码: 6-digit division code + 4-digit serial, or `bm` + 8 digits for central departments. */
export const SITE_CODE_PATTERN = /^(\d{10}|bm\d{8})$/;
