import { canFile } from '../policies/request.policy';
import type { Site } from '../registry/types';
import type { Ctx } from '../commands/command';
import { siteFor } from '../commands/requests/file.command';
import type { DialogueSpec, SiteChoice } from './dialogue.types';

/** At most this many sites are numbered; a supervisor over many sites types the domain instead. */
export const SITE_CHOICES_SHOWN = 15;

/** The ref a command takes for a site: its main domain (a planned site has no 网站标识码 yet), else the code. */
const refOf = (s: Site) => s.domains[0] ?? s.code ?? s.id;

/**
 * The sites a person may file this dialogue's request type for, in the order offered: the sites they
 * administer first, then those they supervise (for the types a supervisor may file), none closed and only
 * in the states the spec allows. `more` says some were left out.
 */
export async function siteChoicesFor(ctx: Ctx, spec: DialogueSpec): Promise<{ choices: SiteChoice[]; more: boolean }> {
  const type = spec.requestType;
  if (!type) return { choices: [], more: false };
  const { actor, deps } = ctx;
  const own = actor.adminSiteIds.size ? await deps.sites.find({ ids: [...actor.adminSiteIds] }) : [];
  let supervised: Site[] = [];
  const supervisorsFile = type === 'emergency_shutdown' || type === 'opening';
  const limit = SITE_CHOICES_SHOWN * 4;
  if (supervisorsFile && actor.isProvinceAdmin) supervised = await deps.sites.find({ limit, ...(spec.siteStatuses ? { statuses: [...spec.siteStatuses] } : {}) });
  else if (supervisorsFile && actor.supervisedUnits.length) supervised = await deps.sites.find({ scopeUnits: [...actor.supervisedUnits], limit, ...(spec.siteStatuses ? { statuses: [...spec.siteStatuses] } : {}) });
  const seen = new Set<string>();
  const fits = [...own, ...supervised].filter((s) => {
    if (seen.has(s.id)) return false;
    seen.add(s.id);
    return s.status !== 'closed' && (!spec.siteStatuses || spec.siteStatuses.includes(s.status)) && canFile(actor, s, type);
  });
  const choices = fits.slice(0, SITE_CHOICES_SHOWN).map(choiceOf);
  return { choices, more: fits.length > SITE_CHOICES_SHOWN || supervised.length >= limit };
}

/**
 * A site typed or chosen in a dialogue, checked as filing will check it (visible, theirs to file for, not
 * closed): a wrong one is re-asked at once instead of refused after the last question. Throws the command's
 * own errors.
 */
export async function checkedSite(ctx: Ctx, spec: DialogueSpec, ref: string): Promise<SiteChoice> {
  if (!spec.requestType) throw new Error(`dialogue ${spec.command} has no request type for its site step`);
  const site = await siteFor(ctx, ref, spec.requestType);
  return choiceOf(site);
}

const choiceOf = (s: Site): SiteChoice => ({ ref: refOf(s), name: s.name, domain: s.domains[0] ?? s.code ?? '', kind: s.kind });
