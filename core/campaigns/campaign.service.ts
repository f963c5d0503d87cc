import { DomainError } from '../errors';
import { ACTIVE_SITE_STATUSES } from '../obligations/obligation.due';
import type { ObligationAck } from '../obligations/obligation.ports';
import { currentOccurrence, isPeriodOf, obligationKey, occurrenceOf } from '../obligations/obligation.schedule';
import type { Deps } from '../ports';
import type { Site, Unit } from '../registry/types';
import { chinaDateOf } from '../calendar/civil-date';
import { transition } from './campaign.machine';
import type { CampaignRepo } from './campaign.ports';
import type { Who } from '../audit';
import type { Campaign, CheckEvent, SiteCheck } from './campaign.types';

export const SYSTEM_WHO: Who = { userid: 'system', name: 'system' };

export function campaignRepoOf(deps: Deps): CampaignRepo {
  return deps.campaigns;
}

const obligationConfig = (deps: Deps) => deps.obligations.config();

/** The quarter whose check is due next as of `today` (art. 32): by default the finished quarter, until the end of its publication month. */
export function currentCheckPeriod(deps: Deps, today: string): string {
  return currentOccurrence(obligationConfig(deps), 'quarterly_check', today).period;
}

export const campaignIdOf = (unitCode: string, period: string) => `${unitCode}:${period}`;
export const checkIdOf = (campaignId: string, siteId: string) => `${campaignId}:${siteId}`;

function newCheck(c: Campaign, site: Site, now: Date): SiteCheck {
  return {
    id: checkIdOf(c.id, site.id),
    campaignId: c.id,
    unitCode: c.unitCode,
    period: c.period,
    dueDate: c.dueDate,
    site: { id: site.id, name: site.name, ref: site.code ?? site.domains[0] ?? site.id, hostUnit: site.hostUnit, supervisingUnit: site.supervisingUnit },
    scopeUnits: site.scopeUnits,
    status: 'pending',
    findings: [],
    checkedAt: null,
    checkedBy: null,
    closedAt: null,
    closedBy: null,
    version: 0,
    updatedAt: now,
  };
}

async function sitesInScope(deps: Deps, unit: Unit, scope: Campaign['scope']): Promise<Site[]> {
  const sites = await deps.sites.find({ scopeUnits: [unit.code], statuses: ACTIVE_SITE_STATUSES });
  return scope === 'direct' ? sites.filter((s) => s.supervisingUnit === unit.code) : sites;
}

/**
 * Opens a unit's check for a quarter: the campaign document (unique `<unit>:<period>`), then one check per
 * site in scope in one bulk insert. Opening again adds only what is missing, so a crash half-way is repaired
 * by running it again.
 */
export async function openCampaign(
  deps: Deps,
  args: { unit: Unit; period: string; scope: Campaign['scope']; by: Who; now: Date },
): Promise<{ campaign: Campaign; created: boolean; inserted: number }> {
  const repo = campaignRepoOf(deps);
  if (!isPeriodOf('quarterly_check', args.period)) throw new DomainError('campaign_period_invalid', { period: args.period }, 400);
  const sites = await sitesInScope(deps, args.unit, args.scope);
  const { dueDate } = occurrenceOf(obligationConfig(deps), 'quarterly_check', args.period);
  const draft: Campaign = {
    id: campaignIdOf(args.unit.code, args.period),
    unitCode: args.unit.code,
    unitName: args.unit.name,
    period: args.period,
    scope: args.scope,
    dueDate,
    openedAt: args.now,
    openedBy: args.by,
    siteCount: sites.length,
  };
  const { created, campaign } = await repo.createCampaign(draft);
  // An existing campaign keeps its scope: only the sites it would cover are (re)added.
  const covered = campaign.scope === args.scope ? sites : await sitesInScope(deps, args.unit, campaign.scope);
  const inserted = await repo.insertChecks(covered.map((s) => newCheck(campaign, s, args.now)));
  return { campaign, created, inserted };
}

/**
 * Opens, from the first day of the check window (the start of the quarter after the one checked, by
 * default), the quarter's check of every unit that directly supervises an active site, over those sites.
 * For a job: idempotent (unique campaign ids, skipped duplicate checks), bulk queries only.
 */
