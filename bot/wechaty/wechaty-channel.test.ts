import { log as wechatyLog, types, type Message } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { createLogger } from '../../lib/logger';
import { translatorFor } from '../../lib/i18n';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { createServices } from '../../lib/services';
import { issueBindingCode } from '../../store/wechaty-binding';
import { WechatyRoomModel } from '../../store/wechaty-room.model';
import { useTestDatabase } from '../../test/db';
import { createChatEngine } from '../chat-engine';
import { replyText, text } from '../reply';
import { startWechatyChannel, WechatySendError, type WechatyChannel, type WechatyChannelOptions } from './wechaty-channel';

useTestDatabase();
wechatyLog.level('silent');

const services = createServices();
const deps = services.deps;
const logger = createLogger('silent');
const shell = createChatEngine({ deps, logger, defaultLocale: 'zh-CN' });

beforeAll(async () => {
  expect((await seedDemoIfEmpty()).seeded).toBe(true);
});

type MockContact = ReturnType<mock.Mocker['createContact']>;
type MockRoom = ReturnType<mock.Mocker['createRoom']>;

/** What the bot said, as the mock world saw it: into which conversation, which text. */
interface Said {
  to: string;
  text: string;
}

/** A logged-in bot on a mock puppet, with people to talk to it and a record of everything it says. */
async function world(options: Partial<WechatyChannelOptions> = {}) {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  // Wired the way scripts/cli/start.ts does it, with the mock puppet in place of the configured one.
  const channel: WechatyChannel = await startWechatyChannel({
    deps,
    logger,
    store: services.wechatyStore,
    config: { WECHATY_PUPPET: 'wechaty-puppet-mock', WECHATY_PUPPET_TOKEN: undefined, STEWARD_LOCALE: 'zh-CN' },
    puppet,
    options: { sendIntervalMs: 0, backoff: { initialMs: 20, maxMs: 200 }, ...options },
  });
  const self = mocker.createContact({ name: 'Steward' });
  const said: Said[] = [];
  self.on('message', (m) => {
    const p = m.payload as { talkerId?: string; roomId?: string; listenerId?: string; text?: string };
    if (p.talkerId === self.id) said.push({ to: p.roomId ?? p.listenerId ?? '?', text: p.text ?? '' });
  });
  const login = async () => {
    mocker.login(self);
    await until(() => channel.bot.isLoggedIn);
  };
  await login();

  /** Resolves when the bot has received the next message from `talkerId` (and handled it, via settle). */
  const received = (talkerId: string) =>
    new Promise<Message>((resolve) => {
      const on = (m: Message) => {
        if (m.talker().id !== talkerId) return;
        channel.bot.off('message', on);
        resolve(m);
      };
      channel.bot.on('message', on);
    });

  /** One turn: `who` says `words` (to the bot, or into `room` mentioning the bot or not); what the bot answered. */
  async function turn(who: MockContact, words: string, where: { room?: MockRoom; mention?: boolean } = {}): Promise<{ replies: string[]; message: Message }> {
    const before = said.length;
    const got = received(who.id);
    if (where.room) who.say(words, where.mention ? [self] : []).to(where.room);
    else who.say(words).to(self);
    const message = await got;
    await channel.settle();
    return { replies: said.slice(before).map((s) => s.text), message };
  }

  return { mocker, puppet, channel, self, said, login, received, turn, person: (name: string) => mocker.createContact({ name }) };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A binding code, the way a user gets one: by typing 绑定码 in another channel (here the shell). */
async function codeFor(userid: string): Promise<string> {
  const answer = replyText(await shell.handle({ userid, text: '绑定码', source: 'shell' }));
  const code = /([A-Z2-9]{8})/.exec(answer)?.[1];
  if (!code) throw new Error(`no code in: ${answer}`);
  return code;
}

const zh = translatorFor('zh-CN');
const refusal = zh('errors:wechaty_unknown_contact');

let w: Awaited<ReturnType<typeof world>>;
afterEach(async () => {
  await w?.channel.stop();
});

describe('#wechaty channel', () => {
  it('binds a contact with a one-time code, then serves it; codes work once and only the newest', async () => {
    w = await world();
    const li = w.person('李静');
    const stranger = w.person('陌生人');

    // The code comes from another channel, in the user's language.
    const answer = replyText(await shell.handle({ userid: 'demo.siteadmin', text: '绑定码', source: 'shell' }));
    expect(answer).toMatch(/^您的绑定码：[A-Z2-9]{8}（10 分钟内有效，仅可使用一次）。请用要绑定的微信向机器人发送：绑定 [A-Z2-9]{8}$/);
    const stale = /([A-Z2-9]{8})/.exec(answer)![1]!;
    const code = await codeFor('demo.siteadmin');

    expect((await w.turn(li, 'sites')).replies).toEqual([refusal]);
    expect((await w.turn(li, `绑定 ${stale}`)).replies).toEqual([zh('bot:wechaty_code_invalid')]);
    expect((await w.turn(li, `绑定 ${code.toLowerCase()}`)).replies).toEqual(['绑定成功：此微信账号已绑定到李静（demo.siteadmin）。发送“帮助”查看可用命令。']);

    const sites = (await w.turn(li, 'sites')).replies;
    expect(sites).toHaveLength(1);
    expect(sites[0]!.split('\n').sort()).toEqual(['您的网站（共 2 个）：', '· 正定县人民政府门户网站（www.zhengding.gov.cn）门户网站 · 运行中', '· 正定县教育局网站（jyj.zhengding.gov.cn）部门网站 · 运行中'].sort());
    expect((await w.turn(li, `bind ${code}`)).replies).toEqual(['此微信账号已绑定到demo.siteadmin，无需再次绑定。']);

    // The same code from someone else: used up.
    expect((await w.turn(stranger, `绑定 ${code}`)).replies).toEqual([zh('bot:wechaty_code_invalid')]);
    expect((await w.turn(stranger, '我的网站')).replies).toEqual([refusal]);
  });

  it('refuses an expired code and stops guessing after a few tries', async () => {
    w = await world({ maxBindAttempts: 3 });
    const grace = w.person('Grace');
    const { code } = await issueBindingCode('demo.siteadmin.en', { now: new Date(Date.now() - 11 * 60_000) });
    expect((await w.turn(grace, `bind ${code}`)).replies).toEqual([zh('bot:wechaty_code_expired')]);
    expect((await w.turn(grace, 'bind AAAAAAAA')).replies).toEqual([zh('bot:wechaty_code_invalid')]);
    expect((await w.turn(grace, 'bind BBBBBBBB')).replies).toEqual([zh('bot:wechaty_code_invalid')]);
    const fresh = await codeFor('demo.siteadmin.en');
    expect((await w.turn(grace, `bind ${fresh}`)).replies).toEqual([zh('bot:wechaty_code_too_many', { minutes: 15 })]);
  });

  it('answers in the user’s language', async () => {
    w = await world();
    const grace = w.person('Grace');
    const code = await codeFor('demo.siteadmin.en');
    expect((await w.turn(grace, `bind ${code}`)).replies).toEqual(['Bound: this WeChat account now acts as Grace Wang (demo.siteadmin.en). Send "help" for the commands.']);
    const [whoami] = (await w.turn(grace, 'whoami')).replies;
    expect(whoami).toContain('Grace Wang');
    expect((await w.turn(grace, 'frobnicate')).replies).toEqual(['I don\'t know the command "frobnicate". Send "help" for the list.']);
  });

  it('in a room, answers only mentions and prefixed messages, mentioning the asker; a bare mention gets help', async () => {
    w = await world();
    const li = w.person('李静');
    await w.turn(li, `绑定 ${await codeFor('demo.siteadmin')}`);
    const room = w.mocker.createRoom({ topic: '正定县网站工作群', memberIdList: [w.self.id, li.id] });

    expect((await w.turn(li, 'sites', { room })).replies).toEqual([]);
    const mentioned = await w.turn(li, '@Steward sites', { room, mention: true });
    expect(mentioned.replies).toHaveLength(1);
    expect(mentioned.replies[0]).toMatch(/^@李静 您的网站（共 2 个）：/);
    expect(w.said.at(-1)!.to).toBe(room.id);
    expect((await w.turn(li, '/sites', { room })).replies[0]).toMatch(/^@李静 您的网站（共 2 个）：/);
    expect((await w.turn(li, '！我的网站', { room })).replies[0]).toMatch(/^@李静 您的网站（共 2 个）：/);
    expect((await w.turn(li, '@Steward', { room, mention: true })).replies[0]).toMatch(/^@李静 可用命令：/);

    // Strangers in the room get the refusal only when they address the bot.
    const stranger = w.person('陌生人');
    expect((await w.turn(stranger, 'sites', { room })).replies).toEqual([]);
    expect((await w.turn(stranger, '/sites', { room })).replies).toEqual([`@陌生人 ${refusal}`]);
  });

  it('lets a supervisor of the unit bind a room, not a site admin; then posts to the room by unit', async () => {
    w = await world();
    const li = w.person('李静');
    const wang = w.person('王芳');
    await w.turn(li, `绑定 ${await codeFor('demo.siteadmin')}`);
    await w.turn(wang, `绑定 ${await codeFor('demo.county')}`);
    const room = w.mocker.createRoom({ topic: '正定县网站工作群', memberIdList: [w.self.id, li.id, wang.id] });

    await expect(w.channel.send('room:130123', text('通知'))).rejects.toBeInstanceOf(WechatySendError);
    expect((await w.turn(li, '@Steward 绑定本群 130123', { room, mention: true })).replies).toEqual(['@李静 ⚠️ 只有“正定县人民政府”的主管人员或省级管理员可以把群绑定到该单位。']);
    expect(await WechatyRoomModel.findById(room.id)).toBeNull();
    expect((await w.turn(wang, '/绑定本群', { room })).replies).toEqual(['@王芳 用法：绑定本群 <单位代码>，例如：绑定本群 130123']);
    expect((await w.turn(wang, '/绑定本群 130123', { room })).replies).toEqual(['@王芳 本群已绑定到“正定县人民政府”（130123），该单位的群通知将发到这里。']);
    expect((await w.turn(wang, '/绑定本群 130123', { room })).replies).toEqual(['@王芳 本群已经绑定到“正定县人民政府”（130123）。']);
    // Not in a room: nothing to bind.
    expect((await w.turn(wang, '绑定本群 130123')).replies).toEqual(['“绑定本群”只能在要绑定的群里发送。']);
    // A county supervisor cannot take the room for another county.
    expect((await w.turn(wang, '/绑定本群 130681', { room })).replies[0]).toMatch(/^@王芳 ⚠️ 只有“.+”的主管人员或省级管理员可以把群绑定到该单位。$/);

    const before = w.said.length;
    await w.channel.send('room:130123', text('【通知】本周五前完成网站自查。'));
    await w.channel.send('demo.siteadmin', { kind: 'markdown', markdown: '**请处理**', fallback: '请处理：网站自查' });
    expect(w.said.slice(before)).toEqual([
      { to: room.id, text: '【通知】本周五前完成网站自查。' },
      { to: li.id, text: '请处理：网站自查' },
    ]);
    await expect(w.channel.send('demo.city', text('x'))).rejects.toMatchObject({ code: 'no_contact' });
  });

  it('ignores its own messages, official accounts and configured bots', async () => {
    const otherBotId = 'other-bot';
    w = await world({ ignoreContactIds: [otherBotId] });
    const li = w.person('李静');
    await w.turn(li, `绑定 ${await codeFor('demo.siteadmin')}`);
    const handled = w.channel.stats().handled;

    const room = w.mocker.createRoom({ topic: '工作群', memberIdList: [w.self.id, li.id] });
    // The bot's own message is all that is said: it does not answer itself.
    expect((await w.turn(w.self, '/sites', { room })).replies).toEqual(['/sites']);
    const official = w.mocker.createContact({ name: '公众号', type: types.Contact.Official });
    expect((await w.turn(official, 'sites')).replies).toEqual([]);
    const otherBot = w.mocker.createContact({ id: otherBotId, name: '别的机器人' });
    expect((await w.turn(otherBot, 'sites')).replies).toEqual([]);
    expect(w.channel.stats().handled).toBe(handled);
  });

  it('runs a re-delivered message once', async () => {
    w = await world();
    const li = w.person('李静');
    await w.turn(li, `绑定 ${await codeFor('demo.siteadmin')}`);
    const { message, replies } = await w.turn(li, 'whoami');
    expect(replies).toHaveLength(1);

    const before = w.said.length;
    const again = w.received(li.id);
    w.puppet.emit('message', { messageId: message.id });
    expect((await again).id).toBe(message.id);
    await w.channel.settle();
    expect(w.said.length).toBe(before);
    expect(w.channel.stats().duplicates).toBe(1);
  });

  it('ignores messages older than the maximum age (replays after a restart)', async () => {
    w = await world({ now: () => new Date(Date.now() + 11 * 60_000) });
    const stranger = w.person('陌生人');
    expect((await w.turn(stranger, 'sites')).replies).toEqual([]);
    expect(w.channel.stats().handled).toBe(0);
  });

  it('reconnects when the puppet reports an error or stops, and serves again after login', async () => {
    w = await world();
    const li = w.person('李静');
    await w.turn(li, `绑定 ${await codeFor('demo.siteadmin')}`);

    const restarted = new Promise((r) => w.channel.events.once('restarted', r));
    w.puppet.emit('error', { gerror: 'connection to the puppet service lost' });
    await restarted;
    expect(w.channel.stats().restarts).toBe(1);
    await w.login();
    expect((await w.turn(li, 'whoami')).replies[0]).toContain('李静');

    const scheduled = new Promise<{ reason: string; delayMs: number }>((r) => w.channel.events.once('restart-scheduled', r));
    const again = new Promise((r) => w.channel.events.once('restarted', r));
    await w.puppet.stop();
    expect(await scheduled).toEqual({ reason: 'logout', delayMs: 20 });
    await again;
    expect(w.channel.stats().restarts).toBe(2);
    await w.login();
    expect((await w.turn(li, 'whoami')).replies[0]).toContain('李静');
  });
});
