import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app';
import { createChatEngine } from '../../bot/chat-engine';
import { replyText } from '../../bot/reply';
import { MAX_OFFLINE_DAYS } from '../../core/requests/temp-offline.machine';
import { createLogger } from '../../lib/logger';
import { translatorFor } from '../../lib/i18n';
import { MP_MAX_OFFLINE_DAYS } from '../../miniprogram/utils/rules';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { createDeps, apiPortsOf, createServices } from '../../lib/services';
import { NotificationModel } from '../../store/notification.model';
import { dispatchPendingEffects } from '../../store/request-effects';
import { RequestModel } from '../../store/request.model';
import { useTestDatabase } from '../db';
import { fakeMiniprogramConfig, startFakeWechat, type FakeWechat } from '../fake-wechat/fake-wechat';
import { buildOnce, warmUp, confirmDialog, fakeWx, installDom, openPage, pick, simulator, tap, textOf, type, waitFor, type Page, type Simulate } from './harness';

useTestDatabase();
installDom();

const now = new Date('2027-04-01T02:00:00Z');
const deps = createDeps({ now: () => now });
const logger = createLogger('silent');
let fake: FakeWechat;
let server: http.Server;
let base = '';
let outDir = '';
let who = 'demo.province';
const wx = fakeWx({ environment: 'wxwork', loginCode: () => fake.wecomCode(who) });
let simulate: Simulate;

beforeAll(async () => {
  await seedDemoIfEmpty();
  fake = await startFakeWechat();
  const app = createApp({
    deps,
    ...apiPortsOf(createServices()),
    logger,
    config: { bodyLimit: '1mb', defaultLocale: 'zh-CN' },
    miniprogram: fakeMiniprogramConfig(fake),
  });
  server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  outDir = buildOnce(base);
  simulate = simulator(wx.api);
  warmUp(simulate, outDir);
}, 180_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await fake.close();
});

/** Signs `userid` in on the login page, through wx.qy.login and the fake WeCom peer. */
async function signIn(userid: string): Promise<Page> {
  who = userid;
  wx.storage.clear();
  wx.navigations.length = 0;
  const login = openPage(simulate, outDir, 'login');
  login.instance.onLoad();
  tap(login, '#sign-in');
  await waitFor(() => wx.navigations.includes('/pages/inbox/index'), `${userid} signed in`);
  return login;
}

const mp_toasts = () => wx.shown.toasts;
/** Picks a site in the form's site picker, by domain (the picker lists the user's own sites). */
async function pickSite(form: Page, domain: string) {
  pick(form, '#site', (form.instance.data.sites as { ref: string }[]).findIndex((s) => s.ref === domain));
  await waitFor(() => form.instance.data.site === domain, `${domain} picked`);
}

describe('#miniprogram approvals', () => {
  it('a province approver signs in, sees the request a site admin filed in chat, approves it with a comment; the requester is notified', async () => {
    const chat = createChatEngine({ deps, logger, defaultLocale: 'zh-CN' });
    const say = async (userid: string, text: string) => replyText(await chat.handle({ userid, text, source: 'wecom' }));
    const filed = await say('demo.siteadmin', '临时下线 jyj.zhengding.gov.cn start=2027-06-01 end=2027-06-05 网站改版升级');
    const id = /R\d{4}-\d{4}/.exec(filed)?.[0];
    expect(id).toBeDefined();
    // The lower levels approve in chat until the request reaches the province (the root step).
    const atRoot = (doc: { steps: { root: boolean }[]; currentStep: number } | null) => Boolean(doc?.steps[doc.currentStep]?.root);
    for (const approver of ['demo.county', 'demo.city']) {
      const doc = await RequestModel.findById(id).lean();
      if (doc?.status === 'reviewing' && !atRoot(doc)) await say(approver, `同意 ${id} 同意上报`);
    }
    const reached = await RequestModel.findById(id).lean();
    expect(reached).toMatchObject({ status: 'reviewing' });
    expect(atRoot(reached)).toBe(true);

    await signIn('demo.province');
    const inbox = openPage(simulate, outDir, 'inbox');
    inbox.instance.onLoad();
    const item = await waitFor(() => inbox.querySelectorAll('.inbox-item').find((i) => i.dom.textContent?.includes(id!)), 'the request in the inbox');
    expect(item.dom.textContent).toContain('临时下线');
    expect(item.dom.textContent).toContain('李静');
    expect(item.dom.textContent).toContain('2027-06-01 至 2027-06-05');

    item.dispatchEvent('tap');
    const url = await waitFor(() => wx.navigations.find((u) => u.startsWith('/pages/request/index?id=')), 'navigation to the request');
    const page = openPage(simulate, outDir, 'request');
    page.instance.onLoad({ id: new URL(url, 'http://x').searchParams.get('id') ?? '' });
    await waitFor(() => page.querySelector('#approve'), 'the approve button');
    expect(page.querySelectorAll('.timeline-line').length).toBeGreaterThanOrEqual(3);
    type(page, '#comment', '同意，请按期恢复');
    tap(page, '#approve');
    // A decision asks first: the dialog names the request, and nothing is sent until it is confirmed.
    await waitFor(() => page.instance.data.confirm && (page.instance.data.confirm as { visible: boolean }).visible, 'the confirmation');
    expect((page.instance.data.confirm as { title: string }).title).toBe(translatorFor('zh-CN')('common:mp.confirm.approve_title', { id }));
    expect(wx.requests.some((r) => r.method === 'POST' && r.url.includes(`/requests/${id}/`))).toBe(false);
    confirmDialog(page);
    await waitFor(() => textOf(page, '.message'), 'the result');
    const zh = translatorFor('zh-CN');
    expect(textOf(page, '.message')).toBe(zh('common:mp.request.done_approve', { status: zh('bot:requests.status.scheduled') }));
    expect(textOf(page, '.status')).toBe(translatorFor('zh-CN')('bot:requests.status.scheduled'));

    // The request advanced in the database, with the decision and its comment.
    const doc = await RequestModel.findById(id).lean();
    expect(doc?.status).toBe('scheduled');
    expect(doc?.steps.at(-1)?.decision).toMatchObject({ action: 'approve', by: { userid: 'demo.province' }, comment: '同意，请按期恢复' });
    expect(doc?.audit.at(-1)).toMatchObject({ action: 'approve', source: 'api' });
    // The requester's chat notification is queued (the outbox turns effects into notifications).
    await dispatchPendingEffects(deps, now);
    const note = await NotificationModel.findOne({ userid: 'demo.siteadmin', requestId: id, message: 'approved' }).lean();
    expect(note).toMatchObject({ status: 'pending', locale: 'zh-CN' });
  });
});

