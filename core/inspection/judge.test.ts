import { chinaStartOf, dayNumberOf, formatDayNumber } from '../calendar/civil-date';
import { DEFAULT_INSPECTION_SETTINGS, type ColumnKind, type CrawlResult, type ProbeResult } from './inspection.types';
import { defaultProfileFor, judgeInspection } from './judge';
import { parseInspectionConfig } from './inspection.config';

const china = (local: string) => new Date(`${local}:00+08:00`);
const NOW = china('2026-12-02T10:00');
const TODAY = '2026-12-02';
const daysAgo = (n: number) => formatDayNumber(dayNumberOf(TODAY) - n);
const site = { id: 'site1', name: '正定县人民政府', domains: ['www.zhengding.gov.cn'] };
const settings = DEFAULT_INSPECTION_SETTINGS;
const profile = defaultProfileFor(site, settings);

/** `n` probes on the China day `daysBack` before today, the first `failed` of them failing. */
function probes(daysBack: number, n: number, failed: number): ProbeResult[] {
  const start = chinaStartOf(daysAgo(daysBack)).getTime();
  return Array.from({ length: n }, (_, i) => ({ siteId: site.id, url: 'https://www.zhengding.gov.cn/', at: new Date(start + i * 60_000), outcome: i < failed ? 'timeout' : 'ok', totalMs: 100 }));
}

interface Col {
  kind: ColumnKind;
  days?: number;
  blank?: boolean;
  fetched?: boolean;
}

function crawl(home: { days?: number; fetched?: boolean }, columns: Col[] = []): CrawlResult {
  const page = (url: string, c: { days?: number; fetched?: boolean; blank?: boolean }) => ({
    url,
    fetched: c.fetched ?? true,
    ...(c.days !== undefined ? { lastUpdate: daysAgo(c.days) } : {}),
    items: c.blank ? 0 : 10,
    blank: c.blank ?? false,
  });
  return {
    siteId: site.id,
    at: NOW,
    homepage: page('https://www.zhengding.gov.cn/', home),
    columns: columns.map((c, i) => ({ ...page(`https://www.zhengding.gov.cn/col${i}/`, c), kind: c.kind })),
    brokenLinks: [{ url: 'https://www.zhengding.gov.cn/gone.html', page: 'https://www.zhengding.gov.cn/', status: 404 }],
    elements: { missing: ['icp_record'], mismatched: [], found: {} },
    discovered: [],
    pages: 1,
    links: 1,
    durationMs: 1,
  };
}

const judge = (c: CrawlResult | undefined, week: ProbeResult[] = [], s = settings) =>
  judgeInspection({ site, profile, crawl: c, probesToday: week.filter((p) => p.at >= chinaStartOf(TODAY)), probesWeek: week, now: NOW, settings: s });

const many = (n: number, c: Col): Col[] => Array.from({ length: n }, () => ({ ...c }));

