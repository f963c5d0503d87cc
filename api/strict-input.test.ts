import request from 'supertest';
import { createLogger } from '../lib/logger';
import { ComplaintModel } from '../store/complaint.model';
import { seedDemoIfEmpty } from '../store/demo/seed-demo';
import { createDeps, apiPortsOf, createServices } from '../lib/services';
import { useTestDatabase } from '../test/db';
import { createApp } from './app';
import { issueApiToken } from '../store/api-token.repo';
import { buildOpenApiDocument } from './openapi';
import { allCommands } from '../core/commands/registry';

useTestDatabase();

const china = (local: string) => new Date(`${local}:00+08:00`);
const clock = { now: () => china('2026-10-08T10:00') };
const silent = { write: () => undefined } as unknown as NodeJS.WritableStream;
const app = () => request(createApp({ deps: createDeps(clock), ...apiPortsOf(createServices()), logger: createLogger('silent', silent), config: { bodyLimit: '1mb', defaultLocale: 'zh-CN' } }).callback());

const tokens = { province: '', siteadmin: '', county: '' };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const report = (platformId: string, receivedAt: string) => ({ platformId, site: 'jyj.zhengding.gov.cn', errorType: '错别字', description: '“报名”写成“报明”', receivedAt });

beforeAll(async () => {
  await seedDemoIfEmpty();
  tokens.province = await issueApiToken('demo.province', 'test');
  tokens.siteadmin = await issueApiToken('demo.siteadmin', 'test');
  tokens.county = await issueApiToken('demo.county', 'test');
});

