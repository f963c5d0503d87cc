import request from 'supertest';
import { createLogger } from '../lib/logger';
import { seedDemoIfEmpty } from '../store/demo/seed-demo';
import { createDeps, apiPortsOf, createServices } from '../lib/services';
import { UserModel } from '../store/user.model';
import { useTestDatabase } from '../test/db';
import { createApp } from './app';
import { issueApiToken } from '../store/api-token.repo';

useTestDatabase();

const now = new Date('2027-04-01T02:00:00Z');
const deps = createDeps({ now: () => now });
const app = createApp({ deps, ...apiPortsOf(createServices()), logger: createLogger('silent'), config: { bodyLimit: '1mb', defaultLocale: 'zh-CN' } });
const http = () => request(app.callback());

const tokens = new Map<string, string>();
const as = (userid: string) => ({ Authorization: `Bearer ${tokens.get(userid)}` });
const get = (userid: string, path: string) => http().get(`/api/v1${path}`).set(as(userid));
const post = (userid: string, path: string, body: object = {}) => http().post(`/api/v1${path}`).set(as(userid)).send(body);
const put = (userid: string, path: string, body: object = {}) => http().put(`/api/v1${path}`).set(as(userid)).send(body);

type Answer = Awaited<ReturnType<typeof get>>;
/** Status and body as bytes, without the request id (which differs between any two requests). */
const seen = (res: Answer) => {
  const { requestId: _id, ...body } = res.body as Record<string, unknown>;
  return { status: res.status, body: JSON.stringify(body) };
};

/**
 * Someone else's object and a missing one answer byte for byte alike: 404 `not_found`, the same text, and
 * nothing of the object (its id, its name) in the answer.
 */
async function expectAlike(theirs: Answer, missing: Answer, secrets: string[] = []): Promise<void> {
  expect(theirs.status).toBe(404);
  expect(theirs.body).toMatchObject({ ok: false, error: 'not_found' });
  expect(seen(missing)).toEqual(seen(theirs));
  for (const s of secrets) expect(theirs.text).not.toContain(s);
}

let requestId = '';
let noticeId = '';
const SITE = 'jyj.zhengding.gov.cn';
const SITE_NAME = '正定县教育局网站';
const NOSUCH = 'nosuch.zhengding.gov.cn';

beforeAll(async () => {
  await seedDemoIfEmpty();
  const swt = await deps.sites.findByRef('1300000006');
  // A site admin of one site who also supervises 正定: sees 正定's sites, administers none of them.
  await UserModel.create({
    userid: 'test.mixed',
    name: '混合角色',
    locale: 'zh-CN',
    active: true,
    roles: [
      { role: 'site_admin', siteId: swt!.id },
      { role: 'supervisor', unitCode: '130123' },
    ],
  });
  for (const userid of ['demo.siteadmin', 'demo.siteadmin.sjz', 'demo.siteadmin.bd', 'demo.county', 'demo.county.zz', 'demo.city', 'demo.city.bd', 'demo.province', 'test.mixed']) {
    tokens.set(userid, await issueApiToken(userid, 'test'));
  }
  const filed = await post('demo.siteadmin', '/requests/temp-offline', { site: SITE, start: '2027-07-01', end: '2027-07-05', reason: '系统升级' });
  expect(filed.body).toMatchObject({ ok: true });
  requestId = filed.body.data.request.id;
  const notice = await post('demo.county', '/notices', { title: '关于开展网站自查的通知', body: '请于本周内完成自查。', ack: true });
  expect(notice.body).toMatchObject({ ok: true });
  noticeId = notice.body.data.notice.id;
});

