import { chinaStartOf } from '../calendar/civil-date';
import { addDays, isRealDate } from '../requests/dates';
import type { RequestRecord, RequestStatus, RequestType } from '../requests/types';
import { deadlineId, NO_DUE_DATE, type OpenDeadline, type RegisteredDeadline } from './deadline.types';

/** What a request's register entries are computed from. */
export type RequestDeadlineSource = Pick<RequestRecord, 'id' | 'type' | 'status' | 'site' | 'steps' | 'currentStep' | 'payload' | 'flags' | 'scopeUnits' | 'version'>;

/** The stage of an approval step's review deadline: one per step index. */
export const stepStage = (index: number) => `step-${index}`;
/** The stage of an outage's end. */
export const WINDOW_STAGE = 'window';

/** Statuses in which an emergency shutdown is filed and the site not yet reported back (unless flagged back online). */
const SHUTDOWN_OPEN: readonly RequestStatus[] = ['reviewing', 'returned', 'acknowledged'];
/** Statuses in which an approved temporary offline window is ahead or running (or overrun: the site not back). */
const WINDOW_OPEN: readonly RequestStatus[] = ['scheduled', 'offline'];

/** The statuses in which a request may hold a register entry: what the backfill of a database older than the register looks at. */
export const REQUEST_REGISTER_STATUSES: readonly RequestStatus[] = ['reviewing', 'returned', 'acknowledged', 'scheduled', 'offline'];

/** Every register key a request may hold: what a sync sets or clears (each step's review, the outage). */
export function requestDeadlineKeys(r: Pick<RequestRecord, 'id' | 'steps'>): string[] {
  return [...r.steps.map((_, i) => deadlineId('review', r.id, stepStage(i))), deadlineId('outage', r.id, WINDOW_STAGE)];
}

/** An outage's instants: from 00:00 China time on its first day to 00:00 after its last; null for dates a request cannot hold. */
function outageWindow(payload: RequestRecord['payload']): { startsAt: Date; endsAt: Date } | null {
  if (!isRealDate(payload.start) || !isRealDate(payload.end)) return null;
  return { startsAt: chinaStartOf(payload.start), endsAt: chinaStartOf(addDays(payload.end, 1)) };
}

/**
 * The register entries a request should have, from the request alone. While it is being reviewed: its current
 * step's review deadline, acted on by the step's deciders (a step without a deadline is registered with none,
 * so the inbox lists it and no reminder reads it). From a temporary offline's approval until the site is back
 * (art. 14), and from an emergency shutdown's filing until the site is reported back (art. 15): the outage,
 * due at the end of its window. Pure, so the write path, the dispatcher's repair and the backfill agree, and
 * applying it twice changes nothing.
 */
export function requestOpenDeadlines(r: RequestDeadlineSource): OpenDeadline[] {
  const out: OpenDeadline[] = [];
  const base = { subjectId: r.id, ref: r.id, siteId: r.site.id, siteName: r.site.name, scopeUnits: r.scopeUnits, version: r.version };
  const step = r.status === 'reviewing' ? r.steps[r.currentStep] : undefined;
  if (step) {
    out.push({
      ...base,
      id: deadlineId('review', r.id, stepStage(r.currentStep)),
      kind: 'review',
      stage: stepStage(r.currentStep),
      state: r.status,
      dueAt: step.deadline ? new Date(step.deadline.dueAt) : NO_DUE_DATE,
      unitCode: step.unitCode,
      acts: { kind: 'approvers', unitCode: step.unitCode, root: step.root, assignee: step.assignee?.userid ?? null },
      detail: { type: r.type, step: r.currentStep, unitName: step.unitName, dueDate: step.deadline?.dueDate ?? null, provisional: step.deadline?.provisional ?? false },
    });
  }
  const open = r.type === 'temp_offline' ? WINDOW_OPEN.includes(r.status) : r.type === 'emergency_shutdown' ? SHUTDOWN_OPEN.includes(r.status) && !r.flags.backOnline : false;
  const window = open ? outageWindow(r.payload) : null;
  if (window) {
    out.push({
      ...base,
      id: deadlineId('outage', r.id, WINDOW_STAGE),
      kind: 'outage',
      stage: WINDOW_STAGE,
      state: r.status,
      dueAt: window.endsAt,
      unitCode: r.steps[0]?.unitCode ?? null,
      acts: { kind: 'site_admins', siteId: r.site.id },
      detail: { type: r.type, startsAt: window.startsAt.toISOString(), start: r.payload.start!, end: r.payload.end! },
    });
  }
  return out;
}

