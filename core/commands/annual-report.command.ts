import { z } from 'zod';
import { annualReportRepoOf, loadAnnualReportDraft } from '../annual-report/annual-report.service';
import { annualFiguresSchema, FIGURE_KEYS } from '../annual-report/annual-report.types';
import { DomainError } from '../errors';
import { administers } from '../policies/site.policy';
import { annualReportDto, presentAnnualReport } from '../presenters/annual-report.presenter';
import type { Site } from '../registry/types';
import { chinaDateOf } from '../calendar/civil-date';
import { strictInt } from '../strict-input';
import { defineCommand, type Ctx } from './command';
import { visibleSite } from './visible';

const siteRef = z.string().trim().min(1, 'site_ref_required').max(253);
const year = strictInt({ min: 2000, max: 2200, message: 'annual_report_year_format' });

/** The report year people mean by default: last year (the report is written in January, art. 36). */
const defaultYear = (ctx: Ctx) => Number(chinaDateOf(ctx.deps.clock.now()).slice(0, 4)) - 1;

/**
 * The site of an annual report the actor may read (its admins and supervisors; any other reads as missing),
 * and a year that has begun.
 * The REST file route calls it too, so the files and the draft share one permission check.
 */
export async function annualReportSite(ctx: Ctx, ref: string, y: number): Promise<Site> {
  const site = await visibleSite(ctx, ref);
  if (y > Number(chinaDateOf(ctx.deps.clock.now()).slice(0, 4))) throw new DomainError('annual_report_year_invalid', { year: y }, 400);
  return site;
}

export const annualReportShow = defineCommand({
  id: 'annual-report.show',
  input: z.object({ site: siteRef, year: year.optional() }),
  output: z.object({ report: annualReportDto }),
  roles: [],
  http: { method: 'get', path: '/annual-reports/:site/:year' },
  chat: { words: { 'zh-CN': ['年报草稿', '年度报表'], en: ['annual report'] }, args: ['site', 'year'] },
  /** Art. 36: the draft of a site's annual report from the system's own data plus the entered figures. */
  async handler(ctx, input) {
    const y = input.year ?? defaultYear(ctx);
    const site = await annualReportSite(ctx, input.site, y);
    return { report: presentAnnualReport(await loadAnnualReportDraft(ctx.deps, site, y)) };
  },
});

export const annualReportFigures = defineCommand({
  id: 'annual-report.figures',
  input: annualFiguresSchema.extend({ site: siteRef, year: year.optional() }),
  output: z.object({ report: annualReportDto, changed: z.array(z.string()) }),
  roles: ['site_admin'],
  http: { method: 'put', path: '/annual-reports/:site/:year/figures' },
  chat: { words: { 'zh-CN': ['年报填报'], en: ['report figures'] }, args: ['site'] },
  /** The site admin enters the figures only they know (items published, visits, services…), as `key=value`. */
  async handler(ctx, input) {
    const { site: ref, year: y0, ...patch } = input;
    const y = y0 ?? defaultYear(ctx);
    const site = await annualReportSite(ctx, ref, y);
    if (!administers(ctx.actor, site)) throw new DomainError('site_admin_only', { site: site.name }, 403);
    const changed = FIGURE_KEYS.filter((k) => patch[k] !== undefined);
    if (!changed.length) throw new DomainError('annual_report_no_figures', { keys: FIGURE_KEYS.join(', ') }, 400);
    await annualReportRepoOf(ctx.deps).saveFigures(site.id, y, patch, { userid: ctx.actor.user.userid, name: ctx.actor.user.name }, ctx.deps.clock.now());
    return { report: presentAnnualReport(await loadAnnualReportDraft(ctx.deps, site, y)), changed };
  },
});

export type { AnnualReportFile, AnnualReportFilesPort } from '../annual-report/annual-report-files.ports';

export const annualReportFiles = defineCommand({
  id: 'annual-report.files',
  input: z.object({ site: siteRef, year: year.optional() }),
  output: z.object({ report: annualReportDto, files: z.array(z.object({ fileName: z.string(), mime: z.string(), base64: z.string() })) }),
  roles: [],
  chat: { words: { 'zh-CN': ['年报文件'], en: ['report files'] }, args: ['site', 'year'] },
  /**
   * Art. 36: the draft and its two files (xlsx, pdf) in the asker's language. Channel-agnostic: the files are
   * data in the answer; a channel that can send files sends them, the others show where to download them.
   */
  async handler(ctx, input) {
    const y = input.year ?? defaultYear(ctx);
    const site = await annualReportSite(ctx, input.site, y);
    const draft = await loadAnnualReportDraft(ctx.deps, site, y);
    const report = presentAnnualReport(draft);
    const files = await ctx.deps.annualReportFiles.render(draft, ctx.lng);
    return { report, files: files.map((f) => ({ fileName: f.fileName, mime: f.mime, base64: f.data.toString('base64') })) };
  },
});

export const annualReportCommands = [annualReportShow, annualReportFigures, annualReportFiles];
