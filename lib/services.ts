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
import { annualReportRepo } from '../store/annual-report.repo';
import { createCalendarProvider } from '../store/calendar.repo';
import { campaignRepo } from '../store/campaign.repo';
import { complaintRepo } from '../store/complaint.repo';
import { deadlineRegister } from '../store/deadline.repo';
import { isConnected, pingDatabase } from '../store/connection';
import { apiAuthStore, type ApiAuthStore } from '../store/api-auth.store';
import { housekeeping, type Housekeeping } from '../store/housekeeping';
import { mpBindingCodes } from '../store/mp-auth.repo';
import { noticeRepo } from '../store/notice.repo';
import { insertNotifications, notificationDelivery, notificationRepo } from '../store/notification.repo';
import { runDueTimers } from '../store/request-effects';
import { dispatchComplaintEffects } from '../store/complaint-effects';
import type { DeliveryStore } from '../bot/deliver';
import { obligationRepo } from '../store/obligation.repo';
import { promptStore } from '../store/pending-prompt.model';
import { siteRepo, unitRepo, userRepo } from '../store/registry.repo';
import { activeProvinceAdmins, activeSiteAdmins, siteAdminsBySite, supervisorsByUnit } from '../store/reminder.repo';
import { markRunDone, runDone } from '../store/reminder-run.model';
import { requestRepo, requestRules } from '../store/request.repo';
import { wechatyBindingStore } from '../store/wechaty-binding';
import { wechatyStore, type WechatyStore } from '../store/wechaty.store';
import { wecomStore, type WecomStore } from '../store/wecom.store';
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
  /** The database's ping (for /readyz) and connection state (the API's quick 503). */
  database: { ping(): Promise<boolean>; connected(): boolean };
  /** Runs effects right after commits (when asked for with `effects`); stop it before closing the database. */
  kicker?: EffectsKicker;
  /** The WeCom channel, built when WeCom is configured (its client is the one `deps.wecomGroups` uses). */
  wecom: Wecom | undefined;
}

export interface ServicesOptions {
  clock?: Clock;
  logger?: Logger;
  /** The WeCom app's settings (from WECOM_*); without them WeCom is a port that says it is not configured. */
  wecom?: { settings: WecomSettings; now?: () => Date; fetch?: typeof fetch };
  /** Kick effects after each commit (the service); tests and one-shot CLI commands leave it to the jobs. */
  effects?: { settings: ReminderSettings; instance?: string };
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
    notices: noticeRepo,
    prompts: promptStore,
    people: { activeSiteAdmins, activeProvinceAdmins, siteAdminsBySite, supervisorsByUnit },
    runs: { done: runDone, mark: markRunDone },
    wecomGroups,
    wechatyBindings: wechatyBindingStore,
    mpBindingCodes,
    // The dispatchers run on these same ports (called later, when `stored` exists).
    effects: { requests: (now) => runDueTimers(stored, now), complaints: (now, o) => dispatchComplaintEffects(stored, now, o) },
  };
  // Every commit that leaves effects behind kicks their dispatch and delivery in this process at once
  // (jobs/kick.ts); the periodic jobs stay the safety net after a crash.
  const kicker = opts.effects ? createEffectsKicker({ deps: stored, housekeeping, delivery: notificationDelivery, settings: opts.effects.settings, logger: logger.child({ component: 'effects' }), instance: opts.effects.instance ?? `${hostname()}:${process.pid}` }) : undefined;
  const deps = kicker ? kickAfterCommits(stored, kicker) : stored;
  const wecom =
    opts.wecom && wecomClient ? createWecom({ settings: opts.wecom.settings, deps, logger, client: wecomClient, store: wecomStore, ...(opts.wecom.now ? { now: opts.wecom.now } : {}) }) : undefined;
  return { deps, wecomStore, wechatyStore, housekeeping, delivery: notificationDelivery, apiAuth: apiAuthStore, database: { ping: () => pingDatabase(), connected: isConnected }, wecom, ...(kicker ? { kicker } : {}) };
}

/** The services as the configuration describes them (WECOM_* turns the WeCom channel on). */
export function servicesFromConfig(config: Config, logger: Logger, opts: { kickEffects?: boolean } = {}): Services {
  const settings = wecomSettingsFromConfig(config);
  return createServices({ logger, ...(settings ? { wecom: { settings } } : {}), ...(opts.kickEffects ? { effects: { settings: reminderSettingsOf(config) } } : {}) });
}

/** The core's ports alone, on the real clock or a test's: for tests and scripts that need no channel. */
export function createDeps(clock?: Clock): Deps {
  return createServices(clock ? { clock } : {}).deps;
}

/** What the REST API takes besides `deps`: `createApp({ deps, ...apiPortsOf(services), logger, config })`. */
export const apiPortsOf = (s: Pick<Services, 'apiAuth' | 'database'>) => ({ auth: s.apiAuth, database: s.database });
