import type { AuditEntry } from '../audit';
import type { Deadline } from '../calendar';
import type { Effect, NotifySpec } from '../effects';

/**
 * Where a netizen error report (我为政府网站找错, art. 35) stands. `unmatched` holds reports naming no site we
 * know until a province admin assigns one; `untrue` is the one outcome that is not published (art. 35).
 */
export const COMPLAINT_STATES = ['unmatched', 'received', 'transferred', 'answered', 'untrue', 'published', 'closed'] as const;
export type ComplaintState = (typeof COMPLAINT_STATES)[number];

/** States with a running deadline: the transfer (unmatched, received) or the answer (transferred). */
export const OPEN_STATES = ['unmatched', 'received', 'transferred'] as const satisfies readonly ComplaintState[];
export type OpenState = (typeof OPEN_STATES)[number];

export const isOpenState = (s: ComplaintState): s is OpenState => (OPEN_STATES as readonly string[]).includes(s);

/** Which duty a running deadline is for. */
export type Stage = 'transfer' | 'answer';
export const stageOf = (s: OpenState): Stage => (s === 'transferred' ? 'answer' : 'transfer');

/** The site a report concerns, copied onto the report so scope queries and statistics need no join. */
export interface ComplaintSite {
  id: string;
  name: string;
  hostUnit: string;
  supervisingUnit: string;
  /** The site's `scopeUnits` when the report was assigned: every unit whose supervisor covers it. */
  scopeUnits: string[];
}

/** Who is told, resolved to people by the dispatcher at send time (so a role change in between is honoured). */
export type Audience = { kind: 'site_admins'; siteId: string } | { kind: 'supervisors'; unitCode: string } | { kind: 'province_admins' };

/**
 * A pending side effect in the one effect shape (core/effects.ts), written in the same single-document write
 * as the state change: `notify` an audience, the message an i18n key of namespace `bot`
 * (`complaint_notify.transferred`). `id` is unique and stable, so a dispatcher runs each once.
 */
export type ComplaintEffectSpec = NotifySpec<Audience>;
export type ComplaintEffect = Effect<ComplaintEffectSpec>;

/**
 * A line of a report's history, the one audit entry (core/audit.ts): who (a registry user, or `import`/`api`
 * for intake), through which channel, which event (`created` for intake), from which state to which, and the
 * note given (the transfer's note, the answer, a reason) as its comment.
 */
export type ComplaintAuditEntry = AuditEntry<ComplaintState> & { action: ComplaintEventType | 'created' };

/** One error report. Deadlines are instants ("strictly before dueAt is on time") with the calendar's provisional flag. */
export interface Complaint {
  id: string;
  /** The national platform's id: the dedup key of every intake. */
  platformId: string;
  /** The site as the platform named it (网站标识码 or domain). */
  siteRef: string;
  site: ComplaintSite | null;
  pageUrl: string | null;
  errorType: string;
  description: string;
  receivedAt: Date;
  state: ComplaintState;
  /** Optimistic concurrency: every write names the version it read. */
  version: number;
  transferDue: Deadline | null;
  answerDue: Deadline | null;
  /** The running deadline (transfer or answer), null once answered: what the sweep's {state, dueAt} index reads. */
  dueAt: Date | null;
  transferredAt: Date | null;
  transferredBy: string | null;
  transferOnTime: boolean | null;
  answeredAt: Date | null;
  answeredBy: string | null;
  answer: string | null;
  answerOnTime: boolean | null;
  /** Working days from receipt to answer (WorkingCalendar.workingDaysBetween), for the mean handling time. */
  handlingDays: number | null;
  untrueReason: string | null;
  publishedAt: Date | null;
  closedAt: Date | null;
  history: ComplaintAuditEntry[];
  outbox: ComplaintEffect[];
}

export type NewComplaint = Omit<Complaint, 'id'>;

export type ComplaintEvent =
  | { type: 'assign'; site: ComplaintSite }
  | { type: 'transfer'; note?: string }
  | { type: 'return'; reason: string }
  | { type: 'reassign'; site: ComplaintSite }
  | { type: 'answer'; text: string }
  | { type: 'mark_untrue'; reason: string }
  | { type: 'publish' }
  | { type: 'close' }
  | { type: 'reopen'; reason: string };

export type ComplaintEventType = ComplaintEvent['type'];
export const COMPLAINT_EVENTS: readonly ComplaintEventType[] = ['assign', 'transfer', 'return', 'reassign', 'answer', 'mark_untrue', 'publish', 'close', 'reopen'];
