import { DomainError } from '../errors';
import { chinaDateOf } from '../calendar/civil-date';
import { checkItem, freshChecklist } from './opening.machine';
import { initialState, markTimer, noop, notAllowed, notify, requireStatus, reviewTransition, timerSeen, toRequester, toStep, type ReviewHooks } from './review';
import type { RequestMachine, RequestPayload, RequestState } from './types';

/** Art. 16: the completion notice stays up at least 30 days. */
export const CLOSURE_NOTICE_DAYS = 30;

/**
 * Art. 16: migration notice on the homepage, then cancel the ICP filing, 党政机关网站标识, public-security
 * filing and domain, then the completion notice on the superior portal saying where the content went.
 */
export const CLOSURE_CHECKLIST = ['migration_notice', 'cancel_icp', 'cancel_gov_logo', 'cancel_psb_filing', 'cancel_domain', 'completion_notice'] as const;

/** Art. 13 and 16: a reason always; a portal also says why it must close although portals generally may not. */
export function checkClosure(payload: RequestPayload, siteKind: RequestState['site']['kind']): void {
  if (!payload.reason?.trim()) throw new DomainError('reason_required', { article: 16 });
  if (siteKind === 'portal' && !payload.justification?.trim()) throw new DomainError('portal_closure_needs_justification', { article: 13 });
}

/** The completion notice comes last: after the migration notice and every cancellation (art. 16). */
function order(state: RequestState, item: string): void {
  if (item !== 'completion_notice') return;
  const missing = state.checklist.filter((i) => i.key !== 'completion_notice' && !i.done).map((i) => i.key);
  if (missing.length) throw new DomainError('checklist_order', { item, missing: missing.join(', '), article: 16 });
}

const hooks: ReviewHooks = {
  checkResubmit: (state) => checkClosure(state.payload, state.site.kind),
  onApproved(state) {
    return {
      state: { ...state, status: 'migrating', checklist: freshChecklist(CLOSURE_CHECKLIST) },
      effects: [
        { kind: 'set_site_status', payload: { siteId: state.site.id, status: 'closing' } },
        { kind: 'create_task', payload: { task: 'post_migration_notice', siteId: state.site.id, siteName: state.site.name, params: { migrateTo: state.payload.migrateTo ?? '' } } },
        notify(toRequester(state), 'approved'),
      ],
    };
  },
};

/**
 * Closure / migration (art. 16): review → provincial approval → migrating (checklist) → the completion notice
 * is posted → a 30-day timer → closed, and the site with it.
 */
export const closureMachine: RequestMachine = {
  type: 'closure',
  statuses: ['reviewing', 'returned', 'rejected', 'withdrawn', 'migrating', 'notice_period', 'closed'],
  create(input, env) {
    checkClosure(input.payload, input.site.kind);
    const state = initialState(input, 'closure', env);
    return { state, effects: [notify(toStep(state.steps[0]!), 'awaiting_decision')] };
  },
  transition(state, event, env) {
    const reviewed = reviewTransition(state, event, env, hooks);
    if (reviewed) return reviewed;
    switch (event.type) {
      case 'check': {
        requireStatus(state, event, ['migrating']);
        const { now } = env;
        const next = checkItem(state, event, now, order);
        if (event.item !== 'completion_notice') return { state: next, effects: [] };
        const dueAt = new Date(now.getTime() + CLOSURE_NOTICE_DAYS * 86_400_000);
        return {
          state: { ...next, status: 'notice_period', flags: { ...next.flags, noticeSince: now } },
          effects: [{ kind: 'schedule', payload: { timer: 'closure_notice_expired', dueAt: dueAt.toISOString() } }, notify(toRequester(state), 'notice_period_started', { until: chinaDateOf(dueAt) })],
        };
      }
      case 'timer': {
        if (timerSeen(state, event.timerId) || event.timer !== 'closure_notice_expired' || state.status !== 'notice_period') return noop(state);
        return {
          state: { ...markTimer(state, event.timerId), status: 'closed' },
          effects: [{ kind: 'set_site_status', payload: { siteId: state.site.id, status: 'closed' } }, notify(toRequester(state), 'closed')],
        };
      }
      default:
        throw notAllowed(state, event);
    }
  },
};
