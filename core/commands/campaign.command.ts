import { z } from 'zod';
import type { Actor } from '../actor';
import { campaignRepoOf, campaignIdOf, commitCheck, currentCheckPeriod, openCampaign } from '../campaigns/campaign.service';
import { computeProgress } from '../campaigns/campaign.progress';
import { chooseCheckPeriod, unitAndPeriodOf } from '../campaigns/campaign.period';
import { FINDING_CATEGORIES, type CheckEvent, type FindingCategory, type SiteCheck } from '../campaigns/campaign.types';
import { DomainError, notFound } from '../errors';
import { ownWord } from '../own-word';
import { canAnswerCheck, canRunCampaign } from '../policies/campaign.policy';
import { campaignDto, checkDto, presentCampaign, presentCheck, presentCounts, presentUnitProgress, progressCountsDto, unitProgressDto } from '../presenters/campaign.presenter';
import type { Site } from '../registry/types';
import { chinaDateOf } from '../calendar/civil-date';
import { strictInt } from '../strict-input';
import { defineCommand, type Ctx } from './command';
import { visibleSite } from './visible';

// No regex flags: the OpenAPI document carries a pattern's source only, so `/…/i` would leak as text there.
const period = z.string().trim().regex(/^\d{4}-[Qq][1-4]$/, 'campaign_period_format').transform((v) => v.toUpperCase());
const siteRef = z.string().trim().min(1, 'site_ref_required').max(253);
const campaignRef = z.string().trim().min(1).max(120).optional();
const findingNo = strictInt({ min: 1, max: 10_000, message: 'campaign_finding_no_invalid' });

const CATEGORY_WORDS: Record<string, FindingCategory> = { 单项否决: 'veto', 否决: 'veto', 扣分: 'deduction', 其他: 'other', 其它: 'other' };
const category = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const c = (FINDING_CATEGORIES as readonly string[]).includes(v.toLowerCase()) ? (v.toLowerCase() as FindingCategory) : ownWord(CATEGORY_WORDS, v);
    if (!c) {
      ctx.addIssue({ code: 'custom', message: 'campaign_category_unknown', params: { value: v } });
      return z.NEVER;
    }
    return c;
  });

const who = (actor: Actor) => ({ userid: actor.user.userid, name: actor.user.name });

/** A site the actor may see; its checks are refused in the site's own words only to those who may see it. */
const siteOf = visibleSite;

/** Exactly one check, or a clear refusal: none open, or several (then `campaign=<id>` picks one). */
function single(site: Site, checks: SiteCheck[], campaign?: string): SiteCheck {
  const picked = campaign ? checks.filter((c) => c.campaignId.toUpperCase() === campaign.toUpperCase()) : checks;
  if (picked.length === 0) throw new DomainError('campaign_no_open_check', { site: site.name }, 404);
  if (picked.length > 1) throw new DomainError('campaign_ambiguous', { site: site.name, campaigns: picked.map((c) => c.campaignId).join(', ') }, 409);
  return picked[0]!;
}

/** The open check of a site that this supervisor runs. */
async function checkToRun(ctx: Ctx, ref: string, campaign?: string): Promise<SiteCheck> {
  const site = await siteOf(ctx, ref);
  const checks = await campaignRepoOf(ctx.deps).checksOfSite(site.id, { openOnly: true });
  const units = new Map((await ctx.deps.units.getMany([...new Set(checks.map((c) => c.unitCode))])).map((u) => [u.code, u]));
  const mine = checks.filter((c) => units.has(c.unitCode) && canRunCampaign(ctx.actor, units.get(c.unitCode)!));
  if (checks.length && !mine.length) throw new DomainError('campaign_not_yours', { site: site.name }, 403);
  return single(site, mine, campaign);
}

/** The open check of one of the actor's own sites that holds finding `no` (when given). */
async function checkToAnswer(ctx: Ctx, ref: string, no: number, campaign?: string): Promise<SiteCheck> {
  const site = await siteOf(ctx, ref);
  if (!canAnswerCheck(ctx.actor, { site: { id: site.id } as SiteCheck['site'] })) throw new DomainError('site_admin_only', { site: site.name }, 403);
  const checks = (await campaignRepoOf(ctx.deps).checksOfSite(site.id, { openOnly: true })).filter((c) => c.findings.some((f) => f.no === no));
  if (!checks.length) throw new DomainError('campaign_finding_not_found', { site: site.name, no }, 404);
  return single(site, checks, campaign);
}

const checkOut = z.object({ check: checkDto });

