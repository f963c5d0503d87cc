import { createChatEngine } from '../chat-engine';
import { replyText } from '../reply';
import { createLogger } from '../../lib/logger';
import { buildCtx } from '../../lib/command-context';
import { translatorFor } from '../../lib/i18n';
import { createDeps } from '../../lib/services';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { commandById } from '../../core/commands/registry';
import { runCommand } from '../../core/commands/run';
import { SENT_NOTICES_LIMIT } from '../../core/commands/notice.command';
import type { SentNoticeDTO } from '../../core/presenters/notice.presenter';
import { useTestDatabase } from '../../test/db';

useTestDatabase();

/** Tuesday 2027-03-02, 09:00 China time; each notice goes out a minute after the one before. */
let now = new Date('2027-03-02T01:00:00Z');
const tick = () => (now = new Date(now.getTime() + 60_000));
const deps = createDeps({ now: () => now });
const engine = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
const say = async (userid: string, line: string) => replyText(await engine.handle({ userid, text: line, source: 'shell' }));
const run = async <T>(userid: string, id: string, input: unknown) => (await runCommand(commandById(id)!, input, buildCtx((await deps.users.byUserid(userid))!, 'api', deps))) as T;
const zh = translatorFor('zh-CN');
const en = translatorFor('en');

type Sent = { notices: SentNoticeDTO[]; truncated: boolean };
const sent = (userid: string) => run<Sent>(userid, 'notice.sent', {});
const ids = (s: Sent) => s.notices.map((n) => n.id);

async function publish(userid: string, input: Record<string, unknown>): Promise<string> {
  tick();
  return (await run<{ notice: { id: string } }>(userid, 'notice.publish', input)).notice.id;
}

/** The notices of the story, by who sent them. */
const n = { county: '', city: '', cityCriticism: '', baoding: '', province: '' };

beforeAll(async () => {
  await seedDemoIfEmpty();
  // 正定 (130123, under 石家庄) asks its site admin 李静 to acknowledge; she does.
  n.county = await publish('demo.county', { title: '关于开展网站自查的通知', body: '请于本周内完成自查。', ack: true });
  await run('demo.siteadmin', 'notice.ack', { id: n.county });
  // 石家庄 (130100): a notice without acknowledgement, then a criticism to acknowledge (李静, 孙悦; nobody has yet).
  n.city = await publish('demo.city', { title: '关于更新栏目的通知', body: '请及时更新栏目。' });
  n.cityCriticism = await publish('demo.city', { title: '关于错链问题的通报', body: '部分网站存在错链。', kind: '通报', ack: true });
  // 保定 (130600) and the province (130000, above everyone) send their own.
  n.baoding = await publish('demo.city.bd', { title: '保定市通知', body: '保定。', ack: true });
  n.province = await publish('demo.province', { title: '全省通知', body: '全省。', ack: true });
});

