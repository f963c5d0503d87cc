import { commandById } from '../core/commands/registry';
import { createLogger } from '../lib/logger';
import { translatorFor } from '../lib/i18n';
import { seedDemoIfEmpty } from '../store/demo/seed-demo';
import { createDeps } from '../lib/services';
import { dispatchPendingEffects } from '../store/request-effects';
import { findPendingPrompt, PendingPromptClaimModel, prunePendingPrompts } from '../store/pending-prompt.model';
import { RequestModel } from '../store/request.model';
import { useTestDatabase } from '../test/db';
import { createChatEngine } from './chat-engine';
import { askForComment, isCancel, isStrictCommand } from './pending-comment';
import { replyText } from './reply';

useTestDatabase();

/** The test clock: 2027-02-01 10:00 China time, moved on by the story. */
let now = new Date('2027-02-01T02:00:00Z');
const deps = createDeps({ now: () => now });
const engine = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
const zh = translatorFor('zh-CN');

const say = async (userid: string, line: string) => replyText(await engine.handle({ userid, text: line, source: 'shell' }));
const idIn = (reply: string) => /R\d{4}-\d{4}/.exec(reply)?.[0] ?? '';
const decisions = async (id: string, action: string) =>
  ((await RequestModel.findById(id).lean())?.audit ?? []).filter((e: { action: string }) => e.action === action) as { action: string; comment?: string }[];

/** What a card's 退回 click does on a channel with cards: the bot waits for demo.county's reason. */
const clickReturn = (id: string, label = '退回') =>
  askForComment(
    deps.prompts,
    { userid: 'demo.county', channel: 'shell', command: 'request.return', input: { id, _askFor: 'comment' }, field: 'comment', label, subject: `待审批：${id}`, context: {} },
    zh,
    now,
  );

let id = '';

beforeAll(async () => {
  await seedDemoIfEmpty();
  id = idIn(await say('demo.siteadmin', '临时下线 jyj.zhengding.gov.cn start=2027-03-01 end=2027-03-10 reason=机房搬迁'));
  expect(id).toMatch(/^R2027-/);
  await dispatchPendingEffects(deps, now);
});

describe('#card comment: the reason a card\'s reject/return asks for (shell transcript)', () => {
  it('asks in the person\'s language, and 取消 drops the question', async () => {
    const { question } = await clickReturn(id);
    expect(question).toBe(zh('bot:card_comment.ask', { action: '退回', subject: `待审批：${id}`, minutes: 10 }));
    expect(question).toContain('请回复退回理由（发送“取消”放弃）');
    expect(await say('demo.county', '取消')).toBe(zh('bot:card_comment.cancelled', { action: '退回', subject: `待审批：${id}` }));
    expect(await findPendingPrompt('shell', 'demo.county')).toBeNull();
    // The next line is a line like any other again.
    expect(await say('demo.county', '材料不全')).toContain('无法识别的命令');
    expect(await decisions(id, 'return')).toHaveLength(0);
  });

  it('runs a command typed instead of the reason, and drops the question', async () => {
    await clickReturn(id);
    const reply = await say('demo.county', '待审批');
    expect(reply).toContain(id);
    expect(reply).toContain(zh('bot:card_comment.dropped', { action: '退回', subject: `待审批：${id}` }));
    expect(await findPendingPrompt('shell', 'demo.county')).toBeNull();
  });

  it('forgets the question after 10 minutes: a late reason does nothing and says so', async () => {
    await clickReturn(id);
    now = new Date(now.getTime() + 10 * 60_000 + 1000);
    expect(await say('demo.county', '材料不全')).toBe(zh('bot:card_comment.expired', { action: '退回', subject: `待审批：${id}` }));
    expect(await findPendingPrompt('shell', 'demo.county')).toBeNull();
    expect(await decisions(id, 'return')).toHaveLength(0);
  });

  it('keeps only the latest question: a second click replaces the first', async () => {
    const first = await clickReturn(id);
    const second = await clickReturn(id);
    expect(second.prompt.promptId).not.toBe(first.prompt.promptId);
    expect((await findPendingPrompt('shell', 'demo.county'))?.promptId).toBe(second.prompt.promptId);
    await say('demo.county', 'cancel');
  });

  it('takes a reason that starts like a command word (申请…) as the reason, and runs request.return with it once, even when delivered twice at once', async () => {
    await clickReturn(id);
    const comment = '申请材料不全，请补充机房搬迁方案';
    const [a, b] = await Promise.all([say('demo.county', comment), say('demo.county', comment)]);
    const replies = [a, b];
    expect(replies.filter((r) => r.includes('已退回'))).toHaveLength(1);
    expect(replies.filter((r) => r === zh('bot:card_comment.already_answered', { action: '退回', subject: `待审批：${id}` }))).toHaveLength(1);
    const returned = await decisions(id, 'return');
    expect(returned).toHaveLength(1);
    expect(returned[0]!.comment).toBe(comment);
    expect((await RequestModel.findById(id).lean())?.status).toBe('returned');
    expect(await PendingPromptClaimModel.countDocuments()).toBeGreaterThan(0);

    // The same text once more, after the question was answered: an ordinary line again (here it reads as
    // 申请 <id>, a lookup that finds nothing); nothing is returned twice.
    expect(await say('demo.county', comment)).not.toContain('已退回');
    expect(await decisions(id, 'return')).toHaveLength(1);
  });

  it('applies the command\'s own rules to the reason: a refused command says why and leaves nothing waiting', async () => {
    // The request is back with its filer: returning it again is not demo.county's to do now.
    await clickReturn(id);
    const reply = await say('demo.county', '再次退回');
    expect(reply).toContain(zh('bot:error_prefix'));
    expect(await findPendingPrompt('shell', 'demo.county')).toBeNull();
    expect(await decisions(id, 'return')).toHaveLength(1);
  });
});

describe('#card comment: bookkeeping', () => {
  it('is pruned a day after it expired (FerretDB v1 has no TTL index), claims with it', async () => {
    await clickReturn(id);
    await PendingPromptClaimModel.create({ _id: 'old-claim', at: new Date(now.getTime() - 2 * 86_400_000) });
    expect(await prunePendingPrompts(new Date(now.getTime() - 86_400_000))).toBe(1);
    expect(await findPendingPrompt('shell', 'demo.county')).not.toBeNull();
    expect(await prunePendingPrompts(new Date(now.getTime() + 11 * 60_000))).toBeGreaterThanOrEqual(1);
    expect(await findPendingPrompt('shell', 'demo.county')).toBeNull();
  });
});

describe('#card comment: what counts as a command while a reason is awaited', () => {
  const show = commandById('request.show')!;
  const inbox = commandById('request.inbox')!;
  it('needs the command word to stand alone, or the / prefix', () => {
    expect(isStrictCommand('申请材料不全', show)).toBe(false);
    expect(isStrictCommand('申请 R2027-0001', show)).toBe(true);
    expect(isStrictCommand('/申请R2027-0001', show)).toBe(true);
    expect(isStrictCommand('待审批', inbox)).toBe(true);
    expect(isStrictCommand('inbox please', inbox)).toBe(true);
  });
  it('knows 取消 and cancel', () => {
    for (const yes of ['取消', ' 取消。', 'Cancel', '/cancel', '　取消　']) expect(isCancel(yes)).toBe(true);
    for (const no of ['取消申请', 'cancel it', '不取消']) expect(isCancel(no)).toBe(false);
  });
});
