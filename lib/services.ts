import type { Clock } from '../core/clock';
import type { Config } from '../core/config.schema';
import type { WecomGroupPort } from '../core/commands/wecom.ports';
import { DomainError } from '../core/errors';
import type { Deps } from '../core/ports';
import { createWecomClient, type WecomClient } from '../bot/wecom/client';
import { createWecomGroupPort } from '../bot/wecom/groups';
import { wecomSettingsFromConfig, type WecomSettings } from '../bot/wecom/settings';
import { createWecom, type Wecom } from '../bot/wecom/wecom';
import type { AnnualReportFilesPort } from '../core/annual-report/annual-report-files.ports';
import type { InspectionFilesPort } from '../core/inspection/inspection-files.ports';
import { annualReportRepo } from '../store/annual-report.repo';
import { calendarRepo, createCalendarProvider } from '../store/calendar.repo';
import { campaignRepo } from '../store/campaign.repo';
import { complaintRepo } from '../store/complaint.repo';
import { deadlineRegister } from '../store/deadline.repo';
import { isConnected, pingDatabase } from '../store/connection';
import { apiAuthStore } from '../store/api-auth.store';
import { accountAdmin } from '../store/account.repo';
import type { AccountAdmin } from '../core/accounts.ports';
import { importers } from '../store/import/registry-import';
import { importComplaintsFile } from '../store/import/complaint-import';
import type { ImportsPort } from '../core/registry/import.ports';
import type { CalendarOverrideStore } from '../core/calendar/calendar.ports';
import type { ApiAuthStore } from '../core/api-auth.ports';
import { housekeeping } from '../store/housekeeping';
import type { Housekeeping } from '../core/housekeeping.ports';
import { mpBindingCodes } from '../store/mp-auth.repo';
import { noticeRepo } from '../store/notice.repo';
import { insertNotifications, notificationDelivery, notificationRepo } from '../store/notification.repo';
import { runDueTimers } from '../store/request-effects';
import { dispatchComplaintEffects } from '../store/complaint-effects';
import type { DeliveryStore } from '../bot/deliver';
import { obligationRepo } from '../store/obligation.repo';
import { inspectionRepo, inspectionRepoWith } from '../store/inspection.repo';
import type { InspectionConfig } from '../core/inspection/inspection.config';
import { createSiteInspector, parseInspectResolve } from '../inspect/index';
import { promptStore } from '../store/pending-prompt.model';
import { siteRepo, unitRepo, userRepo } from '../store/registry.repo';
import { activeProvinceAdmins, activeSiteAdmins, siteAdminsBySite, supervisorsByUnit } from '../store/reminder.repo';
import { markRunDone, runDone } from '../store/reminder-run.model';
import { requestRepo, requestRules } from '../store/request.repo';
import { wechatyBindingStore } from '../store/wechaty-binding';
import { wechatyStore } from '../store/wechaty.store';
import type { WechatyStore } from '../core/channels/wechaty.ports';
import { wecomStore } from '../store/wecom.store';
import type { WecomStore } from '../core/channels/wecom.ports';
import { createLogger, type Logger } from './logger';
import { hostname } from 'node:os';
import { reminderSettingsOf, type ReminderSettings } from '../core/reminders/reminder.settings';
import { createEffectsKicker, kickAfterCommits, type EffectsKicker } from '../jobs/kick';

/** The real clock; tests hand in their own. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * Everything the process runs on, built once by {@link createServices}: the core's ports (`deps`), the
 * channels' and jobs' storage, and the WeCom channel when it is configured.
 */