export async function openDueCampaigns(deps: Deps, now: Date): Promise<{ period: string; opened: string[]; repaired: string[] }> {
  const cfg = obligationConfig(deps);
  const today = chinaDateOf(now);
  const occ = currentOccurrence(cfg, 'quarterly_check', today);
  if (!cfg.quarterly_check.enabled || occ.windowStart > today || occ.dueDate < today) return { period: occ.period, opened: [], repaired: [] };
  const repo = campaignRepoOf(deps);
  const existing = new Map((await repo.campaignsOf(occ.period)).map((e) => [e.campaign.unitCode, e]));
  const sites = await deps.sites.find({ statuses: ACTIVE_SITE_STATUSES });
  const byUnit = new Map<string, Site[]>();
  for (const s of sites) byUnit.set(s.supervisingUnit, [...(byUnit.get(s.supervisingUnit) ?? []), s]);
  const units = new Map((await deps.units.getMany([...byUnit.keys()])).map((u) => [u.code, u]));
  const opened: string[] = [];
  const repaired: string[] = [];
  const toInsert: SiteCheck[] = [];
  for (const [code, unitSites] of byUnit) {
    const unit = units.get(code);
    if (!unit) continue;
    const known = existing.get(code);
    if (known) {
      if (known.campaign.scope === 'direct' && known.checks < known.campaign.siteCount) {
        repaired.push(known.campaign.id);
        toInsert.push(...unitSites.map((s) => newCheck(known.campaign, s, now)));
      }
      continue;
    }
    const draft: Campaign = { id: campaignIdOf(code, occ.period), unitCode: code, unitName: unit.name, period: occ.period, scope: 'direct', dueDate: occ.dueDate, openedAt: now, openedBy: SYSTEM_WHO, siteCount: unitSites.length };
    const { created, campaign } = await repo.createCampaign(draft);
    if (created) opened.push(campaign.id);
    if (campaign.scope === 'direct') toInsert.push(...unitSites.map((s) => newCheck(campaign, s, now)));
  }
  if (toInsert.length) await repo.insertChecks(toInsert);
  return { period: occ.period, opened, repaired };
}

/**
 * Applies one event to a check through its machine and writes it (one version-guarded document write), then
 * runs the effects: closing a check may complete the campaign, which acknowledges the unit's quarterly_check
 * obligation (`acknowledgeIfComplete`).
 */
export async function commitCheck(deps: Deps, check: SiteCheck, event: CheckEvent, now: Date, source = 'system'): Promise<SiteCheck> {
  const { state, effects } = transition(check, event, { now });
  const next = { ...state, version: check.version + 1, updatedAt: now };
  await campaignRepoOf(deps).saveCheck(check.version, next);
  for (const effect of effects) if (effect.kind === 'complete_campaign') await acknowledgeIfComplete(deps, effect.campaignId, source);
  return next;
}

/** Every check of the campaign is there (as many as the sites it opened over) and closed. */
export function isComplete(campaign: Pick<Campaign, 'siteCount'>, checks: readonly Pick<SiteCheck, 'status'>[]): boolean {
  return checks.length > 0 && checks.length >= campaign.siteCount && checks.every((c) => c.status === 'closed');
}

/**
 * Once every site check of a campaign is closed, the quarter's check of its unit is done (art. 32): the
 * unit's `quarterly_check` obligation for that period is acknowledged in the name of whoever closed the last
 * check, at that moment. The acknowledgement is one insert under its unique key, so it happens once however
 * many closers or job runs race for it, and an earlier manual acknowledgement stays as it was (`created: false`).
 * The job calls it too, which repairs a crash between the last close and this insert. Null when not complete.
 */
export async function acknowledgeIfComplete(deps: Deps, campaignId: string, source: string): Promise<{ created: boolean; ack: ObligationAck } | null> {
  const cfg = deps.obligations.config();
  if (!cfg.quarterly_check.enabled) return null;
  const repo = campaignRepoOf(deps);
  const campaign = await repo.getCampaign(campaignId);
  if (!campaign) return null;
  const checks = await repo.checksOfCampaign(campaignId);
  if (!isComplete(campaign, checks)) return null;
  const last = checks.reduce((a, b) => ((b.closedAt?.getTime() ?? 0) > (a.closedAt?.getTime() ?? 0) ? b : a));
  const at = last.closedAt ?? last.updatedAt;
  const { dueDate } = occurrenceOf(cfg, 'quarterly_check', campaign.period);
  return deps.obligations.acknowledge({
    key: obligationKey('quarterly_check', campaign.unitCode, campaign.period),
    obligation: 'quarterly_check',
    subjectKind: 'unit',
    subjectId: campaign.unitCode,
    subjectName: campaign.unitName,
    period: campaign.period,
    dueDate,
    by: last.closedBy ?? SYSTEM_WHO,
    at,
    note: `campaign ${campaign.id}: ${checks.length}/${checks.length} site checks closed`,
    onTime: chinaDateOf(at) <= dueDate,
    source,
  });
}
