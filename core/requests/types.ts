import type { SiteKind, SiteStatus } from '../registry/types';
import type { WorkingCalendar } from '../calendar/working-calendar';
import type { AuditEntry as AuditEntryOf, Who } from '../audit';
import type { Outcome, Transition, WorkflowEnv } from '../workflow';
import type { Effect as EffectOf, EffectSpecOf, NotifySpec } from '../effects';

/** The five request types of the Measures: art. 8–10, 17, 13–14, 15, 16. */
export const REQUEST_TYPES = ['opening', 'change_record', 'temp_offline', 'emergency_shutdown', 'closure'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/**
 * Every status any machine uses. `reviewing` and `returned` are the open (undecided) ones; each machine
 * uses its own subset after the decision (see the machine modules).
 */
export const REQUEST_STATUSES = [
  'reviewing',
  'returned',
  'rejected',
  'withdrawn',
  'scheduled',
  'offline',
  'completed',
  'acknowledged',
  'ended',
  'approved',
  'launched',
  'migrating',
  'notice_period',
  'closed',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Undecided: the requester may still withdraw. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['reviewing', 'returned'];

export type StepRole = 'review' | 'approve' | 'acknowledge';
export type DecisionAction = 'approve' | 'reject' | 'return';

export interface StepDecision {
  action: DecisionAction;
  by: Who;
  at: Date;
  comment?: string;
}

/**
 * One level of 逐级审核: it belongs to a unit; any supervisor of exactly that unit may act (或签), or only the
 * named assignee after a 转办. `root` marks the provincial General Office step (province admins act there too).
 */
export interface ApprovalStep {
  unitCode: string;
  unitName: string;
  role: StepRole;
  root: boolean;
  assignee?: Who;
  cc: Who[];
  decision?: StepDecision;
  /** Set when the step becomes active (see review-deadline.ts) and never moved; absent on steps not reached yet. */
  deadline?: StepDeadline;
}

/**
 * When a step must be decided: by the end of `dueDate` (China time), i.e. strictly before `dueAt`. `basis` says
 * which rule gave the date: the review time per level in working days, or (temporary offline) the last working
 * day before the requested start. `provisional`: computed through a year whose holiday schedule is not loaded.
 */
export interface StepDeadline {
  /** When the step became active: filing, the previous step's approval or a resubmission. */
  since: Date;
  dueDate: string;
  dueAt: Date;
  provisional: boolean;
  /** The review time per level in force when it was computed. */
  workingDays: number;
  basis: 'working_days' | 'offline_start';
}

export interface ChecklistItem {
  key: string;
  done: boolean;
  by?: Who;
  at?: Date;
  evidence?: string;
}

/** Art. 17: what a change record may change. */
export interface SiteChanges {
  hostUnit?: string;
  /** Art. 11: a new host unit usually means a new name. */
  name?: string;
  personInCharge?: string;
  contacts?: string;
  domain?: string;
  columns?: string;
  url?: string;
}
export const SITE_CHANGE_FIELDS = ['hostUnit', 'name', 'personInCharge', 'contacts', 'domain', 'columns', 'url'] as const;

export const EMERGENCY_REASONS = ['force_majeure', 'ordered_by_authority'] as const;
export type EmergencyReason = (typeof EMERGENCY_REASONS)[number];

/** What the requester filed; each machine reads the fields of its type. Dates are China-local YYYY-MM-DD. */
export interface RequestPayload {
  start?: string;
  end?: string;
  reason?: string;
  /** Art. 13: why a portal must go offline or close although portals generally may not. */
  justification?: string;
  emergencyReason?: EmergencyReason;
  note?: string;
  changes?: SiteChanges;
  migrateTo?: string;
}

export interface SiteRef {
  id: string;
  name: string;
  kind: SiteKind;
  domain: string;
  /** Where notices go (art. 10, 14, 16): the government's portal for department sites, the superior portal for portals. */
  noticePortal: { id: string; name: string; domain: string } | null;
}

export type TimerKind = 'offline_window_start' | 'offline_end_reminder' | 'offline_overdue' | 'shutdown_start' | 'closure_notice_expired';

export type TaskKind =
  | 'post_offline_notice_site'
  | 'post_offline_notice_portal'
  | 'post_old_domain_notice'
  | 'post_opening_notice'
  | 'post_migration_notice';

/** Who a notification goes to, resolved by the dispatcher when it runs. */
export interface Recipients {
  userids?: string[];
  /** Supervisors of exactly these units (province admins too for the root unit). */
  unitSupervisors?: { code: string; root: boolean }[];
  siteAdmins?: string[];
}

export type NotifyKey =
  | 'awaiting_decision'
  | 'step_approved'
  | 'approved'
  | 'rejected'
  | 'returned'
  | 'withdrawn'
  | 'resubmitted'
  | 'handed_off'
  | 'copied'
  | 'emergency_reported'
  | 'acknowledged'
  | 'offline_started'
  | 'offline_end_reminder'
  | 'offline_overdue_alarm'
  | 'back_online'
  | 'launched'
  | 'notice_period_started'
  | 'closed';

/** A request's pending side effects, in the one effect shape (core/effects.ts), written with the state change that caused them. */
export type EffectSpec =
  | EffectSpecOf<'create_task', { task: TaskKind; siteId: string; siteName: string; dueDate?: string; params?: Record<string, string> }>
  | NotifySpec<Recipients, NotifyKey>
  | EffectSpecOf<'set_site_status', { siteId: string; status: SiteStatus; code?: string }>
  | EffectSpecOf<'apply_registry_changes', { siteId: string; changes: SiteChanges }>
  | EffectSpecOf<'schedule', { timer: TimerKind; dueAt: string }>;

export type EffectKind = EffectSpec['kind'];
export type Effect = EffectOf<EffectSpec>;

export interface RequestFlags {
  siteDown?: boolean;
  backOnline?: boolean;
  overdueAlarmed?: boolean;
  noticeSince?: Date;
  /** Timer ids already handled: a timer fired twice changes nothing the second time. */
  firedTimers?: string[];
}

/** What a machine sees and returns. */
export interface RequestState {
  type: RequestType;
  status: RequestStatus;
  site: SiteRef;
  requester: Who;
  steps: ApprovalStep[];
  /** Index of the step that acts next; `steps.length` once every step has decided. */
  currentStep: number;
  payload: RequestPayload;
  checklist: ChecklistItem[];
  /** 1 on filing, +1 on each resubmission. */
  round: number;
  flags: RequestFlags;
}

/** A request's audit trail line (core/audit.ts), over the request statuses. */
export type AuditEntry = AuditEntryOf<RequestStatus>;

/** A request as stored: the state plus its trail, its outbox and the version that guards every write. */
export interface RequestRecord extends RequestState {
  id: string;
  /** The calendar year it counts in (for temporary offline: the year the window starts). */
  year: number;
  /** Units whose supervisors may read it (the site's scope when filed). */
  scopeUnits: string[];
  version: number;
  audit: AuditEntry[];
  effects: Effect[];
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A request as filed, decided by its machine once, before storage gives it its human id (R2027-0001): the
 * record less its id, its first effects not yet keyed. The repository assigns the id and keys the effects.
 */
export type RequestDraft = Omit<RequestRecord, 'id' | 'effects'> & { effects: EffectSpec[] };

/** Facts from storage a machine needs but cannot look up itself. */
export interface RequestFacts {
  /** Other approved temporary offline requests of the site in the same year (art. 14). */
  approvedInYear?: string[];
  /** Other undecided temporary offline requests of the site in the same year. */
  pendingInYear?: string[];
  /** Registry rule problems of the changed or opened site (art. 6, 11, 12), checked again at each decision. */
  ruleProblems?: { field: string; code: string; params?: Record<string, unknown> }[];
  /** Today in China, for "the window may not start in the past". */
  today?: string;
  /** The site's registry status at filing: only an online site goes temporarily offline (art. 14). */
  siteStatus?: SiteStatus;
}

export type RequestEvent =
  | { type: 'approve'; by: Who; step: number; comment?: string; facts?: RequestFacts }
  | { type: 'reject'; by: Who; step: number; comment: string }
  | { type: 'return'; by: Who; step: number; comment: string }
  | { type: 'handoff'; by: Who; step: number; to: Who; comment?: string }
  | { type: 'cc'; by: Who; step: number; to: Who; comment?: string }
  | { type: 'resubmit'; by: Who; changes: RequestPayload; comment?: string; facts?: RequestFacts }
  | { type: 'withdraw'; by: Who; comment?: string }
  | { type: 'check'; by: Who; item: string; evidence: string }
  | { type: 'launch'; by: Who; comment?: string }
  | { type: 'back_online'; by: Who; comment?: string }
  | { type: 'timer'; by: Who; timer: TimerKind; timerId: string };

export type RequestEventType = RequestEvent['type'];
export const REQUEST_EVENT_TYPES: readonly RequestEventType[] = ['approve', 'reject', 'return', 'handoff', 'cc', 'resubmit', 'withdraw', 'check', 'launch', 'back_online', 'timer'];

/** What a request machine gives (core/workflow.ts): `noop` for a stale timer, which writes nothing. */
export type MachineResult = Outcome<RequestState, EffectSpec>;

/**
 * What a request machine is handed (core/workflow.ts): the instant of the event and, when a step may become
 * active (filing, an approval, a resubmission), what gives it its review deadline (review-deadline.ts).
 */
export interface RequestEnv extends WorkflowEnv {
  /** Without it no review deadline is stamped (timers never activate a step, so they pass none). */
  deadlines?: DeadlineEnv;
}

export interface CreateInput {
  site: SiteRef;
  requester: Who;
  steps: ApprovalStep[];
  payload: RequestPayload;
  facts?: RequestFacts;
}

/** One state machine per request type (ARCHITECTURE.md "Flow of one action"). */
export interface RequestMachine {
  type: RequestType;
  /** The statuses this type uses, for the table tests and the presenters. */
  statuses: readonly RequestStatus[];
  /** `env.deadlines` gives the first step its review deadline (review-deadline.ts); without it no deadline is stamped. */
  create(input: CreateInput, env: RequestEnv): MachineResult;
  /** `env.deadlines` gives a step that becomes active (approval of the previous one, resubmission) its deadline. */
  transition: Transition<RequestState, RequestEvent, RequestEnv, EffectSpec>;
}

/**
 * What a machine needs to give a step its review deadline: the working-day calendar in force and the
 * deployment's review time per level (STEWARD_REVIEW_WORKING_DAYS). Handed in like the clock, since core/
 * does no I/O; without it a machine stamps no deadline (timers never activate a step, so they pass none).
 */
export interface DeadlineEnv {
  calendar: WorkingCalendar;
  workingDays: number;
}
