import { createLogger } from '../lib/logger';
import { translatorFor } from '../lib/i18n';
import { seedDemoIfEmpty } from '../store/demo/seed-demo';
import { createDeps } from '../lib/services';
import { RequestModel } from '../store/request.model';
import { useTestDatabase } from '../test/db';
import { createChatEngine } from './chat-engine';
import { replyText } from './reply';

useTestDatabase();

/** 2027-02-01 10:00 China time. */
const now = new Date('2027-02-01T02:00:00Z');
const deps = createDeps({ now: () => now });
const engine = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
const zh = translatorFor('zh-CN');
const say = async (userid: string, line: string) => replyText(await engine.handle({ userid, text: line, source: 'shell' }));
const audit = async (id: string, action: string) =>
  ((await RequestModel.findById(id).lean())?.audit ?? []).filter((e: { action: string }) => e.action === action) as { comment?: string }[];

let id = '';
beforeAll(async () => {
  await seedDemoIfEmpty();
  id = /R\d{4}-\d{4}/.exec(await say('demo.siteadmin', '临时下线 jyj.zhengding.gov.cn start=2027-03-01 end=2027-03-10 reason=机房搬迁'))?.[0] ?? '';
  expect(id).toMatch(/^R2027-/);
});

/**
 * One way into commands (issue #14): a typed line (`turn`) and a pressed button (`press`) meet the same
 * engine; a spec's `needs` (the reason a reject or return takes) is asked for on any channel.
 */
describe('#chat engine: a command that needs a field', () => {
  it('asks for the reason when 驳回 is typed without one, and 取消 leaves the request as it was', async () => {
    expect(await say('demo.county', `驳回 ${id}`)).toBe(zh('bot:card_comment.ask', { action: '驳回', subject: id, minutes: 10 }));
    expect(await deps.prompts.find('shell', 'demo.county')).toMatchObject({ command: 'request.reject', input: { id }, field: 'comment' });
    expect(await say('demo.county', '取消')).toBe(zh('bot:card_comment.cancelled', { action: '驳回', subject: id }));
    expect(await audit(id, 'reject')).toHaveLength(0);
  });

  it('refuses a missing request number at once instead of asking for a reason first', async () => {
    expect(await say('demo.county', '驳回')).toContain(zh('bot:error_prefix'));
    expect(await deps.prompts.find('shell', 'demo.county')).toBeNull();
  });

  it('runs a button that needs nothing at once', async () => {
    const pressed = await engine.press({ userid: 'demo.county', source: 'shell', command: 'request.show', input: { id }, label: '查看详情', subject: id });
    expect(pressed).toMatchObject({ ok: true, asked: false, by: { userid: 'demo.county' } });
    expect(replyText(pressed.reply)).toContain(id);
  });

  it('asks on a pressed 退回, and the next line runs request.return with it as the comment', async () => {
    const pressed = await engine.press({ userid: 'demo.county', source: 'shell', command: 'request.return', input: { id }, label: '退回', subject: `待审批：${id}`, context: { from: 'test' } });
    expect(pressed).toMatchObject({ ok: false, asked: true });
    expect(replyText(pressed.reply)).toBe(zh('bot:card_comment.ask', { action: '退回', subject: `待审批：${id}`, minutes: 10 }));
    const turn = await engine.turn({ userid: 'demo.county', text: '材料不全', source: 'shell' });
    expect(turn.answered).toMatchObject({ ok: true, comment: '材料不全', prompt: { command: 'request.return', context: { from: 'test' } } });
    expect((await audit(id, 'return')).map((e) => e.comment)).toEqual(['材料不全']);
  });

  it('refuses a press from someone the registry does not know', async () => {
    const pressed = await engine.press({ userid: 'nobody', source: 'shell', command: 'request.show', input: { id }, label: 'x', subject: id });
    expect(pressed).toMatchObject({ ok: false, asked: false });
    expect(replyText(pressed.reply)).toBe(zh('errors:unknown_user', { userid: 'nobody' }));
  });
});
