import { z } from 'zod';
import { commitCheck } from '../campaigns/campaign.service';
import { chinaDateOf } from '../calendar/civil-date';
import { DomainError, notFound } from '../errors';
import { inspectSiteNow, weekProbes } from '../inspection/inspect-now';
import { defaultProfileFor } from '../inspection/judge';
import { columnKindOf, pendingColumns, splitUrls, withColumn, withConfirmed, withHomeUrls, withoutColumn } from '../inspection/profile-edit';
import { problemText } from '../inspection/problem-text';
import type { InspectionExport } from '../inspection/inspection-files.ports';
import type { InspectionProfile, InspectionReport } from '../inspection/inspection.types';
import { administers, canReadSite } from '../policies/site.policy';
import { supervisesUnit } from '../policies/unit.policy';
import { checkDto, presentCheck } from '../presenters/campaign.presenter';
import {
  availabilityByDay,
  dayAvailabilityDto,
  inspectionReportDto,
  judgedColumnDto,
  brokenLinkDto,
  overviewRowDto,
  presentInspectionReport,
  presentOverview,
  presentProfile,
  problemDto,
  profileDto,
  siteRefOf,
  totalOf,
  type InspectionReportDTO,
  type OverviewRowDTO,
} from '../presenters/inspection.presenter';
import type { Site, Unit } from '../registry/types';
import { strictInt } from '../strict-input';
import { checkToRun, findingCategory } from './campaign.command';
import { defineCommand, type Ctx } from './command';
import { visibleSite } from './visible';

/*
 * The daily website inspection (art. 28) in chat, REST and the mini-program: run one now, read the latest
 * report, its broken links and columns, a supervisor's overview of a subtree, the site admin's profile (home
 * URLs, key columns, discovered columns to confirm), and a problem turned into a quarterly-check finding.
 * Who sees what is the registry's rule: a site's admins and its supervisors (`visibleSite`).
 */

const siteRef = z.string().trim().min(1, 'site_ref_required').max(253);
const unitRef = z.string().trim().min(1).max(64).optional();
/** The veto line looks back 7 days and probe records are kept a little longer: a report covers at most a week. */
export const REPORT_DAYS_MAX = 7;
const days = strictInt({ min: 1, max: REPORT_DAYS_MAX, message: 'inspection_days_invalid' });
const kind = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const k = columnKindOf(v);
    if (!k) {
      ctx.addIssue({ code: 'custom', message: 'inspection_kind_unknown', params: { value: v } });
      return z.NEVER;
    }
    return k;
  });
const url = z.string().trim().min(1, 'inspection_url_required').max(2000);

/** At most this many sites in one overview answer; a province admin covers thousands. */
export const OVERVIEW_LIMIT = 500;
/** Sites read for an overview: the ranking (veto risks first) is over all of them, the answer keeps the top. */
const OVERVIEW_READ = 20_000;

const siteOut = z.object({ id: z.string(), name: z.string(), ref: z.string() });

/** The profile a site has now: the saved one, or the default the inspection would use. */
export async function profileOf(ctx: Ctx, site: Site): Promise<{ profile: InspectionProfile; stored: boolean }> {
  const saved = await ctx.deps.inspections.profileOf(site.id);
  return saved ? { profile: saved, stored: true } : { profile: defaultProfileFor(site, ctx.deps.inspections.settings), stored: false };
}

/** A site whose profile the actor may change: its admins only (they confirm what the crawl discovered). */
async function ownSite(ctx: Ctx, ref: string): Promise<Site> {
  const site = await visibleSite(ctx, ref);
  if (!administers(ctx.actor, site)) throw new DomainError('site_admin_only', { site: site.name }, 403);
  return site;
}

async function saveProfile(ctx: Ctx, site: Site, profile: InspectionProfile) {
  const next = { ...profile, siteId: site.id, updatedAt: ctx.deps.clock.now(), updatedBy: ctx.actor.user.name };
  await ctx.deps.inspections.saveProfile(next);
  return presentProfile(next, site, true);
}

async function latestReportOf(ctx: Ctx, site: Site): Promise<InspectionReport | undefined> {
  return (await ctx.deps.inspections.latestReports([site.id]))[0];
}

/** A unit the actor supervises (their first by default); any other reads as missing, like a site. */
async function supervisedUnit(ctx: Ctx, code: string | undefined): Promise<Unit> {
  const c = code ?? ctx.actor.supervisedUnits[0];
  if (!c) throw new DomainError('inspection_unit_required', {}, 400);
  const unit = await ctx.deps.units.get(c);
  if (!unit || !supervisesUnit(ctx.actor, unit)) throw notFound('unit', c);
  return unit;
}

