import { createChatEngine } from '../chat-engine';
import { renderNotification } from '../render/notification.render';
import { replyText, type Reply } from '../reply';
import { createLogger } from '../../lib/logger';
import { translatorFor } from '../../lib/i18n';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { createDeps } from '../../lib/services';
import { NotificationModel } from '../../store/notification.model';
import { toNotificationView } from '../../store/notification.repo';
import { dispatchPendingEffects } from '../../store/request-effects';
import { PendingPromptModel } from '../../store/pending-prompt.model';
import { RequestModel } from '../../store/request.model';
import { findWecomCard } from '../../store/wecom-card.model';
import { useTestDatabase } from '../../test/db';
import type { FakeWecom } from '../../test/fake-wecom/fake-wecom';
import { startWecomHarness, type WecomHarness } from '../../test/fake-wecom/harness';
import { configSchema } from '../../core/config.schema';
import { wecomSettingsFromConfig, type WecomOverrides } from './settings';
import type { Wecom } from './wecom';

useTestDatabase();

const zh = translatorFor('zh-CN');
const APPID = 'wx0123456789abcdef';
const FAST: WecomOverrides = { retryBaseMs: 10, httpTimeoutMs: 1000, duplicateCheckSeconds: 5, pace: { perMinute: 1000, perHour: 10_000 }, outbox: { pollMs: 10, backoffBaseMs: 20, backoffMaxMs: 200 } };

/** Filing happens on the story's clock (2027-02-01); the WeCom side runs on the real one. */
const filingNow = new Date('2027-02-01T02:00:00Z');
const filingDeps = createDeps({ now: () => filingNow });
const filer = createChatEngine({ deps: filingDeps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });

let harness: WecomHarness;
let fake: FakeWecom;
let wecom: Wecom;
let url = '';

const quiet = (ms = 300) => new Promise((r) => setTimeout(r, ms));
const settle = async (pred: () => boolean, what: string) => {
  await wecom.settle();
  await fake.waitFor(pred, 15_000, what);
};
const textsTo = (userid: string) => fake.sentTo(userid).filter((r) => r.body.msgtype === 'text').map((r) => (r.body.text as { content: string }).content);
const cardsTo = (userid: string) => fake.sentTo(userid).filter((r) => r.body.msgtype === 'template_card').map((r) => r.body.template_card as Record<string, unknown>);
const returns = async (id: string) => ((await RequestModel.findById(id).lean())?.audit ?? []).filter((e: { action: string }) => e.action === 'return') as { comment?: string; by: { userid: string } }[];

/** demo.siteadmin files a temporary offline; demo.county's "awaiting your decision" is rendered as it would be delivered. */
async function approvalCardFor(): Promise<{ id: string; card: Reply }> {
  const filed = replyText(await filer.handle({ userid: 'demo.siteadmin', text: '临时下线 jyj.zhengding.gov.cn start=2027-03-01 end=2027-03-10 reason=机房搬迁', source: 'shell' }));
  const id = /R\d{4}-\d{4}/.exec(filed)?.[0] ?? '';
  expect(id).toMatch(/^R2027-/);
  await dispatchPendingEffects(filingDeps, filingNow);
  const n = await NotificationModel.findOne({ userid: 'demo.county', message: 'awaiting_decision', requestId: id }).lean();
  expect(n).toBeTruthy();
  return { id, card: renderNotification(toNotificationView(n as never), zh) };
}

async function start(over: WecomOverrides): Promise<void> {
  harness = await startWecomHarness({ ...FAST, ...over });
  ({ fake, url } = harness);
  wecom = harness.instances[0]!;
}

/** One request for the whole file (the art. 14 quota allows one temporary offline per site a year). */
let approval: { id: string; card: Reply };

beforeAll(async () => {
  await seedDemoIfEmpty();
  approval = await approvalCardFor();
});

