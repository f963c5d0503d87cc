import { createLogger } from '../../lib/logger';
import { translatorFor } from '../../lib/i18n';
import { createDeps } from '../../lib/services';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { NoticeModel } from '../../store/notice.model';
import { PendingPromptModel } from '../../store/pending-prompt.model';
import { RequestModel } from '../../store/request.model';
import { useTestDatabase } from '../../test/db';
import { createChatEngine } from '../chat-engine';
import { replyText } from '../reply';

useTestDatabase();

/** Wednesday 2026-12-02, 10:00 China time; tests move it on to let a dialogue lapse. */
const start = new Date('2026-12-02T02:00:00Z');
let now = start;
const deps = createDeps({ now: () => now });
const engine = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
const zh = translatorFor('zh-CN');
const en = translatorFor('en');

/** One turn of a chat: what the person types (optionally with the channel's message id), what the bot answers. */
const say = async (userid: string, line: string, messageId?: string) => replyText(await engine.handle({ userid, text: line, source: 'shell', ...(messageId ? { messageId } : {}) }));
const stored = (userid: string) => PendingPromptModel.findById(`shell:${userid}`).lean();
/** The number a numbered choice gives a site in the bot's question. */
const numberOf = (question: string, domain: string) => /^(\d+)\. /.exec(question.split('\n').find((l) => l.includes(domain)) ?? '')?.[1];
const requestsOf = (userid: string) => RequestModel.find({ 'requester.userid': userid }).lean();

beforeAll(async () => {
  await seedDemoIfEmpty();
});
beforeEach(() => {
  now = start;
});

describe('#guided filing: a temporary offline filed entirely by answering questions', () => {
  it('asks for the site, the dates (in words), the reason, shows the summary with full dates, and files once on 是', async () => {
    const first = await say('demo.siteadmin', '临时下线');
    expect(first).toContain(zh('bot:dialogue.start', { action: '临时下线申请', minutes: 10 }));
    expect(first).toContain(zh('bot:dialogue.ask.site'));
    // The person's own two sites, numbered.
    expect(first).toContain('正定县教育局网站（jyj.zhengding.gov.cn）');
    expect(first).toContain('正定县人民政府门户网站（www.zhengding.gov.cn）');
    const n = numberOf(first, 'jyj.zhengding.gov.cn');
    expect(n).toBeDefined();

    expect(await say('demo.siteadmin', n!)).toBe(zh('bot:dialogue.ask.start'));
    // A bad date is asked again, with why.
    expect(await say('demo.siteadmin', '过几天吧')).toBe([zh('errors:dialogue_date_unreadable', { value: '过几天吧' }), zh('bot:dialogue.ask.start')].join('\n'));
    expect(await say('demo.siteadmin', '下周一')).toBe(['开始日期：2026年12月7日（星期一）', zh('bot:dialogue.ask.end')].join('\n'));
    // An end before the start is refused with the one-line form's text; the start is kept.
    expect(await say('demo.siteadmin', '12月5日')).toBe([zh('errors:window_end_before_start', { start: '2026-12-07', end: '2026-12-05' }), zh('bot:dialogue.ask.end')].join('\n'));
    expect(await say('demo.siteadmin', '12月10日')).toBe(['结束日期：2026年12月10日（星期四）', zh('bot:dialogue.ask.reason')].join('\n'));
    expect(await say('demo.siteadmin', '系统升级')).toBe([zh('bot:dialogue.ask.justification'), zh('bot:dialogue.optional')].join('\n'));
    const summary = await say('demo.siteadmin', '无');
    expect(summary.split('\n')).toEqual([
      '请核对临时下线申请：',
      '· 网站：正定县教育局网站（jyj.zhengding.gov.cn）',
      '· 开始日期：2026年12月7日（星期一）',
      '· 结束日期：2026年12月10日（星期四）',
      '· 原因：系统升级',
      '· 补充说明：（无）',
      zh('bot:dialogue.confirm'),
    ]);
    expect(await requestsOf('demo.siteadmin')).toHaveLength(0);

    const filed = await say('demo.siteadmin', '是');
    const id = /R\d{4}-\d{4}/.exec(filed)?.[0];
    expect(id).toBeDefined();
    const [request] = await requestsOf('demo.siteadmin');
    expect(request).toMatchObject({ _id: id, type: 'temp_offline', payload: { start: '2026-12-07', end: '2026-12-10', reason: '系统升级' } });
    expect(request?.payload).not.toHaveProperty('justification');
    // The dialogue is over: the next line is a line like any other.
    expect(await say('demo.siteadmin', '是')).toContain('无法识别的命令');
  });

  it('offers a single site to confirm, in English, and echoes "next Monday" in full', async () => {
    const first = await say('demo.siteadmin.en', 'offline');
    expect(first).toContain('Your site is ');
    expect(await say('demo.siteadmin.en', 'yes')).toBe(en('bot:dialogue.ask.start'));
    expect(await say('demo.siteadmin.en', 'next Monday')).toBe(['Start date: Monday, 7 December 2026', en('bot:dialogue.ask.end')].join('\n'));
    expect(await say('demo.siteadmin.en', 'cancel')).toBe(en('bot:dialogue.cancelled', { action: 'temporary offline request' }));
  });
});

