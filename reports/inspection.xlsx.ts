import ExcelJS from 'exceljs';
import { chinaDateTimeOf } from '../core/calendar/civil-date';
import type { Locale } from '../core/config.schema';
import type { Translate } from '../core/i18n';
import type { InspectionExport, InspectionFilesPort } from '../core/inspection/inspection-files.ports';
import { problemText, statusText } from '../core/inspection/problem-text';
import { percent, type InspectionReportDTO } from '../core/presenters/inspection.presenter';
import { translatorFor } from '../lib/i18n';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const when = (iso: string | null) => (iso ? chinaDateTimeOf(new Date(iso)) : '');
const yesNo = (b: boolean, t: Translate) => t(b ? 'bot:inspect_view.file.yes' : 'bot:inspect_view.file.no');

function sheet(wb: ExcelJS.Workbook, name: string, headers: string[], widths: number[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name);
  ws.columns = widths.map((width) => ({ width }));
  const head = ws.addRow(headers);
  head.font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return ws;
}

const vetoWords = (veto: readonly string[], t: Translate) => veto.map((v) => t(`bot:inspect_view.veto.${v}`)).join('；');

/** One site's report: summary, availability by day, columns, broken links, elements, numbered problems. */
function siteBook(wb: ExcelJS.Workbook, d: Extract<InspectionExport, { kind: 'site' }>, t: Translate): void {
  const H = (k: string) => t(`bot:inspect_view.file.${k}`);
  const r = d.report;
  const summary = sheet(wb, H('sheet_summary'), [H('item'), H('value')], [26, 80]);
  summary.addRow([H('site'), `${d.site.name}（${d.site.ref}）`]);
  summary.addRow([H('generated'), when(d.generatedAt)]);
  if (!r) summary.addRow([H('inspected_at'), H('never')]);
  else {
    summary.addRow([H('inspected_at'), when(r.at)]);
    summary.addRow([H('availability_today'), `${r.availability.today.failed}/${r.availability.today.probes}（${percent(r.availability.today.ratio)}）`]);
    summary.addRow([H('availability_week'), `${r.availability.week.failed}/${r.availability.week.probes}（${percent(r.availability.week.ratio)}）`]);
    summary.addRow([H('homepage'), r.homepage.url]);
    summary.addRow([H('homepage_last_update'), r.homepage.lastUpdate ?? '']);
    summary.addRow([H('homepage_days'), r.homepage.daysSince ?? '']);
    summary.addRow([H('stale_columns'), r.counts.staleColumns]);
    summary.addRow([H('blank_columns'), r.counts.blankColumns]);
    summary.addRow([H('broken_links'), r.counts.brokenLinks]);
    summary.addRow([H('missing_elements'), r.elements.missing.length + r.elements.mismatched.length]);
    summary.addRow([H('veto'), r.veto.length ? vetoWords(r.veto, t) : H('none')]);
  }
  const days = sheet(wb, H('sheet_availability'), [H('date'), H('probes'), H('failed'), H('failure_ratio')], [14, 10, 10, 12]);
  for (const day of d.days) days.addRow([day.date, day.probes, day.failed, percent(day.ratio)]);
  if (r) reportSheets(wb, [r], t, false);
}