describe('#wecom approval card: reject / return ask for a reason', () => {
  let id = '';
  let taskId = '';
  const subject = () => zh('bot:requests.card.title', { id, site: '正定县教育局网站' });

  beforeAll(async () => {
    await start({ miniprogramAppid: APPID });
    id = approval.id;
    await wecom.channel.send('demo.county', approval.card);
    await fake.waitFor(() => cardsTo('demo.county').length === 1, 15_000, 'the approval card');
    taskId = String(cardsTo('demo.county')[0]!.task_id);
  });
  afterAll(async () => {
    await harness?.close();
  });
  beforeEach(() => fake.reset());

  it('has approve, reject, return and details (4 of WeCom\'s 6 buttons)', async () => {
    const stored = await findWecomCard(taskId);
    expect(stored?.buttons.map((b) => [b.eventKey, b.text, b.command])).toEqual([
      ['b0', '同意', 'request.approve'],
      ['b1', '驳回', 'request.reject'],
      ['b2', '退回', 'request.return'],
      ['b3', '查看详情', 'request.show'],
    ]);
  });

  it('asks for the reason on a return click, keeps the card as it is, and 取消 drops the question', async () => {
    await fake.clickCard(url, 'demo.county', taskId, 'b2');
    await settle(() => textsTo('demo.county').length === 1, 'the question');
    expect(textsTo('demo.county')[0]).toBe(zh('bot:card_comment.ask', { action: '退回', subject: subject(), minutes: 10 }));
    expect(textsTo('demo.county')[0]).toContain('请回复退回理由（发送“取消”放弃）');
    expect(fake.updates).toHaveLength(0);
    const prompt = await PendingPromptModel.findById('wecom:demo.county').lean();
    expect(prompt).toMatchObject({ command: 'request.return', input: { id }, field: 'comment', context: { kind: 'wecom_card', taskId, eventKey: 'b2' } });
    expect(prompt?.input).not.toHaveProperty('_askFor');

    await fake.sendText(url, 'demo.county', '取消');
    await settle(() => textsTo('demo.county').length === 2, 'the cancellation');
    expect(textsTo('demo.county')[1]).toBe(zh('bot:card_comment.cancelled', { action: '退回', subject: subject() }));
    expect(await PendingPromptModel.countDocuments({ _id: 'wecom:demo.county' })).toBe(0);
    expect(await returns(id)).toHaveLength(0);
  });

  it('does nothing with a reason that comes after the question expired', async () => {
    await fake.clickCard(url, 'demo.county', taskId, 'b2');
    await settle(() => textsTo('demo.county').length === 1, 'the question');
    await PendingPromptModel.updateOne({ _id: 'wecom:demo.county' }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    await fake.sendText(url, 'demo.county', '材料不全');
    await settle(() => textsTo('demo.county').length === 2, 'the expiry note');
    expect(textsTo('demo.county')[1]).toBe(zh('bot:card_comment.expired', { action: '退回', subject: subject() }));
    expect(fake.updates).toHaveLength(0);
    expect(await returns(id)).toHaveLength(0);
  });

  it('returns the request with the reply as its comment, updates the card with the result and who acted, and does it once', async () => {
    await fake.clickCard(url, 'demo.county', taskId, 'b2');
    await settle(() => textsTo('demo.county').length === 1, 'the question');
    const comment = '机房搬迁方案未附，请补充后重新提交';
    const msgId = '7100000000000000001';
    await fake.sendText(url, 'demo.county', comment, { msgId });
    await settle(() => fake.updates.length === 1, 'the card update');

    const done = await returns(id);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ comment, by: { userid: 'demo.county' } });
    expect((await RequestModel.findById(id).lean())?.status).toBe('returned');

    const upd = fake.updates[0]!.body;
    expect(upd).toMatchObject({ userids: ['demo.county'] });
    const tc = upd.template_card as Record<string, unknown>;
    expect(tc).toMatchObject({
      card_type: 'button_interaction',
      task_id: taskId,
      horizontal_content_list: [
        { keyname: zh('bot:wecom_card_acted_by_label'), value: '王芳' },
        { keyname: zh('bot:card_comment.comment_label'), value: comment },
      ],
      replace_text: zh('bot:wecom_card_done', { button: '退回' }),
    });
    expect(String(tc.sub_title_text)).toContain(id);
    expect(String(tc.sub_title_text)).toContain('已退回');
    // The updated card still opens the request in the mini-program.
    expect(tc.card_action).toEqual({ type: 2, appid: APPID, pagepath: `pages/request/index?id=${id}` });

    // WeCom retries the same callback: deduplicated before it reaches the bot.
    await fake.sendText(url, 'demo.county', comment, { msgId });
    // The same words sent again as a new message: no question is open any more, so nothing is returned twice.
    await fake.sendText(url, 'demo.county', comment);
    await settle(() => textsTo('demo.county').length === 2, 'the answer to the new message');
    await quiet();
    expect(textsTo('demo.county')[1]).toContain('无法识别的命令');
    expect(fake.updates).toHaveLength(1);
    expect(await returns(id)).toHaveLength(1);

    // The card is done: a later click on reject is told so and asks nothing.
    await fake.clickCard(url, 'demo.county', taskId, 'b1');
    await settle(() => textsTo('demo.county').length === 3, 'the already-done note');
    expect(textsTo('demo.county')[2]).toBe(zh('bot:wecom_card_already_done', { title: subject() }));
    expect(await PendingPromptModel.countDocuments({ _id: 'wecom:demo.county' })).toBe(0);
  });

  it('rejects from a new card after resubmission, and sends the result as a message when the card can no longer be updated', async () => {
    expect(replyText(await filer.handle({ userid: 'demo.siteadmin', text: `重新提交 ${id} 已补充搬迁方案`, source: 'shell' }))).toContain(id);
    await dispatchPendingEffects(filingDeps, filingNow);
    const n = await NotificationModel.findOne({ userid: 'demo.county', message: 'awaiting_decision', requestId: id }).sort({ _id: -1 }).lean();
    await wecom.channel.send('demo.county', renderNotification(toNotificationView(n as never), zh));
    await fake.waitFor(() => cardsTo('demo.county').length === 1, 15_000, 'the second card');
    const second = String(cardsTo('demo.county')[0]!.task_id);
    expect(second).not.toBe(taskId);

    await fake.clickCard(url, 'demo.county', second, 'b1');
    await settle(() => textsTo('demo.county').length === 1, 'the question');
    expect(textsTo('demo.county')[0]).toContain('请回复驳回理由（发送“取消”放弃）');
    fake.inject('message/update_template_card', { errcode: 40098 });
    await fake.sendText(url, 'demo.county', '不符合临时下线条件');
    await settle(() => textsTo('demo.county').length === 2, 'the fallback message');
    expect(fake.updates).toHaveLength(0);
    const text = textsTo('demo.county')[1]!;
    expect(text).toContain(subject());
    expect(text).toContain(zh('bot:requests.done.reject', { id }));
    expect(text).toContain(zh('bot:wecom_card_acted_by', { name: '王芳', button: '驳回' }));
    const rejected = ((await RequestModel.findById(id).lean())?.audit ?? []).filter((e: { action: string }) => e.action === 'reject') as { comment?: string }[];
    expect(rejected.map((e) => e.comment)).toEqual(['不符合临时下线条件']);
  });
});