export interface Services {
  deps: Deps;
  /** What the WeCom channel keeps in MongoDB (token, inbound keys, outbox, cards, groups, robots). */
  wecomStore: WecomStore;
  /** What the Wechaty channel keeps in MongoDB (dedup keys, bound contacts and rooms). */
  wechatyStore: WechatyStore;
  /** The stored notifications as delivery claims, sends and records them (the delivery job and the kicker). */
  delivery: DeliveryStore;
  /** Indexes and pruning of bookkeeping collections, for the jobs. */
  housekeeping: Housekeeping;
  /** API tokens and mini-program sessions, for the REST API's sign-in. */
  apiAuth: ApiAuthStore;
  /** The operator's account administration (`steward user …`, `steward token …`). */
  accounts: AccountAdmin;
  /** The registry's importers and the error reports' file intake (`steward import …`). */
  imports: ImportsPort;
  /** Where `steward calendar load` stores a year's override. */
  calendarOverrides: CalendarOverrideStore;
  /** The database's ping (for /readyz) and connection state (the API's quick 503). */
  database: { ping(): Promise<boolean>; connected(): boolean };
  /** Runs effects right after commits (when asked for with `effects`); stop it before closing the database. */
  kicker?: EffectsKicker;
  /** The WeCom channel, built when WeCom is configured (its client is the one `deps.wecomGroups` uses). */
  wecom: Wecom | undefined;
  /** Ends the website inspector's pooled connections (shutdown, tests). */
  closeInspector(): void;
}

export interface ServicesOptions {
  clock?: Clock;
  logger?: Logger;
  /** The WeCom app's settings (from WECOM_*); without them WeCom is a port that says it is not configured. */
  wecom?: { settings: WecomSettings; now?: () => Date; fetch?: typeof fetch };
  /** Kick effects after each commit (the service); tests and one-shot CLI commands leave it to the jobs. */
  effects?: { settings: ReminderSettings; instance?: string };
  /**
   * The inspection's settings (default: `STEWARD_INSPECTION`) and where its host names connect (default:
   * `STEWARD_INSPECT_RESOLVE`): tests point fixture `.gov.cn` sites at loopback with it.
   */
  inspection?: { config?: InspectionConfig; resolve?: string; crawlIn?: 'thread' | 'worker' };
}

/**
 * The annual report's files: the writers (exceljs, pdfkit: seconds to load) are loaded on the first file
 * asked for, not by every process that builds the services (the console, each CLI command).
 */
const annualReportFiles: AnnualReportFilesPort = {
  async render(draft, lng) {
    return (await import('../store/annual-report.files')).annualReportFilesWriter.render(draft, lng);
  },
};

/** The inspection's xlsx writer (exceljs), loaded on the first export like the annual report's. */
const inspectionFiles: InspectionFilesPort = {
  async xlsx(data, lng) {
    return (await import('../reports/inspection.xlsx')).inspectionFilesWriter.xlsx(data, lng);
  },
};

/** The WeCom group commands' port when WeCom is not configured: every call answers `wecom_groups_unavailable`. */
export const wecomGroupsUnavailable: WecomGroupPort = {
  groupOf: () => Promise.reject(new DomainError('wecom_groups_unavailable', {}, 503)),
  usersWithRoles: () => Promise.reject(new DomainError('wecom_groups_unavailable', {}, 503)),
  createGroup: () => Promise.reject(new DomainError('wecom_groups_unavailable', {}, 503)),
  registerRobot: () => Promise.reject(new DomainError('wecom_groups_unavailable', {}, 503)),
};

/**
 * The composition root: builds every port once — repositories, the calendar, the channels' storage, the
 * WeCom client and channel when configured — for `npm start`, the console, the CLI, the jobs and the tests.
 * Nothing else constructs a repository, a channel or a client. Call it after the database is connected
 * (`openDatabase`); the ports reach MongoDB through the one mongoose connection.
 */
