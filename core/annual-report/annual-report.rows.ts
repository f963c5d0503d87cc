import { chinaDateOf } from '../calendar/civil-date';
import type { Translate } from '../i18n';
import { FIGURE_KEYS, type AnnualReportDraft } from './annual-report.types';

/** One line of the report: a stable key (for machines), its localized label, its value. */
export interface ReportRow {
  key: string;
  label: string;
  value: string | number;
  section: string;
}

export const percent = (r: number | null) => (r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);

/**
 * The report as labelled rows, in the order both files show them: the system's figures (art. 23/35 error
 * reports, art. 13–17 requests, art. 32 checks, art. 29/30 duties, supervisors' notices) then the figures the
 * admin entered (art. 36).
 */
export function reportRows(d: AnnualReportDraft, t: Translate): ReportRow[] {
  const L = (k: string) => t(`bot:annual_report.label.${k}`);
  const S = (k: string) => t(`bot:annual_report.section.${k}`);
  const none = t('bot:annual_report.not_entered');
  const rows: ReportRow[] = [];
  const line = (section: string, key: string, value: string | number) => rows.push({ section: S(section), key, label: L(key), value });
  line('site', 'site_name', d.site.name);
  line('site', 'site_ref', d.site.ref);
  line('site', 'host_unit', d.site.hostUnitName);
  line('site', 'year', d.year);
  const c = d.complaints;
  line('complaints', 'complaints_received', c.received);
  line('complaints', 'complaints_transferred', c.transferred);
  line('complaints', 'complaints_answered', c.answered);
  line('complaints', 'complaints_answered_on_time', c.answeredOnTime);
  line('complaints', 'complaints_on_time_rate', percent(c.onTimeRate));
  line('complaints', 'complaints_untrue', c.untrue);
  line('complaints', 'complaints_published', c.published);
  line('complaints', 'complaints_mean_days', c.meanHandlingDays ?? '—');
  line('requests', 'change_records', d.requests.changeRecords);
  line('requests', 'temp_offline', d.requests.tempOffline);
  line('requests', 'emergency_shutdowns', d.requests.emergencyShutdowns);
  line('requests', 'offline_days', d.requests.offlineDays);
  line('supervision', 'checks', d.checks.checks);
  line('supervision', 'findings', d.checks.findings);
  line('supervision', 'rectified', d.checks.rectified);
  line('supervision', 'security_self_checks', d.obligations.securitySelfChecks);
  line('supervision', 'special_meeting', t(d.obligations.specialMeeting ? 'bot:annual_report.yes' : 'bot:annual_report.no'));
  // Notices (通知/通报) asking for acknowledgement: labels live in bot.annual-report-notices.json.
  const NL = (k: string) => t(`bot:annual_report_notices.label.${k}`);
  const NS = t('bot:annual_report_notices.section');
  const n = d.notices;
  const notice = (key: string, value: string | number) => rows.push({ section: NS, key, label: NL(key), value });
  notice('notices_received', n.received);
  notice('notices_acknowledged', n.acknowledged);
  notice('notices_ack_rate', percent(n.ackRate));
  notice('notices_acknowledged_on_time', n.acknowledgedOnTime);
  notice('notices_on_time_rate', percent(n.onTimeRate));
  // The daily inspection (art. 28): labels live in bot.annual-report-inspection.json.
  const IL = (k: string) => t(`bot:annual_report_inspection.label.${k}`);
  const IS = t('bot:annual_report_inspection.section');
  const ins = d.inspection;
  const inspection = (key: string, value: string | number | null) => rows.push({ section: IS, key, label: IL(key), value: value ?? '—' });
  inspection('inspection_probes', ins.probes);
  inspection('inspection_failed_probes', ins.failedProbes);
  inspection('inspection_availability', percent(ins.availability));
  inspection('inspection_links_date', ins.linksInspectedAt ? chinaDateOf(ins.linksInspectedAt) : null);
  inspection('inspection_links_checked', ins.linksChecked);
  inspection('inspection_homepage_broken_links', ins.homepageBrokenLinks);
  inspection('inspection_other_broken_links', ins.otherBrokenLinks);
  for (const k of FIGURE_KEYS) line('entered', k, d.figures[k] ?? none);
  return rows;
}