describe('#guided filing: leaving a dialogue', () => {
  it('取消 at any step files nothing and forgets the dialogue', async () => {
    expect(await say('demo.siteadmin', '变更备案')).toContain(zh('bot:dialogue.ask.site'));
    expect(await say('demo.siteadmin', '取消')).toBe(zh('bot:dialogue.cancelled', { action: '变更备案' }));
    expect(await stored('demo.siteadmin')).toBeNull();
    expect(await say('demo.siteadmin', '1')).toContain('无法识别的命令');
  });

  it('否 at the summary files nothing', async () => {
    await say('demo.county', '发通知');
    await say('demo.county', '1');
    await say('demo.county', '标题');
    await say('demo.county', '正文');
    expect(await say('demo.county', '否')).toContain('· 需要确认收到：否');
    expect(await say('demo.county', '否')).toBe(zh('bot:dialogue.cancelled', { action: '发通知' }));
    expect(await NoticeModel.countDocuments({ title: '标题' })).toBe(0);
  });

  it('lapses 10 minutes after the last question: a late answer is told so and does nothing', async () => {
    expect(await say('demo.siteadmin', '关停申请')).toContain(zh('bot:dialogue.ask.site'));
    now = new Date(start.getTime() + 11 * 60_000);
    expect(await say('demo.siteadmin', '1')).toBe(zh('bot:dialogue.expired', { action: '网站关停申请', minutes: 10 }));
    expect(await stored('demo.siteadmin')).toBeNull();
  });

  it('runs another command typed instead of an answer, drops the dialogue and says so', async () => {
    await say('demo.siteadmin', '临时下线');
    const answer = await say('demo.siteadmin', '我的网站');
    expect(answer).toContain('您的网站（共 2 个）');
    expect(answer).toContain(zh('bot:dialogue.dropped', { action: '临时下线申请' }));
    expect(await stored('demo.siteadmin')).toBeNull();
  });
});

