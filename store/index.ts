import type { Deps } from '../core/ports';
import { calendarProvider } from './calendar.repo';
import { complaintRepo } from './complaint.repo';
import { notificationRepo } from './notification.repo';
import { siteRepo, unitRepo, userRepo } from './registry.repo';
import { requestRepo, requestRules } from './request.repo';
import { obligationRepo } from './obligation.repo';
import { campaignRepo } from './campaign.repo';
import { annualReportRepo } from './annual-report.repo';
import { noticeRepo } from './notice.repo';
import './api-token.model';
import './wechaty-binding';

export { resolveDatabase, redactUri, PROJECT_ROOT, type ResolvedDatabase } from './database';
export { connectMongo, disconnectMongo, pingDatabase } from './connection';

/** The production wiring of the core's ports. */
export function storeDeps(clock: Deps['clock'] = { now: () => new Date() }): Deps {
  return { clock, units: unitRepo, sites: siteRepo, users: userRepo, calendar: calendarProvider, requests: requestRepo, requestRules, complaints: complaintRepo, notifications: notificationRepo, obligations: obligationRepo(), campaigns: campaignRepo, annualReports: annualReportRepo, notices: noticeRepo };
}
