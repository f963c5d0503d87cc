import { createLogger } from '../../lib/logger';
import { translatorFor } from '../../lib/i18n';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { WecomInboundModel } from '../../store/wecom-inbound.model';
import { WecomOutboxModel } from '../../store/wecom-outbox.model';
import { findWecomOutbox } from '../../store/wecom-outbox.repo';
import { useTestDatabase } from '../../test/db';
import type { FakeWecom } from '../../test/fake-wecom/fake-wecom';
import { startWecomHarness, type WecomHarness } from '../../test/fake-wecom/harness';
import type { Reply } from '../reply';
import type { Wecom } from './wecom';

useTestDatabase();

const zh = translatorFor('zh-CN');
const en = translatorFor('en');
const lines: Record<string, unknown>[] = [];
const logger = createLogger('debug', { write: (s: string) => void lines.push(JSON.parse(s)) } as unknown as NodeJS.WritableStream);

let fake: FakeWecom;
let wecom: Wecom;
let harness: WecomHarness;
let url = '';

const textsTo = (userid: string) => fake.sentTo(userid).filter((r) => r.body.msgtype === 'text').map((r) => (r.body.text as { content: string }).content);
const settle = async (pred: () => boolean, what: string) => {
  await wecom.settle();
  await fake.waitFor(pred, 15_000, what);
};
const quiet = (ms = 300) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await seedDemoIfEmpty();
  harness = await startWecomHarness(
    { retryBaseMs: 10, httpTimeoutMs: 1000, duplicateCheckSeconds: 5, pace: { perMinute: 1000, perHour: 10_000 }, outbox: { pollMs: 10, backoffBaseMs: 20, backoffMaxMs: 200 } },
    { logger },
  );
  ({ fake, url } = harness);
  wecom = harness.instances[0]!;
});

afterAll(async () => {
  await harness?.close();
});

beforeEach(() => fake.reset());

