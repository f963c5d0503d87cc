import { commandById } from '../../core/commands/registry';
import { runCommand } from '../../core/commands/run';
import { intakeComplaints } from '../../core/complaints/complaint.intake';
import { buildCtx } from '../../lib/command-context';
import { translatorFor } from '../../lib/i18n';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { createDeps } from '../../lib/services';
import { useTestDatabase } from '../db';
import { installDom, tap, textOf, useMiniprogramApi, waitFor, type Page } from './harness';

useTestDatabase();
installDom();

const china = (local: string) => new Date(`${local}:00+08:00`);
let now = china('2027-03-31T09:05');
const deps = createDeps({ now: () => now });
const mp = useMiniprogramApi(deps);
const run = async (userid: string, id: string, input: unknown) => runCommand(commandById(id)!, input, buildCtx((await deps.users.byUserid(userid))!, 'api', deps));
const zh = translatorFor('zh-CN');
const en = translatorFor('en');
const REF = 'ZC2027033105';
const textsOf = (page: Page, sel: string) => page.querySelectorAll(sel).map((e) => e.dom.textContent?.trim() ?? '');

beforeAll(async () => {
  await seedDemoIfEmpty();
  // Received from the national platform, transferred, returned by the site admin as not theirs, transferred
  // again with an explanation, answered: five steps, each by someone, with the deadline it started.
  const report = { platformId: REF, site: 'jyj.zhengding.gov.cn', pageUrl: 'https://jyj.zhengding.gov.cn/zsxx/2027.html', errorType: '错别字', description: '招生简章中“报名”误为“报明”', receivedAt: '2027-03-31 09:00' };
  await intakeComplaints(deps, [{ row: 1, data: report }], { now });
  now = china('2027-03-31T10:00');
  await run('demo.county', 'complaint.transfer', { ref: REF, note: '请核实处理' });
  now = china('2027-03-31T15:00');
  await run('demo.siteadmin', 'complaint.return', { ref: REF, reason: '该页面不属于本站' });
  now = china('2027-04-01T09:00');
  await run('demo.county', 'complaint.transfer', { ref: REF, note: '经核实属于贵站招生栏目' });
  now = china('2027-04-01T11:00');
  await run('demo.siteadmin', 'complaint.answer', { ref: REF, text: '已更正为“报名”，感谢指正。' });
});

describe('#miniprogram complaint detail', () => {
  it('shows the report\'s whole timeline in order: when, what, who, notes, the deadlines each step started and whether it was met', async () => {
    const stored = (await deps.complaints.byRef(REF))!;
    expect(stored.history.map((h) => h.action)).toEqual(['created', 'transfer', 'return', 'transfer', 'answer']);

    await mp.signIn('demo.siteadmin');
    const page = mp.open('complaints');
    page.instance.onLoad();
    await waitFor(() => page.querySelector(`#details-${REF}`), 'the report');
    expect(page.querySelector(`#detail-${REF}`)).toBeFalsy();
    tap(page, `#details-${REF}`);
    await waitFor(() => page.querySelectorAll(`#detail-${REF} .timeline-entry`).length, 'the timeline');
    expect(textOf(page, '.error')).toBe('');
    expect(mp.wx.requests.some((r) => r.method === 'GET' && r.url.endsWith(`/complaints/${REF}`) && r.status === 200)).toBe(true);

    const entry = (at: string, event: string, by: string) => zh('common:mp_supervision.complaint.entry', { at, event: zh(`bot:complaint.event.${event}`), by });
    expect(textsOf(page, `#detail-${REF} .entry-head`)).toEqual([
      entry('2027-03-31 09:05', 'created', 'import'),
      entry('2027-03-31 10:00', 'transfer', '王芳'),
      entry('2027-03-31 15:00', 'return', '李静'),
      entry('2027-04-01 09:00', 'transfer', '王芳'),
      entry('2027-04-01 11:00', 'answer', '李静'),
    ]);
    const state = (s: string) => zh(`bot:complaint.state.${s}`);
    const entries = page.querySelectorAll(`#detail-${REF} .timeline-entry`).map((e) => e.dom.textContent ?? '');
    expect(entries[1]).toContain(zh('common:mp_supervision.complaint.move', { from: state('received'), to: state('transferred') }));
    expect(entries[1]).toContain(zh('common:mp_supervision.complaint.note', { note: '请核实处理' }));
    expect(entries[2]).toContain(zh('common:mp_supervision.complaint.move', { from: state('transferred'), to: state('received') }));
    expect(entries[2]).toContain('该页面不属于本站');

    // The deadlines the report keeps: the transfer clock restarted by the return, the answer clock of the second transfer.
    const due = (stage: 'transfer' | 'answer', d: { dueDate: string; provisional: boolean }) => zh('bot:complaint.due_by', { stage: zh(`bot:complaint.stage.${stage}`), date: d.dueDate }) + (d.provisional ? zh('bot:complaint.provisional') : '');
    const each = (sel: string) => [0, 1, 2, 3, 4].map((i) => textOf(page, `#entry-${REF}-${i} ${sel}`));
    const dues = each('.entry-due');
    expect(dues).toEqual(['', '', due('transfer', stored.transferDue!), due('answer', stored.answerDue!), '']);
    const onTime = each('.entry-on-time');
    expect(onTime).toEqual(['', '', '', zh('bot:complaint.on_time'), zh('bot:complaint.on_time')]);

    const detail = textOf(page, `#detail-${REF}`);
    expect(detail).toContain(zh('bot:complaint.page', { url: 'https://jyj.zhengding.gov.cn/zsxx/2027.html' }));
    expect(detail).toContain(zh('bot:complaint.received', { at: '2027-03-31 09:00' }));
    expect(detail).toContain(zh('common:mp_supervision.complaint.answer', { text: '已更正为“报名”，感谢指正。' }));

    tap(page, `#details-${REF}`);
    await waitFor(() => !page.querySelector(`#detail-${REF}`), 'the detail closed');
  });

  it('opens a report from its reference, in the chosen language; the supervisor sees the same timeline', async () => {
    const login = await mp.signIn('demo.county');
    tap(login, '#language');
    await waitFor(() => mp.wx.storage.get('steward.lng') === 'en', 'the language switch');
    const page = mp.open('complaints');
    page.instance.onLoad({ ref: REF });
    await waitFor(() => page.querySelectorAll(`#detail-${REF} .timeline-entry`).length, 'the timeline opened from the link');
    expect(textsOf(page, `#detail-${REF} .entry-head`)[4]).toBe(en('common:mp_supervision.complaint.entry', { at: '2027-04-01 11:00', event: en('bot:complaint.event.answer'), by: '李静' }));
    expect(textOf(page, `#details-${REF}`)).toBe(en('common:mp_supervision.complaint.hide'));
  });
});
