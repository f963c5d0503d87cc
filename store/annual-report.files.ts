import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { renderAnnualReportPdf } from '../core/annual-report/annual-report.pdf';
import { loadAnnualReportDraft } from '../core/annual-report/annual-report.service';
import { renderAnnualReportXlsx } from '../core/annual-report/annual-report.xlsx';
import type { Locale } from '../core/config.schema';
import { notFound } from '../core/errors';
import type { Deps } from '../core/ports';
import { translatorFor } from '../lib/i18n';
import { provideAnnualReportFiles } from '../core/commands/annual-report.command';

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

/**
 * Both files of a site's annual report draft, for the REST route and for a channel that can send files.
 * No permission check here: callers authorize first (see core/commands/annual-report.command.ts).
 */
export async function buildAnnualReportFiles(deps: Deps, siteId: string, year: number, lng: Locale = 'zh-CN'): Promise<{ xlsx: Buffer; pdf: Buffer; fileName: string }> {
  const site = await deps.sites.getById(siteId);
  if (!site) throw notFound('site', siteId);
  const draft = await loadAnnualReportDraft(deps, site, year);
  const t = translatorFor(lng);
  const [xlsx, pdf] = await Promise.all([renderAnnualReportXlsx(draft, t), cjkFont().then((f) => renderAnnualReportPdf(draft, t, f))]);
  return { xlsx, pdf, fileName: `annual-report-${draft.site.ref}-${year}` };
}

// The chat command `annual-report.files` (年报文件) builds its files through this.
provideAnnualReportFiles(async (deps, siteId, year, lng) => {
  const { xlsx, pdf, fileName } = await buildAnnualReportFiles(deps, siteId, year, lng);
  return [
    { fileName: `${fileName}.xlsx`, mime: CONTENT_TYPES.xlsx, data: xlsx },
    { fileName: `${fileName}.pdf`, mime: CONTENT_TYPES.pdf, data: pdf },
  ];
});