/** An approved temporary offline window or a filed emergency shutdown, as the register holds it. */
export interface SiteOutage {
  requestId: string;
  type: Extract<RequestType, 'temp_offline' | 'emergency_shutdown'>;
  /** The request's status when the entry was set (`scheduled`, `offline`; `reviewing`, `acknowledged`…). */
  status: RequestStatus;
  siteId: string;
  siteName: string;
  /** 00:00 China time on the first day. */
  startsAt: Date;
  /** 00:00 China time after the last day (for an emergency shutdown: its expected end). */
  endsAt: Date;
  /** China-local first and last days, as filed. */
  start: string;
  end: string;
}

/** An outage entry as its readers see it. */
export function toSiteOutage(e: Pick<RegisteredDeadline, 'subjectId' | 'state' | 'siteId' | 'siteName' | 'dueAt' | 'detail'>): SiteOutage {
  const d = e.detail ?? {};
  return {
    requestId: e.subjectId,
    type: d.type === 'emergency_shutdown' ? 'emergency_shutdown' : 'temp_offline',
    status: e.state as RequestStatus,
    siteId: e.siteId ?? '',
    siteName: e.siteName ?? '',
    startsAt: new Date(String(d.startsAt)),
    endsAt: e.dueAt,
    start: String(d.start ?? ''),
    end: String(d.end ?? ''),
  };
}

/**
 * Whether an outage covers `now`: a temporary offline window from its start until its end (after it the site
 * is overdue, not covered); an emergency shutdown from its start until the site is reported back, its end
 * being only expected.
 */
export function outageCovers(o: Pick<SiteOutage, 'type' | 'startsAt' | 'endsAt'>, now: Date): boolean {
  if (now.getTime() < o.startsAt.getTime()) return false;
  return o.type === 'emergency_shutdown' || now.getTime() < o.endsAt.getTime();
}

/** An approval step's review deadline as a reminder reads it. */
export interface ReviewDue {
  requestId: string;
  type: RequestType;
  step: number;
  unitCode: string;
  unitName: string;
  root: boolean;
  assignee: string | null;
  siteId: string | null;
  siteName: string | null;
  dueDate: string | null;
  dueAt: Date;
  provisional: boolean;
}

export function toReviewDue(e: Pick<RegisteredDeadline, 'subjectId' | 'acts' | 'siteId' | 'siteName' | 'dueAt' | 'detail' | 'unitCode'>): ReviewDue {
  const d = e.detail ?? {};
  const acts = e.acts?.kind === 'approvers' ? e.acts : null;
  return {
    requestId: e.subjectId,
    type: d.type as RequestType,
    step: Number(d.step ?? 0),
    unitCode: acts?.unitCode ?? e.unitCode ?? '',
    unitName: String(d.unitName ?? ''),
    root: acts?.root ?? false,
    assignee: acts?.assignee ?? null,
    siteId: e.siteId,
    siteName: e.siteName,
    dueDate: typeof d.dueDate === 'string' ? d.dueDate : null,
    dueAt: e.dueAt,
    provisional: d.provisional === true,
  };
}

/** Whether an approver acts on a review entry: the named assignee, or (none named) a supervisor of its unit, or a province admin at the root. */
export function actsOnReview(e: Pick<RegisteredDeadline, 'acts'>, who: { userid: string; units: readonly string[]; root: boolean }): boolean {
  const a = e.acts;
  if (a?.kind !== 'approvers') return false;
  if (a.assignee) return a.assignee === who.userid;
  return who.units.includes(a.unitCode) || (a.root && who.root);
}
