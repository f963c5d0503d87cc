import ExcelJS from 'exceljs';
import request from 'supertest';
import type { InspectionReport } from '../core/inspection/inspection.types';
import { createLogger } from '../lib/logger';
import { apiPortsOf, createServices } from '../lib/services';
import { issueApiToken } from '../store/api-token.repo';
import { seedDemoIfEmpty } from '../store/demo/seed-demo';
import { useTestDatabase } from '../test/db';
import { createApp } from './app';

useTestDatabase();

const now = new Date('2026-12-02T02:00:00Z');
const SITE = 'www.zhengding.gov.cn';
const services = createServices({ clock: { now: () => now } });
const app = createApp({ deps: services.deps, ...apiPortsOf(services), logger: createLogger('silent'), config: { bodyLimit: '1mb', defaultLocale: 'zh-CN' } });
const http = () => request(app.callback());
const tokens = new Map<string, string>();
const as = (userid: string) => ({ Authorization: `Bearer ${tokens.get(userid)}` });

/** A judged report as the nightly crawl leaves it: a stale home page, a blank column, a broken link. */
function reportOf(siteId: string): InspectionReport {
  return {
    siteId,
    siteName: '正定县人民政府门户网站',
    at: now,
    availability: { today: { probes: 12, failed: 0, ratio: 0 }, week: { probes: 140, failed: 2, ratio: 2 / 140 }, veto: false },
    homepage: { url: `https://${SITE}/`, lastUpdate: '2026-11-12', daysSince: 20, stale: true },
    columns: [
      { url: `https://${SITE}/xwdt/`, name: '工作动态', kind: 'news', lastUpdate: '2026-12-01', daysSince: 1, limitDays: 14, stale: false, blank: false, nearLimit: false },
      { url: `https://${SITE}/zcwj/`, name: '政策文件', kind: 'policy', limitDays: 183, stale: false, blank: true, nearLimit: false },
    ],
    brokenLinks: [{ url: `https://${SITE}/old.html`, page: `https://${SITE}/`, status: 404 }],
    elements: { missing: ['police_record'], mismatched: [] },
    veto: ['homepage_stale'],
  };
}

beforeAll(async () => {
  await seedDemoIfEmpty();
  for (const userid of ['demo.siteadmin', 'demo.county', 'demo.county.zz', 'demo.siteadmin.en']) tokens.set(userid, await issueApiToken(userid, 'test'));
  const site = (await services.deps.sites.findByRef(SITE))!;
  await services.deps.inspections.saveReport(reportOf(site.id));
});

afterAll(() => services.closeInspector());

async function xlsxSheets(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as never);
  return wb;
}

const binary = (req: request.Test) =>
  req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

describe('#inspection REST routes', () => {
  it('answers the latest report with its numbered problems, for the site admin and its supervisor', async () => {
    for (const userid of ['demo.siteadmin', 'demo.county']) {
      const res = await http().get(`/api/v1/inspections/${SITE}?days=3`).set(as(userid));
      expect(res.status).toBe(200);
      expect(res.body.data.report).toMatchObject({ homepage: { daysSince: 20, stale: true }, veto: ['homepage_stale'], counts: { blankColumns: 1, brokenLinks: 1 } });
      expect(res.body.data.report.problems.map((p: { type: string }) => p.type)).toEqual(['veto', 'column_blank', 'broken_link', 'element_missing']);
      expect(res.body.data.days.map((d: { date: string }) => d.date)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02']);
    }
    const other = await http().get(`/api/v1/inspections/${SITE}`).set(as('demo.county.zz'));
    expect(other.status).toBe(404);
  });

  it('gives a supervisor the overview of its subtree on a fixed path', async () => {
    const res = await http().get('/api/v1/inspections/overview').set(as('demo.county'));
    expect(res.status).toBe(200);
    expect(res.body.data.sites.map((r: { site: { ref: string }; veto: string[] }) => [r.site.ref, r.veto])).toEqual([
      ['1301230001', ['homepage_stale']],
      ['1301230002', []],
    ]);
  });

  it('refuses a home URL off the site with a clear localized message, and saves a good one', async () => {
    const bad = await http().put(`/api/v1/inspections/${SITE}/profile/home-urls`).set(as('demo.siteadmin')).send({ urls: ['https://www.xinji.gov.cn/'] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, error: 'inspection_url_off_site' });
    expect(bad.body.message).toContain('不是本网站登记的域名');
    const good = await http().put(`/api/v1/inspections/${SITE}/profile/home-urls`).set(as('demo.siteadmin')).send({ urls: [`http://${SITE}/`] });
    expect(good.status).toBe(200);
    expect(good.body.data.profile.homeUrls).toEqual([`http://${SITE}/`]);
  });

  it('exports the site and the unit as xlsx, each only to those who may read it', async () => {
    const site = await binary(http().get(`/api/v1/inspections/${SITE}/xlsx`).set(as('demo.siteadmin')));
    expect(site.status).toBe(200);
    expect(site.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(site.headers['content-disposition']).toContain('inspection-1301230001-2026-12-02.xlsx');
    const wb = await xlsxSheets(site.body as Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概况', '可用性', '栏目', '死链', '必备要素', '问题清单']);
    expect(wb.getWorksheet('死链')!.getRow(2).values).toEqual([undefined, `https://${SITE}/old.html`, `https://${SITE}/`, 'HTTP 404']);

    const unit = await binary(http().get('/api/v1/inspections/units/130123/xlsx?lng=en').set(as('demo.county')));
    expect(unit.status).toBe(200);
    expect((await xlsxSheets(unit.body as Buffer)).worksheets.map((w) => w.name)).toEqual(['Sites', 'Columns', 'Broken links', 'Required elements', 'Problems']);

    expect((await http().get('/api/v1/inspections/units/130123/xlsx').set(as('demo.siteadmin'))).status).toBe(404);
    expect((await http().get('/api/v1/inspections/units/130123/xlsx').set(as('demo.county.zz'))).status).toBe(404);
    expect((await http().get(`/api/v1/inspections/${SITE}/xlsx`).set(as('demo.siteadmin.en'))).status).toBe(404);
  });
});
