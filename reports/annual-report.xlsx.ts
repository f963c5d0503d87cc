import ExcelJS from 'exceljs';
import type { Translate } from '../core/i18n';
import { percent, reportRows } from '../core/annual-report/annual-report.rows';
import type { AnnualReportDraft } from '../core/annual-report/annual-report.types';

/**
 * The draft as an `.xlsx` workbook: a summary sheet (label, value, key — the key column lets a program read
 * it back), the monthly error reports, and the offline periods. Pure: data in, bytes out.
 */
export async function renderAnnualReportXlsx(d: AnnualReportDraft, t: Translate): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Site Steward';
  wb.created = d.generatedAt;
  const H = (k: string) => t(`bot:annual_report.file.${k}`);

  const summary = wb.addWorksheet(H('sheet_summary'));
  summary.columns = [{ width: 34 }, { width: 40 }, { width: 28 }];
  summary.addRow([t('bot:annual_report.file.title', { site: d.site.name, year: d.year })]).font = { bold: true, size: 14 };
  summary.addRow([H('generated'), d.generatedAt.toISOString().slice(0, 10)]);
  let section = '';
  for (const r of reportRows(d, t)) {
    if (r.section !== section) {
      section = r.section;
      summary.addRow([section]).font = { bold: true };
    }
    summary.addRow([r.label, r.value, r.key]);
  }

  const monthly = wb.addWorksheet(H('sheet_monthly'));
  monthly.columns = [{ width: 10 }, { width: 14 }, { width: 14 }, { width: 16 }, { width: 14 }];
  monthly.addRow([H('month'), H('received'), H('answered'), H('answered_on_time'), H('on_time_rate')]).font = { bold: true };
  for (const m of d.monthly) monthly.addRow([m.month, m.received, m.answered, m.answeredOnTime, percent(m.onTimeRate)]);
  monthly.addRow([H('total'), d.complaints.received, d.complaints.answered, d.complaints.answeredOnTime, percent(d.complaints.onTimeRate)]).font = { bold: true };

  const offline = wb.addWorksheet(H('sheet_offline'));
  offline.columns = [{ width: 14 }, { width: 18 }, { width: 12 }, { width: 12 }, { width: 8 }];
  offline.addRow([H('request'), H('type'), H('start'), H('end'), H('days')]).font = { bold: true };
  for (const p of d.requests.offlinePeriods) offline.addRow([p.requestId, t(`bot:annual_report.offline_type.${p.type}`), p.start, p.end, p.days]);

  return Buffer.from(await wb.xlsx.writeBuffer());
}