/** The detail sheets of one or many reports; with `withSite` each row starts with its site. */
function reportSheets(wb: ExcelJS.Workbook, reports: readonly InspectionReportDTO[], t: Translate, withSite: boolean): void {
  const H = (k: string) => t(`bot:inspect_view.file.${k}`);
  const pre = withSite ? [H('site')] : [];
  const w = withSite ? [30] : [];
  const site = (r: InspectionReportDTO) => (withSite ? [r.site.name] : []);
  const columns = sheet(wb, H('sheet_columns'), [...pre, H('column'), H('url'), H('kind'), H('last_update'), H('days_since'), H('limit_days'), H('stale'), H('blank'), H('near_limit')], [...w, 20, 50, 12, 14, 10, 10, 8, 8, 10]);
  for (const r of reports)
    for (const c of r.columns)
      columns.addRow([...site(r), c.name ?? '', c.url, t(`bot:inspect_view.kind.${c.kind}`), c.lastUpdate ?? '', c.daysSince ?? '', c.limitDays, yesNo(c.stale, t), yesNo(c.blank, t), yesNo(c.nearLimit, t)]);
  const links = sheet(wb, H('sheet_links'), [...pre, H('link'), H('page'), H('status')], [...w, 60, 50, 18]);
  for (const r of reports) for (const l of r.brokenLinks) links.addRow([...site(r), l.url, l.page, statusText(l.status, t)]);
  const elements = sheet(wb, H('sheet_elements'), [...pre, H('element'), H('state'), H('expected'), H('found')], [...w, 24, 12, 24, 24]);
  for (const r of reports) {
    for (const e of r.elements.missing) elements.addRow([...site(r), t(`bot:inspect_view.element.${e}`), H('missing'), '', '']);
    for (const m of r.elements.mismatched) elements.addRow([...site(r), t(`bot:inspect_view.element.${m.element}`), H('mismatched'), m.expected, m.found]);
  }
  const problems = sheet(wb, H('sheet_problems'), [...pre, H('no'), H('category'), H('problem')], [...w, 6, 12, 90]);
  for (const r of reports) for (const p of r.problems) problems.addRow([...site(r), p.no, H(p.veto ? 'category_veto' : 'category_deduction'), problemText(p, t)]);
}

/** A unit's subtree: one row per site (veto risks first), then every site's columns, links, elements and problems. */
function unitBook(wb: ExcelJS.Workbook, d: Extract<InspectionExport, { kind: 'unit' }>, t: Translate): void {
  const H = (k: string) => t(`bot:inspect_view.file.${k}`);
  const ws = sheet(
    wb,
    H('sheet_overview'),
    [H('site'), H('ref'), H('inspected_at'), H('veto'), H('availability_week'), H('homepage_days'), H('stale_columns'), H('blank_columns'), H('near_limit_columns'), H('broken_links'), H('missing_elements')],
    [30, 24, 18, 30, 16, 12, 10, 10, 10, 10, 10],
  );
  for (const r of d.rows) {
    ws.addRow([
      r.site.name,
      r.site.ref,
      r.inspected ? when(r.at) : H('never'),
      vetoWords(r.veto, t),
      r.availability ? `${r.availability.failed}/${r.availability.probes}（${percent(r.availability.ratio)}）` : '',
      r.homepageDaysSince ?? '',
      r.staleColumns,
      r.blankColumns,
      r.nearLimitColumns,
      r.brokenLinks,
      r.missingElements,
    ]);
  }
  reportSheets(wb, d.reports, t, true);
}

/** The export as an `.xlsx` workbook in the reader's language. Pure: data in, bytes out. */
export async function renderInspectionXlsx(d: InspectionExport, t: Translate): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Site Steward';
  wb.created = new Date(d.generatedAt);
  if (d.kind === 'site') siteBook(wb, d, t);
  else unitBook(wb, d, t);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** File names carry the site's ref or the unit's code and the China date: several exports never collide. */
export function inspectionFileName(d: InspectionExport): string {
  const day = chinaDateTimeOf(new Date(d.generatedAt)).slice(0, 10);
  const who = d.kind === 'site' ? d.site.ref : d.unit.code;
  return `inspection-${who.replace(/[^\w.-]+/g, '_')}-${day}.xlsx`;
}

/** The core's inspection files port (wired lazily in lib/services.ts). */
export const inspectionFilesWriter: InspectionFilesPort = {
  async xlsx(data, lng: Locale) {
    return { fileName: inspectionFileName(data), mime: XLSX_MIME, data: await renderInspectionXlsx(data, translatorFor(lng)) };
  },
};
