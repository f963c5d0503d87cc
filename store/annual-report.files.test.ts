import ExcelJS from 'exceljs';
import Koa from 'koa';
import { Router } from '@koa/router';
import request from 'supertest';
import { extractText, getDocumentProxy } from 'unpdf';
import { createChatEngine } from '../bot/chat-engine';
import { replyText } from '../bot/reply';
import { createLogger } from '../lib/logger';
import { errorHandler } from '../api/middlewares/error';
import { mountFileRoutes } from '../api/routes/files.routes';
import type { ApiState } from '../api/state';
import { createDeps } from '../lib/services';
import { seedDemoIfEmpty } from './demo/seed-demo';
import { buildAnnualReportFiles } from './annual-report.files';
import { annualReportSummary } from '../bot/render/annual-report.render';
import { loadAnnualReportDraft } from '../core/annual-report/annual-report.service';
import { publishNotice } from '../core/notices/notice.service';
import type { NoticeAudience } from '../core/notices/notice.types';
import { presentAnnualReport } from '../core/presenters/annual-report.presenter';
import { translatorFor } from '../lib/i18n';
import { noticeRepo } from './notice.repo';
import { UserModel } from './user.model';
import { ComplaintModel } from './complaint.model';
import { RequestModel } from './request.model';
import { SiteCheckModel } from './campaign.model';
import { useTestDatabase } from '../test/db';

useTestDatabase();

/** 2027-01-10 10:00 China time: the 2026 annual report is being written (public by 2027-01-31, art. 36). */
const now = new Date('2027-01-10T02:00:00Z');
const deps = createDeps({ now: () => now });
const engine = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
const say = async (userid: string, line: string) => replyText(await engine.handle({ userid, text: line, source: 'shell' }));

let siteId = '';
/** 石家庄市教育局网站: another site, sharing one admin with 正定县教育局网站. */
let sjzSiteId = '';

/**
 * A supervisor's notice sent at a China-local time through the real publication (so its audience is
 * resolved as in production), then acknowledged by each of `acks` at its China-local time.
 */
async function sendNotice(at: string, people: NoticeAudience['people'], scope: { unitCode?: string | null; units?: string[] }, acks: [userid: string, at: string][], requiresAck = true) {
  const sent = new Date(`${at}+08:00`);
  const n = await noticeRepo.create({
    kind: 'notice',
    title: `通知 ${at}`,
    body: '请各网站按要求落实。',
    bodies: {},
    requiresAck,
    audience: { people, units: scope.units ?? [], groups: false },
    unitCode: scope.unitCode ?? null,
    unitName: '正定县人民政府办公室',
    by: { userid: 'demo.county', name: '王芳' },
    status: 'publishing',
    createdAt: sent,
    publishedAt: null,
    recipients: 0,
    groups: 0,
  });
  await publishNotice(deps, n, sent);
  for (const [userid, when] of acks) expect(await noticeRepo.ack(n.id, { userid, name: userid }, new Date(`${when}+08:00`))).toBe(true);
}

/** An error report received at a China-local time, answered (on time or not) or not at all. */
function report(n: number, at: string, answered: 'on_time' | 'late' | 'no', site = siteId) {
  const receivedAt = new Date(`${at}+08:00`);
  const answeredAt = answered === 'no' ? null : new Date(receivedAt.getTime() + 2 * 86_400_000);
  return {
    platformId: `P-${n}`,
    siteRef: 'jyj.zhengding.gov.cn',
    siteId: site,
    siteName: '正定县教育局网站',
    hostUnit: '130123-jyj',
    supervisingUnit: '130123',
    scopeUnits: ['130000', '130100', '130123', '130123-jyj'],
    errorType: '内容错误',
    description: '错别字',
    receivedAt,
    state: answered === 'no' ? 'transferred' : 'answered',
    version: 1,
    transferredAt: receivedAt,
    transferOnTime: true,
    answeredAt,
    answerOnTime: answered === 'no' ? null : answered === 'on_time',
    handlingDays: answered === 'no' ? null : 2,
    publishedAt: null,
    dueAt: null,
  };
}

function requestDoc(id: string, type: string, status: string, payload: Record<string, unknown>) {
  return {
    _id: id,
    type,
    status,
    site: { id: siteId, name: '正定县教育局网站', kind: 'department', domain: 'jyj.zhengding.gov.cn', noticePortal: null },
    requester: { userid: 'demo.siteadmin', name: '李静' },
    year: 2026,
    scopeUnits: [],
    payload,
    version: 3,
    createdAt: new Date('2026-02-01T00:00:00Z'),
    updatedAt: new Date('2026-03-11T00:00:00Z'),
  };
}