describe('#inspection judge', () => {
  describe('availability veto: ≥ 5 % of ≥ 20 probes a day over a week', () => {
    it.each([
      ['20 probes, 1 failed (5 %)', true, [probes(0, 20, 1)]],
      ['19 probes, 1 failed (5.3 %, but under 20 a day)', false, [probes(0, 19, 1)]],
      ['7 days × 20, 7 failed (5 %)', true, [0, 1, 2, 3, 4, 5, 6].map((d) => probes(d, 20, d === 0 ? 7 : 0))],
      ['143 probes over 7 days, 7 failed (4.9 %)', false, [0, 1, 2, 3, 4, 5, 6].map((d) => probes(d, d < 3 ? 21 : 20, d === 0 ? 7 : 0))],
      ['7 days × 20, none failed', false, [0, 1, 2, 3, 4, 5, 6].map((d) => probes(d, 20, 0))],
      ['6 past days × 20, today 7 probes so far all failed (5.5 %)', true, [...[1, 2, 3, 4, 5, 6].map((d) => probes(d, 20, 0)), probes(0, 7, 7)]],
      ['6 past days × 20, today 6 failed (4.8 %)', false, [...[1, 2, 3, 4, 5, 6].map((d) => probes(d, 20, 0)), probes(0, 6, 6)]],
      ['a past day with 19 probes', false, [...[1, 2, 3, 4, 5].map((d) => probes(d, 20, 0)), probes(6, 19, 0), probes(0, 20, 20)]],
      ['no probes', false, []],
    ])('%s → veto %s', (_name, veto, days) => {
      const report = judge(undefined, (days as ProbeResult[][]).flat());
      expect(report.availability.veto).toBe(veto);
      expect(report.veto.includes('availability')).toBe(veto);
    });

    it('reports today\'s and the week\'s figures', () => {
      const report = judge(undefined, [...probes(0, 20, 2), ...probes(1, 20, 0)]);
      expect(report.availability.today).toEqual({ probes: 20, failed: 2, ratio: 0.1 });
      expect(report.availability.week).toEqual({ probes: 40, failed: 2, ratio: 0.05 });
    });
  });

  describe('home page: no new item for 2 weeks', () => {
    it.each([
      [{ days: 13 }, false, 13],
      [{ days: 14 }, true, 14],
      [{}, true, undefined],
      [{ fetched: false }, false, undefined],
    ])('%j → stale %s', (home, stale, days) => {
      const report = judge(crawl(home));
      expect(report.homepage.stale).toBe(stale);
      expect(report.homepage.daysSince).toBe(days);
      expect(report.veto.includes('homepage_stale')).toBe(stale);
    });
  });

  describe('columns', () => {
    it('judges each kind against its own limit, and marks those close to it', () => {
      const report = judge(crawl({ days: 1 }, [{ kind: 'news', days: 13 }, { kind: 'news', days: 14 }, { kind: 'notice', days: 182 }, { kind: 'policy', days: 183 }, { kind: 'other', days: 364 }, { kind: 'other', days: 365 }, { kind: 'news', days: 11 }, { kind: 'news', days: 10 }]));
      expect(report.columns.map((c) => [c.kind, c.daysSince, c.limitDays, c.stale, c.nearLimit])).toEqual([
        ['news', 13, 14, false, true],
        ['news', 14, 14, true, false],
        ['notice', 182, 183, false, true],
        ['policy', 183, 183, true, false],
        ['other', 364, 365, false, true],
        ['other', 365, 365, true, false],
        ['news', 11, 14, false, true],
        ['news', 10, 14, false, false],
      ]);
    });

    it('counts a blank column as blank, not stale, and a column it could not fetch as neither', () => {
      const report = judge(crawl({ days: 1 }, [{ kind: 'news', blank: true }, { kind: 'news', fetched: false }]));
      expect(report.columns.map((c) => [c.blank, c.stale])).toEqual([
        [true, false],
        [false, false],
      ]);
    });

    it.each([
      ['4 stale news columns', false, many(4, { kind: 'news', days: 20 })],
      ['5 stale news columns', true, many(5, { kind: 'news', days: 20 })],
      ['3 news (2 weeks) + 2 notice/policy (6 months)', true, [...many(3, { kind: 'news', days: 15 }), { kind: 'notice', days: 200 }, { kind: 'policy', days: 183 }]],
      ['5 news columns 13 days old', false, many(5, { kind: 'news', days: 13 })],
    ] as [string, boolean, Col[]][])('%s → news veto %s', (_n, veto, cols) => {
      expect(judge(crawl({ days: 1 }, cols)).veto.includes('news_columns_stale')).toBe(veto);
    });

    it.each([
      [9, false],
      [10, true],
    ])('%i columns long not updated → veto %s', (n, veto) => {
      const report = judge(crawl({ days: 1 }, many(n, { kind: 'other', days: 400 })));
      expect(report.veto.includes('columns_stale')).toBe(veto);
      expect(report.veto.includes('news_columns_stale')).toBe(false);
    });

    it.each([
      [4, false],
      [5, true],
    ])('%i blank columns → veto %s', (n, veto) => {
      expect(judge(crawl({ days: 1 }, many(n, { kind: 'other', blank: true }))).veto.includes('columns_blank')).toBe(veto);
    });
  });

  it('carries the broken links and the missing elements, and needs no crawl to judge availability', () => {
    const report = judge(crawl({ days: 1 }));
    expect(report.brokenLinks).toEqual([{ url: 'https://www.zhengding.gov.cn/gone.html', page: 'https://www.zhengding.gov.cn/', status: 404 }]);
    expect(report.elements).toEqual({ missing: ['icp_record'], mismatched: [] });
    const bare = judge(undefined);
    expect(bare).toMatchObject({ homepage: { url: 'https://www.zhengding.gov.cn/', stale: false }, columns: [], brokenLinks: [], veto: [] });
  });

  it('follows the deployment\'s limits (STEWARD_INSPECTION)', () => {
    const { settings: s } = parseInspectionConfig('{"columnLimitDays":{"news":7},"veto":{"staleNewsColumns":2}}');
    expect(s.columnLimitDays).toEqual({ news: 7, notice: 183, policy: 183, other: 365 });
    expect(judge(crawl({ days: 1 }, many(2, { kind: 'news', days: 8 })), [], s).veto).toEqual(['news_columns_stale']);
    expect(() => parseInspectionConfig('{"columnLimitDays":{"newz":7}}')).toThrow(/STEWARD_INSPECTION/);
    expect(() => parseInspectionConfig('{nope')).toThrow(/not valid JSON/);
  });
});