describe('#api strict input', () => {
  describe('dates out of any sane window', () => {
    it('answers a report received 9999-12-31 23:59 with a 400 naming receivedAt, in the reader’s language, and stores nothing', async () => {
      const zh = await app().post('/api/v1/complaints').set(bearer(tokens.province)).send(report('FAR-1', '9999-12-31 23:59'));
      expect(zh.status).toBe(400);
      expect(zh.body).toMatchObject({ ok: false, error: 'validation_failed', problems: [{ field: 'receivedAt', code: 'date_out_of_range' }] });
      expect(zh.body.message).toContain('receivedAt=9999-12-31 23:59 超出允许范围，应在 2000-01-01 至 2027-12-31 之间');
      const en = await app().post('/api/v1/complaints?lng=en').set(bearer(tokens.province)).send(report('FAR-1', '9999-12-31 23:59'));
      expect(en.status).toBe(400);
      expect(en.body.problems[0].message).toBe('the date receivedAt=9999-12-31 23:59 is outside the accepted range: it must be between 2000-01-01 and 2027-12-31 (China time)');
      expect(await ComplaintModel.countDocuments({ platformId: 'FAR-1' })).toBe(0);
    });

    it('takes the good reports of a batch and lists the far-off one as that row’s error', async () => {
      const res = await app()
        .post('/api/v1/complaints')
        .set(bearer(tokens.province))
        .send({ complaints: [report('NEAR-1', '2026-10-08 09:00'), report('FAR-2', '9999-12-31 23:59'), report('OLD-1', '1900-01-01 08:00')] });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ total: 3, created: 1, failedRows: 2 });
      expect(res.body.data.failed.map((f: { row: number; field: string; code: string }) => `${f.row}:${f.field}:${f.code}`)).toEqual(['2:receivedAt:date_out_of_range', '3:receivedAt:date_out_of_range']);
      expect(await ComplaintModel.countDocuments({ platformId: 'NEAR-1' })).toBe(1);
    });

    it('answers a temporary offline window in year 9999 with a 400 naming start and end', async () => {
      const res = await app()
        .post('/api/v1/requests/temp-offline?lng=en')
        .set(bearer(tokens.siteadmin))
        .send({ site: 'jyj.zhengding.gov.cn', start: '9999-12-25', end: '9999-12-31', reason: '机房搬迁' });
      expect(res.status).toBe(400);
      expect(res.body.problems.map((p: { field: string; code: string }) => `${p.field}:${p.code}`)).toEqual(['start:date_out_of_range', 'end:date_out_of_range']);
      expect(res.body.message).toContain('it must be between 2026-10-08 and 2028-10-08');
    });
  });

  describe('lax parsing', () => {
    it('reads no hexadecimal year: 0x7e9 is a 400, not 2025', async () => {
      const year = await app().get('/api/v1/calendar/years/0x7e9').set(bearer(tokens.province));
      expect(year.status).toBe(400);
      expect(year.body.problems).toEqual([expect.objectContaining({ field: 'year', code: 'calendar_year_param_invalid' })]);
      const annual = await app().get('/api/v1/annual-reports/jyj.zhengding.gov.cn/0x7e9').set(bearer(tokens.siteadmin));
      expect(annual.status).toBe(400);
      expect(annual.body.problems).toEqual([expect.objectContaining({ field: 'year', code: 'annual_report_year_format' })]);
      expect((await app().get('/api/v1/calendar/years/2027').set(bearer(tokens.province))).status).toBe(200);
    });

    it('lets a POST without a body through (Content-Length: 0, no Content-Type), and refuses a body that is not JSON', async () => {
      const form = await app().post('/api/v1/complaints/NEAR-1/transfer').set(bearer(tokens.county)).set('Content-Type', 'text/plain').send('please');
      expect(form.status).toBe(415);
      expect(form.body.error).toBe('unsupported_media_type');
      const empty = await app().post('/api/v1/complaints/NEAR-1/transfer').set(bearer(tokens.county)).set('Content-Length', '0');
      expect(empty.status).toBe(201);
      expect(empty.body.data.complaint).toMatchObject({ platformId: 'NEAR-1', state: 'transferred' });
    });

    it.each(['/api/v1/complaints', '/api/v1/complaints/stats', '/api/v1/complaints/published'])('answers from after to on %s with a localized 400', async (path) => {
      const zh = await app().get(path).query({ from: '2026-10-31', to: '2026-10-01' }).set(bearer(tokens.province));
      expect(zh.status).toBe(400);
      expect(zh.body).toMatchObject({ error: 'validation_failed', problems: [{ field: 'to', code: 'date_range_reversed' }] });
      expect(zh.body.problems[0].message).toBe('起始日期 from=2026-10-31 晚于截止日期 to=2026-10-01，请检查日期范围');
      const en = await app().get(path).query({ from: '2026-10-31', to: '2026-10-01', lng: 'en' }).set(bearer(tokens.province));
      expect(en.body.problems[0].message).toBe('the period runs backwards: from=2026-10-31 is after to=2026-10-01');
      const oneDay = await app().get(path).query({ from: '2026-10-08', to: '2026-10-08' }).set(bearer(tokens.province));
      expect(oneDay.status).toBe(200);
    });

    it('answers a report filter dated 9999 with a 400 naming the field, not a date-format guess', async () => {
      const res = await app().get('/api/v1/complaints/stats').query({ to: '9999-12-31' }).set(bearer(tokens.province));
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([expect.objectContaining({ field: 'to', code: 'date_out_of_range' })]);
    });
  });

  describe('the OpenAPI document', () => {
    /** Every `pattern` anywhere in the document, with where it is. */
    function patterns(node: unknown, at = '$'): [string, string][] {
      if (Array.isArray(node)) return node.flatMap((v, i) => patterns(v, `${at}[${i}]`));
      if (!node || typeof node !== 'object') return [];
      return Object.entries(node).flatMap(([k, v]) => (k === 'pattern' && typeof v === 'string' ? [[`${at}.pattern`, v] as [string, string]] : patterns(v, `${at}.${k}`)));
    }

    it('carries every regex as its bare source: no /flags tail, no slash-delimited literal', () => {
      const found = patterns(buildOpenApiDocument(allCommands()));
      expect(found.length).toBeGreaterThan(0);
      const leaked = found.filter(([, p]) => /\/[dgimsuvy]+$/.test(p) || /^\//.test(p) || /(^|[^\\])\/$/.test(p));
      expect(leaked).toEqual([]);
      const compiles = (p: string) => {
        try {
          return new RegExp(p, 'u') instanceof RegExp;
        } catch {
          return false;
        }
      };
      expect(found.filter(([, p]) => !compiles(p))).toEqual([]);
      expect(found.map(([, p]) => p)).toContain('^\\d{4}-[Qq][1-4]$');
    });
  });
});
