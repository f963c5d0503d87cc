import { DomainError } from '../errors';
import { transition } from './campaign.machine';
import { CHECK_EVENTS, CHECK_STATUSES, type CheckEvent, type CheckEventType, type CheckStatus, type SiteCheck } from './campaign.types';

const now = new Date('2027-01-10T02:00:00Z');
const checker = { userid: 'c', name: '检查员' };
const admin = { userid: 'a', name: '管理员' };

function check(status: CheckStatus, findings: 'none' | 'open' | 'acked' | 'rectified' = 'none'): SiteCheck {
  const f = {
    no: 1,
    category: 'deduction' as const,
    text: '栏目长期未更新',
    by: checker,
    at: now,
    acknowledgedAt: findings === 'acked' || findings === 'rectified' ? now : null,
    acknowledgedBy: findings === 'acked' || findings === 'rectified' ? admin : null,
    rectifiedAt: findings === 'rectified' ? now : null,
    rectifiedBy: findings === 'rectified' ? admin : null,
    rectificationNote: findings === 'rectified' ? '已更新' : null,
  };
  return {
    id: 'u:2026-Q4:s',
    campaignId: 'u:2026-Q4',
    unitCode: 'u',
    period: '2026-Q4',
    dueDate: '2027-02-28',
    site: { id: 's', name: '某网站', ref: 's.gov.cn', hostUnit: 'h', supervisingUnit: 'u' },
    scopeUnits: ['u'],
    status,
    findings: findings === 'none' ? [] : [f],
    checkedAt: status === 'pending' ? null : now,
    checkedBy: status === 'pending' ? null : checker,
    closedAt: status === 'closed' ? now : null,
    closedBy: status === 'closed' ? checker : null,
    version: 3,
    updatedAt: now,
  };
}

const events: Record<CheckEventType, CheckEvent> = {
  finding: { type: 'finding', by: checker, category: 'veto', text: '首页无法访问' },
  pass: { type: 'pass', by: checker },
  acknowledge: { type: 'acknowledge', by: admin, no: 1 },
  rectify: { type: 'rectify', by: admin, no: 1, note: '已修复' },
  close: { type: 'close', by: checker },
};

/** Every status × event with a finding open: the resulting status, or the refusal's code. */
const table: Record<CheckStatus, Record<CheckEventType, string>> = {
  pending: { finding: 'checked', pass: 'checked', acknowledge: 'campaign_finding_not_found', rectify: 'campaign_finding_not_found', close: 'campaign_check_not_checked' },
  checked: { finding: 'checked', pass: 'campaign_check_already_checked', acknowledge: 'checked', rectify: 'checked', close: 'campaign_findings_open' },
  closed: { finding: 'campaign_check_closed', pass: 'campaign_check_closed', acknowledge: 'campaign_check_closed', rectify: 'campaign_check_closed', close: 'campaign_check_closed' },
};

const outcome = (c: SiteCheck, e: CheckEvent) => {
  try {
    return transition(c, e, { now }).state.status;
  } catch (err) {
    return (err as DomainError).code;
  }
};

describe('#campaign check machine', () => {
  const cases = CHECK_STATUSES.flatMap((s) => CHECK_EVENTS.map((e) => [s, e, table[s][e]] as const));
  it.each(cases)('%s + %s → %s', (status, event, expected) => {
    expect(outcome(check(status, status === 'pending' ? 'none' : 'open'), events[event])).toBe(expected);
  });

  it('numbers findings 1, 2, 3 and keeps who checked first', () => {
    let c = transition(check('pending'), events.finding, { now }).state;
    c = transition(c, { ...events.finding, by: { userid: 'x', name: 'X' } }, { now }).state;
    expect(c.findings.map((f) => f.no)).toEqual([1, 2]);
    expect(c.checkedBy).toEqual(checker);
  });

  it('acknowledges once, rectifies once, and rectifying acknowledges what was not yet', () => {
    expect(outcome(check('checked', 'acked'), events.acknowledge)).toBe('campaign_finding_already_acknowledged');
    expect(outcome(check('checked', 'rectified'), events.rectify)).toBe('campaign_finding_already_rectified');
    const r = transition(check('checked', 'open'), events.rectify, { now }).state;
    expect(r.findings[0]).toMatchObject({ acknowledgedBy: admin, rectifiedBy: admin, rectificationNote: '已修复' });
  });

  it('closes once every finding is rectified, or a check without findings', () => {
    expect(outcome(check('checked', 'rectified'), events.close)).toBe('closed');
    expect(outcome(check('checked', 'none'), events.close)).toBe('closed');
    expect(outcome(check('checked', 'acked'), events.close)).toBe('campaign_findings_open');
  });

  it('asks, on closing only, whether the campaign is now complete', () => {
    expect(transition(check('checked', 'rectified'), events.close, { now }).effects).toEqual([{ kind: 'complete_campaign', campaignId: 'u:2026-Q4' }]);
    expect(transition(check('checked', 'open'), events.rectify, { now }).effects).toEqual([]);
  });
});