/** The overview of a unit's subtree: every site's latest report, veto risks first (shared with the xlsx export). */
export async function inspectionOverviewOf(ctx: Ctx, code: string | undefined): Promise<{ unit: Unit; rows: OverviewRowDTO[]; reports: InspectionReport[]; total: number }> {
  const unit = await supervisedUnit(ctx, code);
  const sites = await ctx.deps.sites.find({ scopeUnits: [unit.code], limit: OVERVIEW_READ });
  const reports = await ctx.deps.inspections.latestReports(sites.map((s) => s.id));
  return { unit, rows: presentOverview(sites, reports), reports, total: sites.length };
}

/** A site's latest report with this week's availability by day (shared with the xlsx export and the REST file route). */
export async function siteInspectionOf(ctx: Ctx, ref: string, n = REPORT_DAYS_MAX): Promise<{ site: Site; report: InspectionReportDTO | null; days: z.infer<typeof dayAvailabilityDto>[] }> {
  const site = await visibleSite(ctx, ref);
  const now = ctx.deps.clock.now();
  const [report, probes] = await Promise.all([latestReportOf(ctx, site), weekProbes(ctx.deps, site.id, now)]);
  return { site, report: report ? presentInspectionReport(report, site) : null, days: availabilityByDay(probes.week, now, n) };
}

const reportOut = z.object({ report: inspectionReportDto });

export const inspectionRun = defineCommand({
  id: 'inspection.run',
  input: z.object({ site: siteRef }),
  output: reportOut,
  roles: [],
  http: { method: 'post', path: '/inspections/:site/run' },
  chat: { words: { 'zh-CN': ['巡检', '立即巡检'], en: ['inspect'] }, args: ['site'] },
  /** Art. 28: inspects one site now (crawl, freshness, links, elements) and judges it with the week's probes. */
  async handler(ctx, input) {
    const site = await visibleSite(ctx, input.site);
    const progress = ctx.progress;
    const report = await inspectSiteNow(ctx.deps, site.id, progress ? { onProgress: (p) => progress(ctx.t('bot:inspect_view.cli_progress', { pages: p.pages, links: p.links, current: p.current ?? '' })) } : {});
    return { report: presentInspectionReport(report, site) };
  },
});

export const inspectionOverview = defineCommand({
  id: 'inspection.overview',
  input: z.object({ unit: unitRef }),
  output: z.object({
    unit: z.object({ code: z.string(), name: z.string() }),
    totals: z.object({ sites: z.number().int(), inspected: z.number().int(), vetoRisk: z.number().int(), withProblems: z.number().int() }),
    sites: z.array(overviewRowDto),
    truncated: z.boolean(),
  }),
  roles: ['supervisor'],
  // Before `/inspections/:site`: a fixed path must win over the parameter.
  http: { method: 'get', path: '/inspections/overview' },
  chat: { words: { 'zh-CN': ['巡检概况'], en: ['inspection overview', 'inspection-overview'] }, args: ['unit'] },
  /** The supervisor's view of a subtree: each site's latest inspection, veto risks first. */
  async handler(ctx, input) {
    const { unit, rows, total } = await inspectionOverviewOf(ctx, input.unit);
    const totals = {
      sites: total,
      inspected: rows.filter((r) => r.inspected).length,
      vetoRisk: rows.filter((r) => r.veto.length).length,
      withProblems: rows.filter((r) => r.staleColumns + r.blankColumns + r.brokenLinks + r.missingElements > 0).length,
    };
    return { unit: { code: unit.code, name: unit.name }, totals, sites: rows.slice(0, OVERVIEW_LIMIT), truncated: rows.length > OVERVIEW_LIMIT };
  },
});

export const inspectionReport = defineCommand({
  id: 'inspection.report',
  input: z.object({ site: siteRef, days: days.optional() }),
  output: z.object({ site: siteOut, report: inspectionReportDto.nullable(), days: z.array(dayAvailabilityDto), total: z.object({ probes: z.number().int(), failed: z.number().int(), ratio: z.number() }) }),
  roles: [],
  http: { method: 'get', path: '/inspections/:site' },
  chat: { words: { 'zh-CN': ['巡检报告'], en: ['inspection report', 'inspection-report'] }, args: ['site', 'days'] },
  /** The latest inspection of a site, with its availability day by day over the last `days` days (7 by default). */
  async handler(ctx, input) {
    const { site, report, days: byDay } = await siteInspectionOf(ctx, input.site, input.days ?? REPORT_DAYS_MAX);
    return { site: siteRefOf(site), report, days: byDay, total: totalOf(byDay) };
  },
});

