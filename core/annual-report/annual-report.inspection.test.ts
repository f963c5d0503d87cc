import type { CrawlResult } from '../inspection/inspection.types';
import { inspectionFigures } from './annual-report.inspection';

const HOME = 'https://www.zhengding.gov.cn/';
const crawl: CrawlResult = {
  siteId: 's1',
  at: new Date('2027-01-10T18:00:00Z'),
  homepage: { url: HOME, fetched: true, items: 3, blank: false, lastUpdate: '2027-01-09' },
  columns: [],
  brokenLinks: [
    { url: `${HOME}a.html`, page: HOME, status: 404 },
    { url: `${HOME}b.html`, page: `${HOME}xwdt/`, status: 'timeout' },
    { url: `${HOME}c.html`, page: `${HOME}tzgg/`, status: 500 },
  ],
  elements: { missing: [], mismatched: [], found: {} },
  discovered: [],
  pages: 12,
  links: 340,
  durationMs: 9000,
};

describe('#annual report: the inspection figures (art. 28, 36)', () => {
  it('counts the home page availability over the year and the latest broken links, home page and other pages apart', () => {
    expect(inspectionFigures({ probes: 7300, failed: 73, ratio: 0.01 }, crawl)).toEqual({
      probes: 7300,
      failedProbes: 73,
      availability: 0.99,
      linksInspectedAt: crawl.at,
      linksChecked: 340,
      brokenLinks: 3,
      homepageBrokenLinks: 1,
      otherBrokenLinks: 2,
    });
  });

  it('says nothing was measured rather than 0% or 100% for a site never probed or crawled', () => {
    expect(inspectionFigures({ probes: 0, failed: 0, ratio: 0 }, undefined)).toEqual({
      probes: 0,
      failedProbes: 0,
      availability: null,
      linksInspectedAt: null,
      linksChecked: null,
      brokenLinks: null,
      homepageBrokenLinks: null,
      otherBrokenLinks: null,
    });
  });
});