/** Which quarter `campaign.open` opened and why (core/campaigns/campaign.period.ts). */
const checkPeriodChoiceDto = z.object({
  period: z.string(),
  reason: z.enum(['requested', 'window_open', 'past_due']),
  windowStart: z.string(),
  dueDate: z.string(),
  daysPastDue: z.number().int(),
  next: z.object({ period: z.string(), windowStart: z.string() }).nullable(),
});

function runEvent(ctx: Ctx, check: SiteCheck, event: CheckEvent) {
  return commitCheck(ctx.deps, check, event, ctx.deps.clock.now(), ctx.source).then((c) => ({ check: presentCheck(c) }));
}

export const campaignOpen = defineCommand({
  id: 'campaign.open',
  input: z.object({ unit: z.string().trim().min(1).max(64).optional(), period: period.optional(), scope: z.enum(['subtree', 'direct']).default('subtree') }),
  output: z.object({ campaign: campaignDto, created: z.boolean(), inserted: z.number().int(), choice: checkPeriodChoiceDto }),
  roles: ['supervisor'],
  http: { method: 'post', path: '/campaigns' },
  chat: { words: { 'zh-CN': ['开启季度检查', '开启检查'], en: ['open check'] }, args: ['unit'] },
  /** Art. 32: a supervisor opens the quarter's full content check over its subtree; every site in scope gets a check record. */
  async handler(ctx, input) {
    const asked = unitAndPeriodOf(input.unit, input.period);
    const code = asked.unit ?? ctx.actor.supervisedUnits[0];
    if (!code) throw new DomainError('campaign_unit_required', {}, 400);
    const unit = await ctx.deps.units.get(code);
    if (!unit) throw notFound('unit', code);
    if (!canRunCampaign(ctx.actor, unit)) throw new DomainError('campaign_not_yours', { site: unit.name }, 403);
    const now = ctx.deps.clock.now();
    // Which quarter and why (a named one whose window has not opened is refused): the reply says so.
    const choice = chooseCheckPeriod(ctx.deps.obligations.config(), chinaDateOf(now), asked.period);
    const { campaign, created, inserted } = await openCampaign(ctx.deps, { unit, period: choice.period, scope: input.scope, by: who(ctx.actor), now });
    return { campaign: presentCampaign(campaign), created, inserted, choice };
  },
});

export const campaignFinding = defineCommand({
  id: 'campaign.finding',
  input: z.object({ site: siteRef, category, text: z.string().trim().min(1, 'campaign_finding_text_required').max(2000), campaign: campaignRef }),
  output: checkOut,
  roles: ['supervisor'],
  http: { method: 'post', path: '/campaigns/checks/:site/findings' },
  chat: { words: { 'zh-CN': ['检查问题', '录入问题'], en: ['finding'] }, args: ['site', 'category', 'text'] },
  /** The checker records one finding (veto item, deduction or other) for a site; the check counts as checked. */
  async handler(ctx, input) {
    const check = await checkToRun(ctx, input.site, input.campaign);
    return runEvent(ctx, check, { type: 'finding', by: who(ctx.actor), category: input.category, text: input.text });
  },
});

export const campaignPass = defineCommand({
  id: 'campaign.pass',
  input: z.object({ site: siteRef, campaign: campaignRef }),
  output: checkOut,
  roles: ['supervisor'],
  http: { method: 'post', path: '/campaigns/checks/:site/pass' },
  chat: { words: { 'zh-CN': ['检查通过', '检查无问题'], en: ['checked'] }, args: ['site'] },
  /** The checker found nothing on this site. */
  async handler(ctx, input) {
    const check = await checkToRun(ctx, input.site, input.campaign);
    return runEvent(ctx, check, { type: 'pass', by: who(ctx.actor) });
  },
});

export const campaignAck = defineCommand({
  id: 'campaign.ack',
  input: z.object({ site: siteRef, no: findingNo, campaign: campaignRef }),
  output: checkOut,
  roles: ['site_admin'],
  http: { method: 'post', path: '/campaigns/checks/:site/findings/:no/ack' },
  chat: { words: { 'zh-CN': ['确认问题'], en: ['ack finding'] }, args: ['site', 'no'] },
  /** The site admin acknowledges a finding on their site. */
  async handler(ctx, input) {
    const check = await checkToAnswer(ctx, input.site, input.no, input.campaign);
    return runEvent(ctx, check, { type: 'acknowledge', by: who(ctx.actor), no: input.no });
  },
});

