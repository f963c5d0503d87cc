import { OBLIGATION_IDS, type ObligationId } from './obligation.config';

/** Words people type for each obligation in chat, besides its id (both locales; matching ignores case). */
const ALIASES: Record<ObligationId, string[]> = {
  quarterly_check: ['季度检查', '季度抽查', 'quarterly-check', 'quarterly'],
  supervision_report: ['监管年报', '监管年度报表', 'supervision-report', 'supervision'],
  security_self_check: ['安全自查', 'security-self-check', 'security'],
  special_meeting: ['专题会议', 'special-meeting', 'meeting'],
  annual_report_public: ['年报公开', '年报', 'annual-report', 'annual-report-public'],
  annual_report_sealed: ['年报盖章', '盖章年报', 'sealed-report', 'annual-report-sealed'],
  mailbox_check: ['信箱', '查看信箱', 'mailbox'],
};

/** The obligation id a chat word or REST value names, or undefined. */
export function obligationIdOf(word: string): ObligationId | undefined {
  const w = word.trim().toLowerCase();
  if ((OBLIGATION_IDS as readonly string[]).includes(w)) return w as ObligationId;
  return OBLIGATION_IDS.find((id) => ALIASES[id].some((a) => a.toLowerCase() === w));
}