describe('#not found or not yours', () => {
  describe('requests', () => {
    it('answers someone else’s request exactly as a missing id, to read or to act on', async () => {
      await expectAlike(await get('demo.siteadmin.sjz', `/requests/${requestId}`), await get('demo.siteadmin.sjz', '/requests/R2027-9999'), [requestId, SITE_NAME]);
      await expectAlike(await post('demo.siteadmin.sjz', `/requests/${requestId}/withdraw`), await post('demo.siteadmin.sjz', '/requests/R2027-9999/withdraw'), [requestId]);
      await expectAlike(await post('demo.city.bd', `/requests/${requestId}/approve`), await post('demo.city.bd', '/requests/R2027-9999/approve'), [requestId]);
    });

    it('still says why to one who sees the request but may not do this', async () => {
      const res = await post('demo.county', `/requests/${requestId}/withdraw`);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: 'request_requester_only' });
    });

    it('refuses a 转办 to someone of another unit exactly as to nobody, naming no one', async () => {
      const other = await post('demo.county', `/requests/${requestId}/handoff`, { to: 'demo.city' });
      const nobody = await post('demo.county', `/requests/${requestId}/handoff`, { to: 'nobody.here' });
      expect(other.status).toBe(422);
      expect(other.body.error).toBe('handoff_target_invalid');
      expect(seen(nobody)).toEqual(seen(other));
      expect(other.text).not.toMatch(/张伟|demo\.city/);
    });
  });

  describe('notices', () => {
    it('answers a notice neither sent to nor followed by the actor exactly as a missing id', async () => {
      await expectAlike(await get('demo.county.zz', `/notices/${noticeId}`), await get('demo.county.zz', '/notices/N000000'), [noticeId]);
      await expectAlike(await post('demo.siteadmin.sjz', `/notices/${noticeId}/ack`), await post('demo.siteadmin.sjz', '/notices/N000000/ack'), [noticeId]);
    });

    it('still says why to one who follows the notice but was not sent it', async () => {
      const res = await post('demo.city', `/notices/${noticeId}/ack`);
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('notice_not_recipient');
    });
  });

  describe('sites', () => {
    it('answers another’s site exactly as an unregistered one, without its name', async () => {
      await expectAlike(await get('demo.siteadmin.sjz', `/sites/${SITE}`), await get('demo.siteadmin.sjz', `/sites/${NOSUCH}`), [SITE_NAME]);
      await expectAlike(await get('demo.siteadmin.sjz', `/annual-reports/${SITE}/2026`), await get('demo.siteadmin.sjz', `/annual-reports/${NOSUCH}/2026`), [SITE_NAME]);
      await expectAlike(
        await post('demo.siteadmin.sjz', '/obligations/ack', { obligation: 'security', subject: SITE }),
        await post('demo.siteadmin.sjz', '/obligations/ack', { obligation: 'security', subject: NOSUCH }),
        [SITE_NAME],
      );
      await expectAlike(
        await post('demo.siteadmin.sjz', '/requests/temp-offline', { site: SITE, start: '2027-08-01', end: '2027-08-02', reason: 'x' }),
        await post('demo.siteadmin.sjz', '/requests/temp-offline', { site: NOSUCH, start: '2027-08-01', end: '2027-08-02', reason: 'x' }),
        [SITE_NAME],
      );
    });

    it('still says why, naming the site, to one who sees it but may not do this', async () => {
      const res = await put('test.mixed', `/annual-reports/${SITE}/2026/figures`, { visits: 1 });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: 'site_admin_only', message: `只有“${SITE_NAME}”的网站管理员可以这样做。` });
    });
  });

  describe('quarterly checks', () => {
    beforeAll(async () => {
      const opened = await post('demo.city', '/campaigns', { unit: '130100' });
      expect(opened.body).toMatchObject({ ok: true });
      const finding = await post('demo.city', `/campaigns/checks/${SITE}/findings`, { category: 'other', text: '栏目长期未更新' });
      expect(finding.body).toMatchObject({ ok: true });
    });

    it('answers a check of another’s site exactly as one of a missing site, to read, enter or answer', async () => {
      await expectAlike(await get('demo.siteadmin.bd', `/campaigns/checks/${SITE}`), await get('demo.siteadmin.bd', `/campaigns/checks/${NOSUCH}`), [SITE_NAME]);
      await expectAlike(
        await post('demo.city.bd', `/campaigns/checks/${SITE}/findings`, { category: 'other', text: 'x' }),
        await post('demo.city.bd', `/campaigns/checks/${NOSUCH}/findings`, { category: 'other', text: 'x' }),
        [SITE_NAME],
      );
      await expectAlike(await post('demo.siteadmin.sjz', `/campaigns/checks/${SITE}/findings/1/ack`), await post('demo.siteadmin.sjz', `/campaigns/checks/${NOSUCH}/findings/1/ack`), [SITE_NAME]);
    });

    it('still says why to one who sees the site’s check but does not administer the site', async () => {
      const res = await post('test.mixed', `/campaigns/checks/${SITE}/findings/1/ack`);
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('site_admin_only');
    });
  });

  describe('error reports', () => {
    beforeAll(async () => {
      const intake = await post('demo.province', '/complaints', { platformId: 'UNI-001', site: SITE, errorType: '错别字', description: '首页有错别字', receivedAt: '2027-03-31 10:00' });
      expect(intake.body.data).toMatchObject({ created: 1 });
    });

    it('answers another’s error report exactly as a missing one, to read or to act on', async () => {
      await expectAlike(await get('demo.siteadmin.sjz', '/complaints/UNI-001'), await get('demo.siteadmin.sjz', '/complaints/UNI-404'), [SITE_NAME]);
      await expectAlike(await post('demo.county.zz', '/complaints/UNI-001/transfer'), await post('demo.county.zz', '/complaints/UNI-404/transfer'), [SITE_NAME]);
    });
  });

  it('says so in the reader’s language, naming only the kind of thing', async () => {
    const res = await get('demo.siteadmin.sjz', `/requests/${requestId}`);
    expect(res.body.message).toBe('未找到该申请，或您无权查看。');
    const en = await http().get(`/api/v1/notices/${noticeId}?lng=en`).set(as('demo.county.zz'));
    expect(en.body.message).toBe('No such notice, or you may not see it.');
  });
});
