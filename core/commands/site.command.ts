import { z } from 'zod';
import { defineCommand } from './command';
import { presentSite, siteDto, unitCodesOf } from '../presenters/site.presenter';
import { visibleSite } from './visible';
import type { Deps } from '../ports';
import type { Site, Unit } from '../registry/types';

async function unitsFor(deps: Deps, sites: Site[]): Promise<Map<string, Unit>> {
  return new Map((await deps.units.getMany(unitCodesOf(sites))).map((u) => [u.code, u]));
}

/** At most this many sites in one answer; a supervisor high in the tree can see hundreds. */
export const SITE_LIST_LIMIT = 200;

export const siteListMine = defineCommand({
  id: 'site.mine',
  input: z.object({}),
  output: z.object({ sites: z.array(siteDto), total: z.number().int(), truncated: z.boolean() }),
  roles: [],
  http: { method: 'get', path: '/sites' },
  chat: { words: { 'zh-CN': ['我的网站', '网站列表'], en: ['sites', 'my sites'] } },
  /** A site admin's own sites, then the sites a supervisor covers; each site once. */
  async handler(ctx) {
    const { actor, deps } = ctx;
    const own = actor.adminSiteIds.size ? await deps.sites.find({ ids: [...actor.adminSiteIds] }) : [];
    let supervised: Site[] = [];
    if (actor.isProvinceAdmin) supervised = await deps.sites.find({ limit: SITE_LIST_LIMIT + 1 });
    else if (actor.supervisedUnits.length) supervised = await deps.sites.find({ scopeUnits: [...actor.supervisedUnits], limit: SITE_LIST_LIMIT + 1 });
    const seen = new Set<string>();
    const all = [...own, ...supervised].filter((s) => (seen.has(s.id) ? false : (seen.add(s.id), true)));
    const shown = all.slice(0, SITE_LIST_LIMIT);
    const units = await unitsFor(deps, shown);
    return { sites: shown.map((s) => presentSite(s, units)), total: shown.length, truncated: all.length > SITE_LIST_LIMIT };
  },
});

export const siteShow = defineCommand({
  id: 'site.show',
  input: z.object({ ref: z.string().trim().min(1, 'site_ref_required').max(253) }),
  output: z.object({ site: siteDto }),
  roles: [],
  http: { method: 'get', path: '/sites/:ref' },
  chat: { words: { 'zh-CN': ['网站'], en: ['site'] }, args: ['ref'] },
  /** One site by 网站标识码 or domain, if the actor administers or supervises it; any other reads as missing. */
  async handler(ctx, input) {
    const site = await visibleSite(ctx, input.ref);
    const units = await unitsFor(ctx.deps, [site]);
    return { site: presentSite(site, units) };
  },
});
