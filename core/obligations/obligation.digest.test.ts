import type { PersonRef } from '../complaints/complaint.ports';
import { DIGEST_OBLIGATION_LINES, buildObligationDigests, responsibleFor, type DigestEntry, type Responsible } from './obligation.digest';
import type { ObligationItem, ObligationSubject } from './obligation.due';
import type { ObligationId } from './obligation.config';

const p = (userid: string, locale = 'zh-CN'): PersonRef => ({ userid, name: userid, locale });
const site = (id: string): ObligationSubject => ({ kind: 'site', id, name: `site ${id}`, ref: id, level: 'county', siteKind: 'portal', escalateTo: 'U1' });
const unit = (id: string, parent: string | null): ObligationSubject => ({ kind: 'unit', id, name: `unit ${id}`, ref: id, escalateTo: parent });

function entry(subject: ObligationSubject, obligation: ObligationId, dueDate: string, state: DigestEntry['state'], days: number, provisional = false): DigestEntry {
  const item: ObligationItem = { obligation, period: dueDate.slice(0, 4), windowStart: '2026-01-01', dueDate, key: `${obligation}:${subject.id}`, subject, status: state === 'overdue' ? 'overdue' : 'open', daysOverdue: state === 'overdue' ? days : 0, ack: null };
  return { item, state, days, provisional };
}

const people: Responsible = {
  siteAdmins: new Map([['S1', [p('admin1'), p('admin2', 'en')]], ['S2', [p('admin1')]]]),
  supervisors: new Map([['U1', [p('sup1')]], ['TOP', [p('prov1')]]]),
  provinceAdmins: [p('prov1'), p('prov2')],
};

describe('#obligations digest: who hears of what', () => {
  it('tells a site\'s admins of its obligations, a unit\'s supervisors of the unit\'s, and the province admins of the top unit\'s', () => {
    expect(responsibleFor(site('S1'), people).map((x) => x.userid)).toEqual(['admin1', 'admin2']);
    expect(responsibleFor(unit('U1', 'TOP'), people).map((x) => x.userid)).toEqual(['sup1']);
    // prov1 supervises the top unit and is a province admin: once.
    expect(responsibleFor(unit('TOP', null), people).map((x) => x.userid)).toEqual(['prov1', 'prov2']);
    expect(responsibleFor(site('S9'), people)).toEqual([]);
  });

  it('gives each person one digest of their own lines, overdue first (longest first), then due today, then by due day', () => {
    const out = buildObligationDigests(
      [
        entry(site('S1'), 'special_meeting', '2026-12-31', 'due_soon', 2),
        entry(site('S2'), 'security_self_check', '2026-12-29', 'due_today', 0),
        entry(site('S1'), 'annual_report_public', '2026-01-31', 'overdue', 10),
        entry(site('S2'), 'annual_report_sealed', '2026-01-30', 'overdue', 11),
        entry(unit('U1', 'TOP'), 'quarterly_check', '2026-11-30', 'overdue', 29),
      ],
      people,
    );
    expect([...out.keys()].sort()).toEqual(['admin1', 'admin2', 'sup1']);
    expect(out.get('admin1')!.digest.top.map((l) => `${l.state}:${l.obligation}`)).toEqual(['overdue:annual_report_sealed', 'overdue:annual_report_public', 'due_today:security_self_check', 'due_soon:special_meeting']);
    expect(out.get('admin1')!.digest).toMatchObject({ overdue: 2, dueToday: 1, dueSoon: 1, provisional: false });
    expect(out.get('admin2')).toMatchObject({ locale: 'en', digest: { overdue: 1, dueToday: 0, dueSoon: 1 } });
    expect(out.get('sup1')!.digest.top).toEqual([{ obligation: 'quarterly_check', subject: 'unit U1', period: '2026', dueDate: '2026-11-30', state: 'overdue', days: 29 }]);
  });

  it(`keeps ${DIGEST_OBLIGATION_LINES} lines and counts the rest, and flags provisional working-day counts`, () => {
    const many = Array.from({ length: 11 }, (_, i) => entry(site('S2'), 'special_meeting', `2026-12-${String(10 + i).padStart(2, '0')}`, 'due_soon', 1, i === 10));
    const d = buildObligationDigests(many, people).get('admin1')!.digest;
    expect(d.top).toHaveLength(DIGEST_OBLIGATION_LINES);
    expect(d.dueSoon).toBe(11);
    expect(d.top[0]!.dueDate).toBe('2026-12-10');
    expect(d.provisional).toBe(true);
  });
});
