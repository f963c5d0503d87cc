import type { Deps } from '../core/ports';
import { calendarProvider } from './calendar.repo';
import { complaintRepo } from './complaint.repo';
import { siteRepo, unitRepo, userRepo } from './registry.repo';
import { requestRepo, requestRules } from './request.repo';
import './api-token.model';

export { resolveDatabase, redactUri, PROJECT_ROOT, type ResolvedDatabase } from './database';
export { connectMongo, disconnectMongo, pingDatabase } from './connection';

/** The production wiring of the core's ports. */
export function storeDeps(clock: Deps['clock'] = { now: () => new Date() }): Deps {
  return { clock, units: unitRepo, sites: siteRepo, users: userRepo, calendar: calendarProvider, requests: requestRepo, requestRules, complaints: complaintRepo };
}
