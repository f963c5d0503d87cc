import { chinaDateOf } from '../../core/calendar/civil-date';
import type { Translate } from '../../core/i18n';
import type { AnnualReportDTO } from '../../core/presenters/annual-report.presenter';
import { text, type Reply } from '../reply';

type R = (out: never, t: Translate) => Reply;

const pct = (r: number | null) => (r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);

/** A short summary and where to download the files (sending files is the channels' job). */
export function annualReportSummary(r: AnnualReportDTO, t: Translate): string[] {
  const entered = Object.entries(r.figures).filter(([, v]) => v !== null);
  const missing = Object.entries(r.figures)
    .filter(([, v]) => v === null)
    .map(([k]) => k);
  return [
    t('bot:annual_report.summary_title', { site: r.site.name, year: r.year }),
    t('bot:annual_report.summary_complaints', { received: r.complaints.received, answered: r.complaints.answered, onTime: r.complaints.answeredOnTime, rate: pct(r.complaints.onTimeRate) }),
    t('bot:annual_report.summary_requests', { changes: r.requests.changeRecords, offline: r.requests.tempOffline, shutdowns: r.requests.emergencyShutdowns, days: r.requests.offlineDays }),
    t('bot:annual_report.summary_checks', { checks: r.checks.checks, findings: r.checks.findings, rectified: r.checks.rectified }),
    t(r.inspection.linksInspectedAt ? 'bot:annual_report_inspection.summary' : 'bot:annual_report_inspection.summary_no_crawl', {
      availability: pct(r.inspection.availability),
      probes: r.inspection.probes,
      failed: r.inspection.failedProbes,
      date: r.inspection.linksInspectedAt ? chinaDateOf(new Date(r.inspection.linksInspectedAt)) : '',
      home: r.inspection.homepageBrokenLinks ?? 0,
      other: r.inspection.otherBrokenLinks ?? 0,
    }),
    t('bot:annual_report_notices.summary', { received: r.notices.received, acknowledged: r.notices.acknowledged, ackRate: pct(r.notices.ackRate), onTime: r.notices.acknowledgedOnTime, onTimeRate: pct(r.notices.onTimeRate) }),
    entered.length ? t('bot:annual_report.summary_entered', { values: entered.map(([k, v]) => `${k}=${v}`).join(' ') }) : t('bot:annual_report.summary_nothing_entered'),
    ...(missing.length ? [t('bot:annual_report.summary_missing', { keys: missing.join(' '), site: r.site.ref, year: r.year })] : []),
    t('bot:annual_report.summary_download', { xlsx: r.downloads.xlsx, pdf: r.downloads.pdf }),
  ];
}

interface FileDTO {
  fileName: string;
  mime: string;
  base64: string;
}

/** The summary, then each file; a channel without files shows the summary and each file's download link. */
function renderFiles(out: { report: AnnualReportDTO; files: FileDTO[] }, t: Translate): Reply {
  const r = out.report;
  const summary = [...annualReportSummary(r, t), t('bot:annual_report.files_follow', { count: out.files.length })].join('\n');
  const files: Reply[] = out.files.map((f) => {
    const url = f.fileName.endsWith('.pdf') ? r.downloads.pdf : r.downloads.xlsx;
    return { kind: 'file', fileName: f.fileName, mime: f.mime, data: Buffer.from(f.base64, 'base64'), fallback: t('bot:annual_report.file_fallback', { file: f.fileName, url }) };
  });
  return { kind: 'several', replies: [text(summary), ...files], fallback: annualReportSummary(r, t).join('\n') };
}

export const annualReportRenderers = new Map<string, R>([
  ['annual-report.files', renderFiles as R],
  ['annual-report.show', ((out: { report: AnnualReportDTO }, t: Translate) => text(annualReportSummary(out.report, t).join('\n'))) as R],
  [
    'annual-report.figures',
    ((out: { report: AnnualReportDTO; changed: string[] }, t: Translate) =>
      text([t('bot:annual_report.saved', { keys: out.changed.join(', ') }), ...annualReportSummary(out.report, t)].join('\n'))) as R,
  ],
]);
