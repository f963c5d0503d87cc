import request from 'supertest';
import type { Deps } from '../core/ports';
import { createLogger } from '../lib/logger';
import { pingDatabase } from '../store/index';
import { createDeps, apiPortsOf, createServices } from '../lib/services';
import { SiteModel } from '../store/site.model';
import { UnitModel } from '../store/unit.model';
import { UserModel } from '../store/user.model';
import { ApiTokenModel } from '../store/api-token.model';
import { useTestDatabase } from '../test/db';
import { createApp, type AppOptions } from './app';
import { issueApiToken } from '../store/api-token.repo';

useTestDatabase();

/** A logger whose lines the test can read. */
function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = { write: (s: string) => void lines.push(JSON.parse(s)) } as unknown as NodeJS.WritableStream;
  return { logger: createLogger('debug', sink), lines };
}

function makeApp(over: Partial<AppOptions> = {}) {
  const { logger, lines } = captureLogger();
  const app = createApp({ deps: createDeps(), ...apiPortsOf(createServices()), logger, config: { bodyLimit: '1mb', defaultLocale: 'zh-CN' }, ...over });
  return { app, http: () => request(app.callback()), lines };
}

const tokens = { admin: '', supervisor: '', nobody: '', inactive: '', unregistered: '', revoked: '' };
let jyjSiteId = '';