describe('#guided filing: a message handled twice moves the dialogue once', () => {
  it('answers a re-delivered message (same message id) the same, without moving on', async () => {
    await say('demo.siteadmin', '紧急关停', 'm0');
    const site = await say('demo.siteadmin', '1', 'm1');
    expect(site).toContain(zh('bot:dialogue.ask.reason'));
    expect((await stored('demo.siteadmin'))?.dialogue).toMatchObject({ seq: 1, step: 1, lastMessageId: 'm1' });
    // The same message again (a re-run after a crash): "1" must not become the reason's answer.
    expect(await say('demo.siteadmin', '1', 'm1')).toBe(site);
    expect((await stored('demo.siteadmin'))?.dialogue).toMatchObject({ seq: 1, step: 1 });
    expect(await say('demo.siteadmin', '不可抗力', 'm2')).toBe(zh('bot:dialogue.ask.start'));
    expect((await stored('demo.siteadmin'))?.dialogue).toMatchObject({ seq: 2, step: 2 });
  });

  it('two copies of one message handled at once (two instances) move it by one step and get the same answer', async () => {
    await say('demo.siteadmin', '紧急关停');
    await say('demo.siteadmin', '1');
    // Without a message id (the shell), the step counter lets only one of two racing copies move it (the
    // other loses the write, or, read after it, is not an answer to the next step).
    await Promise.all([say('demo.siteadmin', '2'), say('demo.siteadmin', '2')]);
    expect((await stored('demo.siteadmin'))?.dialogue).toMatchObject({ seq: 2, step: 2 });
    expect((await stored('demo.siteadmin'))?.input).toMatchObject({ reason: 'ordered_by_authority' });
    // With the channel's message id, both copies also get the same answer.
    const [a, b] = await Promise.all([say('demo.siteadmin', '明天', 'dup-1'), say('demo.siteadmin', '明天', 'dup-1')]);
    expect(a).toBe(b);
    expect(a).toContain('开始日期：2026年12月3日（星期四）');
    expect((await stored('demo.siteadmin'))?.dialogue).toMatchObject({ seq: 3, step: 3 });
    await say('demo.siteadmin', '取消');
  });

  it('files once when the confirming 是 is delivered twice', async () => {
    const before = (await requestsOf('demo.siteadmin.bd')).length;
    await say('demo.siteadmin.bd', '紧急关停 slj.bd.gov.cn reason=不可抗力 start=明天 end=后天 note=机房断电');
    const filed = await say('demo.siteadmin.bd', '是', 'yes-1');
    expect(filed).toMatch(/R\d{4}-\d{4}/);
    expect(await say('demo.siteadmin.bd', '是', 'yes-1')).toBe(filed);
    expect(await requestsOf('demo.siteadmin.bd')).toHaveLength(before + 1);
  });
});

describe('#guided filing: the one-line form', () => {
  it('still files at once with ISO dates', async () => {
    const filed = await say('demo.siteadmin', '临时下线 jyj.zhengding.gov.cn start=2027-03-01 end=2027-03-10 reason=机房搬迁');
    const id = /R\d{4}-\d{4}/.exec(filed)?.[0];
    expect(await RequestModel.findById(id).lean()).toMatchObject({ payload: { start: '2027-03-01', end: '2027-03-10', reason: '机房搬迁' } });
  });

  it('reads dates in words but echoes them in full and asks before filing', async () => {
    const answer = await say('demo.siteadmin.bd', '紧急关停 1306000003 reason=被责令关停 start=下周一 end=下周三 note=按要求整改');
    expect(answer).toContain('开始日期：2026年12月7日（星期一）');
    expect(answer).toContain('· 结束日期：2026年12月9日（星期三）');
    expect(answer).toContain('· 原因：被责令关停');
    expect(answer.split('\n').at(-1)).toBe(zh('bot:dialogue.confirm'));
    expect(await say('demo.siteadmin.bd', '取消')).toBe(zh('bot:dialogue.cancelled', { action: '紧急关停报备' }));
  });

  it('does not let a portal skip the justification of its temporary offline (art. 13)', async () => {
    expect(await say('demo.siteadmin', '临时下线 www.zhengding.gov.cn start=2027-05-01 end=2027-05-03')).toContain(zh('bot:dialogue.ask.reason'));
    // Asked without the "reply 无 to skip" hint.
    expect(await say('demo.siteadmin', '全站改版')).toBe(zh('bot:dialogue.ask.justification'));
    expect(await say('demo.siteadmin', '无')).toBe([zh('errors:portal_offline_needs_justification', { article: 13 }), zh('bot:dialogue.ask.justification')].join('\n'));
    expect(await say('demo.siteadmin', '集约化平台迁移，须整站停机')).toContain('· 补充说明：集约化平台迁移，须整站停机');
    await say('demo.siteadmin', '取消');
  });

  it('asks again only the answer a refusal at filing points to (a window over 30 days: the end)', async () => {
    const summary = await say('demo.siteadmin.sjz', '临时下线 1301000002 start=4月1日 end=5月15日 reason=改版 justification=整站迁移');
    expect(summary).toContain('· 结束日期：2027年5月15日（星期六）');
    const refused = await say('demo.siteadmin.sjz', '是');
    expect(refused).toContain(zh('bot:error_prefix'));
    expect(refused.split('\n').at(-1)).toBe(zh('bot:dialogue.ask.end'));
    const again = await say('demo.siteadmin.sjz', '4月10日');
    expect(again).toContain('· 开始日期：2027年4月1日（星期四）');
    expect(again).toContain('· 结束日期：2027年4月10日（星期六）');
    expect(await say('demo.siteadmin.sjz', '是')).toMatch(/R\d{4}-\d{4}/);
    expect(await requestsOf('demo.siteadmin.sjz')).toMatchObject([{ payload: { start: '2027-04-01', end: '2027-04-10', reason: '改版' } }]);
  });

  it('asks only what the line did not give', async () => {
    const answer = await say('demo.siteadmin', '关停申请 www.zhengding.gov.cn');
    expect(answer).not.toContain(zh('bot:dialogue.ask.site'));
    expect(answer.split('\n').at(-1)).toBe(zh('bot:dialogue.ask.reason'));
    await say('demo.siteadmin', '取消');
  });

  it('refuses at once someone the command is not for', async () => {
    expect(await say('demo.county', '临时下线')).toContain(zh('bot:error_prefix'));
    expect(await stored('demo.county')).toBeNull();
  });
});

