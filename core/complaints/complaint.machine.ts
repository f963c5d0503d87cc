import type { Who } from '../audit';
import type { WorkingCalendar } from '../calendar';
import { keyEffects } from '../effects';
import { DomainError } from '../errors';
import type { Outcome, Transition, WorkflowEnv } from '../workflow';
import type { Audience, Complaint, ComplaintAuditEntry, ComplaintEffect, ComplaintEffectSpec, ComplaintEvent, ComplaintEventType, ComplaintSite, ComplaintState, NewComplaint } from './complaint.types';

/** Art. 35: the supervising unit transfers within 1 working day, the host unit answers within 3. */
export const TRANSFER_WORKING_DAYS = 1;
export const ANSWER_WORKING_DAYS = 3;

/**
 * The whole lifecycle as data: for each event, the states it may start from and the state it leads to.
 * Anything not listed is refused, so the table test covers every state × event.
 */
export const TRANSITIONS: Record<ComplaintEventType, Partial<Record<ComplaintState, ComplaintState>>> = {
  assign: { unmatched: 'received' },
  transfer: { received: 'transferred' },
  return: { transferred: 'received' },
  reassign: { received: 'received', transferred: 'received' },
  answer: { transferred: 'answered' },
  mark_untrue: { transferred: 'untrue', answered: 'untrue' },
  publish: { answered: 'published' },
  close: { published: 'closed', untrue: 'closed' },
  reopen: { answered: 'transferred', untrue: 'transferred', published: 'transferred', closed: 'transferred' },
};

/** What the machine is handed (core/workflow.ts): the instant, the working calendar, who acts and through which channel. */
export interface MachineEnv extends WorkflowEnv {
  calendar: WorkingCalendar;
  /** Whoever acts: a registry user, or `import`/`api` for intake. */
  by: Who;
  /** Where the action came from (`wecom`, `api`, `cli`…), recorded in the history. */
  source: string;
}

/**
 * What one event gives (core/workflow.ts): `state` is the report after the event, version + 1, with the audit
 * entry and the new effects appended to its history and outbox; `effects` are those new effects.
 */
export type TransitionResult = Outcome<Complaint, ComplaintEffect>;

/** Whether `event` may happen in `state` at all (policies decide who may make it happen). */
export function allowed(state: ComplaintState, event: ComplaintEventType): boolean {
  return TRANSITIONS[event][state] !== undefined;
}

function notify(c: Pick<Complaint, 'platformId'>, to: Audience, message: string, params: Record<string, string> = {}): ComplaintEffectSpec {
  return { kind: 'notify', payload: { to, message, params: { platformId: c.platformId, ...params } } };
}

/** The history line of one event, in the one audit entry shape (core/audit.ts). */
function entry(env: MachineEnv, action: ComplaintAuditEntry['action'], from: ComplaintState | null, to: ComplaintState, note: string | null): ComplaintAuditEntry {
  return { at: env.now, by: env.by, source: env.source, action, from, to, ...(note !== null ? { comment: note } : {}) };
}

const transferDeadline = (from: Date, calendar: WorkingCalendar) => calendar.deadlineAfterWorkingDays(from, TRANSFER_WORKING_DAYS);
const answerDeadline = (from: Date, calendar: WorkingCalendar) => calendar.deadlineAfterWorkingDays(from, ANSWER_WORKING_DAYS);

/**
 * A new report as intake stores it: `received` when its site is known (due for transfer by the end of the
 * first working day after the day of receipt), else `unmatched`, for a province admin to assign.
 */
export function newComplaint(
  fields: Pick<Complaint, 'platformId' | 'siteRef' | 'pageUrl' | 'errorType' | 'description' | 'receivedAt'>,
  site: ComplaintSite | null,
  env: MachineEnv,
): NewComplaint {
  const transferDue = transferDeadline(fields.receivedAt, env.calendar);
  const state: ComplaintState = site ? 'received' : 'unmatched';
  const outbox = keyEffects(fields.platformId, 0, [
    site
      ? notify(fields, { kind: 'supervisors', unitCode: site.supervisingUnit }, 'complaint_notify.received', { site: site.name })
      : notify(fields, { kind: 'province_admins' }, 'complaint_notify.unmatched', { site: fields.siteRef }),
  ]);
  return {
    ...fields,
    site,
    state,
    version: 0,
    transferDue,
    answerDue: null,
    dueAt: transferDue.dueAt,
    transferredAt: null,
    transferredBy: null,
    transferOnTime: null,
    answeredAt: null,
    answeredBy: null,
    answer: null,
    answerOnTime: null,
    handlingDays: null,
    untrueReason: null,
    publishedAt: null,
    closedAt: null,
    history: [entry(env, 'created', null, state, null)],
    outbox,
  };
}