describe('#miniprogram forms', () => {
  it('keeps the client rule in step with the server', () => {
    expect(MP_MAX_OFFLINE_DAYS).toBe(MAX_OFFLINE_DAYS);
  });

  it.each(['zh-CN', 'en'] as const)('a site admin files a 40-day temporary offline and sees the server refuse it (%s)', async (lng) => {
    const login = await signIn('demo.siteadmin');
    if (lng === 'en') tap(login, '#language');
    await waitFor(() => lng === 'zh-CN' || wx.storage.get('steward.lng') === 'en', 'the language switch');
    const form = openPage(simulate, outDir, 'forms/temp-offline');
    form.instance.onLoad();
    // The site is picked from the user's own sites, the dates from date pickers: nothing is typed but the reason.
    await waitFor(() => form.instance.data.site, 'the default site');
    await pickSite(form, 'jyj.zhengding.gov.cn');
    pick(form, '#start', '2028-07-01');
    pick(form, '#end', '2028-08-09');
    type(form, '#reason', lng === 'en' ? 'redesign' : '网站改版');
    const t = translatorFor(lng);
    const expected = t('errors:temp_offline_too_long', { days: 40, max: 30, article: 14 });
    // The client mirrors the rule as the dates are picked, in the same words, at the end date…
    await waitFor(() => textOf(form, '.problem'), 'the client-side warning');
    expect(textOf(form, '.problem')).toContain(expected);
    expect(textOf(form, '#end-problem')).toContain(expected);
    // …and the server, the authority, refuses it; its localized message is shown as it came, at the field.
    tap(form, '#submit');
    await waitFor(() => textOf(form, '.server-error'), 'the server refusal');
    expect(textOf(form, '.server-error')).toBe(expected);
    expect(textOf(form, '#end-server-error')).toBe(expected);
    expect(wx.requests.some((r) => r.method === 'POST' && r.url.endsWith('/api/v1/requests/temp-offline') && r.status === 422)).toBe(true);
    expect(await RequestModel.countDocuments({ year: 2028 })).toBe(0);
  });

  it('files a valid temporary offline from the form', async () => {
    await signIn('demo.siteadmin');
    const form = openPage(simulate, outDir, 'forms/temp-offline');
    form.instance.onLoad();
    await waitFor(() => form.instance.data.site, 'the default site');
    await pickSite(form, 'jyj.zhengding.gov.cn');
    pick(form, '#start', '2028-07-01');
    pick(form, '#end', '2028-07-10');
    type(form, '#reason', '网站改版');
    tap(form, '#submit');
    await waitFor(() => textOf(form, '.result') || textOf(form, '.server-error'), 'the answer');
    expect(textOf(form, '.server-error')).toBe('');
    expect(textOf(form, '.result')).toMatch(/^已提交，编号 R\d{4}-\d{4}/);
    // A result page replaces the form; the form starts empty again.
    expect(form.querySelector('.result-page')).toBeTruthy();
    expect(form.instance.data).toMatchObject({ start: '', end: '', reason: '' });
    expect(mp_toasts()).toContain(textOf(form, '.result'));
    expect(await RequestModel.countDocuments({ year: 2028, 'requester.userid': 'demo.siteadmin' })).toBe(1);
  });

  it('stops a form with a missing reason before sending it', async () => {
    await signIn('demo.siteadmin');
    const before = wx.requests.length;
    const form = openPage(simulate, outDir, 'forms/temp-offline');
    form.instance.onLoad();
    await waitFor(() => form.instance.data.site, 'the default site');
    pick(form, '#start', '2029-07-01');
    pick(form, '#end', '2029-07-02');
    tap(form, '#submit');
    await waitFor(() => textOf(form, '.problem'), 'the client-side problem');
    // At the reason field, which is marked required.
    expect(textOf(form, '#reason-problem')).toBe(translatorFor('zh-CN')('errors:reason_required', { article: 14 }));
    await simulate.sleep(50);
    expect(wx.requests.slice(before).some((r) => r.method === 'POST')).toBe(false);
  });
});
