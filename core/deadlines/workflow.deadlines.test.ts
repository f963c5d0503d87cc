import { chinaStartOf } from '../calendar/civil-date';
import type { SiteCheck } from '../campaigns/campaign.types';
import type { ObligationItem } from '../obligations/obligation.due';
import { emergencyShutdownMachine } from '../requests/emergency-shutdown.machine';
import { alice, bob, chainSteps, deptSite, stateIn } from '../requests/machine-table';
import { tempOfflineMachine } from '../requests/temp-offline.machine';
import type { RequestStatus } from '../requests/types';
import { checkOpenDeadlines, checkRowOf, toCheckRow } from './check.deadlines';
import { audienceKey, audiencesOf, NO_DUE_DATE, peopleOfAudience } from './deadline.types';
import { obligationDeadline, toObligationItem } from './obligation.deadlines';
import { actsOnReview, outageCovers, requestDeadlineKeys, requestOpenDeadlines, toReviewDue, toSiteOutage, type RequestDeadlineSource } from './request.deadlines';

const china = (local: string) => new Date(`${local}:00+08:00`);
const dueAt = china('2027-02-06T00:00');
const withDeadline = chainSteps('approval').map((s, i) => (i === 0 ? { ...s, deadline: { since: china('2027-02-01T10:00'), dueDate: '2027-02-05', dueAt, provisional: true, workingDays: 5, basis: 'working_days' as const } } : s));

function request(type: 'temp_offline' | 'emergency_shutdown', status: RequestStatus, flags: RequestDeadlineSource['flags'] = {}): RequestDeadlineSource {
  const machine = type === 'temp_offline' ? tempOfflineMachine : emergencyShutdownMachine;
  const base = { type, site: deptSite, requester: alice, steps: withDeadline, currentStep: 0, payload: { start: '2027-03-01', end: '2027-03-03', reason: 'x', emergencyReason: 'force_majeure' as const }, checklist: [], round: 1, flags };
  const state = stateIn(machine, status, base);
  return { ...state, id: 'R2027-0001', scopeUnits: ['130000', '130100', '130123'], version: 4, flags: { ...state.flags, ...flags } };
}

const kinds = (r: RequestDeadlineSource) => requestOpenDeadlines(r).map((e) => `${e.kind}:${e.stage} ${e.state}`);

describe('#deadline register entries of a request', () => {
  it.each<[RequestStatus, string[]]>([
    ['reviewing', ['review:step-0 reviewing']],
    ['returned', []],
    ['rejected', []],
    ['withdrawn', []],
    ['scheduled', ['outage:window scheduled']],
    ['offline', ['outage:window offline']],
    ['completed', []],
  ])('of a temporary offline %s: %j', (status, expected) => {
    expect(kinds(request('temp_offline', status))).toEqual(expected);
  });

  it.each<[RequestStatus, RequestDeadlineSource['flags'], string[]]>([
    ['reviewing', {}, ['review:step-0 reviewing', 'outage:window reviewing']],
    ['returned', {}, ['outage:window returned']],
    ['acknowledged', {}, ['outage:window acknowledged']],
    ['acknowledged', { backOnline: true }, []],
    ['ended', { backOnline: true }, []],
    ['withdrawn', {}, []],
  ])('of an emergency shutdown %s %j: %j', (status, flags, expected) => {
    expect(kinds(request('emergency_shutdown', status, flags))).toEqual(expected);
  });

  it('keys every stage it can set, acted on by the step\'s deciders, with the step\'s deadline', () => {
    const r = request('temp_offline', 'reviewing');
    expect(requestDeadlineKeys(r)).toEqual(['review:R2027-0001:step-0', 'review:R2027-0001:step-1', 'review:R2027-0001:step-2', 'outage:R2027-0001:window']);
    const [review] = requestOpenDeadlines(r);
    expect(review).toMatchObject({ id: 'review:R2027-0001:step-0', subjectId: 'R2027-0001', dueAt, unitCode: '130123', acts: { kind: 'approvers', unitCode: '130123', root: false, assignee: null }, version: 4 });
    expect(toReviewDue(review!)).toMatchObject({ requestId: 'R2027-0001', type: 'temp_offline', step: 0, unitName: '正定县人民政府', dueDate: '2027-02-05', provisional: true });
    // 转办: only the assignee decides. A step filed before deadlines existed is listed, never due.
    const handed = { ...r, steps: r.steps.map((s, i) => (i === 0 ? { ...s, assignee: bob, deadline: undefined } : s)) };
    const [step] = requestOpenDeadlines(handed);
    expect(step).toMatchObject({ dueAt: NO_DUE_DATE, acts: { kind: 'approvers', assignee: 'bob' } });
    expect(actsOnReview(step!, { userid: 'bob', units: [], root: false })).toBe(true);
    expect(actsOnReview(step!, { userid: 'carol', units: ['130123'], root: false })).toBe(false);
    expect(actsOnReview(review!, { userid: 'carol', units: ['130123'], root: false })).toBe(true);
    expect(actsOnReview(review!, { userid: 'carol', units: ['130100'], root: true })).toBe(false);
  });

  it('reads an outage back as the window it covers: a temporary offline until its end, an emergency shutdown until the site is back', () => {
    const [window] = requestOpenDeadlines(request('temp_offline', 'scheduled'));
    const o = toSiteOutage(window!);
    expect(o).toEqual({ requestId: 'R2027-0001', type: 'temp_offline', status: 'scheduled', siteId: 'site-1', siteName: '正定县教育局网站', startsAt: chinaStartOf('2027-03-01'), endsAt: chinaStartOf('2027-03-04'), start: '2027-03-01', end: '2027-03-03' });
    expect([china('2027-02-28T23:59'), china('2027-03-01T00:00'), china('2027-03-03T23:59'), china('2027-03-04T00:00')].map((t) => outageCovers(o, t))).toEqual([false, true, true, false]);
    const shutdown = toSiteOutage(requestOpenDeadlines(request('emergency_shutdown', 'acknowledged'))[0]!);
    expect([china('2027-02-28T23:59'), china('2027-03-01T00:00'), china('2027-03-10T00:00')].map((t) => outageCovers(shutdown, t))).toEqual([false, true, true]);
  });
});

