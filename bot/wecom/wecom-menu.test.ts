import { createLogger } from '../../lib/logger';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { useTestDatabase } from '../../test/db';
import type { FakeWecom } from '../../test/fake-wecom/fake-wecom';
import { startWecomHarness, type WecomHarness } from '../../test/fake-wecom/harness';
import type { Wecom } from './wecom';

useTestDatabase();

let harness: WecomHarness;
let fake: FakeWecom;
let wecom: Wecom;
let url = '';

const textsTo = (userid: string) => fake.sentTo(userid).filter((r) => r.body.msgtype === 'text').map((r) => (r.body.text as { content: string }).content);

beforeAll(async () => {
  await seedDemoIfEmpty();
  harness = await startWecomHarness(
    { retryBaseMs: 10, httpTimeoutMs: 1000, duplicateCheckSeconds: 0, pace: { perMinute: 1000, perHour: 10_000 }, outbox: { pollMs: 10, backoffBaseMs: 20, backoffMaxMs: 200 } },
    { logger: createLogger('silent'), menu: true },
  );
  ({ fake, url } = harness);
  wecom = harness.instances[0]!;
});

afterAll(async () => {
  await harness?.close();
});

describe('#wecom app menu', () => {
  it('is created at start from the command registry: 待办, 申请, 我的, each button a click on a command', async () => {
    expect(fake.menus).toHaveLength(1);
    const click = (name: string, id: string) => ({ type: 'click', name, key: `cmd:${id}` });
    expect(fake.menus[0]!.body).toEqual({
      button: [
        { name: '待办', sub_button: [click('待审批', 'request.inbox'), click('投诉列表', 'complaint.list'), click('今日到期', 'complaint.due'), click('我的申请', 'request.mine')] },
        { name: '申请', sub_button: [click('临时下线', 'request.temp_offline'), click('变更备案', 'request.change_record'), click('紧急关停', 'request.emergency_shutdown')] },
        { name: '我的', sub_button: [click('通知', 'notification.mine'), click('定期任务', 'obligation.list'), click('帮助', 'help'), click('语言', 'me.locale')] },
      ],
    });
  });

  it('is created again, the same, when asked again (idempotent), and a refusal from WeCom only logs', async () => {
    expect(await wecom.publishMenu()).toBe(true);
    expect(fake.menus.at(-1)!.body).toEqual(fake.menus[0]!.body);
    fake.inject('menu/create', { errcode: 60011 });
    expect(await wecom.publishMenu()).toBe(false);
    // Not a problem of the channel: messages still reach people.
    expect(wecom.health()).toEqual({ ok: true, problems: [] });
  });

  it('runs a clicked command as if typed, and the answer reaches the person', async () => {
    fake.reset();
    expect((await fake.clickMenu(url, 'demo.siteadmin', 'cmd:help')).status).toBe(200);
    await wecom.settle();
    await fake.waitFor(() => textsTo('demo.siteadmin').length > 0, 15_000, 'the help reply');
    expect(textsTo('demo.siteadmin')[0]).toContain('可用命令：');
  });

  it('answers a menu click in the person’s language, with the same role gate as typing', async () => {
    fake.reset();
    await fake.clickMenu(url, 'demo.siteadmin.en', 'cmd:request.inbox');
    await wecom.settle();
    await fake.waitFor(() => textsTo('demo.siteadmin.en').length > 0, 15_000, 'the inbox reply');
    expect(textsTo('demo.siteadmin.en')[0]).toMatch(/supervisor/i);
  });

  it('refuses a stranger politely and ignores a key that is not ours', async () => {
    fake.reset();
    await fake.clickMenu(url, 'stranger', 'cmd:help');
    await fake.clickMenu(url, 'demo.county', 'V1001_TODAY_MUSIC');
    await wecom.settle();
    await fake.waitFor(() => textsTo('stranger').length > 0, 15_000, 'the refusal');
    await new Promise((r) => setTimeout(r, 300));
    expect(textsTo('stranger')[0]).toContain('stranger');
    expect(fake.sentTo('demo.county')).toHaveLength(0);
  });
});
