import { createLogger } from '../../lib/logger';
import { translatorFor } from '../../lib/i18n';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { WecomAppchatModel } from '../../store/wecom-appchat.model';
import { WecomInboundModel } from '../../store/wecom-inbound.model';
import { WecomOutboxDoneModel, WecomOutboxModel } from '../../store/wecom-outbox.model';
import { WecomRobotModel } from '../../store/wecom-robot.model';
import { useTestDatabase } from '../../test/db';
import type { FakeWecom } from '../../test/fake-wecom/fake-wecom';
import { startWecomHarness, type WecomHarness } from '../../test/fake-wecom/harness';
import { chatidFor, robotUrlAllowed } from './groups';
import type { Wecom } from './wecom';

useTestDatabase();

const zh = translatorFor('zh-CN');
const logger = createLogger('silent');

/** Shortened minutes, so the pacing stories run in seconds. */
const GROUP = { perMinute: 10, minuteMs: 500, marginMs: 100 };
const ROBOT = { perMinute: 5, minuteMs: 400, marginMs: 100 };

let fake: FakeWecom;
let instances: Wecom[] = [];
let harness: WecomHarness;
let url = '';

const textsTo = (userid: string) => fake.sentTo(userid).filter((r) => r.body.msgtype === 'text').map((r) => (r.body.text as { content: string }).content);
const contentOf = (r: { body: Record<string, unknown> }) => ((r.body.text ?? r.body.markdown) as { content: string }).content;
const quiet = (ms = 300) => new Promise((r) => setTimeout(r, ms));
const settle = async (pred: () => boolean, what: string) => {
  for (const w of instances) await w.settle();
  await fake.waitFor(pred, 15_000, what);
};
/** Receiver-side sliding window: never more than `limit` posts in any `windowMs`. */
const expectPaced = (times: number[], limit: number, windowMs: number) => {
  const sorted = [...times].sort((a, b) => a - b);
  for (let i = limit; i < sorted.length; i++) expect(sorted[i]! - sorted[i - limit]!).toBeGreaterThanOrEqual(windowMs);
};

beforeAll(async () => {
  await seedDemoIfEmpty();
  // Two app instances sharing one database, as behind a load balancer.
  harness = await startWecomHarness(
    {
      retryBaseMs: 10,
      httpTimeoutMs: 1000,
      duplicateCheckSeconds: 0,
      pace: { perMinute: 1000, perHour: 10_000 },
      groupPace: GROUP,
      robotPace: ROBOT,
      inbound: { leaseMs: 60_000, recoverEveryMs: 3_600_000 },
      outbox: { pollMs: 50, workers: 1, backoffBaseMs: 20, backoffMaxMs: 200 },
    },
    { instances: 2, logger },
  );
  ({ fake, url, instances } = harness);
});

afterAll(async () => {
  await harness?.close();
});

beforeEach(() => fake.reset());

