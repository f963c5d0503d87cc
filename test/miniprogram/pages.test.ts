import { createChatEngine } from '../../bot/chat-engine';
import { replyText } from '../../bot/reply';
import { campaignRepoOf } from '../../core/campaigns/campaign.service';
import { intakeComplaints } from '../../core/complaints/complaint.intake';
import { createLogger } from '../../lib/logger';
import { translatorFor } from '../../lib/i18n';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { createDeps } from '../../lib/services';
import { useTestDatabase } from '../db';
import { confirmDialog, installDom, tap, textOf, type, useMiniprogramApi, waitFor, type Page } from './harness';

useTestDatabase();
installDom();

const china = (local: string) => new Date(`${local}:00+08:00`);
const now = china('2027-04-01T10:00');
const deps = createDeps({ now: () => now });
const mp = useMiniprogramApi(deps);
const chat = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
const say = async (userid: string, text: string) => replyText(await chat.handle({ userid, text, source: 'wecom' }));
const zh = translatorFor('zh-CN');
const SITE = 'jyj.zhengding.gov.cn';

beforeAll(async () => {
  await seedDemoIfEmpty();
});

const textIn = (page: Page, sel: string) => page.querySelectorAll(sel).map((e) => e.dom.textContent ?? '');

describe('#miniprogram checks page', () => {
  it('a supervisor enters a finding in chat; the site admin sees it with its deadline, acknowledges and rectifies it from the page', async () => {
    expect(await say('demo.county', '开启季度检查')).toMatch(/2027-Q1|2026-Q4/);
    expect(await say('demo.county', `检查问题 ${SITE} 扣分 首页“机构职能”栏目两年未更新`)).not.toMatch(/无权|不是/);
    const site = await deps.sites.findByRef(SITE);
    const [open] = await campaignRepoOf(deps).checksOfSite(site!.id, { openOnly: true });
    expect(open?.findings).toHaveLength(1);

    await mp.signIn('demo.siteadmin');
    const page = mp.open('checks');
    page.instance.onLoad();
    // A finding's buttons are keyed by the site's ref (its code) and the finding's number.
    const key = `${site!.code ?? ''}-1`;
    await waitFor(() => page.querySelector(`#ack-${key}`), 'the finding with its acknowledge button');
    const check = textIn(page, '.check').join('\n');
    expect(check).toContain('首页“机构职能”栏目两年未更新');
    expect(check).toContain(zh('bot:campaign.category.deduction'));
    expect(check).toContain(zh('common:mp.checks.due', { date: open!.dueDate }));
    expect(textOf(page, `#finding-${key} .finding-state`)).toBe(zh('bot:campaign.finding_state.open'));

    // Acknowledging asks first; nothing is sent until confirmed.
    const posts = () => mp.wx.requests.filter((r) => r.method === 'POST').length;
    const sent = posts();
    tap(page, `#ack-${key}`);
    await waitFor(() => (page.instance.data.dialog as { visible: boolean }).visible, 'the confirmation');
    expect(posts()).toBe(sent);
    confirmDialog(page);
    await waitFor(() => textOf(page, '.message'), 'the acknowledgement');
    expect(textOf(page, '.error')).toBe('');
    expect(textOf(page, '.message')).toBe(zh('bot:campaign.done.ack'));
    await waitFor(() => !page.querySelector(`#ack-${key}`), 'the acknowledged finding');
    expect(textOf(page, `#finding-${key} .finding-state`)).toBe(zh('bot:campaign.finding_state.acknowledged'));

    // Rectifying asks for the note in its dialog. No note: the dialog says so at the note, in the server's words, and sends nothing.
    const before = mp.wx.requests.length;
    tap(page, `#rectify-${key}`);
    await waitFor(() => page.querySelector('#dialog-note'), 'the note dialog');
    confirmDialog(page);
    await waitFor(() => textOf(page, '#dialog-error'), 'the missing note');
    expect(textOf(page, '#dialog-error')).toBe(zh('errors:campaign_rectify_note_required'));
    expect(mp.wx.requests.slice(before).some((r) => r.method === 'POST')).toBe(false);

    type(page, '#dialog-note', '已更新栏目内容并建立月度检查制度');
    await waitFor(() => (page.instance.data.dialog as { note: string }).note, 'the note typed');
    confirmDialog(page);
    await waitFor(() => textOf(page, '.message') === zh('bot:campaign.done.rectify'), 'the rectification');
    expect(textOf(page, '.error')).toBe('');
    await waitFor(() => !page.querySelector(`#rectify-${key}`), 'the rectified finding');
    expect(textOf(page, `#finding-${key} .finding-state`)).toBe(zh('bot:campaign.finding_state.rectified', { note: '已更新栏目内容并建立月度检查制度' }));

    const [after] = await campaignRepoOf(deps).checksOfSite(site!.id, { openOnly: true });
    expect(after?.findings[0]).toMatchObject({ acknowledgedBy: { userid: 'demo.siteadmin' }, rectifiedBy: { userid: 'demo.siteadmin' }, rectificationNote: '已更新栏目内容并建立月度检查制度' });
    expect(after?.findings[0]?.rectifiedAt).toEqual(now);
  });

  it('shows a server refusal as it comes, in the chosen language', async () => {
    const login = await mp.signIn('demo.siteadmin');
    tap(login, '#language');
    await waitFor(() => mp.wx.storage.get('steward.lng') === 'en', 'the language switch');
    const page = mp.open('checks');
    page.instance.onLoad();
    await waitFor(() => page.querySelectorAll('.finding').length, 'the findings');
    // The finding was rectified meanwhile (say, from chat): acknowledging it now is refused by the server.
    // (The page offers no button for it any more, so the tap is sent to the page's handler as a stale screen would.)
    const act = page.instance.act as (e: unknown) => Promise<void>;
    await act.call(page.instance, { currentTarget: { dataset: { key: 'stale', site: SITE, no: '1', action: 'acknowledge' } } });
    const site = await deps.sites.findByRef(SITE);
    await waitFor(() => textOf(page, '.error'), 'the refusal');
    expect(textOf(page, '.error')).toBe(translatorFor('en')('errors:campaign_finding_already_acknowledged', { no: 1, site: site!.name }));
  });
});

