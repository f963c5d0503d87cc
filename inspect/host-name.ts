import { domainToASCII } from 'node:url';

/** A host name in the form URLs carry it: lower case, ASCII (punycode for `.政务`), no trailing dot. */
export function asciiHost(host: string): string {
  const trimmed = host.trim().toLowerCase().replace(/\.$/, '');
  return domainToASCII(trimmed) || trimmed;
}

/**
 * Whether a host is one of the site's registered domains. `www.x.gov.cn` and `x.gov.cn` count as one
 * (sites register one and serve both, redirecting between them); other subdomains are other sites.
 */
export function isRegisteredHost(host: string, domains: string[]): boolean {
  const h = asciiHost(host).replace(/^www\./, '');
  return domains.some((d) => asciiHost(d).replace(/^www\./, '') === h);
}