describe('#wecom unit groups (appchat)', () => {
  it('refuses a site admin who asks to create a group, and calls nothing', async () => {
    await fake.sendText(url, 'demo.siteadmin', '建群');
    await settle(() => textsTo('demo.siteadmin').length === 1, 'the refusal');
    expect(textsTo('demo.siteadmin')[0]).toContain(zh('bot:error_prefix'));
    expect(fake.appchatCreates).toHaveLength(0);
    expect(await WecomAppchatModel.countDocuments()).toBe(0);
  });

  it('lets a supervisor create its unit\'s group with the subtree\'s site admins and supervisors, once', async () => {
    await fake.sendText(url, 'demo.county', '建群');
    await settle(() => textsTo('demo.county').length === 1, 'the answer');
    const chatid = chatidFor(fake.corpId, '130123');
    expect(textsTo('demo.county')[0]).toBe(zh('bot:wecom_group_created', { unit: '正定县人民政府', code: '130123', members: 2 }));
    expect(fake.appchats.get(chatid)).toMatchObject({ owner: 'demo.county', name: zh('bot:wecom_group_name', { unit: '正定县人民政府' }) });
    // 正定: its supervisor (the creator) and the admin of its two sites; not the city's or the province's people.
    expect([...fake.appchats.get(chatid)!.userlist].sort()).toEqual(['demo.county', 'demo.siteadmin']);
    expect(await WecomAppchatModel.findById('130123').lean()).toMatchObject({ chatid, status: 'active', members: ['demo.county', 'demo.siteadmin'] });

    // Asked again: the existing group is named, nothing is created.
    await fake.sendText(url, 'demo.county', 'create group');
    await settle(() => textsTo('demo.county').length === 2, 'the second answer');
    expect(textsTo('demo.county')[1]).toBe(zh('bot:wecom_group_exists', { unit: '正定县人民政府', code: '130123', members: 2 }));
    expect(fake.appchatCreates).toHaveLength(1);
  });

  it('refuses a supervisor creating the group of a unit outside its subtree', async () => {
    await fake.sendText(url, 'demo.county.zz', '建群 130123');
    await settle(() => textsTo('demo.county.zz').length === 1, 'the refusal');
    expect(textsTo('demo.county.zz')[0]).toContain(zh('errors:wecom_group_forbidden', { unit: '正定县人民政府' }));
  });

  it('paces a burst to a group per chat and delivers every message once, in order', async () => {
    const chatid = chatidFor(fake.corpId, '130123');
    expect(fake.appchats.has(chatid)).toBe(true);
    fake.inject('appchat/send', { errcode: -1 });
    fake.inject('appchat/send', { status: 502 });
    const N = 40;
    for (let i = 0; i < N; i++) await instances[i % 2]!.channel.send('group:130123', { kind: 'text', text: `g#${i}` });
    await instances[0]!.channel.send('group:130123', { kind: 'markdown', markdown: '**done**', fallback: 'done' });
    await fake.waitFor(() => fake.postsToChat(chatid).length === N + 1, 30_000, 'the whole burst');
    await quiet();
    const posts = fake.postsToChat(chatid);
    expect(posts.map(contentOf)).toEqual([...Array.from({ length: N }, (_, i) => `g#${i}`), '**done**']);
    expect(posts.at(-1)!.body).toMatchObject({ chatid, msgtype: 'markdown' });
    expectPaced(posts.map((p) => p.at), GROUP.perMinute, GROUP.minuteMs);
    expect(posts.at(-1)!.at - posts[0]!.at).toBeGreaterThanOrEqual(3 * GROUP.minuteMs);
    expect(await WecomOutboxDoneModel.countDocuments({ to: 'group:130123', status: 'sent' })).toBe(N + 1);
  }, 40_000);

  it('refuses to queue for a unit without a group', async () => {
    await expect(instances[0]!.channel.send('group:130681', { kind: 'text', text: 'nobody' })).rejects.toThrow(/no WeCom group/);
  });
});

describe('#wecom group robot', () => {
  it('accepts only a webhook URL', () => {
    expect(robotUrlAllowed('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa', 'https://qyapi.weixin.qq.com')).toBe(true);
    expect(robotUrlAllowed('https://zwwx.hebei.gov.cn/cgi-bin/webhook/send?key=abcdefgh12', 'https://qyapi.weixin.qq.com')).toBe(true);
    expect(robotUrlAllowed('http://evil.example/cgi-bin/webhook/send?key=abcdefgh12', 'https://qyapi.weixin.qq.com')).toBe(false);
    expect(robotUrlAllowed('https://qyapi.weixin.qq.com/cgi-bin/message/send?key=abcdefgh12', 'https://qyapi.weixin.qq.com')).toBe(false);
    expect(robotUrlAllowed('https://qyapi.weixin.qq.com/cgi-bin/webhook/send', 'https://qyapi.weixin.qq.com')).toBe(false);
    expect(robotUrlAllowed(`${fake.base}/cgi-bin/webhook/send?key=testkey0001`, fake.base)).toBe(true);
  });

  it('refuses a bad URL and a site admin', async () => {
    await fake.sendText(url, 'demo.county', '群机器人 https://example.com/hook');
    await fake.sendText(url, 'demo.siteadmin', `群机器人 ${fake.webhookUrl('robotkey0001')}`);
    await settle(() => textsTo('demo.county').length === 1 && textsTo('demo.siteadmin').length === 1, 'the refusals');
    expect(textsTo('demo.county')[0]).toContain(zh('errors:wecom_robot_url_invalid'));
    expect(textsTo('demo.siteadmin')[0]).toContain(zh('bot:error_prefix'));
    expect(await WecomRobotModel.countDocuments()).toBe(0);
  });

  it('posts through a registered robot at the configured rate, none lost or doubled', async () => {
    await fake.sendText(url, 'demo.county', `group robot ${fake.webhookUrl('robotkey0001')}`);
    await settle(() => textsTo('demo.county').length === 1, 'the registration');
    expect(textsTo('demo.county')[0]).toBe(zh('bot:wecom_robot_registered', { unit: '正定县人民政府', code: '130123' }));

    fake.inject('webhook/send', { errcode: -1 });
    fake.inject('webhook/send', { status: 500 });
    const N = 20;
    await Promise.all(Array.from({ length: N }, (_, i) => instances[i % 2]!.channel.send('robot:130123', { kind: 'text', text: `r#${i}` })));
    await fake.waitFor(() => fake.robotPosts('robotkey0001').length === N, 30_000, 'every robot post');
    await quiet();
    const posts = fake.robotPosts('robotkey0001');
    expect(posts.map(contentOf).sort()).toEqual(Array.from({ length: N }, (_, i) => `r#${i}`).sort());
    expectPaced(posts.map((p) => p.at), ROBOT.perMinute, ROBOT.minuteMs);
    expect(posts.at(-1)!.at - posts[0]!.at).toBeGreaterThanOrEqual(3 * ROBOT.minuteMs);
    expect(await WecomOutboxDoneModel.countDocuments({ to: 'robot:130123', status: 'sent' })).toBe(N);
    // The key stays out of the outbox: the URL is read at send time.
    expect(JSON.stringify([...(await WecomOutboxModel.find({ to: 'robot:130123' }).lean()), ...(await WecomOutboxDoneModel.find({ to: 'robot:130123' }).lean())])).not.toContain('robotkey0001');
  }, 40_000);
});

