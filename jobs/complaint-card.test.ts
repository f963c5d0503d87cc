import { commandById } from '../core/commands/registry';
import { runCommand } from '../core/commands/run';
import { renderNotification } from '../bot/render/notification.render';
import { buildCtx } from '../lib/command-context';
import { translatorFor } from '../lib/i18n';
import { NotificationModel } from '../store/notification.model';
import { dispatchComplaintEffects } from '../store/complaint-effects';
import { useTestDatabase } from '../test/db';
import { receive, seedWorld, testClock } from './reminders.fixture';

useTestDatabase();

/** Art. 35 and issue #4: the site admin gets a card for each report transferred to them, where cards exist. */
describe('#complaint transferred notification', () => {
  it('reaches the site admin as a card whose button shows the report, with the answer command as hint', async () => {
    const clock = testClock('2026-11-20T10:00');
    const deps = await seedWorld(clock);
    await receive(deps, [['ZC-CARD-1', '1301230002', '2026-11-20 10:00']], clock.now());
    const county = (await deps.users.byUserid('demo.county'))!;
    await runCommand(commandById('complaint.transfer')!, { ref: 'ZC-CARD-1' }, buildCtx(county, 'shell', deps));
    await dispatchComplaintEffects(deps, clock.now());

    const n = await NotificationModel.findOne({ userid: 'demo.siteadmin', template: 'bot:complaint_notify.transferred' }).lean();
    expect(n).toBeTruthy();
    const zh = renderNotification({ kind: n!.kind, template: n!.template, params: n!.params, data: n!.data, late: false } as never, translatorFor('zh-CN'));
    expect(zh.kind).toBe('card');
    if (zh.kind !== 'card') return;
    expect(zh.title).toContain('ZC-CARD-1');
    expect(zh.buttons).toEqual([
      expect.objectContaining({ command: 'complaint.show', input: { ref: 'ZC-CARD-1' }, text: '查看详情' }),
      expect.objectContaining({ command: 'complaint.return', input: { ref: 'ZC-CARD-1', reason: '经核实，该网页不属于本单位网站，请重新指定。' }, text: '非本单位网站' }),
    ]);
    // Answering needs text: the card opens the report in the mini-program, where the answer box is.
    expect(zh.open).toEqual({ page: 'pages/complaints/index', query: { ref: 'ZC-CARD-1' }, text: '在小程序中查看' });
    // The click runs the same command as chat: back to the supervising unit, with the reason.
    const admin = (await deps.users.byUserid('demo.siteadmin'))!;
    const notOurs = zh.buttons[1]!;
    await runCommand(commandById(notOurs.command)!, notOurs.input, buildCtx(admin, 'wecom', deps));
    expect((await deps.complaints.byRef('ZC-CARD-1'))?.state).toBe('received');
    expect(zh.fallback).toContain('答复 ZC-CARD-1');
    const en = renderNotification({ kind: n!.kind, template: n!.template, params: n!.params, data: n!.data, late: false } as never, translatorFor('en'));
    expect(en.kind === 'card' && en.fallback).toContain('answer ZC-CARD-1');
  });
});