beforeAll(async () => {
  await seedDemoIfEmpty();
  siteId = (await deps.sites.findByRef('jyj.zhengding.gov.cn'))!.id;
  await ComplaintModel.collection.insertMany([
    report(1, '2026-01-05T10:00:00', 'on_time'),
    report(2, '2026-01-20T10:00:00', 'on_time'),
    report(3, '2026-01-31T23:30:00', 'late'),
    report(4, '2026-03-02T09:00:00', 'on_time'),
    report(5, '2026-03-03T09:00:00', 'on_time'),
    report(6, '2026-07-15T09:00:00', 'no'),
    report(7, '2026-12-31T23:00:00', 'on_time'),
    // Not 2026 (China time), not this site.
    report(8, '2027-01-01T00:30:00', 'on_time'),
    report(9, '2026-05-05T09:00:00', 'on_time', 'another-site'),
  ]);
  await RequestModel.collection.insertMany([
    requestDoc('R2026-0001', 'temp_offline', 'completed', { start: '2026-03-01', end: '2026-03-10', reason: '机房搬迁' }),
    requestDoc('R2026-0002', 'temp_offline', 'withdrawn', { start: '2026-09-01', end: '2026-09-03', reason: '改版' }),
    requestDoc('R2026-0003', 'change_record', 'acknowledged', { changes: { contacts: '新联系人' } }),
  ] as never[]);
  const finding = (no: number, rectified: boolean) => ({ no, category: 'deduction' as const, text: '栏目未更新', by: { userid: 'demo.county', name: '王芳' }, at: new Date('2026-07-05T02:00:00Z'), acknowledgedAt: new Date('2026-07-06T02:00:00Z'), acknowledgedBy: { userid: 'demo.siteadmin', name: '李静' }, rectifiedAt: rectified ? new Date('2026-07-08T02:00:00Z') : null, rectifiedBy: rectified ? { userid: 'demo.siteadmin', name: '李静' } : null, rectificationNote: rectified ? '已更新' : null });
  await SiteCheckModel.create({ _id: `130123:2026-Q2:${siteId}`, campaignId: '130123:2026-Q2', unitCode: '130123', period: '2026-Q2', dueDate: '2026-08-31', site: { id: siteId, name: '正定县教育局网站', ref: '1301230002', hostUnit: '130123-jyj', supervisingUnit: '130123' }, scopeUnits: [], status: 'checked', findings: [finding(1, true), finding(2, false)], version: 3, updatedAt: now });
  // Notices (通知/通报). 正定县教育局网站 has two admins: demo.siteadmin and test.twosites, who also
  // administers 石家庄市教育局网站 (with demo.siteadmin.sjz).
  sjzSiteId = (await deps.sites.findByRef('1301000002'))!.id;
  await UserModel.create({ userid: 'test.twosites', name: '周敏', locale: 'zh-CN', roles: [{ role: 'site_admin', siteId }, { role: 'site_admin', siteId: sjzSiteId }], active: true });
  // Mon 03-02 to the county's site admins: acknowledged the next working day (on time); the second, later ack does not matter.
  await sendNotice('2026-03-02T10:00:00', 'admins', { unitCode: '130123' }, [['demo.siteadmin', '2026-03-03T15:00:00'], ['test.twosites', '2026-03-20T09:00:00']]);
  // Fri 06-05 to the education bureau itself: acknowledged Wed 06-10, after Mon 06-08 (late).
  await sendNotice('2026-06-05T10:00:00', 'units', { units: ['130123-jyj'] }, [['test.twosites', '2026-06-10T09:00:00']]);
  // Thu 09-10 province-wide: 正定 never acknowledges; 石家庄 does the next day.
  await sendNotice('2026-09-10T10:00:00', 'admins', { unitCode: null }, [['demo.siteadmin.sjz', '2026-09-11T11:00:00']]);
  // To 石家庄市教育局 only: reaches test.twosites, yet is not 正定's notice.
  await sendNotice('2026-04-01T10:00:00', 'units', { units: ['130100-jyj'] }, [['test.twosites', '2026-04-01T16:00:00']]);
  // Outside 2026 (China time), or asking for no acknowledgement: not counted.
  await sendNotice('2025-12-31T23:30:00', 'admins', { unitCode: '130123' }, [['demo.siteadmin', '2026-01-04T09:00:00']]);
  await sendNotice('2027-01-05T10:00:00', 'admins', { unitCode: '130123' }, [['demo.siteadmin', '2027-01-05T11:00:00']]);
  await sendNotice('2026-05-06T10:00:00', 'admins', { unitCode: '130123' }, [], false);
});