export const inspectionLinks = defineCommand({
  id: 'inspection.links',
  input: z.object({ site: siteRef }),
  output: z.object({ site: siteOut, at: z.string().nullable(), brokenLinks: z.array(brokenLinkDto), pages: z.number().int().nullable(), links: z.number().int().nullable() }),
  roles: [],
  http: { method: 'get', path: '/inspections/:site/broken-links' },
  chat: { words: { 'zh-CN': ['死链', '死链接'], en: ['broken links', 'broken-links'] }, args: ['site'] },
  /** The broken links the latest crawl found, each with the page it sits on and its status. */
  async handler(ctx, input) {
    const site = await visibleSite(ctx, input.site);
    const [report, crawl] = await Promise.all([latestReportOf(ctx, site), ctx.deps.inspections.latestCrawl(site.id)]);
    const links = report?.brokenLinks ?? crawl?.brokenLinks ?? [];
    return {
      site: siteRefOf(site),
      at: (report?.at ?? crawl?.at)?.toISOString() ?? null,
      brokenLinks: links.map((l) => ({ url: l.url, page: l.page, status: l.status })),
      pages: crawl?.pages ?? null,
      links: crawl?.links ?? null,
    };
  },
});

const pendingDto = z.object({ no: z.number().int(), url: z.string(), name: z.string(), kind: judgedColumnDto.shape.kind });

export const inspectionColumns = defineCommand({
  id: 'inspection.columns',
  input: z.object({ site: siteRef }),
  output: z.object({
    site: siteOut,
    at: z.string().nullable(),
    homepage: inspectionReportDto.shape.homepage.extend({ limitDays: z.number().int() }).nullable(),
    columns: z.array(judgedColumnDto),
    /** Key columns of the profile the latest report does not cover yet (added since). */
    notYetInspected: z.array(z.object({ url: z.string(), name: z.string().nullable(), kind: judgedColumnDto.shape.kind })),
    pending: z.array(pendingDto),
  }),
  roles: [],
  http: { method: 'get', path: '/inspections/:site/columns' },
  chat: { words: { 'zh-CN': ['栏目', '栏目更新'], en: ['columns'] }, args: ['site'] },
  /** Each key column with its days since the last update against its limit, and the discovered columns to confirm. */
  async handler(ctx, input) {
    const site = await visibleSite(ctx, input.site);
    const [report, crawl, { profile }] = await Promise.all([latestReportOf(ctx, site), ctx.deps.inspections.latestCrawl(site.id), profileOf(ctx, site)]);
    const dto = report ? presentInspectionReport(report, site) : null;
    const judged = new Set(dto?.columns.map((c) => c.url) ?? []);
    return {
      site: siteRefOf(site),
      at: dto?.at ?? null,
      homepage: dto ? { ...dto.homepage, limitDays: ctx.deps.inspections.settings.homepageLimitDays } : null,
      columns: dto?.columns ?? [],
      notYetInspected: profile.columns.filter((c) => c.confirmed && !judged.has(c.url)).map((c) => ({ url: c.url, name: c.name ?? null, kind: c.kind })),
      pending: pendingColumns(profile, crawl?.discovered ?? []).map((p, i) => ({ no: i + 1, ...p })),
    };
  },
});

const profileOut = z.object({ profile: profileDto });

export const inspectionProfile = defineCommand({
  id: 'inspection.profile',
  input: z.object({ site: siteRef }),
  output: profileOut,
  roles: [],
  http: { method: 'get', path: '/inspections/:site/profile' },
  chat: { words: { 'zh-CN': ['巡检设置'], en: ['inspection profile', 'inspection-profile'] }, args: ['site'] },
  /** What the inspection checks on a site: home URLs, key columns and their kinds. */
  async handler(ctx, input) {
    const site = await visibleSite(ctx, input.site);
    const { profile, stored } = await profileOf(ctx, site);
    return { profile: presentProfile(profile, site, stored) };
  },
});

export const inspectionHome = defineCommand({
  id: 'inspection.home',
  input: z.object({ site: siteRef, urls: z.union([z.string().trim().min(1, 'inspection_home_required').max(5000), z.array(url).min(1, 'inspection_home_required').max(20)]) }),
  output: profileOut,
  roles: ['site_admin'],
  http: { method: 'put', path: '/inspections/:site/profile/home-urls' },
  chat: { words: { 'zh-CN': ['巡检首页', '设置首页'], en: ['set home', 'inspection-home'] }, args: ['site', 'urls'] },
  /** The site admin sets the home URL(s) probed and crawled: http or https, on the site's registered domains only. */
  async handler(ctx, input) {
    const site = await ownSite(ctx, input.site);
    const { profile } = await profileOf(ctx, site);
    return { profile: await saveProfile(ctx, site, withHomeUrls(profile, splitUrls(input.urls), site.domains)) };
  },
});

