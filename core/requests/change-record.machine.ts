import { DomainError, ValidationError } from '../errors';
import { initialState, notAllowed, notify, reviewTransition, toRequester, toStep, type ReviewHooks } from './review';
import { SITE_CHANGE_FIELDS, type EffectSpec, type RequestFacts, type RequestMachine, type RequestPayload } from './types';

/** Art. 17: a change record changes at least one of the filed fields. */
export function checkChanges(payload: RequestPayload): void {
  const changes = payload.changes ?? {};
  if (!SITE_CHANGE_FIELDS.some((f) => changes[f]?.trim())) throw new DomainError('change_record_empty', { fields: SITE_CHANGE_FIELDS.join(', '), article: 17 });
}

/** Host unit and domain changes must still satisfy art. 6, 11 and 12 (checked by the caller against the registry). */
export function checkRules(facts: RequestFacts | undefined): void {
  if (facts?.ruleProblems?.length) throw new ValidationError(facts.ruleProblems);
}

const hooks: ReviewHooks = {
  noReject: true,
  checkApproval: (_state, event) => checkRules(event.facts),
  checkResubmit(state, event) {
    checkChanges(state.payload);
    checkRules(event.facts);
  },
  onApproved(state) {
    const changes = state.payload.changes ?? {};
    const effects: EffectSpec[] = [{ kind: 'apply_registry_changes', payload: { siteId: state.site.id, changes } }, notify(toRequester(state), 'acknowledged')];
    if (changes.domain) {
      effects.push({ kind: 'create_task', payload: { task: 'post_old_domain_notice', siteId: state.site.id, siteName: state.site.name, params: { oldDomain: state.site.domain, newDomain: changes.domain } } });
    }
    return { state: { ...state, status: 'acknowledged' }, effects };
  },
};

/**
 * Change record (art. 17, 备案): filed by the site admin, acknowledged by the supervising unit — a filing,
 * not an approval, so it can be returned for corrections but not rejected. On acknowledgement the changes
 * go to the registry; a domain change also asks for a notice on the old site.
 */
export const changeRecordMachine: RequestMachine = {
  type: 'change_record',
  statuses: ['reviewing', 'returned', 'withdrawn', 'acknowledged'],
  create(input, env) {
    checkChanges(input.payload);
    checkRules(input.facts);
    const state = initialState(input, 'change_record', env);
    return { state, effects: [notify(toStep(state.steps[0]!), 'awaiting_decision')] };
  },
  transition(state, event, env) {
    const reviewed = reviewTransition(state, event, env, hooks);
    if (reviewed) return reviewed;
    throw notAllowed(state, event);
  },
};