describe('#wecom inbound recovery', () => {
  it('marks a handled callback done, with its fields kept', async () => {
    await fake.sendText(url, 'demo.siteadmin', 'whoami', { msgId: '9100000000000000001' });
    await settle(() => textsTo('demo.siteadmin').length === 1, 'the answer');
    for (let i = 0; i < 50 && (await WecomInboundModel.findById('msg:9100000000000000001').lean())?.status !== 'done'; i++) await quiet(20);
    expect(await WecomInboundModel.findById('msg:9100000000000000001').lean()).toMatchObject({ status: 'done', runs: 1, fields: { Content: 'whoami', FromUserName: 'demo.siteadmin' } });
  });

  it('runs a message accepted but never run exactly once, even when two instances recover together', async () => {
    const old = new Date(Date.now() - 5 * 60_000);
    const fields = { ToUserName: fake.corpId, FromUserName: 'demo.siteadmin', CreateTime: '1700000000', MsgType: 'text', Content: 'whoami', MsgId: '9100000000000000002', AgentID: String(fake.agentId) };
    // What the callback writes before its 200, left behind by a process that died right after it.
    await WecomInboundModel.create({ _id: 'msg:9100000000000000002', from: 'demo.siteadmin', kind: 'text', receivedAt: old, status: 'received', fields, requestId: 'lost-1', runs: 1, runAt: old });
    // A fresh one (within its lease) is still someone's work: left alone.
    const fresh = new Date();
    await WecomInboundModel.create({ _id: 'msg:9100000000000000003', from: 'demo.siteadmin', kind: 'text', receivedAt: fresh, status: 'received', fields: { ...fields, MsgId: '9100000000000000003' }, runs: 1, runAt: fresh });

    const ran = await Promise.all(instances.map((w) => w.recoverInbound(new Date())));
    expect(ran.reduce((a, b) => a + b, 0)).toBe(1);
    await fake.waitFor(() => textsTo('demo.siteadmin').length === 1, 15_000, 'the recovered answer');
    expect(textsTo('demo.siteadmin')[0]).toContain('李静');
    expect(await WecomInboundModel.findById('msg:9100000000000000002').lean()).toMatchObject({ status: 'done', runs: 2 });
    expect(await WecomInboundModel.findById('msg:9100000000000000003').lean()).toMatchObject({ status: 'received', runs: 1 });

    // Nothing left to recover; nothing sent again.
    expect(await Promise.all(instances.map((w) => w.recoverInbound(new Date())))).toEqual([0, 0]);
    await quiet();
    expect(textsTo('demo.siteadmin')).toHaveLength(1);
    await WecomInboundModel.deleteOne({ _id: 'msg:9100000000000000003' });
  });
});