export const inspectionColumnSet = defineCommand({
  id: 'inspection.column',
  input: z.object({ site: siteRef, url, kind, name: z.string().trim().min(1).max(60).optional() }),
  output: profileOut.extend({ added: z.boolean() }),
  roles: ['site_admin'],
  http: { method: 'put', path: '/inspections/:site/profile/columns' },
  chat: { words: { 'zh-CN': ['巡检栏目', '设置栏目'], en: ['set column', 'inspection-column'] }, args: ['site', 'url', 'kind', 'name'] },
  /** The site admin adds or changes a key column: its URL (on the site's domains) and kind (动态/要闻, 通知公告, 政策文件, 其他). */
  async handler(ctx, input) {
    const site = await ownSite(ctx, input.site);
    const { profile } = await profileOf(ctx, site);
    const { profile: next, added } = withColumn(profile, { url: input.url, kind: input.kind, ...(input.name ? { name: input.name } : {}) }, site.domains);
    return { profile: await saveProfile(ctx, site, next), added };
  },
});

export const inspectionColumnRemove = defineCommand({
  id: 'inspection.column-remove',
  input: z.object({ site: siteRef, url }),
  output: profileOut,
  roles: ['site_admin'],
  http: { method: 'delete', path: '/inspections/:site/profile/columns' },
  chat: { words: { 'zh-CN': ['删除栏目', '删除巡检栏目'], en: ['remove column', 'inspection-column-remove'] }, args: ['site', 'url'] },
  /** The site admin stops inspecting a column (closed, merged or renamed). */
  async handler(ctx, input) {
    const site = await ownSite(ctx, input.site);
    const { profile } = await profileOf(ctx, site);
    return { profile: await saveProfile(ctx, site, withoutColumn(profile, input.url, site.domains)) };
  },
});

const ALL_WORDS = new Set(['全部', '所有', 'all']);
/** `1 2 3`, `1,2`, `全部`/`all`, or an array of numbers: which pending columns to confirm. */
const nos = z.union([z.array(strictInt({ min: 1, max: 1000, message: 'inspection_column_nos_format' })).min(1, 'inspection_column_nos_format'), z.string().trim().min(1, 'inspection_column_nos_format')]).transform((v, ctx): number[] | 'all' => {
  if (Array.isArray(v)) return v;
  if (ALL_WORDS.has(v.toLowerCase())) return 'all';
  const parts = v.split(/[\s,，、;；]+/).filter(Boolean);
  if (!parts.every((p) => /^\d{1,4}$/.test(p))) {
    ctx.addIssue({ code: 'custom', message: 'inspection_column_nos_format', params: { value: v } });
    return z.NEVER;
  }
  return parts.map(Number);
});

export const inspectionConfirm = defineCommand({
  id: 'inspection.confirm',
  input: z.object({ site: siteRef, nos, kind: kind.optional() }),
  output: profileOut.extend({ confirmed: z.array(profileDto.shape.columns.element) }),
  roles: ['site_admin'],
  http: { method: 'post', path: '/inspections/:site/profile/columns/confirm' },
  chat: { words: { 'zh-CN': ['确认栏目'], en: ['confirm columns', 'confirm-columns'] }, args: ['site', 'nos'] },
  /** The site admin confirms columns found in the home page's navigation (numbers as `栏目` lists them), optionally with their kind. */
  async handler(ctx, input) {
    const site = await ownSite(ctx, input.site);
    const [{ profile }, crawl] = await Promise.all([profileOf(ctx, site), ctx.deps.inspections.latestCrawl(site.id)]);
    const pending = pendingColumns(profile, crawl?.discovered ?? []);
    const { profile: next, confirmed } = withConfirmed(profile, pending, input.nos, site.domains, input.kind);
    return { profile: await saveProfile(ctx, site, next), confirmed: confirmed.map((c) => ({ url: c.url, kind: c.kind, name: c.name ?? null, confirmed: c.confirmed })) };
  },
});