describe('#miniprogram complaints page', () => {
  const received = (platformId: string, description: string) => ({ platformId, site: SITE, errorType: '错别字', description, receivedAt: '2027-03-31 09:00' });

  beforeAll(async () => {
    await intakeComplaints(deps, [{ row: 1, data: received('ZC2027033101', '招生通知把“报名”写成“报明”') }, { row: 2, data: received('ZC2027033102', '首页链接打不开') }], { now: china('2027-03-31T09:05') });
    for (const ref of ['ZC2027033101', 'ZC2027033102']) expect(await say('demo.county', `转办投诉 ${ref} 请核实处理`)).toContain(ref);
  });

  it('lists a transferred report with its (provisional) deadline; the site admin answers from the page', async () => {
    const transferred = await deps.complaints.byRef('ZC2027033101');
    expect(transferred?.state).toBe('transferred');
    const due = transferred!.answerDue!;
    await mp.signIn('demo.siteadmin');
    const page = mp.open('complaints');
    page.instance.onLoad();
    await waitFor(() => page.querySelector('#answer-ZC2027033101'), 'the report with its answer button');
    const item = page.querySelector('#complaint-ZC2027033101')!.dom.textContent ?? '';
    expect(item).toContain('招生通知把“报名”写成“报明”');
    expect(item).toContain(zh('common:mp.complaints.due', { date: due.dueDate }));
    // 2027 has no working-day schedule in the store, so the deadline is provisional, and the page marks it.
    expect(due.provisional).toBe(true);
    expect(item).toContain(zh('bot:complaint.provisional'));

    // No text box on the card: answering opens one dialog with its own box.
    expect(page.querySelector('#complaint-ZC2027033101 textarea, #text-ZC2027033101')).toBeFalsy();
    tap(page, '#answer-ZC2027033101');
    await waitFor(() => (page.instance.data.dialog as { visible: boolean }).visible, 'the answer dialog');
    expect((page.instance.data.dialog as { title: string }).title).toBe(zh('common:mp.confirm.answer_title', { ref: 'ZC2027033101' }));
    type(page, '#dialog-text', '已更正为“报名”，感谢您的指正。');
    await waitFor(() => (page.instance.data.dialog as { text: string }).text, 'the answer typed');
    confirmDialog(page);
    await waitFor(() => textOf(page, '.message') || textOf(page, '#dialog-error'), 'the answer saved');
    expect(textOf(page, '.error')).toBe('');
    expect(textOf(page, '.message')).toBe(zh('common:mp.complaints.done'));
    await waitFor(() => !page.querySelector('#answer-ZC2027033101'), 'the report answered');
    expect(page.querySelector('#complaint-ZC2027033101')!.dom.textContent).toContain(zh('bot:complaint.state.answered'));
    expect(await deps.complaints.byRef('ZC2027033101')).toMatchObject({ state: 'answered', answer: '已更正为“报名”，感谢您的指正。' });
  });

  it('marking a report untrue needs a reason: the server refuses without one, and the page shows it', async () => {
    await mp.signIn('demo.siteadmin');
    const page = mp.open('complaints');
    page.instance.onLoad();
    await waitFor(() => page.querySelector('#untrue-ZC2027033102'), 'the report with its untrue button');
    tap(page, '#untrue-ZC2027033102');
    await waitFor(() => (page.instance.data.dialog as { visible: boolean }).visible, 'the untrue dialog');
    // "untrue" has its own dialog and words, not the answer's box.
    expect((page.instance.data.dialog as { title: string }).title).toBe(zh('common:mp.confirm.untrue_title', { ref: 'ZC2027033102' }));
    confirmDialog(page);
    await waitFor(() => textOf(page, '#dialog-error'), 'the server refusal');
    expect(textOf(page, '#dialog-error')).toContain(zh('errors:complaint_reason_required'));
    expect(mp.wx.requests.some((r) => r.method === 'POST' && r.url.endsWith('/complaints/ZC2027033102/untrue') && r.status >= 400)).toBe(true);
    expect((await deps.complaints.byRef('ZC2027033102'))?.state).toBe('transferred');

    type(page, '#dialog-text', '经核查链接可正常访问');
    await waitFor(() => (page.instance.data.dialog as { text: string }).text, 'the reason typed');
    confirmDialog(page);
    await waitFor(() => textOf(page, '.message'), 'the report marked untrue');
    expect(textOf(page, '.error')).toBe('');
    expect(await deps.complaints.byRef('ZC2027033102')).toMatchObject({ state: 'untrue', untrueReason: '经核查链接可正常访问' });
  });
});