describe('#annual-report from chat', () => {
  it('takes the figures only the site admin knows as key=value, and checks them', async () => {
    expect(await say('demo.siteadmin', '年报填报 jyj.zhengding.gov.cn year=2026 visits=-5')).toContain('填报数须是非负整数');
    expect(await say('demo.county', '年报填报 jyj.zhengding.gov.cn year=2026 visits=5')).toMatch(/⚠️/);
    expect(await say('demo.siteadmin', '年报填报 jyj.zhengding.gov.cn year=2026')).toContain('没有可保存的数据');
    const saved = await say('demo.siteadmin', '年报填报 jyj.zhengding.gov.cn year=2026 itemsPublished=1234 visits=567890 services=45 serviceVolume=6789');
    expect(saved).toContain('已保存：itemsPublished, visits, services, serviceVolume。');
    // A second entry merges into the first.
    expect(await say('demo.siteadmin', '年报填报 jyj.zhengding.gov.cn year=2026 interviews=3 surveys=2 specialTopics=4')).toContain('已填报：itemsPublished=1234 visits=567890 services=45 serviceVolume=6789 interviews=3 surveys=2 specialTopics=4');
  });

  it('answers with a short summary and where to download the files', async () => {
    const reply = await say('demo.county', '年报草稿 jyj.zhengding.gov.cn');
    expect(reply).toContain('正定县教育局网站 2026 年度报表（草稿）');
    expect(reply).toContain('收到 7 件，已答复 6 件，按时答复 5 件，按时率 83.3%');
    expect(reply).toContain('变更备案 1 件，临时下线 1 次，紧急关停 0 次，下线共 10 天');
    expect(reply).toContain('季度检查：1 次，发现问题 2 个，已整改 1 个');
    expect(reply).toContain('通知通报：需确认 3 件，已确认 2 件（66.7%），按时确认 1 件（33.3%）');
    expect(reply).toContain('/api/v1/annual-reports/1301230002/2026/xlsx');
    expect(await say('demo.siteadmin.bd', '年报草稿 jyj.zhengding.gov.cn 2026')).toContain('无权');
  });
});

describe('#annual-report files', () => {
  it('writes an xlsx that reads back with the right figures', async () => {
    const { xlsx } = await buildAnnualReportFiles(deps, siteId, 2026);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const summary = wb.worksheets[0]!;
    const byKey = new Map<string, unknown>();
    summary.eachRow((row) => {
      const key = row.getCell(3).value;
      if (typeof key === 'string') byKey.set(key, row.getCell(2).value);
    });
    expect(byKey.get('site_name')).toBe('正定县教育局网站');
    expect(byKey.get('complaints_received')).toBe(7);
    expect(byKey.get('complaints_answered')).toBe(6);
    expect(byKey.get('complaints_answered_on_time')).toBe(5);
    expect(byKey.get('complaints_on_time_rate')).toBe('83.3%');
    expect(byKey.get('offline_days')).toBe(10);
    expect(byKey.get('visits')).toBe(567890);
    expect(byKey.get('itemsPublished')).toBe(1234);
    expect(byKey.get('findings')).toBe(2);
    expect(byKey.get('notices_received')).toBe(3);
    expect(byKey.get('notices_acknowledged')).toBe(2);
    expect(byKey.get('notices_ack_rate')).toBe('66.7%');
    expect(byKey.get('notices_acknowledged_on_time')).toBe(1);
    expect(byKey.get('notices_on_time_rate')).toBe('33.3%');
    const labelOf = new Map<string, unknown>();
    summary.eachRow((row) => labelOf.set(String(row.getCell(3).value), row.getCell(1).value));
    expect(labelOf.get('notices_received')).toBe('收到需确认的通知、通报（件）');
    const monthly = wb.worksheets[1]!;
    expect(monthly.getRow(2).values).toEqual([undefined, 1, 3, 3, 2, '66.7%']);
    expect(monthly.getRow(4).values).toEqual([undefined, 3, 2, 2, 2, '100.0%']);
    expect(monthly.getRow(8).values).toEqual([undefined, 7, 1, 0, 0, '—']);
    expect(monthly.getRow(13).values).toEqual([undefined, 12, 1, 1, 1, '100.0%']);
    expect(wb.worksheets[2]!.getRow(2).values).toEqual([undefined, 'R2026-0001', '临时下线', '2026-03-01', '2026-03-10', 10]);
  });

  it('writes a small PDF whose text holds the site name, the figures and the chart of the year', async () => {
    const { pdf } = await buildAnnualReportFiles(deps, siteId, 2026);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(200_000);
    const doc = await getDocumentProxy(new Uint8Array(pdf));
    expect(doc.numPages).toBe(2);
    const { text } = await extractText(doc, { mergePages: false });
    const [page1, page2] = text as string[];
    expect(page1).toContain('正定县教育局网站 2026 年度工作报表');
    expect(page1).toContain('567890');
    expect(page1).toContain('83.3%');
    expect(page1).toContain('1234');
    expect(page1).toContain('上级通知、通报确认');
    expect(page1).toMatch(/收到需确认的通知、通报（件）\s*3/);
    expect(page1).toMatch(/按时确认（件，发出后次一个工作日内）\s*1/);
    expect(page1).toMatch(/按时确认率\s*33\.3%/);
    expect(page2).toContain('正定县教育局网站 2026 年网民纠错月度情况');
    expect(page2).toContain('66.7%');
  });

  it('speaks the reader\'s language', async () => {
    const { pdf } = await buildAnnualReportFiles(deps, siteId, 2026, 'en');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
    expect(text).toContain('Total visits');
    expect(text).toMatch(/Notices requiring acknowledgement received\s*3/);
    expect(text).toMatch(/On-time acknowledgement rate\s*33\.3%/);
    expect(text).toContain('正定县教育局网站');
  });
});

