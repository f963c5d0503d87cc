import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { renderAnnualReportPdf } from '../reports/annual-report.pdf';
import { loadAnnualReportDraft } from '../core/annual-report/annual-report.service';
import { renderAnnualReportXlsx } from '../reports/annual-report.xlsx';
import type { Locale } from '../core/config.schema';
import { notFound } from '../core/errors';
import type { Deps } from '../core/ports';
import { translatorFor } from '../lib/i18n';
import type { AnnualReportFilesPort } from '../core/annual-report/annual-report-files.ports';
import type { AnnualReportDraft } from '../core/annual-report/annual-report.types';

let font: Promise<Buffer> | undefined;

/** Noto Sans SC from @expo-google-fonts/noto-sans-sc (OFL), read once per process: pdfkit's built-in fonts have no Chinese glyphs. */
export function cjkFont(): Promise<Buffer> {
  if (!font) {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
    font = readFile(path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf'));
  }
  return font;
}

export type AnnualReportFormat = 'xlsx' | 'pdf';

export const CONTENT_TYPES: Record<AnnualReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** Both files of a draft, in a language: what the `annual-report.files` command and the REST file route send. */
export async function renderAnnualReportFiles(draft: AnnualReportDraft, lng: Locale = 'zh-CN'): Promise<{ xlsx: Buffer; pdf: Buffer; fileName: string }> {
  const t = translatorFor(lng);
  const [xlsx, pdf] = await Promise.all([renderAnnualReportXlsx(draft, t), cjkFont().then((f) => renderAnnualReportPdf(draft, t, f))]);
  return { xlsx, pdf, fileName: `annual-report-${draft.site.ref}-${draft.year}` };
}

/**
 * Both files of a site's annual report draft, for the REST route and for a channel that can send files.
 * No permission check here: callers authorize first (see core/commands/annual-report.command.ts).
 */
export async function buildAnnualReportFiles(deps: Deps, siteId: string, year: number, lng: Locale = 'zh-CN'): Promise<{ xlsx: Buffer; pdf: Buffer; fileName: string }> {
  const site = await deps.sites.getById(siteId);
  if (!site) throw notFound('site', siteId);
  return renderAnnualReportFiles(await loadAnnualReportDraft(deps, site, year), lng);
}

/** The core's annual report files port (wired in lib/services.ts). */
export const annualReportFilesWriter: AnnualReportFilesPort = {
  async render(draft, lng) {
    const { xlsx, pdf, fileName } = await renderAnnualReportFiles(draft, lng);
    return [
      { format: 'xlsx', fileName: `${fileName}.xlsx`, mime: CONTENT_TYPES.xlsx, data: xlsx },
      { format: 'pdf', fileName: `${fileName}.pdf`, mime: CONTENT_TYPES.pdf, data: pdf },
    ];
  },
};