describe('#notice.sent', () => {
  it('lists a city supervisor its own notices and those of the units below it, newest first, with acknowledgements', async () => {
    const out = await sent('demo.city');
    expect(ids(out)).toEqual([n.cityCriticism, n.city, n.county]);
    expect(out.truncated).toBe(false);
    const [criticism, plain, county] = out.notices;
    expect(criticism).toMatchObject({ kind: 'criticism', title: '关于错链问题的通报', requiresAck: true, recipients: 2, acknowledged: 0, by: '张伟' });
    expect(plain).toMatchObject({ kind: 'notice', requiresAck: false, recipients: 2, acknowledged: 0 });
    expect(county).toMatchObject({ requiresAck: true, recipients: 1, acknowledged: 1, unit: { code: '130123', name: '正定县人民政府' } });
    expect(county!.publishedAt).not.toBeNull();

    const reply = await say('demo.city', '我发的通知');
    expect(reply.split('\n')[0]).toBe(zh('bot:notices_sent.title', { count: 3 }));
    expect(reply).toContain(`· ${n.cityCriticism} [通报] 关于错链问题的通报 — 石家庄市人民政府（张伟），2027-03-02：已确认 0 / 2`);
    expect(reply).toContain(`· ${n.city} [通知] 关于更新栏目的通知`);
    expect(reply).toContain(zh('bot:notices_sent.state.no_ack', { recipients: 2 }));
    expect(reply).toContain(`· ${n.county} [通知] 关于开展网站自查的通知 — 正定县人民政府（王芳），2027-03-02：已确认 1 / 1`);
    expect(reply).not.toContain(n.baoding);
    expect(reply).not.toContain(n.province);
    expect(reply).toContain(zh('bot:notices_sent.hint', { id: n.cityCriticism }));
  });

  it('lists exactly the notices `notice.status` lets each supervisor follow', async () => {
    const all = Object.values(n);
    for (const userid of ['demo.county', 'demo.city', 'demo.city.bd', 'demo.province']) {
      const listed = new Set(ids(await sent(userid)));
      for (const id of all) {
        const status = run(userid, 'notice.status', { id });
        if (listed.has(id)) await expect(status).resolves.toMatchObject({ notice: { id } });
        // Not theirs to follow, nor sent to them (notices go to site admins): it reads as a missing notice.
        else await expect(status).rejects.toMatchObject({ code: 'not_found', status: 404 });
      }
    }
    // A county sees its own only; the province admin sees every one, its own first.
    expect(ids(await sent('demo.county'))).toEqual([n.county]);
    expect(ids(await sent('demo.city.bd'))).toEqual([n.baoding]);
    expect(ids(await sent('demo.province'))).toEqual([n.province, n.baoding, n.cityCriticism, n.city, n.county]);
  });

  it('counts acknowledgements as they come in', async () => {
    await run('demo.siteadmin.sjz', 'notice.ack', { id: n.cityCriticism });
    const [criticism] = (await sent('demo.city')).notices;
    expect(criticism).toMatchObject({ id: n.cityCriticism, acknowledged: 1, recipients: 2 });
    expect(await say('demo.city', '已发通知')).toContain('已确认 1 / 2');
  });

  it('answers in English, and says so when nothing was sent', async () => {
    expect(await say('demo.supervisor.en', 'sent notices')).toBe(en('bot:notices_sent.empty'));
    const id = await publish('demo.supervisor.en', { title: 'Quarterly self-check', body: 'Finish by month end.', ack: true });
    const reply = await say('demo.supervisor.en', 'sent notices');
    expect(reply.split('\n')[0]).toBe(en('bot:notices_sent.title', { count: 1 }));
    expect(reply).toContain(`· ${id} [notice] Quarterly self-check — `);
    expect(reply).toContain(en('bot:notices_sent.state.acks', { acknowledged: 0, recipients: (await sent('demo.supervisor.en')).notices[0]!.recipients }));
    expect(reply).toContain(en('bot:notices_sent.hint', { id }));
  });

  it(`lists the latest ${SENT_NOTICES_LIMIT} and says there are more`, async () => {
    // 涿州 (130681, under 保定) sends 21 notices to its bound groups only.
    const zz: string[] = [];
    for (let i = 1; i <= SENT_NOTICES_LIMIT + 1; i++) zz.push(await publish('demo.county.zz', { title: `涿州通知 ${i}`, body: '正文', to: 'groups' }));
    const out = await sent('demo.county.zz');
    expect(out.truncated).toBe(true);
    expect(ids(out)).toEqual(zz.slice(1).reverse());
    // 保定 is above 涿州: the same 20 newest, its own older one left out.
    const bd = await sent('demo.city.bd');
    expect(bd.truncated).toBe(true);
    expect(ids(bd)).toEqual(zz.slice(1).reverse());
    expect(await say('demo.county.zz', '我发的通知')).toContain(zh('bot:notices_sent.truncated', { limit: SENT_NOTICES_LIMIT }));
  });

  it('refuses a site admin', async () => {
    await expect(sent('demo.siteadmin')).rejects.toMatchObject({ code: 'forbidden_role' });
  });
});