describe('#annual-report notices acknowledged', () => {
  it('counts for each site only the notices addressed to it, acknowledged by any of its admins', async () => {
    const sjz = presentAnnualReport(await loadAnnualReportDraft(deps, (await deps.sites.getById(sjzSiteId))!, 2026));
    expect(sjz.notices).toEqual({ received: 2, acknowledged: 2, acknowledgedOnTime: 2, ackRate: 1, onTimeRate: 1 });
    expect(annualReportSummary(sjz, translatorFor('en'))).toContain('Notices: 2 requiring acknowledgement, 2 acknowledged (100.0%), 2 on time (100.0%)');
    const zd = presentAnnualReport(await loadAnnualReportDraft(deps, (await deps.sites.getById(siteId))!, 2026));
    expect(zd.notices).toEqual({ received: 3, acknowledged: 2, acknowledgedOnTime: 1, ackRate: 0.6667, onTimeRate: 0.3333 });
    // 2025 holds the notice of 2025-12-31 23:30, acknowledged on the next working day (2026-01-04).
    expect(presentAnnualReport(await loadAnnualReportDraft(deps, (await deps.sites.getById(siteId))!, 2025)).notices).toMatchObject({ received: 1, acknowledged: 1, acknowledgedOnTime: 1 });
  });
});

describe('#annual-report file route', () => {
  const app = new Koa<ApiState>();
  const router = new Router<ApiState>({ prefix: '/api/v1' });
  app.use(async (ctx, next) => {
    ctx.state.requestId = 'test';
    ctx.state.lng = 'zh-CN';
    await next();
  });
  app.use(errorHandler(createLogger('silent'), 'zh-CN'));
  const asUser: (userid: string) => Koa.Middleware<ApiState> = (userid) => async (ctx, next) => {
    ctx.state.user = await deps.users.byUserid(userid);
    await next();
  };
  let userid = 'demo.siteadmin';
  mountFileRoutes(router, deps, (ctx, next) => asUser(userid)(ctx, next));
  app.use(router.routes());

  it('answers the files with their content types, to those who may read the site', async () => {
    const x = await request(app.callback()).get('/api/v1/annual-reports/jyj.zhengding.gov.cn/2026/xlsx').buffer(true);
    expect(x.status).toBe(200);
    expect(x.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(x.headers['content-disposition']).toContain('annual-report-1301230002-2026.xlsx');
    const p = await request(app.callback()).get('/api/v1/annual-reports/1301230002/2026/pdf').buffer(true);
    expect(p.status).toBe(200);
    expect(p.headers['content-type']).toBe('application/pdf');
    // Another city's site admin: the site reads exactly as one that does not exist.
    userid = 'demo.siteadmin.bd';
    const theirs = await request(app.callback()).get('/api/v1/annual-reports/1301230002/2026/pdf');
    expect(theirs.status).toBe(404);
    expect(theirs.body).toMatchObject({ error: 'not_found' });
    const missing = await request(app.callback()).get('/api/v1/annual-reports/1309999999/2026/pdf');
    expect([missing.status, missing.body.error, missing.body.message]).toEqual([theirs.status, theirs.body.error, theirs.body.message]);
    userid = 'demo.siteadmin';
    expect((await request(app.callback()).get('/api/v1/annual-reports/1301230002/2026/docx')).status).toBe(404);
  });
});