/**
 * Applies one event: pure, with the clock and the calendar handed in. Refuses events the state does not
 * allow with `complaint_bad_transition` (409). The caller writes `state` in one single-document write guarded
 * by the version it read, so two people acting at once cannot both win.
 */
export const transition: Transition<Complaint, ComplaintEvent, MachineEnv, ComplaintEffect> = (c, event, env): TransitionResult => {
  const to = TRANSITIONS[event.type][c.state];
  if (!to) throw new DomainError('complaint_bad_transition', { platformId: c.platformId, state: c.state, event: event.type }, 409);
  const { now, calendar } = env;
  const next: Complaint = { ...c, state: to, version: c.version + 1 };
  const specs: ComplaintEffectSpec[] = [];
  let note: string | null = null;
  const toSupervisors = (site: ComplaintSite, template: string, params: Record<string, string> = {}) =>
    specs.push(notify(c, { kind: 'supervisors', unitCode: site.supervisingUnit }, template, { site: site.name, ...params }));
  const toSiteAdmins = (site: ComplaintSite, template: string, params: Record<string, string> = {}) =>
    specs.push(notify(c, { kind: 'site_admins', siteId: site.id }, template, { site: site.name, ...params }));
  const restartTransfer = () => {
    // A new hand (assigned from the queue, re-assigned, returned) gets its own working day to transfer.
    next.transferDue = transferDeadline(now, calendar);
    next.dueAt = next.transferDue.dueAt;
    next.answerDue = null;
  };

  switch (event.type) {
    case 'assign':
    case 'reassign': {
      if (c.site?.id === event.site.id) throw new DomainError('complaint_same_site', { platformId: c.platformId, site: event.site.name }, 409);
      next.site = event.site;
      restartTransfer();
      note = event.site.name;
      toSupervisors(event.site, 'complaint_notify.received');
      break;
    }
    case 'transfer': {
      const site = requireSite(c);
      next.transferredAt = now;
      next.transferredBy = env.by.userid;
      next.transferOnTime = c.transferDue ? now < c.transferDue.dueAt : null;
      next.answerDue = answerDeadline(now, calendar);
      next.dueAt = next.answerDue.dueAt;
      note = event.note ?? null;
      toSiteAdmins(site, 'complaint_notify.transferred', { dueDate: next.answerDue.dueDate });
      break;
    }
    case 'return': {
      const site = requireSite(c);
      restartTransfer();
      note = event.reason;
      toSupervisors(site, 'complaint_notify.returned', { reason: event.reason });
      break;
    }
    case 'answer':
    case 'mark_untrue': {
      const site = requireSite(c);
      if (c.answeredAt === null) {
        next.answeredAt = now;
        next.answeredBy = env.by.userid;
        next.answerOnTime = c.answerDue ? now < c.answerDue.dueAt : null;
        next.handlingDays = calendar.workingDaysBetween(c.receivedAt, now);
      }
      next.dueAt = null;
      if (event.type === 'answer') {
        next.answer = event.text;
        note = event.text;
      } else {
        next.untrueReason = event.reason;
        note = event.reason;
      }
      toSupervisors(site, event.type === 'answer' ? 'complaint_notify.answered' : 'complaint_notify.untrue');
      break;
    }
    case 'publish':
      next.publishedAt = now;
      break;
    case 'close':
      next.closedAt = now;
      break;
    case 'reopen': {
      const site = requireSite(c);
      next.answerDue = answerDeadline(now, calendar);
      next.dueAt = next.answerDue.dueAt;
      next.answeredAt = null;
      next.answeredBy = null;
      next.answer = null;
      next.answerOnTime = null;
      next.handlingDays = null;
      next.untrueReason = null;
      next.publishedAt = null;
      next.closedAt = null;
      note = event.reason;
      toSiteAdmins(site, 'complaint_notify.reopened', { reason: event.reason, dueDate: next.answerDue.dueDate });
      break;
    }
  }
  const effects: ComplaintEffect[] = keyEffects(c.platformId, next.version, specs);
  next.history = [...c.history, entry(env, event.type, c.state, to, note)];
  next.outbox = [...c.outbox, ...effects];
  return { state: next, effects };
};

function requireSite(c: Complaint): ComplaintSite {
  // Only `unmatched` lacks a site, and the table lets nothing but `assign` leave it.
  if (!c.site) throw new DomainError('complaint_unmatched', { platformId: c.platformId }, 409);
  return c.site;
}

/** The deadline that is running now and whether it is provisional (its year has no official schedule). */
export function runningDeadline(c: Pick<Complaint, 'state' | 'transferDue' | 'answerDue'>) {
  if (c.state === 'unmatched' || c.state === 'received') return c.transferDue ? { stage: 'transfer' as const, ...c.transferDue } : null;
  if (c.state === 'transferred') return c.answerDue ? { stage: 'answer' as const, ...c.answerDue } : null;
  return null;
}