describe('#wecom approval card: the mini-program link', () => {
  afterEach(async () => {
    await harness?.close();
  });

  it('opens pages/request/index?id=<id> in the configured mini-program', async () => {
    await start({ miniprogramAppid: APPID });
    const { id, card } = approval;
    await wecom.channel.send('demo.county', card);
    await fake.waitFor(() => cardsTo('demo.county').length === 1, 15_000, 'the approval card');
    const tc = cardsTo('demo.county')[0]!;
    const pagepath = `pages/request/index?id=${id}`;
    expect(tc.card_action).toEqual({ type: 2, appid: APPID, pagepath });
    expect(tc.quote_area).toEqual({ type: 2, appid: APPID, pagepath, title: zh('bot:card_comment.open_miniprogram') });
    expect((tc.button_list as unknown[]).length).toBe(4);
  });

  it('has no mini-program link without an AppID', async () => {
    await start({});
    await wecom.channel.send('demo.county', approval.card);
    await fake.waitFor(() => cardsTo('demo.county').length === 1, 15_000, 'the approval card');
    const tc = cardsTo('demo.county')[0]!;
    expect(tc).not.toHaveProperty('card_action');
    expect(tc).not.toHaveProperty('quote_area');
    expect(tc).not.toHaveProperty('jump_list');
  });
});

describe('#wecom settings: WECOM_MINIPROGRAM_APPID', () => {
  const env = { WECOM_CORP_ID: 'wwcorp', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 's', WECOM_TOKEN: 'Token123', WECOM_AES_KEY: 'a'.repeat(43) };
  it('is optional, and taken when set', () => {
    expect(wecomSettingsFromConfig(configSchema.parse(env))?.miniprogramAppid).toBeUndefined();
    expect(wecomSettingsFromConfig(configSchema.parse({ ...env, WECOM_MINIPROGRAM_APPID: '' }))?.miniprogramAppid).toBeUndefined();
    expect(wecomSettingsFromConfig(configSchema.parse({ ...env, WECOM_MINIPROGRAM_APPID: APPID }))?.miniprogramAppid).toBe(APPID);
  });
  it('names the variable when it is not an AppID', () => {
    expect(() => wecomSettingsFromConfig(configSchema.parse({ ...env, WECOM_MINIPROGRAM_APPID: 'pages/request' }))).toThrow(/WECOM_MINIPROGRAM_APPID/);
  });
});
