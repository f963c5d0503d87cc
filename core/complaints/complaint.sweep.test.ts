import { defaultCalendar } from '../calendar';
import type { ComplaintRepo, DueRow } from './complaint.ports';
import { buildDigests, sweepDue } from './complaint.sweep';

const china = (local: string) => new Date(`${local}:00+08:00`);
const calendar = defaultCalendar();

function fakeRepo(rows: DueRow[]) {
  const calls = { responsible: 0, openDueBy: 0 };
  const repo = {
    async openDueBy() {
      calls.openDueBy += 1;
      return rows;
    },
    async responsible(siteIds: string[], units: string[], withProvince: boolean) {
      calls.responsible += 1;
      return {
        siteAdmins: new Map(siteIds.filter((s) => s !== 'orphan').map((s) => [s, [{ userid: `admin.${s}`, name: s, locale: 'zh-CN' }]])),
        supervisors: new Map(units.map((u) => [u, [{ userid: `sup.${u}`, name: u, locale: 'en' }]])),
        provinceAdmins: withProvince ? [{ userid: 'prov', name: 'p', locale: 'zh-CN' }] : [],
      };
    },
  } as unknown as ComplaintRepo;
  return { repo, calls };
}

const row = (platformId: string, state: DueRow['state'], dueLocal: string, siteId: string | null = 's1'): DueRow => ({
  id: platformId, platformId, state, dueAt: china(dueLocal), siteId, siteName: siteId, supervisingUnit: siteId ? '130123' : null,
});

describe('#complaint.sweep', () => {
  it('splits due today from overdue per responsible person with one lookup of people', async () => {
    const { repo, calls } = fakeRepo([
      row('A', 'transferred', '2026-10-12T00:00'), // overdue: ended 10-11 24:00
      row('B', 'transferred', '2026-10-13T00:00'), // due today (10-12)
      row('C', 'received', '2026-10-13T00:00'),
      row('D', 'unmatched', '2026-10-10T00:00', null),
      row('E', 'transferred', '2026-10-13T00:00', 'orphan'),
    ]);
    const sweep = await sweepDue({ complaints: repo, calendar: { current: async () => calendar } }, china('2026-10-12T08:00'));
    expect(calls).toEqual({ responsible: 1, openDueBy: 1 });
    expect(sweep.today).toBe('2026-10-12');
    const by = Object.fromEntries(sweep.people.map((p) => [p.person.userid, { due: p.dueToday.map((i) => i.platformId), over: p.overdue.map((i) => i.platformId) }]));
    expect(by).toEqual({ 'admin.s1': { due: ['B'], over: ['A'] }, 'sup.130123': { due: ['C'], over: [] }, prov: { due: [], over: ['D'] } });
    expect(sweep.unowned.map((u) => u.item.platformId)).toEqual(['E']);
    expect(buildDigests(sweep).find((d) => d.userid === 'admin.s1')).toMatchObject({ dueToday: 1, overdue: 1, top: [{ platformId: 'A' }, { platformId: 'B' }] });
  });
});