export function createServices(opts: ServicesOptions = {}): Services {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger('silent');
  let wecomClient: WecomClient | undefined;
  let wecomGroups = wecomGroupsUnavailable;
  if (opts.wecom) {
    const { settings, now } = opts.wecom;
    const log = logger.child({ channel: 'wecom' });
    wecomClient = createWecomClient({ settings, logger: log, store: wecomStore, ...(now ? { now } : {}), ...(opts.wecom.fetch ? { fetch: opts.wecom.fetch } : {}) });
    wecomGroups = createWecomGroupPort({ settings, client: wecomClient, logger: log, store: wecomStore });
  }
  const inspections = opts.inspection?.config ? inspectionRepoWith(opts.inspection.config) : inspectionRepo();
  // Only the site's registered domains are fetched; STEWARD_INSPECT_RESOLVE (validated at start by parsing it)
  // sends host names elsewhere, like curl's --connect-to.
  const inspector = createSiteInspector({
    resolve: parseInspectResolve(opts.inspection?.resolve ?? process.env.STEWARD_INSPECT_RESOLVE),
    now: () => clock.now(),
    settings: inspections.settings,
    // A page's links are checked no more at once than the deployment lets one host be asked.
    linkConcurrency: inspections.schedule.perHostConcurrency,
    ...(opts.inspection?.crawlIn ? { crawlIn: opts.inspection.crawlIn } : {}),
  });
  const stored: Deps = {
    clock,
    units: unitRepo,
    sites: siteRepo,
    users: userRepo,
    calendar: createCalendarProvider(),
    requests: requestRepo,
    requestRules,
    complaints: complaintRepo,
    deadlines: deadlineRegister,
    notifications: { ...notificationRepo, insert: insertNotifications },
    obligations: obligationRepo(),
    campaigns: campaignRepo,
    annualReports: annualReportRepo,
    annualReportFiles,
    inspectionFiles,
    notices: noticeRepo,
    prompts: promptStore,
    people: { activeSiteAdmins, activeProvinceAdmins, siteAdminsBySite, supervisorsByUnit },
    runs: { done: runDone, mark: markRunDone },
    wecomGroups,
    wechatyBindings: wechatyBindingStore,
    mpBindingCodes,
    inspections,
    inspector,
    // The dispatchers run on these same ports (called later, when `stored` exists).
    effects: { requests: (now) => runDueTimers(stored, now), complaints: (now, o) => dispatchComplaintEffects(stored, now, o) },
  };
  // Every commit that leaves effects behind kicks their dispatch and delivery in this process at once
  // (jobs/kick.ts); the periodic jobs stay the safety net after a crash.
  const kicker = opts.effects ? createEffectsKicker({ deps: stored, housekeeping, delivery: notificationDelivery, settings: opts.effects.settings, logger: logger.child({ component: 'effects' }), instance: opts.effects.instance ?? `${hostname()}:${process.pid}` }) : undefined;
  const deps = kicker ? kickAfterCommits(stored, kicker) : stored;
  const wecom =
    opts.wecom && wecomClient ? createWecom({ settings: opts.wecom.settings, deps, logger, client: wecomClient, store: wecomStore, ...(opts.wecom.now ? { now: opts.wecom.now } : {}) }) : undefined;
  const imports: ImportsPort = { registry: importers, complaintsFile: (file, o) => importComplaintsFile(stored, file, o ?? {}) };
  return { deps, wecomStore, wechatyStore, housekeeping, delivery: notificationDelivery, apiAuth: apiAuthStore, accounts: accountAdmin, imports, calendarOverrides: calendarRepo, database: { ping: () => pingDatabase(), connected: isConnected }, wecom, closeInspector: () => inspector.close(), ...(kicker ? { kicker } : {}) };
}

/** The services as the configuration describes them (WECOM_* turns the WeCom channel on). */
export function servicesFromConfig(config: Config, logger: Logger, opts: { kickEffects?: boolean; crawlIn?: 'thread' | 'worker' } = {}): Services {
  const settings = wecomSettingsFromConfig(config);
  return createServices({
    logger,
    ...(settings ? { wecom: { settings } } : {}),
    ...(opts.kickEffects ? { effects: { settings: reminderSettingsOf(config) } } : {}),
    ...(opts.crawlIn ? { inspection: { crawlIn: opts.crawlIn } } : {}),
  });
}

/** The core's ports alone, on the real clock or a test's: for tests and scripts that need no channel. */
export function createDeps(clock?: Clock): Deps {
  return createServices(clock ? { clock } : {}).deps;
}

/** What the REST API takes besides `deps`: `createApp({ deps, ...apiPortsOf(services), logger, config })`. */
export const apiPortsOf = (s: Pick<Services, 'apiAuth' | 'database'>) => ({ auth: s.apiAuth, database: s.database });