beforeAll(async () => {
  await UnitModel.insertMany([
    { _id: '130000', name: '河北省人民政府', kind: 'government', level: 'province', divisionCode: '130000', parentCode: null, ancestors: [] },
    { _id: '130100', name: '石家庄市人民政府', kind: 'government', level: 'city', divisionCode: '130100', parentCode: '130000', ancestors: ['130000'] },
    { _id: '130100-jyj', name: '石家庄市教育局', kind: 'department', level: 'city', divisionCode: '130100', parentCode: '130100', ancestors: ['130000', '130100'] },
  ]);
  await SiteModel.create({
    code: '1301000001',
    name: '石家庄市人民政府',
    kind: 'portal',
    level: 'city',
    domains: ['www.sjz.gov.cn'],
    supervisingUnit: '130100',
    hostUnit: '130100',
    status: 'online',
    scopeUnits: ['130100', '130000'],
  });
  const jyj = await SiteModel.create({
    code: '1301000002',
    name: '石家庄市教育局',
    kind: 'department',
    level: 'city',
    domains: ['jyj.sjz.gov.cn'],
    supervisingUnit: '130100',
    hostUnit: '130100-jyj',
    status: 'online',
    scopeUnits: ['130100-jyj', '130000', '130100'],
  });
  jyjSiteId = String(jyj._id);
  await UserModel.insertMany([
    { userid: 'li.lei', name: 'Li Lei', locale: 'en', roles: [{ role: 'site_admin', siteId: jyjSiteId }] },
    { userid: 'wang.fang', name: '王芳', locale: 'zh-CN', roles: [{ role: 'supervisor', unitCode: '130100' }] },
    { userid: 'zhao.min', name: '赵敏', locale: 'zh-CN', roles: [] },
    { userid: 'gone.user', name: '离职人员', locale: 'zh-CN', roles: [], active: false },
  ]);
  tokens.admin = await issueApiToken('li.lei', 'test');
  tokens.supervisor = await issueApiToken('wang.fang', 'test');
  tokens.nobody = await issueApiToken('zhao.min', 'test');
  tokens.inactive = await issueApiToken('gone.user', 'test');
  tokens.unregistered = await issueApiToken('never.registered', 'test');
  tokens.revoked = await issueApiToken('li.lei', 'old laptop');
  await ApiTokenModel.updateOne({ label: 'old laptop' }, { $set: { revokedAt: new Date() } });
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('#api', () => {
  describe('authentication', () => {
    it('answers 401 with a localized message when no token is sent', async () => {
      const { http } = makeApp();
      const zh = await http().get('/api/v1/sites').set('Accept-Language', 'zh-CN,zh;q=0.9');
      const en = await http().get('/api/v1/sites').set('Accept-Language', 'en-US,en;q=0.9');
      for (const res of [zh, en]) {
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ ok: false, error: 'unauthorized' });
        expect(res.headers['www-authenticate']).toBe('Bearer');
      }
      expect(zh.body.message).toMatch(/令牌/);
      expect(en.body.message).toMatch(/token/);
      expect(zh.body.message).not.toBe(en.body.message);
    });

    it('answers 401 in the configured default language when the client names none we speak', async () => {
      const { http } = makeApp({ config: { bodyLimit: '1mb', defaultLocale: 'en' } });
      const res = await http().get('/api/v1/me').set('Accept-Language', 'fr-FR');
      expect(res.status).toBe(401);
      expect(res.body.message).toMatch(/token/);
    });

    it('answers 401 for a malformed, an unknown or a revoked token', async () => {
      const { http } = makeApp();
      for (const auth of ['Bearer nonsense', `Bearer sst_${'A'.repeat(43)}`, `Bearer ${tokens.revoked}`, `Basic ${tokens.admin}`, tokens.admin]) {
        const res = await http().get('/api/v1/me').set('Authorization', auth);
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('unauthorized');
      }
    });

    it('answers 403 unknown_user when the token belongs to someone not in the registry', async () => {
      const { http } = makeApp();
      const res = await http().get('/api/v1/me').set(bearer(tokens.unregistered));
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('unknown_user');
      expect(res.body.message).toContain('never.registered');
    });

    it('answers 401 account_deactivated when the token belongs to a deactivated user', async () => {
      const { http } = makeApp();
      const res = await http().get('/api/v1/me').set(bearer(tokens.inactive));
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('account_deactivated');
      expect(res.body.message).toContain('gone.user');
    });
  });

  describe('commands over REST', () => {
    it('lists exactly their own site to a site admin', async () => {
      const { http } = makeApp();
      const res = await http().get('/api/v1/sites').set(bearer(tokens.admin));
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(true);
      expect(res.body.data.sites.map((s: { domain: string }) => s.domain)).toEqual(['jyj.sjz.gov.cn']);
      expect(res.body.data.sites[0]).toMatchObject({ id: jyjSiteId, hostUnit: { code: '130100-jyj', name: '石家庄市教育局' } });
    });

    it('lists every site of the city to its supervisor', async () => {
      const { http } = makeApp();
      const res = await http().get('/api/v1/sites').set(bearer(tokens.supervisor));
      expect(res.status).toBe(200);
      expect(res.body.data.sites.map((s: { domain: string }) => s.domain).sort()).toEqual(['jyj.sjz.gov.cn', 'www.sjz.gov.cn']);
    });

    it('shows a site admin their own site by domain', async () => {
      const { http } = makeApp();
      const res = await http().get('/api/v1/sites/jyj.sjz.gov.cn').set(bearer(tokens.admin));
      expect(res.status).toBe(200);
      expect(res.body.data.site).toMatchObject({ code: '1301000002', name: '石家庄市教育局' });
    });

    it('answers a site that is not theirs exactly as a site nobody registered: 404, the same code and text, no name', async () => {
      const { http } = makeApp();
      const theirs = await http().get('/api/v1/sites/www.sjz.gov.cn').set(bearer(tokens.admin));
      const missing = await http().get('/api/v1/sites/nosuch.sjz.gov.cn').set(bearer(tokens.admin));
      expect(theirs.status).toBe(404);
      expect(theirs.body).toMatchObject({ ok: false, error: 'not_found', message: 'No such site, or you may not see it.' });
      expect(theirs.body.message).not.toContain('石家庄市人民政府');
      expect(theirs.body.requestId).toBe(theirs.headers['x-request-id']);
      const { requestId: _a, ...a } = theirs.body;
      const { requestId: _b, ...b } = missing.body;
      expect([missing.status, JSON.stringify(b)]).toEqual([theirs.status, JSON.stringify(a)]);
    });

    it('answers in the language the client asks for with ?lng, over the user’s own', async () => {
      const { http } = makeApp();
      const res = await http().get('/api/v1/sites/www.sjz.gov.cn?lng=zh-CN').set(bearer(tokens.admin));
      expect(res.status).toBe(404);
      expect(res.body.message).toBe('未找到该网站，或您无权查看。');
    });

    it('answers 404 not_found for a site nobody registered', async () => {
      const { http } = makeApp();
      const res = await http().get('/api/v1/sites/nosuch.sjz.gov.cn').set(bearer(tokens.supervisor));
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('not_found');
      expect(res.body.message).toBe('未找到该网站，或您无权查看。');
    });

    it('tells the caller who they are at /api/v1/me', async () => {
      const { http } = makeApp();
      const res = await http().get('/api/v1/me').set(bearer(tokens.admin));
      expect(res.status).toBe(200);
      expect(res.body.data.me).toEqual({
        userid: 'li.lei',
        name: 'Li Lei',
        locale: 'en',
        provinceAdmin: false,
        siteAdminOf: [{ id: jyjSiteId, name: '石家庄市教育局' }],
        supervisorOf: [],
      });
    });

    it('lists the commands with their HTTP binding at /api/v1/commands, even for a user with no roles', async () => {
      const { http } = makeApp();
      const res = await http().get('/api/v1/commands').set(bearer(tokens.nobody));
      expect(res.status).toBe(200);
      const ids = res.body.data.commands.map((c: { id: string }) => c.id);
      expect(ids).toEqual(expect.arrayContaining(['help', 'me.show', 'site.mine', 'site.show']));
      expect(res.body.data.commands.find((c: { id: string }) => c.id === 'site.show').http).toBe('GET /api/v1/sites/:ref');
      expect(res.body.data.commands.find((c: { id: string }) => c.id === 'help').word).toBe('帮助');
    });
  });

  describe('malformed requests', () => {
    it('answers 404 route_not_found for an unknown route, signed in or not', async () => {
      const { http } = makeApp();
      for (const req of [http().get('/api/v1/nothing-here'), http().get('/api/v1/nothing-here').set(bearer(tokens.admin)), http().delete('/api/v1/sites')]) {
        const res = await req.set('Accept-Language', 'en');
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ ok: false, error: 'route_not_found' });
        expect(res.body.message).toMatch(/^No such endpoint: \/api\/v1\//);
      }
    });

    it('answers 413 payload_too_large, naming the limit, for a body over the limit', async () => {
      const { http } = makeApp({ config: { bodyLimit: '1kb', defaultLocale: 'en' } });
      const res = await http()
        .post('/api/v1/me')
        .set(bearer(tokens.admin))
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ note: 'x'.repeat(4096) }));
      expect(res.status).toBe(413);
      expect(res.body.error).toBe('payload_too_large');
      expect(res.body.message).toContain('1kb');
    });

    it('answers 400 bad_json for a body that is not JSON', async () => {
      const { http } = makeApp();
      const res = await http().post('/api/v1/me').set(bearer(tokens.admin)).set('Content-Type', 'application/json').send('{"ref": ');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ ok: false, error: 'bad_json' });
      expect(res.body.message).toBe('请求内容不是合法的 JSON。');
    });

    it('answers 415 unsupported_media_type for a form body', async () => {
      const { http } = makeApp();
      const res = await http().post('/api/v1/me').set(bearer(tokens.admin)).type('form').send('ref=www.sjz.gov.cn');
      expect(res.status).toBe(415);
      expect(res.body.error).toBe('unsupported_media_type');
    });
  });

  describe('request ids', () => {
    it('echoes the caller’s X-Request-Id', async () => {
      const { http } = makeApp();
      const res = await http().get('/api/v1/me').set(bearer(tokens.admin)).set('X-Request-Id', 'gw-42.abc');
      expect(res.headers['x-request-id']).toBe('gw-42.abc');
    });

    it('generates one when absent or malformed, and puts it in the error body', async () => {
      const { http } = makeApp();
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
      const none = await http().get('/api/v1/me');
      const bad = await http().get('/api/v1/me').set('X-Request-Id', 'has spaces and\u00e9 "quotes"');
      for (const res of [none, bad]) {
        expect(res.headers['x-request-id']).toMatch(uuid);
        expect(res.body.requestId).toBe(res.headers['x-request-id']);
      }
      expect(none.headers['x-request-id']).not.toBe(bad.headers['x-request-id']);
    });

    it('writes one access-log line per request, without the token', async () => {
      const { http, lines } = makeApp();
      const res = await http().get('/api/v1/sites/jyj.sjz.gov.cn').set(bearer(tokens.admin)).set('X-Request-Id', 'log-check-1');
      expect(res.status).toBe(200);
      const access = lines.filter((l) => l.msg === 'request');
      expect(access).toHaveLength(1);
      expect(access[0]).toMatchObject({ level: 30, method: 'GET', path: '/api/v1/sites/jyj.sjz.gov.cn', status: 200, requestId: 'log-check-1', userid: 'li.lei' });
      expect(typeof access[0]!.ms).toBe('number');
      expect(JSON.stringify(lines)).not.toContain(tokens.admin);
    });
  });

  describe('OpenAPI', () => {
    it('describes every command route, its path params and the bearer scheme', async () => {
      const { http } = makeApp();
      const res = await http().get('/api/v1/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      const doc = res.body;
      expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
      expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
      const show = doc.paths['/api/v1/sites/{ref}'].get;
      expect(show.operationId).toBe('site.show');
      expect(show.security).toEqual([{ bearerAuth: [] }]);
      expect(show.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'ref', in: 'path', required: true })]));
      const ok = show.responses['200'].content['application/json'].schema;
      expect(ok.properties.ok).toBeDefined();
      expect(ok.properties.data.properties.site).toBeDefined();
      for (const status of ['400', '401', '403', '404', '422', '500']) {
        expect(show.responses[status].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ApiError' });
      }
      expect(doc.components.schemas.ApiError.required).toEqual(expect.arrayContaining(['ok', 'error', 'message', 'requestId']));
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/sites', '/api/v1/me', '/api/v1/commands', '/healthz', '/readyz']));
    });
  });

  describe('probes and metrics', () => {
    it('answers /healthz with 200 always', async () => {
      const { http } = makeApp({ readiness: async () => false });
      const res = await http().get('/healthz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true });
    });

    it('answers /readyz with 200 while the database answers', async () => {
      // The app's default is pingDatabase() itself; its 2 s timeout timer is never cleared (store/connection.ts),
      // which would hold this jest worker open past the end of the file, so the test uses a shorter deadline.
      const { http } = makeApp({ readiness: () => pingDatabase(500) });
      const res = await http().get('/readyz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true, database: 'up' });
    });

    it('answers /readyz with 503 when the database does not (or the check fails)', async () => {
      for (const readiness of [async () => false, async () => Promise.reject(new Error('boom'))]) {
        const { http } = makeApp({ readiness });
        const res = await http().get('/readyz');
        expect(res.status).toBe(503);
        expect(res.body).toEqual({ ok: false, database: 'down' });
      }
    });

    it('counts requests by route template at /metrics, each app on its own', async () => {
      const { http } = makeApp();
      const other = makeApp();
      await http().get('/api/v1/sites/www.sjz.gov.cn').set(bearer(tokens.admin));
      await http().get('/no/such/path');
      const res = await http().get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      // Another's site answers 404 like a missing one; still counted under its route template, not as unmatched.
      expect(res.text).toContain('http_requests_total{method="GET",route="/api/v1/sites/:ref",status="404"} 1');
      expect(res.text).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
      expect(res.text).toContain('http_request_duration_seconds_bucket');
      expect(res.text).toContain('process_cpu_user_seconds_total');
      expect(res.text).not.toContain('www.sjz.gov.cn');
      const fresh = await other.http().get('/metrics');
      expect(fresh.text).not.toContain('route="/api/v1/sites/:ref"');
    });
  });

  describe('unexpected failures', () => {
    it('answers 500 internal_error without leaking the cause, and logs it', async () => {
      const real = createDeps();
      const broken: Deps = { ...real, sites: { ...real.sites, find: async () => Promise.reject(new Error('secret connection detail')) } };
      const { http, lines } = makeApp({ deps: broken });
      const res = await http().get('/api/v1/sites').set(bearer(tokens.admin)).set('X-Request-Id', 'boom-1');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ ok: false, error: 'internal_error', message: expect.stringContaining('boom-1'), requestId: 'boom-1' });
      expect(JSON.stringify(res.body)).not.toContain('secret');
      expect(res.body.message).toMatch(/Something went wrong/);
      const logged = lines.find((l) => l.level === 50);
      expect(logged).toMatchObject({ requestId: 'boom-1', err: expect.objectContaining({ message: 'secret connection detail' }) });
    });
  });
});
