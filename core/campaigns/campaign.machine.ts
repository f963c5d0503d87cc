import { DomainError } from '../errors';
import type { Transition, WorkflowEnv } from '../workflow';
import type { CheckEffect, CheckEvent, Finding, SiteCheck } from './campaign.types';

const refuse = (code: string, check: SiteCheck, params: Record<string, unknown> = {}) => new DomainError(code, { site: check.site.name, ...params }, 422);

function findingOf(check: SiteCheck, no: number): Finding {
  const f = check.findings.find((x) => x.no === no);
  if (!f) throw new DomainError('campaign_finding_not_found', { site: check.site.name, no }, 404);
  return f;
}

const withFinding = (check: SiteCheck, no: number, patch: Partial<Finding>): Finding[] => check.findings.map((f) => (f.no === no ? { ...f, ...patch } : f));

/**
 * What one event does to a site's check (core/workflow.ts), or the domain error that says why not. Pure: the
 * caller writes `state` as one version-guarded single-document write, then runs the effects.
 *
 * - the checker adds findings (the check becomes `checked`) or passes the site without findings;
 * - the site admin acknowledges a finding, then reports its rectification (which acknowledges it if needed);
 * - the supervisor closes the check once every finding is rectified, which may complete the campaign
 *   (`complete_campaign`). A closed check takes nothing more.
 */
export const transition: Transition<SiteCheck, CheckEvent, WorkflowEnv, CheckEffect> = (check, event, env) => {
  const state = nextCheck(check, event, env.now);
  return { state, effects: event.type === 'close' ? [{ kind: 'complete_campaign', campaignId: check.campaignId }] : [] };
};

function nextCheck(check: SiteCheck, event: CheckEvent, now: Date): SiteCheck {
  if (check.status === 'closed') throw refuse('campaign_check_closed', check);
  switch (event.type) {
    case 'finding': {
      const no = check.findings.reduce((m, f) => Math.max(m, f.no), 0) + 1;
      const finding: Finding = { no, category: event.category, text: event.text, by: event.by, at: now, acknowledgedAt: null, acknowledgedBy: null, rectifiedAt: null, rectifiedBy: null, rectificationNote: null };
      return { ...check, status: 'checked', findings: [...check.findings, finding], checkedAt: check.checkedAt ?? now, checkedBy: check.checkedBy ?? event.by };
    }
    case 'pass':
      if (check.status === 'checked') throw refuse('campaign_check_already_checked', check);
      return { ...check, status: 'checked', checkedAt: now, checkedBy: event.by };
    case 'acknowledge': {
      const f = findingOf(check, event.no);
      if (f.acknowledgedAt) throw refuse('campaign_finding_already_acknowledged', check, { no: event.no });
      return { ...check, findings: withFinding(check, event.no, { acknowledgedAt: now, acknowledgedBy: event.by }) };
    }
    case 'rectify': {
      const f = findingOf(check, event.no);
      if (f.rectifiedAt) throw refuse('campaign_finding_already_rectified', check, { no: event.no });
      return {
        ...check,
        findings: withFinding(check, event.no, {
          acknowledgedAt: f.acknowledgedAt ?? now,
          acknowledgedBy: f.acknowledgedBy ?? event.by,
          rectifiedAt: now,
          rectifiedBy: event.by,
          rectificationNote: event.note,
        }),
      };
    }
    case 'close': {
      if (check.status === 'pending') throw refuse('campaign_check_not_checked', check);
      const open = check.findings.filter((f) => !f.rectifiedAt).length;
      if (open) throw refuse('campaign_findings_open', check, { count: open });
      return { ...check, status: 'closed', closedAt: now, closedBy: event.by };
    }
  }
}
