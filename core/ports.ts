import type { ComplaintRepo } from './complaints/complaint.ports';
import type { NotificationRepo } from './reminders/notification';
import type { WorkingCalendar } from './calendar';
import type { RequestRepo, RequestRulesPort } from './requests/ports';
import type { Site, Unit, User } from './registry/types';
import type { ObligationRepo } from './obligations/obligation.ports';
import type { CampaignRepo } from './campaigns/campaign.ports';
import type { AnnualReportRepo } from './annual-report/annual-report.types';
import type { NoticeRepo } from './notices/notice.types';

/** The clock, so core code and tests agree on "now" without calling Date.now(). */
export interface Clock {
  now(): Date;
}

export interface UnitRepo {
  get(code: string): Promise<Unit | undefined>;
  getMany(codes: string[]): Promise<Unit[]>;
  /** The unit and every unit below it. */
  subtree(code: string): Promise<Unit[]>;
}

export interface SiteQuery {
  /** Sites a supervisor of any of these units covers (`scopeUnits`). */
  scopeUnits?: string[];
  ids?: string[];
  hostUnit?: string;
  statuses?: Site['status'][];
  limit?: number;
}

export interface SiteRepo {
  getById(id: string): Promise<Site | undefined>;
  /** By 网站标识码 or by any of its domains. */
  findByRef(ref: string): Promise<Site | undefined>;
  find(query: SiteQuery): Promise<Site[]>;
  byDomains(domains: string[]): Promise<Site[]>;
  portalOf(governmentCode: string): Promise<Site | undefined>;
}

export interface UserRepo {
  byUserid(userid: string): Promise<User | undefined>;
  byIds(ids: string[]): Promise<User[]>;
}

/** A year an operator loaded with `steward calendar load`, replacing the package's data for that year or adding it. */
export interface CalendarOverrideInfo {
  year: number;
  loadedBy: string;
  loadedAt: Date;
  note: string | null;
}

/**
 * The working-day calendar in force: the package's official years plus the operator's overrides from the
 * database. `current()` always reflects the latest `steward calendar load`, from any process, without restart.
 */
export interface CalendarProvider {
  current(): Promise<WorkingCalendar>;
  /** The overrides inside the calendar `current()` gives; optional so a test double may leave it out. */
  overrides?(): Promise<CalendarOverrideInfo[]>;
}

/** Everything a command handler may touch, handed in by the adapter that runs it. */
export interface Deps {
  clock: Clock;
  units: UnitRepo;
  sites: SiteRepo;
  users: UserRepo;
  calendar: CalendarProvider;
  /** Requests and approvals (art. 8–17): see core/requests. */
  requests: RequestRepo;
  requestRules: RequestRulesPort;
  /** Netizen error reports (art. 23, 35): see core/complaints. */
  complaints: ComplaintRepo;
  /** Stored notifications, for the in-app list (core/reminders); optional so test doubles may leave it out. */
  notifications?: NotificationRepo;
  /** Recurring obligations (art. 23, 29, 30, 32, 36): dates and acknowledgements; see core/obligations. Optional for test doubles. */
  obligations?: ObligationRepo;
  /** Quarterly check campaigns (art. 32): see core/campaigns. Optional for test doubles. */
  campaigns?: CampaignRepo;
  /** Annual report figures and request rows (art. 36): see core/annual-report. Optional for test doubles. */
  annualReports?: AnnualReportRepo;
  /** Supervisors' notices to groups (通知 / 通报, art. 37): see core/notices. Optional for test doubles. */
  notices?: NoticeRepo;
}