describe('#wecom callback: URL verification', () => {
  it('answers the decrypted echostr as plain text, quickly', async () => {
    const started = performance.now();
    const res = await fake.verifyUrl(url, '1616140317555161061');
    expect(res).toEqual({ status: 200, body: '1616140317555161061' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a forged signature', async () => {
    expect((await fake.verifyUrl(url, 'abc', { forge: true })).status).toBe(401);
  });
});

describe('#wecom text commands', () => {
  it('runs "sites" from demo.siteadmin and sends the answer with message/send', async () => {
    const res = await fake.sendText(url, 'demo.siteadmin', '我的网站');
    expect(res).toMatchObject({ status: 200, body: '' });
    await settle(() => fake.sentTo('demo.siteadmin').length === 1, 'the answer');
    const [msg] = fake.sentTo('demo.siteadmin');
    expect(msg!.body).toMatchObject({ touser: 'demo.siteadmin', msgtype: 'text', agentid: fake.agentId, enable_duplicate_check: 1 });
    const content = (msg!.body.text as { content: string }).content;
    expect(content).toContain(zh('bot:sites_title', { count: 2 }));
    expect(content).toContain('正定县教育局');
  });

  it('answers an English speaker in English', async () => {
    await fake.sendText(url, 'demo.siteadmin.en', 'sites');
    await settle(() => textsTo('demo.siteadmin.en').length === 1, 'the answer');
    expect(textsTo('demo.siteadmin.en')[0]).toContain(en('bot:sites_title', { count: 1 }).split('(')[0]!);
  });

  it('gives an unknown WeCom user the polite refusal and nothing else', async () => {
    await fake.sendText(url, 'stranger.42', 'sites');
    await settle(() => fake.sentTo('stranger.42').length === 1, 'the refusal');
    await quiet();
    expect(textsTo('stranger.42')).toEqual([zh('errors:unknown_user', { userid: 'stranger.42' })]);
  });

  it('runs a replayed callback once, even when the copies arrive together', async () => {
    const copies = await Promise.all([1, 2, 3].map(() => fake.sendText(url, 'demo.siteadmin', 'whoami', { msgId: '7000000000000000001' })));
    expect(copies.map((c) => c.status)).toEqual([200, 200, 200]);
    await settle(() => fake.sentTo('demo.siteadmin').length >= 1, 'the answer');
    await quiet();
    expect(fake.sentTo('demo.siteadmin')).toHaveLength(1);
    expect(await WecomInboundModel.countDocuments({ _id: 'msg:7000000000000000001' })).toBe(1);
  });
});

describe('#wecom callback: refusals', () => {
  it('answers 401 to a forged signature and runs nothing', async () => {
    const res = await fake.sendText(url, 'demo.siteadmin', 'sites', { msgId: '7000000000000000002', forge: true });
    expect(res.status).toBe(401);
    await quiet();
    expect(fake.sent).toHaveLength(0);
    expect(await WecomInboundModel.countDocuments({ _id: 'msg:7000000000000000002' })).toBe(0);
  });

  it('answers 401 to a callback without a signature', async () => {
    const res = await fake.postCallback(url, { FromUserName: 'demo.siteadmin', CreateTime: 1, MsgType: 'text', Content: 'sites', MsgId: '7000000000000000003' }, { omitSignature: true });
    expect(res.status).toBe(401);
  });

  it('refuses a correctly signed callback whose timestamp is stale (a replay)', async () => {
    const res = await fake.sendText(url, 'demo.siteadmin', 'sites', { msgId: '7000000000000000004', timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(res.status).toBe(401);
    await quiet();
    expect(fake.sent).toHaveLength(0);
  });

  it('refuses a message encrypted for another corp', async () => {
    const res = await fake.postCallback(url, { FromUserName: 'demo.siteadmin', CreateTime: 2, MsgType: 'text', Content: 'sites', MsgId: '7000000000000000005' }, { receiveId: 'wwothercorp' });
    expect(res.status).toBe(401);
  });

  it('refuses XML with a DOCTYPE before looking further', async () => {
    const body = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x "boom">]><xml><Encrypt>&x;</Encrypt></xml>';
    const res = await fetch(`${url}?msg_signature=abc&timestamp=${Math.floor(Date.now() / 1000)}&nonce=1`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
    expect(res.status).toBe(401);
  });

  it.each([
    ['a character reference beyond Unicode', '<xml><Encrypt>&#x110000;</Encrypt></xml>'],
    ['a character reference XML forbids', '<xml><Encrypt>&#0;</Encrypt></xml>'],
    ['an entity named like an object property', '<xml><Encrypt>&constructor;</Encrypt></xml>'],
    ['a tag named __proto__', '<xml><__proto__>x</__proto__><Encrypt>x</Encrypt></xml>'],
  ])('answers 401 to an unsigned callback with %s, and logs no error', async (_what, body) => {
    lines.length = 0;
    const res = await fetch(`${url}?msg_signature=abc&timestamp=${Math.floor(Date.now() / 1000)}&nonce=1`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
    expect(res.status).toBe(401);
    expect(lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
  });

  it('refuses an oversized body with 413', async () => {
    const res = await fetch(`${url}?msg_signature=abc&timestamp=1&nonce=1`, { method: 'POST', body: `<xml><Encrypt>${'A'.repeat(70_000)}</Encrypt></xml>` });
    expect(res.status).toBe(413);
  });
});

describe('#wecom outbound client', () => {
  it('refreshes an expired token once (42001) and the send succeeds', async () => {
    await wecom.channel.send('demo.siteadmin', { kind: 'text', text: 'warm-up' });
    await fake.waitFor(() => fake.sent.length === 1);
    const issued = fake.tokensIssued;
    fake.expireTokens();
    await wecom.channel.send('demo.siteadmin', { kind: 'text', text: 'after expiry' });
    await fake.waitFor(() => fake.sent.length === 2, 15_000, 'the second send');
    expect(fake.tokensIssued).toBe(issued + 1);
    expect(fake.calls.filter((c) => c.errcode === 42001)).toHaveLength(1);
    expect(textsTo('demo.siteadmin')).toEqual(['warm-up', 'after expiry']);
  });

  it('retries -1 (busy), 500 and a slow answer, and delivers once', async () => {
    fake.inject('message/send', { errcode: -1 });
    fake.inject('message/send', { status: 500 });
    fake.inject('message/send', { status: 502, delayMs: 50 });
    await wecom.channel.send('demo.siteadmin', { kind: 'text', text: 'through the storm' });
    await fake.waitFor(() => fake.sent.length === 1, 15_000, 'delivery');
    await quiet();
    expect(textsTo('demo.siteadmin')).toEqual(['through the storm']);
    expect(fake.calls.filter((c) => c.api === 'message/send').length).toBe(4);
  });

  it('reports 60020 (IP not trusted) once as a health problem, keeps the message, and clears when it goes through', async () => {
    const before = lines.length;
    fake.inject('message/send', { errcode: 60020, times: 3 });
    await wecom.channel.send('demo.siteadmin', { kind: 'text', text: 'eventually' });
    await fake.waitFor(() => wecom.health().ok === false, 15_000, 'the health problem');
    expect(wecom.health().problems.map((p) => p.code)).toEqual(['ip_not_trusted']);
    await fake.waitFor(() => fake.sent.length === 1 && wecom.health().ok, 15_000, 'delivery after the fix');
    expect(textsTo('demo.siteadmin')).toEqual(['eventually']);
    const reported = lines.slice(before).filter((l) => l.level === 50 && String(l.msg).includes('60020'));
    expect(reported).toHaveLength(1);
  });

  it('sends a message whose sender died mid-send once its lease runs out', async () => {
    const now = new Date();
    await WecomOutboxModel.create({
      _id: 'orphan:0', kind: 'send', to: 'demo.siteadmin', payload: { touser: 'demo.siteadmin', msgtype: 'text', text: { content: 'orphan' } },
      status: 'sending', claim: 'dead-instance', leaseUntil: new Date(now.getTime() - 1), attempts: 1, nextAttemptAt: now, seq: 1, createdAt: now,
    });
    wecom.outbox.kick();
    await fake.waitFor(() => fake.sent.length === 1, 15_000, 'the orphan');
    await quiet();
    expect(textsTo('demo.siteadmin')).toEqual(['orphan']);
    expect(await findWecomOutbox('orphan:0')).toMatchObject({ status: 'sent', attempts: 2, claim: null });
  });

  it('splits a long text under WeCom\'s 2048-byte limit', async () => {
    const long = Array.from({ length: 300 }, (_, i) => `第${i}行：河北省政府网站`).join('\n');
    await wecom.channel.send('demo.siteadmin', { kind: 'text', text: long });
    await fake.waitFor(() => textsTo('demo.siteadmin').join('\n').length >= long.length, 15_000, 'the parts');
    const parts = textsTo('demo.siteadmin');
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((p) => Buffer.byteLength(p) <= 2048)).toBe(true);
    expect(parts.join('\n')).toBe(long);
  });
});

describe('#wecom cards', () => {
  const card = (title: string): Reply => ({
    kind: 'card',
    title,
    body: '请确认网站信息',
    fallback: title,
    buttons: [
      { key: 'show', text: '查看', command: 'site.show', input: { ref: '1301230002' }, style: 'primary' },
      { key: 'nope', text: '不是我的', command: 'site.show', input: { ref: '1300000006' } },
    ],
  });
  const cardsTo = (userid: string) => fake.sentTo(userid).filter((r) => r.body.msgtype === 'template_card');
  const taskOf = (rec: { body: Record<string, unknown> }) => (rec.body.template_card as { task_id: string }).task_id;

  it('renders a card as button_interaction with short button keys', async () => {
    await wecom.channel.send('demo.siteadmin', card('网站核对'));
    await fake.waitFor(() => cardsTo('demo.siteadmin').length === 1);
    const tc = cardsTo('demo.siteadmin')[0]!.body.template_card as Record<string, unknown>;
    expect(tc).toMatchObject({ card_type: 'button_interaction', main_title: { title: '网站核对' }, sub_title_text: '请确认网站信息' });
    expect(tc.button_list).toEqual([
      { text: '查看', style: 1, key: 'b0' },
      { text: '不是我的', style: 2, key: 'b1' },
    ]);
    expect(String(tc.task_id)).toMatch(/^[A-Za-z0-9_\-@]{1,128}$/);
  });

  it('runs the button\'s command on a click and updates the card with the result and who acted, once', async () => {
    await wecom.channel.send('demo.siteadmin', card('点一下'));
    await fake.waitFor(() => cardsTo('demo.siteadmin').length === 1);
    const taskId = taskOf(cardsTo('demo.siteadmin')[0]!);
    expect((await fake.clickCard(url, 'demo.siteadmin', taskId, 'b0')).status).toBe(200);
    await settle(() => fake.updates.length === 1, 'the card update');
    const upd = fake.updates[0]!.body;
    expect(upd).toMatchObject({ userids: ['demo.siteadmin'], agentid: fake.agentId });
    const tc = upd.template_card as Record<string, unknown>;
    expect(tc).toMatchObject({ card_type: 'button_interaction', task_id: taskId, horizontal_content_list: [{ keyname: zh('bot:wecom_card_acted_by_label'), value: '李静' }] });
    expect(String(tc.sub_title_text)).toContain('正定县教育局');
    expect(tc.replace_text).toBe(zh('bot:wecom_card_done', { button: '查看' }));

    // A second click (the other button) does not run anything again: it is told the card is done.
    await fake.clickCard(url, 'demo.siteadmin', taskId, 'b1');
    await settle(() => textsTo('demo.siteadmin').length >= 1, 'the already-done note');
    await quiet();
    expect(fake.updates).toHaveLength(1);
    expect(textsTo('demo.siteadmin').at(-1)).toBe(zh('bot:wecom_card_already_done', { title: '点一下' }));
  });

  it('sends the result as a new message when the card can no longer be updated', async () => {
    await wecom.channel.send('demo.siteadmin', card('过期卡片'));
    await fake.waitFor(() => cardsTo('demo.siteadmin').length === 1);
    fake.inject('message/update_template_card', { errcode: 40098 });
    await fake.clickCard(url, 'demo.siteadmin', taskOf(cardsTo('demo.siteadmin')[0]!), 'b0');
    await settle(() => textsTo('demo.siteadmin').length === 1, 'the fallback message');
    expect(fake.updates).toHaveLength(0);
    const text = textsTo('demo.siteadmin')[0]!;
    expect(text).toContain('过期卡片');
    expect(text).toContain('正定县教育局');
    expect(text).toContain(zh('bot:wecom_card_acted_by', { name: '李静', button: '查看' }));
  });

  it('refuses a click from someone the card was not sent to', async () => {
    await wecom.channel.send('demo.siteadmin', card('别人的卡片'));
    await fake.waitFor(() => cardsTo('demo.siteadmin').length === 1);
    await fake.clickCard(url, 'demo.siteadmin.en', taskOf(cardsTo('demo.siteadmin')[0]!), 'b0');
    await wecom.settle();
    await quiet();
    expect(fake.updates).toHaveLength(0);
    expect(fake.sentTo('demo.siteadmin.en')).toHaveLength(0);
  });

  it('keeps the card clickable when its command is refused, and says why', async () => {
    await wecom.channel.send('demo.siteadmin', card('无权查看'));
    await fake.waitFor(() => cardsTo('demo.siteadmin').length === 1);
    const taskId = taskOf(cardsTo('demo.siteadmin')[0]!);
    await fake.clickCard(url, 'demo.siteadmin', taskId, 'b1');
    await settle(() => textsTo('demo.siteadmin').length === 1, 'the refusal');
    expect(textsTo('demo.siteadmin')[0]).toContain(zh('bot:error_prefix'));
    expect(fake.updates).toHaveLength(0);
    await fake.clickCard(url, 'demo.siteadmin', taskId, 'b0');
    await settle(() => fake.updates.length === 1, 'the update after a good click');
  });
});
