import { createChatEngine } from '../../bot/chat-engine';
import { replyText } from '../../bot/reply';
import { createLogger } from '../../lib/logger';
import { translatorFor } from '../../lib/i18n';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { createDeps } from '../../lib/services';
import { useTestDatabase } from '../db';
import { installDom, tap, textOf, useMiniprogramApi, waitFor, type Elem, type Page } from './harness';

useTestDatabase();
installDom();

const china = (local: string) => new Date(`${local}:00+08:00`);
/** The clock: Tuesday 2026-09-29, just before National Day; moved on by the story. */
let now = china('2026-09-29T10:00');
const deps = createDeps({ now: () => now });
const mp = useMiniprogramApi(deps);
const chat = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
const say = async (userid: string, text: string) => replyText(await chat.handle({ userid, text, source: 'wecom' }));
const zh = translatorFor('zh-CN');
const en = translatorFor('en');
const idIn = (reply: string) => /R\d{4}-\d{4}/.exec(reply)?.[0] ?? '';

let offline = '';
let change = '';

beforeAll(async () => {
  await seedDemoIfEmpty();
  // Filed before National Day: the county has until Monday 10-12 (10-01..10-07 off, Saturday 10-10 worked).
  offline = idIn(await say('demo.siteadmin', '临时下线 jyj.zhengding.gov.cn start=2026-11-02 end=2026-11-06 reason=机房搬迁'));
  // Filed on 12-28, three months later: the county's five working days end in 2027, whose schedule is not loaded.
  now = china('2026-12-28T10:00');
  change = idIn(await say('demo.siteadmin', '变更备案 jyj.zhengding.gov.cn personInCharge=张三 负责人调整'));
  expect([offline, change].every(Boolean)).toBe(true);
});

const item = (page: Page, id: string) => page.querySelector(`#inbox-${id}`);
/** j-component scopes a page's classes (`main--overdue`): whether an element has one, scoped or not. */
const hasClass = (el: Elem | null, name: string) => !!el && el.dom.className.split(/\s+/).some((c) => c === name || c.endsWith(`--${name}`));

describe('#miniprogram approval inbox deadlines', () => {
  it('shows each pending item with its review deadline: the provisional one marked, the overdue one highlighted', async () => {
    await mp.signIn('demo.county');
    const page = mp.open('inbox');
    page.instance.onLoad();
    await waitFor(() => item(page, offline) && item(page, change), 'both requests in the inbox');

    // Most urgent first: the overdue request before the one due next week.
    const order = page.querySelectorAll('.inbox-item .id').map((e) => e.dom.textContent?.trim());
    expect(order.indexOf(offline)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(offline)).toBeLessThan(order.indexOf(change));

    const late = item(page, offline)!;
    expect(textOf(page, `#inbox-${offline} .deadline`)).toBe(zh('bot:request_deadline.overdue', { date: '2026-10-12' }));
    expect(hasClass(late, 'is-overdue')).toBe(true);
    expect(hasClass(page.querySelector(`#inbox-${offline} .due`), 'overdue')).toBe(true);
    expect(page.querySelector(`#inbox-${offline} .provisional`)).toBeFalsy();

    const next = item(page, change)!;
    expect(textOf(page, `#inbox-${change} .deadline`)).toBe('截止 2027-01-05');
    expect(textOf(page, `#inbox-${change} .provisional`)).toBe('（暂定）');
    expect(next.dom.textContent).toContain('截止 2027-01-05（暂定）');
    expect(hasClass(next, 'is-overdue')).toBe(false);
    expect(textOf(page, '.provisional-note')).toBe(zh('bot:request_deadline.provisional_note'));
  });

  it('shows the deadline on the request page, provisional marked and overdue highlighted', async () => {
    await mp.signIn('demo.county');
    const page = mp.open('request');
    page.instance.onLoad({ id: change });
    await waitFor(() => page.querySelector('.deadline-field'), 'the deadline');
    expect(textOf(page, '.deadline-field .label')).toBe('审批期限');
    expect(textOf(page, '.deadline-field .deadline')).toBe('截止 2027-01-05');
    expect(textOf(page, '.deadline-field .provisional')).toBe('（暂定）');
    expect(hasClass(page.querySelector('.deadline-field'), 'overdue')).toBe(false);
    expect(textOf(page, '.step-due')).toContain('截止 2027-01-05（暂定）');

    const late = mp.open('request');
    late.instance.onLoad({ id: offline });
    await waitFor(() => late.querySelector('.deadline-field'), 'the overdue request');
    expect(hasClass(late.querySelector('.deadline-field'), 'overdue')).toBe(true);
    expect(textOf(late, '.deadline-field .deadline')).toBe('已超期（截止 2026-10-12）');
    expect(late.querySelector('.deadline-field .provisional')).toBeFalsy();
    expect(late.querySelector('.step.overdue')!.dom.textContent).toContain('1. 正定县人民政府');
  });

  it('speaks English too', async () => {
    const login = await mp.signIn('demo.county');
    tap(login, '#language');
    await waitFor(() => mp.wx.storage.get('steward.lng') === 'en', 'the language switch');
    const page = mp.open('inbox');
    page.instance.onLoad();
    await waitFor(() => item(page, change), 'the inbox');
    expect(item(page, change)!.dom.textContent).toContain('due 2027-01-05 (provisional)');
    expect(textOf(page, '.provisional-note')).toBe(en('bot:request_deadline.provisional_note'));
  });
});