export const campaignRectify = defineCommand({
  id: 'campaign.rectify',
  input: z.object({ site: siteRef, no: findingNo, note: z.string().trim().min(1, 'campaign_rectify_note_required').max(2000), campaign: campaignRef }),
  output: checkOut,
  roles: ['site_admin'],
  http: { method: 'post', path: '/campaigns/checks/:site/findings/:no/rectify' },
  chat: { words: { 'zh-CN': ['整改完成', '已整改'], en: ['rectified'] }, args: ['site', 'no', 'note'] },
  /** The site admin reports a finding rectified, with a note of what was done. */
  async handler(ctx, input) {
    const check = await checkToAnswer(ctx, input.site, input.no, input.campaign);
    return runEvent(ctx, check, { type: 'rectify', by: who(ctx.actor), no: input.no, note: input.note });
  },
});

export const campaignClose = defineCommand({
  id: 'campaign.close',
  input: z.object({ site: siteRef, campaign: campaignRef }),
  output: checkOut,
  roles: ['supervisor'],
  http: { method: 'post', path: '/campaigns/checks/:site/close' },
  chat: { words: { 'zh-CN': ['关闭检查'], en: ['close check'] }, args: ['site'] },
  /** The supervisor closes a site's check once every finding is rectified. */
  async handler(ctx, input) {
    const check = await checkToRun(ctx, input.site, input.campaign);
    return runEvent(ctx, check, { type: 'close', by: who(ctx.actor) });
  },
});

export const campaignShow = defineCommand({
  id: 'campaign.show',
  input: z.object({ site: siteRef }),
  output: z.object({ site: z.object({ id: z.string(), name: z.string() }), checks: z.array(checkDto) }),
  roles: [],
  http: { method: 'get', path: '/campaigns/checks/:site' },
  chat: { words: { 'zh-CN': ['检查情况', '检查记录'], en: ['check'] }, args: ['site'] },
  /** A site's checks with their findings, open ones first, for its admins and supervisors. */
  async handler(ctx, input) {
    const site = await siteOf(ctx, input.site);
    const checks = await campaignRepoOf(ctx.deps).checksOfSite(site.id);
    checks.sort((a, b) => Number(a.status === 'closed') - Number(b.status === 'closed') || b.period.localeCompare(a.period));
    return { site: { id: site.id, name: site.name }, checks: checks.slice(0, 5).map(presentCheck) };
  },
});

export const campaignProgress = defineCommand({
  id: 'campaign.progress',
  input: z.object({ unit: z.string().trim().min(1).max(64).optional(), period: period.optional() }),
  output: z.object({ campaign: campaignDto, today: z.string(), totals: progressCountsDto, byUnit: z.array(unitProgressDto) }),
  roles: ['supervisor'],
  http: { method: 'get', path: '/campaigns/progress' },
  chat: { words: { 'zh-CN': ['检查进度'], en: ['check progress'] }, args: ['unit'] },
  /** Per unit: sites checked, findings acknowledged and rectified, checks closed and overdue. One query for the checks. */
  async handler(ctx, input) {
    const code = input.unit ?? ctx.actor.supervisedUnits[0];
    if (!code) throw new DomainError('campaign_unit_required', {}, 400);
    const unit = await ctx.deps.units.get(code);
    if (!unit) throw notFound('unit', code);
    if (!canRunCampaign(ctx.actor, unit)) throw new DomainError('campaign_not_yours', { site: unit.name }, 403);
    const today = chinaDateOf(ctx.deps.clock.now());
    const p = input.period ?? currentCheckPeriod(ctx.deps, today);
    const repo = campaignRepoOf(ctx.deps);
    const campaign = await repo.getCampaign(campaignIdOf(unit.code, p));
    if (!campaign) throw new DomainError('campaign_not_found', { unit: unit.name, period: p }, 404);
    const { totals, byUnit } = computeProgress(await repo.checksOfCampaign(campaign.id), today, await ctx.deps.obligations.trackingSince());
    const names = new Map((await ctx.deps.units.getMany(byUnit.map((u) => u.unitCode))).map((u) => [u.code, u.name]));
    return { campaign: presentCampaign(campaign), today, totals: presentCounts(totals), byUnit: byUnit.map((u) => presentUnitProgress(u, names)) };
  },
});

/** The inspection's `巡检转问题` enters a finding through the same check lookup and category words (inspection.command.ts). */
export { checkToRun, category as findingCategory };

export const campaignCommands = [campaignOpen, campaignProgress, campaignShow, campaignFinding, campaignPass, campaignAck, campaignRectify, campaignClose];
