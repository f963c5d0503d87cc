import { DomainError } from '../errors';
import { SITE_CODE_PATTERN } from '../registry/domain';
import { checkRules } from './change-record.machine';
import { initialState, notAllowed, notify, requireStatus, reviewTransition, toRequester, toStep, type ReviewHooks } from './review';
import type { ChecklistItem, EffectSpec, RequestMachine, RequestState } from './types';

/**
 * Art. 9–10: after the provincial approval, before launch: 党政机关网站标识, domain registration, ICP filing,
 * public-security filing, 网站标识码 from the State Council, security test passed.
 */
export const OPENING_CHECKLIST = ['gov_logo', 'domain_registration', 'icp_filing', 'psb_filing', 'site_code', 'security_test'] as const;

export function freshChecklist(keys: readonly string[]): ChecklistItem[] {
  return keys.map((key) => ({ key, done: false }));
}

/** Records one checklist item with who, when and the evidence text; an item may be recorded again to correct it. */
export function checkItem(state: RequestState, event: { by: RequestState['requester']; item: string; evidence: string }, now: Date, order?: (state: RequestState, item: string) => void): RequestState {
  const index = state.checklist.findIndex((i) => i.key === event.item);
  if (index < 0) throw new DomainError('checklist_item_unknown', { item: event.item, items: state.checklist.map((i) => i.key).join(', ') });
  if (!event.evidence.trim()) throw new DomainError('evidence_required', { item: event.item });
  order?.(state, event.item);
  const item: ChecklistItem = { key: event.item, done: true, by: event.by, at: now, evidence: event.evidence.trim() };
  return { ...state, checklist: state.checklist.map((c, i) => (i === index ? item : c)) };
}

const ended = (state: RequestState): EffectSpec[] => [{ kind: 'set_site_status', payload: { siteId: state.site.id, status: 'planned' } }];

const hooks: ReviewHooks = {
  checkApproval: (_state, event) => checkRules(event.facts),
  checkResubmit: (_state, event) => checkRules(event.facts),
  onApproved(state) {
    return { state: { ...state, status: 'approved', checklist: freshChecklist(OPENING_CHECKLIST) }, effects: [notify(toRequester(state), 'approved')] };
  },
  onEnded: ended,
};

/**
 * Site opening (art. 8–10): a planned site of the registry → level-by-level review → provincial approval →
 * launch checklist (each item with who/when/evidence) → launch, refused until every item is done → the site
 * goes online with its 网站标识码 and the opening notice is due on the superior (or own government's) portal.
 */
export const openingMachine: RequestMachine = {
  type: 'opening',
  statuses: ['reviewing', 'returned', 'rejected', 'withdrawn', 'approved', 'launched'],
  create(input, env) {
    checkRules(input.facts);
    const state = initialState(input, 'opening', env);
    return { state, effects: [{ kind: 'set_site_status', payload: { siteId: input.site.id, status: 'applying' } }, notify(toStep(state.steps[0]!), 'awaiting_decision')] };
  },
  transition(state, event, env) {
    const reviewed = reviewTransition(state, event, env, hooks);
    if (reviewed) return reviewed;
    switch (event.type) {
      case 'check': {
        requireStatus(state, event, ['approved']);
        if (event.item === 'site_code' && !SITE_CODE_PATTERN.test(event.evidence.trim())) throw new DomainError('site_code_invalid', { value: event.evidence.trim() });
        return { state: checkItem(state, event, env.now), effects: [] };
      }
      case 'launch': {
        requireStatus(state, event, ['approved']);
        const missing = state.checklist.filter((i) => !i.done).map((i) => i.key);
        if (missing.length) throw new DomainError('launch_checklist_incomplete', { items: missing.join(', '), article: 10 });
        const code = state.checklist.find((i) => i.key === 'site_code')!.evidence!;
        const effects: EffectSpec[] = [{ kind: 'set_site_status', payload: { siteId: state.site.id, status: 'online', code } }, notify(toRequester(state), 'launched')];
        const portal = state.site.noticePortal;
        if (portal) effects.push({ kind: 'create_task', payload: { task: 'post_opening_notice', siteId: portal.id, siteName: portal.name, params: { site: state.site.name, domain: state.site.domain } } });
        return { state: { ...state, status: 'launched' }, effects };
      }
      default:
        throw notAllowed(state, event);
    }
  },
};