export const inspectionFinding = defineCommand({
  id: 'inspection.finding',
  input: z.object({
    site: siteRef,
    no: strictInt({ min: 1, max: 100_000, message: 'inspection_problem_no_invalid' }),
    category: findingCategory.optional(),
    campaign: z.string().trim().min(1).max(120).optional(),
  }),
  output: z.object({ check: checkDto, problem: problemDto }),
  roles: ['supervisor'],
  http: { method: 'post', path: '/inspections/:site/problems/:no/finding' },
  chat: { words: { 'zh-CN': ['巡检转问题', '巡检问题'], en: ['inspection finding', 'inspection-finding'] }, args: ['site', 'no'] },
  /**
   * Art. 28 meets art. 32: the supervisor turns problem `no` of the site's latest inspection into a finding of
   * the open quarterly check — a veto line as 单项否决, anything else as 扣分 unless `category` says otherwise.
   */
  async handler(ctx, input) {
    const check = await checkToRun(ctx, input.site, input.campaign);
    const site = await visibleSite(ctx, input.site);
    const report = await latestReportOf(ctx, site);
    if (!report) throw new DomainError('inspection_no_report', { site: site.name }, 404);
    const problems = presentInspectionReport(report, site).problems;
    const problem = problems.find((p) => p.no === input.no);
    if (!problem) throw new DomainError('inspection_problem_not_found', { site: site.name, no: input.no, count: problems.length }, 404);
    const text = ctx.t('bot:inspect_view.finding_text', { date: chinaDateOf(report.at), problem: problemText(problem, ctx.t) }).slice(0, 2000);
    const by = { userid: ctx.actor.user.userid, name: ctx.actor.user.name };
    const category = input.category ?? (problem.veto ? 'veto' : 'deduction');
    const saved = await commitCheck(ctx.deps, check, { type: 'finding', by, category, text }, ctx.deps.clock.now(), ctx.source);
    return { check: presentCheck(saved), problem };
  },
});


/**
 * What an export is of: a site the actor sees (by 网站标识码 or domain), else a unit they supervise (by code);
 * anything else reads as a missing site. Shared by the chat command and the REST file routes.
 */
export async function inspectionExportOf(ctx: Ctx, target: string, only?: 'site' | 'unit'): Promise<InspectionExport> {
  const site = only === 'unit' ? undefined : await ctx.deps.sites.findByRef(target);
  if (site && canReadSite(ctx.actor, site)) {
    const { report, days: byDay } = await siteInspectionOf(ctx, target);
    return { kind: 'site', site: siteRefOf(site), report, days: byDay, generatedAt: ctx.deps.clock.now().toISOString() };
  }
  const unit = only === 'site' ? undefined : await ctx.deps.units.get(target);
  if (!unit || !supervisesUnit(ctx.actor, unit)) throw notFound(only === 'unit' ? 'unit' : 'site', target);
  const { rows, reports, total } = await inspectionOverviewOf(ctx, unit.code);
  const sites = new Map(rows.map((r) => [r.site.id, r.site]));
  const details = reports.filter((r) => sites.has(r.siteId)).map((r) => presentInspectionReport(r, { id: r.siteId, name: sites.get(r.siteId)!.name, code: sites.get(r.siteId)!.ref, domains: [] }));
  return { kind: 'unit', unit: { code: unit.code, name: unit.name }, rows, reports: details, total, generatedAt: ctx.deps.clock.now().toISOString() };
}

export const inspectionExport = defineCommand({
  id: 'inspection.export',
  input: z.object({ target: z.string().trim().min(1, 'inspection_export_target_required').max(253) }),
  output: z.object({ fileName: z.string(), mime: z.string(), base64: z.string(), download: z.string() }),
  roles: [],
  chat: { words: { 'zh-CN': ['巡检导出'], en: ['export inspection', 'inspection-export'] }, args: ['target'] },
  /** The inspection report of a site, or of every site under a unit, as an xlsx file (sent where the channel can send files). */
  async handler(ctx, input) {
    const data = await inspectionExportOf(ctx, input.target);
    const file = await ctx.deps.inspectionFiles.xlsx(data, ctx.lng);
    const download = data.kind === 'site' ? `/api/v1/inspections/${encodeURIComponent(data.site.ref)}/xlsx` : `/api/v1/inspections/units/${encodeURIComponent(data.unit.code)}/xlsx`;
    return { fileName: file.fileName, mime: file.mime, base64: file.data.toString('base64'), download };
  },
});

/** Fixed paths first: `/inspections/overview` must win over `/inspections/:site`. */
export const inspectionCommands = [
  inspectionOverview,
  inspectionRun,
  inspectionReport,
  inspectionLinks,
  inspectionColumns,
  inspectionProfile,
  inspectionHome,
  inspectionColumnSet,
  inspectionColumnRemove,
  inspectionConfirm,
  inspectionFinding,
  inspectionExport,
];
