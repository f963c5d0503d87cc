import { DEFAULT_INSPECTION_CONFIG } from '../core/inspection/inspection.config';
import { probeSlotId } from '../core/inspection/probe-plan';
import { useTestDatabase } from '../test/db';
import { inspectionRepoWith } from './inspection.repo';

useTestDatabase();

const repo = inspectionRepoWith(DEFAULT_INSPECTION_CONFIG);

describe('#inspection: the year of probes the annual report reads', () => {
  it('counts each recorded probe once into its China year, and keeps counting after the records are pruned', async () => {
    const probe = (iso: string, outcome: 'ok' | 'timeout') => {
      const at = new Date(iso);
      return repo.recordProbe(probeSlotId('s1', at), { siteId: 's1', url: 'https://www.zhengding.gov.cn/', at, outcome, totalMs: 120 });
    };
    expect(await probe('2026-06-01T01:00:00Z', 'ok')).toBe(true);
    expect(await probe('2026-06-01T02:12:00Z', 'timeout')).toBe(true);
    expect(await probe('2026-06-01T02:12:00Z', 'timeout')).toBe(false); // the same slot again: not counted twice
    // 2026-12-31 20:00 UTC is 2027-01-01 04:00 in China: next year's.
    expect(await probe('2026-12-31T20:00:00Z', 'ok')).toBe(true);
    await repo.pruneProbes(['s1'], '2026-06-10', 30);
    expect(await repo.probesSince('s1', new Date('2026-06-01T00:00:00Z'))).toEqual([]);
    expect(await repo.yearAvailability('s1', 2026)).toEqual({ probes: 2, failed: 1, ratio: 0.5 });
    expect(await repo.yearAvailability('s1', 2027)).toEqual({ probes: 1, failed: 0, ratio: 0 });
    expect(await repo.yearAvailability('s2', 2026)).toEqual({ probes: 0, failed: 0, ratio: 0 });
  });
});
