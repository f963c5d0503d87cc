import { defaultCalendar } from '../calendar';
import { complaintOpenDeadlines } from '../deadlines/complaint.deadlines';
import type { DeadlineRegister } from '../deadlines/deadline.ports';
import { audienceKey, PEOPLE_MAX_AGE_MS, type RegisteredDeadline } from '../deadlines/deadline.types';
import type { ComplaintRepo, DueRow } from './complaint.ports';
import { buildDigests, sweepDue } from './complaint.sweep';
import type { ComplaintSite } from './complaint.types';

const china = (local: string) => new Date(`${local}:00+08:00`);
const calendar = defaultCalendar();

/** A register holding these reports' entries (as the write path sets them) and a people lookup that counts its calls. */
function fakes(rows: DueRow[], people: (row: DueRow) => RegisteredDeadline['people'] = () => null) {
  const calls = { responsible: 0, dueBy: 0 };
  const entries = rows.map((r): RegisteredDeadline => {
    const site: ComplaintSite | null = r.siteId ? { id: r.siteId, name: r.siteName ?? r.siteId, hostUnit: 'h', supervisingUnit: r.supervisingUnit ?? '', scopeUnits: [] } : null;
    const [entry] = complaintOpenDeadlines({ id: r.id, platformId: r.platformId, state: r.state, dueAt: r.dueAt, site, version: 1 });
    return { ...entry!, people: people(r) };
  });
  const deadlines: DeadlineRegister = {
    async dueBy() {
      calls.dueBy += 1;
      return entries;
    },
    maintain: async () => ({ applied: 0, resolved: 0, checked: 0 }),
    coveringOutage: async () => null,
    openOutages: async () => [],
    replace: async () => ({ set: 0, cleared: 0 }),
    close: async () => undefined,
    repair: async () => ({ applied: 0 }),
  };
  const complaints = {
    async responsible(siteIds: string[], units: string[], withProvince: boolean) {
      calls.responsible += 1;
      return {
        siteAdmins: new Map(siteIds.filter((s) => s !== 'orphan').map((s) => [s, [{ userid: `admin.${s}`, name: s, locale: 'zh-CN' }]])),
        supervisors: new Map(units.map((u) => [u, [{ userid: `sup.${u}`, name: u, locale: 'en' }]])),
        provinceAdmins: withProvince ? [{ userid: 'prov', name: 'p', locale: 'zh-CN' }] : [],
      };
    },
  } as unknown as ComplaintRepo;
  return { deps: { deadlines, complaints, calendar: { current: async () => calendar } }, calls };
}

const row = (platformId: string, state: DueRow['state'], dueLocal: string, siteId: string | null = 's1'): DueRow => ({
  id: platformId, platformId, state, dueAt: china(dueLocal), siteId, siteName: siteId, supervisingUnit: siteId ? '130123' : null,
});

const ROWS = () => [
  row('A', 'transferred', '2026-10-12T00:00'), // overdue: ended 10-11 24:00
  row('B', 'transferred', '2026-10-13T00:00'), // due today (10-12)
  row('C', 'received', '2026-10-13T00:00'),
  row('D', 'unmatched', '2026-10-10T00:00', null),
  row('E', 'transferred', '2026-10-13T00:00', 'orphan'),
];

describe('#complaint.sweep', () => {
  it('splits due today from overdue per responsible person with one lookup of people', async () => {
    const { deps, calls } = fakes(ROWS());
    const sweep = await sweepDue(deps, china('2026-10-12T08:00'));
    expect(calls).toEqual({ responsible: 1, dueBy: 1 });
    expect(sweep.today).toBe('2026-10-12');
    const by = Object.fromEntries(sweep.people.map((p) => [p.person.userid, { due: p.dueToday.map((i) => i.platformId), over: p.overdue.map((i) => i.platformId) }]));
    expect(by).toEqual({ 'admin.s1': { due: ['B'], over: ['A'] }, 'sup.130123': { due: ['C'], over: [] }, prov: { due: [], over: ['D'] } });
    expect(sweep.unowned.map((u) => u.item.platformId)).toEqual(['E']);
    expect(buildDigests(sweep).find((d) => d.userid === 'admin.s1')).toMatchObject({ dueToday: 1, overdue: 1, top: [{ platformId: 'A' }, { platformId: 'B' }] });
  });

  it('names the people the register holds resolved and fresh without looking anyone up', async () => {
    const now = china('2026-10-12T08:00');
    const acts = (r: DueRow) => complaintOpenDeadlines({ id: r.id, platformId: r.platformId, state: r.state, dueAt: r.dueAt, site: r.siteId ? { id: r.siteId, name: r.siteId, hostUnit: 'h', supervisingUnit: r.supervisingUnit ?? '', scopeUnits: [] } : null, version: 1 })[0]!.acts;
    const cached = (r: DueRow) => ({ key: audienceKey(acts(r)), at: new Date(now.getTime() - 60_000), list: r.siteId === 'orphan' ? [] : [{ userid: `cached.${r.platformId}`, name: r.platformId, locale: 'zh-CN' }] });
    const { deps, calls } = fakes(ROWS(), cached);
    const sweep = await sweepDue(deps, now);
    expect(calls).toEqual({ responsible: 0, dueBy: 1 });
    expect(sweep.people.map((p) => p.person.userid)).toEqual(['cached.A', 'cached.B', 'cached.C', 'cached.D']);
    expect(sweep.unowned.map((u) => u.item.platformId)).toEqual(['E']);
  });

  it('looks people up again when what the register holds is older than an hour or for another audience', async () => {
    const now = china('2026-10-12T08:00');
    const stale = (r: DueRow) =>
      r.platformId === 'A'
        ? { key: `s:${r.siteId}`, at: new Date(now.getTime() - PEOPLE_MAX_AGE_MS - 1), list: [{ userid: 'gone', name: 'x', locale: 'zh-CN' }] }
        : { key: 'u:elsewhere', at: now, list: [{ userid: 'gone', name: 'x', locale: 'zh-CN' }] };
    const { deps, calls } = fakes(ROWS(), stale);
    const sweep = await sweepDue(deps, now);
    expect(calls).toEqual({ responsible: 1, dueBy: 1 });
    expect(sweep.people.map((p) => p.person.userid)).not.toContain('gone');
    expect(sweep.people.find((p) => p.person.userid === 'admin.s1')?.overdue.map((i) => i.platformId)).toEqual(['A']);
  });
});