describe('#guided filing: the other request types', () => {
  it('a change record: which item changes, its new value, then the summary', async () => {
    const first = await say('demo.siteadmin', '变更备案');
    const n = numberOf(first, 'jyj.zhengding.gov.cn')!;
    const what = await say('demo.siteadmin', n);
    expect(what).toContain(zh('bot:dialogue.ask._what'));
    expect(what).toContain('7. 访问地址');
    expect(await say('demo.siteadmin', '负责人')).toBe(zh('bot:dialogue.ask.new_value', { label: '负责人' }));
    expect(await say('demo.siteadmin', '张伟')).toBe([zh('bot:dialogue.ask.note'), zh('bot:dialogue.optional')].join('\n'));
    const summary = await say('demo.siteadmin', '无');
    expect(summary).toContain('· 负责人：张伟');
    expect(summary).not.toContain('_what');
    const filed = await say('demo.siteadmin', '确认');
    const id = /R\d{4}-\d{4}/.exec(filed)?.[0];
    expect(await RequestModel.findById(id).lean()).toMatchObject({ type: 'change_record', payload: { changes: { personInCharge: '张伟' } } });
  });

  it('an opening offers only planned sites, and says so when there is none', async () => {
    expect(await say('demo.siteadmin', '开办申请')).toBe(zh('bot:dialogue.no_sites', { action: '网站开办申请' }));
    const first = await say('demo.province', '开办申请');
    expect(first).toContain('jyj.xinji.gov.cn');
    expect(first).not.toContain('jyj.zhengding.gov.cn');
    await say('demo.province', '取消');
  });
});

describe('#guided filing: a notice', () => {
  it('asks kind, title, body and acknowledgement, then publishes on 确认', async () => {
    expect(await say('demo.county', '发通知')).toContain(['1. 通知', '2. 通报'].join('\n'));
    expect(await say('demo.county', '1')).toBe(zh('bot:dialogue.ask.title'));
    expect(await say('demo.county', '关于开展网站自查的通知')).toBe(zh('bot:dialogue.ask.body'));
    expect(await say('demo.county', '请各单位于12月10日前完成自查。')).toBe(zh('bot:dialogue.ask.ack'));
    expect(await say('demo.county', '可能')).toBe([zh('errors:dialogue_yes_no'), zh('bot:dialogue.ask.ack')].join('\n'));
    const summary = await say('demo.county', '是');
    expect(summary).toContain('· 类型：通知');
    expect(summary).toContain('· 标题：关于开展网站自查的通知');
    expect(summary).toContain('· 需要确认收到：是');
    await say('demo.county', '确认');
    expect(await NoticeModel.findOne({ title: '关于开展网站自查的通知' }).lean()).toMatchObject({ kind: 'notice', requiresAck: true, body: '请各单位于12月10日前完成自查。' });
  });
});
