import { DEFAULT_INSPECTION_CONFIG } from '../core/inspection/inspection.config';
import type { InspectionReport, ProbeResult } from '../core/inspection/inspection.types';
import { probeSlotId } from '../core/inspection/probe-plan';
import { useTestDatabase } from '../test/db';
import { ProbeDayModel } from './inspection.model';
import { inspectionRepoWith } from './inspection.repo';

useTestDatabase();

const china = (local: string) => new Date(`${local}:00+08:00`);
const repo = inspectionRepoWith(DEFAULT_INSPECTION_CONFIG);
const probe = (siteId: string, at: Date, outcome: ProbeResult['outcome'] = 'ok'): ProbeResult => ({ siteId, url: 'https://www.x.gov.cn/', at, outcome, totalMs: 12, ttfbMs: 5 });

describe('#inspection repo', () => {
  it('claims and records each probe slot once, also when a day\'s first slots race to create its document', async () => {
    const slots = ['00:00', '01:12', '02:24'].map((t) => china(`2026-12-02T${t}`));
    const ids = slots.map((at) => probeSlotId('s1', at));
    const claims = await Promise.all([...ids, ...ids].map((id, i) => repo.claimProbe(id, i < 3 ? 'a' : 'b')));
    expect(claims.filter(Boolean)).toHaveLength(3);
    const records = await Promise.all([...ids, ...ids].map((id, i) => repo.recordProbe(id, probe('s1', slots[i % 3]!, i % 3 === 1 ? 'timeout' : 'ok'))));
    expect(records.filter(Boolean)).toHaveLength(3);
    expect(await ProbeDayModel.countDocuments({})).toBe(1);
    const read = await repo.probesSince('s1', china('2026-12-01T00:00'));
    expect(read.map((p) => [p.at.toISOString(), p.outcome, p.siteId, p.ttfbMs])).toEqual([
      [slots[0]!.toISOString(), 'ok', 's1', 5],
      [slots[1]!.toISOString(), 'timeout', 's1', 5],
      [slots[2]!.toISOString(), 'ok', 's1', 5],
    ]);
    expect(await repo.probesSince('s1', china('2026-12-02T01:00'))).toHaveLength(2);
  });

  it('prunes whole days of probes by id', async () => {
    await ProbeDayModel.deleteMany({});
    for (const day of ['2026-11-20', '2026-11-21', '2026-11-30']) await repo.recordProbe(probeSlotId('s2', china(`${day}T03:00`)), probe('s2', china(`${day}T03:00`)));
    expect(await repo.pruneProbes(['s2', 'other'], '2026-11-22', 7)).toBe(2);
    expect((await repo.probesSince('s2', china('2026-11-19T00:00'))).map((p) => p.at)).toEqual([]);
    expect(await repo.probesSince('s2', china('2026-11-29T00:00'))).toHaveLength(1);
  });

  it('claims a night\'s crawl once until the lease ends', async () => {
    const now = china('2026-12-02T01:00');
    const until = china('2026-12-02T05:00');
    expect(await Promise.all([repo.claimCrawl('s3', now, until), repo.claimCrawl('s3', now, until)])).toEqual(expect.arrayContaining([true, false]));
    expect(await repo.claimCrawl('s3', china('2026-12-02T04:59'), until)).toBe(false);
    expect(await repo.claimCrawl('s3', china('2026-12-03T01:00'), china('2026-12-03T05:00'))).toBe(true);
  });

  it('keeps the latest report of each site, read by id or all at once', async () => {
    const report = (siteId: string, day: number): InspectionReport => ({
      siteId,
      siteName: siteId,
      at: china(`2026-12-0${day}T02:00`),
      availability: { today: { probes: 20, failed: 0, ratio: 0 }, week: { probes: 140, failed: 1, ratio: 1 / 140 }, veto: false },
      homepage: { url: 'https://www.x.gov.cn/', lastUpdate: '2026-11-30', daysSince: 2, stale: false },
      columns: [],
      brokenLinks: [],
      elements: { missing: [], mismatched: [] },
      veto: [],
    });
    const ids = Array.from({ length: 12 }, (_, i) => `r${i}`);
    for (const id of ids) await repo.saveReport(report(id, 1));
    await repo.saveReport(report('r0', 2));
    const few = await repo.latestReports(['r0', 'r1', 'nope']);
    expect(few.map((r) => [r.siteId, r.at])).toEqual([
      ['r0', china('2026-12-02T02:00')],
      ['r1', china('2026-12-01T02:00')],
    ]);
    expect((await repo.latestReports([...ids, 'nope'])).length).toBe(12);
  });
});