describe('#deadline register entries of a site check and an obligation', () => {
  const check: SiteCheck = {
    id: '130123:2026-Q3:site-1',
    campaignId: '130123:2026-Q3',
    unitCode: '130123',
    period: '2026-Q3',
    dueDate: '2026-11-30',
    site: { id: 'site-1', name: '正定县教育局网站', ref: '1301230002', hostUnit: 'h', supervisingUnit: '130123' },
    scopeUnits: ['130000', '130100', '130123'],
    status: 'pending',
    findings: [],
    checkedAt: null,
    checkedBy: null,
    closedAt: null,
    closedBy: null,
    version: 2,
    updatedAt: china('2026-11-20T10:00'),
  };
  const finding = { no: 1, category: 'deduction' as const, text: 'x', by: bob, at: china('2026-11-20T10:00'), acknowledgedAt: null, acknowledgedBy: null, rectifiedAt: null, rectifiedBy: null, rectificationNote: null };

  it('holds a check until it is closed, acted on by the checker or by the site while findings are open', () => {
    const [pending] = checkOpenDeadlines(check);
    expect(pending).toMatchObject({ id: 'check:130123:2026-Q3:site-1:due', dueAt: chinaStartOf('2026-12-01'), state: 'pending', acts: { kind: 'supervisors', unitCode: '130123' }, version: 2 });
    const owing = { ...check, status: 'checked' as const, findings: [finding] };
    const [e] = checkOpenDeadlines(owing);
    expect(e!.acts).toEqual({ kind: 'site_admins', siteId: 'site-1' });
    expect(toCheckRow(e!)).toEqual(checkRowOf(owing));
    expect(checkOpenDeadlines({ ...check, status: 'closed' })).toEqual([]);
  });

  it('reads an obligation entry back as the occurrence it stands for, its status as of the day read', () => {
    const item: ObligationItem = {
      obligation: 'security_self_check',
      period: '2026-H2',
      windowStart: '2026-07-01',
      dueDate: '2026-12-31',
      key: 'security_self_check:site-1:2026-H2',
      subject: { kind: 'site', id: 'site-1', name: '正定县教育局网站', ref: '1301230002', level: 'county', siteKind: 'department', escalateTo: '130123' },
      status: 'open',
      daysOverdue: 0,
      ack: null,
    };
    const e = obligationDeadline(item, ['130000', '130123']);
    expect(e).toMatchObject({ id: 'obligation:security_self_check:site-1:2026-H2:due', dueAt: chinaStartOf('2027-01-01'), acts: { kind: 'site_admins', siteId: 'site-1' }, siteId: 'site-1', unitCode: '130123' });
    expect(toObligationItem(e, '2026-12-29')).toEqual(item);
    expect(toObligationItem(e, '2027-01-03')).toMatchObject({ status: 'overdue', daysOverdue: 3 });
    const top = obligationDeadline({ ...item, obligation: 'quarterly_check', key: 'quarterly_check:130000:2026-Q3', subject: { kind: 'unit', id: '130000', name: '河北省人民政府', ref: '130000', escalateTo: null } }, ['130000']);
    expect(top.acts).toEqual({ kind: 'province_admins' });
  });
});

describe('#deadline audiences', () => {
  it('names an approval step\'s deciders: its assignee, or its unit\'s supervisors and the province admins at the root', () => {
    const p = (userid: string) => ({ userid, name: userid, locale: 'zh-CN' });
    const who = { siteAdmins: new Map(), supervisors: new Map([['130000', [p('sup')]]]), provinceAdmins: [p('prov'), p('sup')], users: [p('bob')] };
    const root = { kind: 'approvers' as const, unitCode: '130000', root: true, assignee: null };
    const handed = { kind: 'approvers' as const, unitCode: '130000', root: true, assignee: 'bob' };
    expect(peopleOfAudience(root, who).map((x) => x.userid)).toEqual(['sup', 'prov']);
    expect(peopleOfAudience(handed, who).map((x) => x.userid)).toEqual(['bob']);
    expect([audienceKey(root), audienceKey(handed)]).toEqual(['u:130000+p', 'a:bob']);
    expect(audiencesOf([{ acts: root }, { acts: handed }])).toEqual({ sites: [], units: ['130000'], province: true, users: ['bob'] });
  });
});
