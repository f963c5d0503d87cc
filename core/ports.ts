import type { ComplaintRepo } from './complaints/complaint.ports';
import type { DeadlineRegister } from './deadlines/deadline.ports';
import type { NotificationRepo } from './reminders/notification';
import type { Clock } from './clock';
import type { CalendarProvider } from './calendar/calendar.ports';
import type { SiteRepo, UnitRepo, UserRepo } from './registry/registry.ports';
import type { RequestRepo, RequestRulesPort } from './requests/ports';
import type { ObligationRepo } from './obligations/obligation.ports';
import type { CampaignRepo } from './campaigns/campaign.ports';
import type { AnnualReportRepo } from './annual-report/annual-report.types';
import type { NoticeRepo } from './notices/notice.types';
import type { PromptStore } from './prompts';
import type { EffectDispatchers } from './effects.ports';
import type { NotificationWriter, PeopleDirectory, RunMarkers } from './reminders/reminder.ports';
import type { WecomGroupPort } from './commands/wecom.ports';
import type { WechatyBindingPort } from './commands/binding.ports';
import type { MpBindingCodes } from './commands/mp.ports';
import type { AnnualReportFilesPort } from './annual-report/annual-report-files.ports';
import type { InspectionRepo, SiteInspector } from './inspection/inspection.ports';
import type { InspectionFilesPort } from './inspection/inspection-files.ports';

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
  /** The register of open deadlines (one small document each): what reminders, digests and due lists read. */
  deadlines: DeadlineRegister;
  /** Stored notifications: the in-app list (core/reminders) and the jobs that store reminders. */
  notifications: NotificationRepo & NotificationWriter;
  /** Recurring obligations (art. 23, 29, 30, 32, 36): dates and acknowledgements; see core/obligations. */
  obligations: ObligationRepo;
  /** Quarterly check campaigns (art. 32): see core/campaigns. */
  campaigns: CampaignRepo;
  /** Annual report figures and request rows (art. 36): see core/annual-report. */
  annualReports: AnnualReportRepo;
  /** The annual report's files (xlsx, pdf), written outside the core. */
  annualReportFiles: AnnualReportFilesPort;
  /** Supervisors' notices to groups (通知 / 通报, art. 37): see core/notices. */
  notices: NoticeRepo;
  /** Questions the chat engine waits to have answered (a command's `needs`): see core/prompts. */
  prompts: PromptStore;
  /** The workflows' effects dispatchers, which the jobs and the kick after a commit run (one pipeline). */
  effects: EffectDispatchers;
  /** Who holds which role, for reminders and escalations. */
  people: PeopleDirectory;
  /** Daily jobs' "done today" markers. */
  runs: RunMarkers;
  /** The WeCom unit groups and robots; a port that answers `wecom_groups_unavailable` without WeCom configured. */
  wecomGroups: WecomGroupPort;
  /** Wechaty binding codes and rooms bound to units. */
  wechatyBindings: WechatyBindingPort;
  /** The mini-program's one-time binding codes. */
  mpBindingCodes: MpBindingCodes;
  /** The daily website inspection's profiles, probes, crawls and reports (art. 28): see core/inspection. */
  inspections: InspectionRepo;
  /** The website inspector (inspect/): the only code that fetches other people's websites. */
  inspector: SiteInspector;
  /** The inspection report as an xlsx file (a site's or a unit's), written outside the core. */
  inspectionFiles: InspectionFilesPort;
}
