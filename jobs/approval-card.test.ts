import { commandById } from '../core/commands/registry';
import { createChatEngine } from '../bot/chat-engine';
import { renderNotification } from '../bot/render/notification.render';
import { translatorFor } from '../lib/i18n';
import { NotificationModel } from '../store/notification.model';
import { toNotificationView } from '../store/notification.repo';
import { dispatchPendingEffects } from '../store/request-effects';
import { useTestDatabase } from '../test/db';
import { quietLogger, seedWorld, testClock } from './reminders.fixture';

useTestDatabase();

/**
 * Issue #5: an approver gets an approval card (approve / reject / return / details, and the request in the
 * mini-program). Reject and return need a comment (`needs` on their specs): pressing their buttons makes the
 * chat engine ask for it before running the same command as chat.
 */
describe('#approval card', () => {
  it('asks the county supervisor to decide with a card whose buttons run request.approve / reject / return / show', async () => {
    const clock = testClock('2027-02-01T10:00');
    const deps = await seedWorld(clock);
    const engine = createChatEngine({ deps, logger: quietLogger, defaultLocale: 'zh-CN' });
    const filed = await engine.handle({ userid: 'demo.siteadmin', text: '临时下线 jyj.zhengding.gov.cn start=2027-03-01 end=2027-03-10 系统升级', source: 'shell' });
    const id = /R\d{4}-\d{4}/.exec(filed.kind === 'text' ? filed.text : filed.fallback)?.[0];
    expect(id).toBeDefined();
    await dispatchPendingEffects(deps, clock.now());

    const n = await NotificationModel.findOne({ userid: 'demo.county', message: 'awaiting_decision' }).lean();
    expect(n).toBeTruthy();
    const zh = renderNotification(toNotificationView(n as never), translatorFor('zh-CN'));
    expect(zh.kind).toBe('card');
    if (zh.kind !== 'card') return;
    expect(zh.title).toContain(id!);
    expect(zh.buttons.map((b) => [b.text, b.command, b.input])).toEqual([
      ['同意', 'request.approve', { id }],
      ['驳回', 'request.reject', { id }],
      ['退回', 'request.return', { id }],
      ['查看详情', 'request.show', { id }],
    ]);
    expect([commandById('request.reject')?.needs, commandById('request.return')?.needs]).toEqual([{ field: 'comment' }, { field: 'comment' }]);
    expect(engine.asks('request.reject', { id })).toBe(true);
    expect(engine.asks('request.approve', { id })).toBe(false);
    expect(zh.open).toEqual({ page: 'pages/request/index', query: { id }, text: '在小程序中查看' });
    // Channels without cards still say what to type.
    expect(zh.fallback).toContain(`驳回 ${id}`);
    const en = renderNotification(toNotificationView(n as never), translatorFor('en'));
    expect(en.kind === 'card' && en.buttons.map((b) => b.text)).toEqual(['Approve', 'Reject', 'Return', 'Details']);
    expect(en.kind === 'card' && en.open?.text).toBe('Open in mini-program');
  });
});
