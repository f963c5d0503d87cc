import { z } from 'zod';
import { SITE_STATUSES, type Site, type Unit } from '../registry/types';
import { SUPPORTED_LOCALES } from '../config.schema';

export const unitRefDto = z.object({ code: z.string(), name: z.string() });

/** A site as every surface shows it: chat, REST, mini-program (which imports this type). */
export const siteDto = z.object({
  id: z.string(),
  code: z.string().nullable(),
  name: z.string(),
  kind: z.enum(['portal', 'department']),
  level: z.enum(['province', 'city', 'county', 'township']),
  domain: z.string(),
  domains: z.array(z.string()),
  status: z.enum(SITE_STATUSES),
  languages: z.array(z.enum(SUPPORTED_LOCALES)),
  hostUnit: unitRefDto,
  supervisingUnit: unitRefDto,
  operatorUnit: unitRefDto.nullable(),
});
export type SiteDTO = z.infer<typeof siteDto>;

const ref = (code: string, units: Map<string, Unit>) => ({ code, name: units.get(code)?.name ?? code });

export function presentSite(site: Site, units: Map<string, Unit>): SiteDTO {
  return {
    id: site.id,
    code: site.code ?? null,
    name: site.name,
    kind: site.kind,
    level: site.level,
    domain: site.domains[0] ?? '',
    domains: site.domains,
    status: site.status,
    languages: site.languages,
    hostUnit: ref(site.hostUnit, units),
    supervisingUnit: ref(site.supervisingUnit, units),
    operatorUnit: site.operatorUnit ? ref(site.operatorUnit, units) : null,
  };
}

/** Unit codes a list of sites mentions, to load their names in one query. */
export function unitCodesOf(sites: Site[]): string[] {
  return [...new Set(sites.flatMap((s) => [s.hostUnit, s.supervisingUnit, ...(s.operatorUnit ? [s.operatorUnit] : [])]))];
}
