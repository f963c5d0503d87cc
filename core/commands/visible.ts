import { notFound } from '../errors';
import { canReadSite } from '../policies/site.policy';
import type { Site } from '../registry/types';
import type { Ctx } from './command';

/**
 * A site the actor may see (its admins and supervisors). Any other reads exactly as a missing one, with the
 * same 404 and text and without its name, so trying refs tells nobody which sites exist or whose they are.
 * A refusal of what the actor may see but not do (a supervisor entering figures) is the caller's 403.
 */
export async function visibleSite(ctx: Ctx, ref: string): Promise<Site> {
  const site = await ctx.deps.sites.findByRef(ref);
  if (!site || !canReadSite(ctx.actor, site)) throw notFound('site', ref);
  return site;
}
