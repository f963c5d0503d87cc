import { formatDateLong, readDateWords } from '../../core/calendar/date-words';
import { createLogger } from '../../lib/logger';
import { translatorFor } from '../../lib/i18n';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { NoticeModel } from '../../store/notice.model';
import { RequestModel } from '../../store/request.model';
import { useTestDatabase } from '../../test/db';
import type { FakeWecom } from '../../test/fake-wecom/fake-wecom';
import { startWecomHarness, type WecomHarness } from '../../test/fake-wecom/harness';
import type { Wecom } from './wecom';

useTestDatabase();

const zh = translatorFor('zh-CN');
let harness: WecomHarness;
let fake: FakeWecom;
let wecom: Wecom;
let url = '';

const textsTo = (userid: string) => fake.sentTo(userid).filter((r) => r.body.msgtype === 'text').map((r) => (r.body.text as { content: string }).content);

/** Sends one line through the fake WeCom server and returns the bot's answer to it. */
async function say(userid: string, line: string, o: { menu?: string } = {}): Promise<string> {
  const before = textsTo(userid).length;
  if (o.menu) await fake.clickMenu(url, userid, o.menu);
  else await fake.sendText(url, userid, line);
  await wecom.settle();
  await fake.waitFor(() => textsTo(userid).length > before, 15_000, `the answer to “${line || o.menu}”`);
  return textsTo(userid).slice(before).join('\n');
}

beforeAll(async () => {
  await seedDemoIfEmpty();
  harness = await startWecomHarness(
    { retryBaseMs: 10, httpTimeoutMs: 1000, duplicateCheckSeconds: 0, pace: { perMinute: 1000, perHour: 10_000 }, outbox: { pollMs: 10, backoffBaseMs: 20, backoffMaxMs: 200 } },
    { logger: createLogger('silent') },
  );
  ({ fake, url } = harness);
  wecom = harness.instances[0]!;
});

afterAll(async () => {
  await harness?.close();
});

describe('#wecom guided filing', () => {
  it('a menu click on 临时下线 starts the dialogue, and the answers file the request', async () => {
    const first = await say('demo.siteadmin', '', { menu: 'cmd:request.temp_offline' });
    expect(first).toContain(zh('bot:dialogue.start', { action: '临时下线申请', minutes: 10 }));
    const n = /^(\d+)\. /.exec(first.split('\n').find((l) => l.includes('jyj.zhengding.gov.cn')) ?? '')?.[1];
    expect(n).toBeDefined();
    expect(await say('demo.siteadmin', n!)).toBe(zh('bot:dialogue.ask.start'));
    // The channel runs on the real clock: the dates are read against China's today.
    const tomorrow = readDateWords('明天', new Date())!;
    const after = readDateWords('后天', new Date())!;
    expect(await say('demo.siteadmin', '明天')).toBe([`开始日期：${formatDateLong(tomorrow, 'zh-CN')}`, zh('bot:dialogue.ask.end')].join('\n'));
    expect(await say('demo.siteadmin', '后天')).toBe([`结束日期：${formatDateLong(after, 'zh-CN')}`, zh('bot:dialogue.ask.reason')].join('\n'));
    await say('demo.siteadmin', '机房搬迁');
    const summary = await say('demo.siteadmin', '无');
    expect(summary).toContain(`· 开始日期：${formatDateLong(tomorrow, 'zh-CN')}`);
    const filed = await say('demo.siteadmin', '是');
    const id = /R\d{4}-\d{4}/.exec(filed)?.[0];
    expect(await RequestModel.findById(id).lean()).toMatchObject({ type: 'temp_offline', payload: { start: tomorrow, end: after, reason: '机房搬迁' } });
  });

  it('a notice filed by answering questions in WeCom', async () => {
    expect(await say('demo.county', '发通知')).toContain(zh('bot:dialogue.ask.kind'));
    expect(await say('demo.county', '通报')).toBe(zh('bot:dialogue.ask.title'));
    await say('demo.county', '关于某网站长期未更新的通报');
    await say('demo.county', '经检查，该网站首页栏目已三个月未更新，请限期整改。');
    expect(await say('demo.county', '否')).toContain('· 类型：通报');
    await say('demo.county', '是');
    expect(await NoticeModel.findOne({ title: '关于某网站长期未更新的通报' }).lean()).toMatchObject({ kind: 'criticism', requiresAck: false });
  });

  it('取消 through WeCom ends the dialogue', async () => {
    await say('demo.siteadmin', '', { menu: 'cmd:request.change_record' });
    expect(await say('demo.siteadmin', '取消')).toBe(zh('bot:dialogue.cancelled', { action: '变更备案' }));
  });
});
