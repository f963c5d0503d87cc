import PDFDocument from 'pdfkit';
import type { Translate } from '../core/i18n';
import { percent, reportRows, type ReportRow } from '../core/annual-report/annual-report.rows';
import type { AnnualReportDraft } from '../core/annual-report/annual-report.types';

const FONT = 'cjk';
const BAR = '#4e79a7';
const LINE = '#e15759';
const GRID = '#d0d0d0';

/** A round upper bound for the bar axis: 1, 2, 5, 10, 20, 50… at least `max`. */
function niceCeil(max: number): number {
  if (max <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].map((m) => m * p).find((v) => v >= max) ?? 10 * p);
}

/** The year on one page: error reports received per month as bars (left axis), the on-time answer rate as a line (right axis, 0–100%). */
function drawChart(doc: PDFKit.PDFDocument, d: AnnualReportDraft, t: Translate): number {
  const x0 = 70;
  const y0 = 130;
  const w = 440;
  // 260 leaves room under the monthly table for the inspection's figures (drawInspection).
  const h = 260;
  const bottom = y0 + h;
  const top = niceCeil(Math.max(...d.monthly.map((m) => m.received), 1));
  const slot = w / 12;

  doc.fontSize(16).fillColor('black').text(t('bot:annual_report.file.chart_title', { site: d.site.name, year: d.year }), 50, 60, { width: 495, align: 'center' });
  doc.fontSize(9);
  // Grid and axes.
  for (let i = 0; i <= 5; i++) {
    const y = bottom - (h * i) / 5;
    doc.moveTo(x0, y).lineTo(x0 + w, y).lineWidth(0.5).strokeColor(GRID).stroke();
    doc.fillColor('black').text(String(Math.round((top * i) / 5)), x0 - 34, y - 5, { width: 28, align: 'right' });
    doc.text(`${20 * i}%`, x0 + w + 6, y - 5, { width: 34 });
  }
  doc.moveTo(x0, y0).lineTo(x0, bottom).lineTo(x0 + w, bottom).lineTo(x0 + w, y0).lineWidth(1).strokeColor('black').stroke();
  // Bars.
  d.monthly.forEach((m, i) => {
    const bh = (h * m.received) / top;
    if (bh > 0) doc.rect(x0 + i * slot + slot * 0.2, bottom - bh, slot * 0.6, bh).fill(BAR);
    doc.fillColor('black').text(t('bot:annual_report.file.month_short', { month: m.month }), x0 + i * slot, bottom + 6, { width: slot, align: 'center' });
  });
  // On-time rate line, broken where a month has no answered report.
  let drawing = false;
  d.monthly.forEach((m, i) => {
    const x = x0 + i * slot + slot / 2;
    if (m.onTimeRate === null) {
      drawing = false;
      return;
    }
    const y = bottom - h * m.onTimeRate;
    if (drawing) doc.lineTo(x, y);
    else doc.moveTo(x, y);
    drawing = true;
  });
  doc.lineWidth(2).strokeColor(LINE).stroke();
  d.monthly.forEach((m, i) => {
    if (m.onTimeRate !== null) doc.circle(x0 + i * slot + slot / 2, bottom - h * m.onTimeRate, 3).fill(LINE);
  });
  // Axis titles and legend.
  doc.fillColor('black').fontSize(9);
  doc.text(t('bot:annual_report.file.axis_reports'), x0 - 40, y0 - 20, { width: 120 });
  doc.text(t('bot:annual_report.file.axis_rate'), x0 + w - 60, y0 - 20, { width: 100, align: 'right' });
  const ly = bottom + 30;
  doc.rect(x0, ly, 12, 10).fill(BAR);
  doc.fillColor('black').text(t('bot:annual_report.file.legend_reports'), x0 + 18, ly, { width: 180 });
  doc.moveTo(x0 + 220, ly + 5).lineTo(x0 + 240, ly + 5).lineWidth(2).strokeColor(LINE).stroke();
  doc.fillColor('black').text(t('bot:annual_report.file.legend_rate'), x0 + 246, ly, { width: 200 });
  // The numbers under the chart, so the page reads without the picture.
  let y = ly + 30;
  doc.fontSize(9);
  const cols = [t('bot:annual_report.file.month'), t('bot:annual_report.file.received'), t('bot:annual_report.file.answered'), t('bot:annual_report.file.on_time_rate')];
  cols.forEach((c, i) => doc.text(c, x0 + i * 110, y, { width: 105 }));
  y += 14;
  for (const m of d.monthly) {
    [t('bot:annual_report.file.month_short', { month: m.month }), String(m.received), String(m.answered), percent(m.onTimeRate)].forEach((c, i) => doc.text(c, x0 + i * 110, y, { width: 105 }));
    y += 13;
  }
  return y;
}

/**
 * The daily inspection's figures (art. 28: 首页可用性, 链接可用性) under the monthly table, two to a line: the
 * first page is full with the figures of art. 23–36, and these belong with the year's measurements.
 */
function drawInspection(doc: PDFKit.PDFDocument, rows: ReportRow[], top: number): void {
  if (!rows.length) return;
  let y = top + 14;
  doc.fillColor('black').fontSize(11).text(rows[0]!.section, 70, y, { width: 440 });
  y += 18;
  doc.fontSize(9);
  rows.forEach((r, i) => {
    const x = i % 2 === 0 ? 70 : 300;
    doc.text(r.label, x, y, { width: 160 });
    doc.text(String(r.value), x + 162, y, { width: 66 });
    if (i % 2 === 1 || i === rows.length - 1) y += 24;
  });
}

/**
 * The draft as a PDF: the figures on the first page, the chart of the year and the inspection's figures on the second. `font` is a TTF
 * with CJK glyphs (Noto Sans SC); pdfkit embeds only the glyphs used, so the file stays small.
 */
export function renderAnnualReportPdf(d: AnnualReportDraft, t: Translate, font: Uint8Array): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: t('bot:annual_report.file.title', { site: d.site.name, year: d.year }), Creator: 'Site Steward' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT, Buffer.from(font));
  doc.font(FONT);
  doc.fontSize(18).text(t('bot:annual_report.file.title', { site: d.site.name, year: d.year }), { align: 'center' });
  doc.moveDown(0.3).fontSize(9).fillColor('#555').text(t('bot:annual_report.file.draft_note', { date: d.generatedAt.toISOString().slice(0, 10) }), { align: 'center' });
  doc.moveDown(0.8).fillColor('black');
  let section = '';
  const rows = reportRows(d, t);
  const isInspection = (r: ReportRow) => r.key.startsWith('inspection_');
  for (const r of rows.filter((x) => !isInspection(x))) {
    if (r.section !== section) {
      section = r.section;
      doc.moveDown(0.4).fontSize(12).text(section);
    }
    const y = doc.y;
    doc.fontSize(10).text(r.label, 70, y, { width: 260 });
    doc.text(String(r.value), 340, y, { width: 205 });
    doc.x = 50;
  }
  doc.addPage();
  drawInspection(doc, rows.filter(isInspection), drawChart(doc, d, t));
  doc.end();
  return done;
}
