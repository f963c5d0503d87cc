import { COMPLAINT_STATES, type ComplaintSite, type ComplaintState } from '../complaints/complaint.types';
import { complaintDeadlineKeys, complaintOpenDeadlines, toDueRow } from './complaint.deadlines';
import { audienceKey, freshPeople, PEOPLE_MAX_AGE_MS } from './deadline.types';

const SITE: ComplaintSite = { id: 'site-1', name: '教育局网站', hostUnit: 'host-1', supervisingUnit: '130123', scopeUnits: ['130000', '130123'] };
const dueAt = new Date('2026-10-13T16:00:00Z');
const report = (state: ComplaintState, site: ComplaintSite | null = SITE) => ({ id: 'c1', platformId: 'P-1', state, dueAt: ['answered', 'untrue', 'published', 'closed'].includes(state) ? null : dueAt, site, version: 3 });

describe('#deadline register entries of an error report', () => {
  it.each<[ComplaintState, string | null, string | null]>([
    ['unmatched', 'complaint:c1:transfer', 'p'],
    ['received', 'complaint:c1:transfer', 'u:130123'],
    ['transferred', 'complaint:c1:answer', 's:site-1'],
    ['answered', null, null],
    ['untrue', null, null],
    ['published', null, null],
    ['closed', null, null],
  ])('in state %s holds %s, acted on by %s', (state, key, acts) => {
    const entries = complaintOpenDeadlines(report(state, state === 'unmatched' ? null : SITE));
    expect(entries.map((e) => e.id)).toEqual(key ? [key] : []);
    if (key) expect(audienceKey(entries[0]!.acts)).toBe(acts);
  });

  it('covers every state, keys every stage it can set, and reads back as the due row', () => {
    expect(COMPLAINT_STATES.length).toBe(7);
    expect(complaintDeadlineKeys('c1')).toEqual(['complaint:c1:transfer', 'complaint:c1:answer']);
    const [e] = complaintOpenDeadlines(report('transferred'));
    expect(e).toMatchObject({ kind: 'complaint', subjectId: 'c1', stage: 'answer', ref: 'P-1', dueAt, siteId: 'site-1', unitCode: '130123', scopeUnits: ['130000', '130123'], version: 3 });
    expect(toDueRow(e!)).toEqual({ id: 'c1', platformId: 'P-1', state: 'transferred', dueAt, siteId: 'site-1', siteName: '教育局网站', supervisingUnit: '130123' });
  });

  it('names nobody when a report lacks the site its stage needs', () => {
    expect(complaintOpenDeadlines(report('received', null))[0]!.acts).toBeNull();
  });

  it('trusts cached people only for the audience named now and within the hour', () => {
    const now = new Date('2026-10-13T02:00:00Z');
    const list = [{ userid: 'a', name: 'A', locale: 'zh-CN' }];
    const acts = { kind: 'site_admins' as const, siteId: 'site-1' };
    expect(freshPeople({ acts, people: { key: 's:site-1', at: now, list } }, now)).toEqual(list);
    expect(freshPeople({ acts, people: { key: 's:site-2', at: now, list } }, now)).toBeUndefined();
    expect(freshPeople({ acts, people: { key: 's:site-1', at: new Date(now.getTime() - PEOPLE_MAX_AGE_MS - 1), list } }, now)).toBeUndefined();
    expect(freshPeople({ acts, people: null }, now)).toBeUndefined();
  });
});
