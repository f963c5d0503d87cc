import { jest } from '@jest/globals';
import mongoose from 'mongoose';
import { connectMongo } from '../store/connection';
import { seedDemoIfEmpty } from '../store/demo/seed-demo';
import { testDatabaseUri, uniqueDbName } from '../test/db';
import { startFakeWecom, type FakeWecom } from '../test/fake-wecom/fake-wecom';
import { serviceEnv, startService, type RunningService } from '../test/service';

jest.setTimeout(180_000);

const contentOf = (body: Record<string, unknown>): string =>
  body.msgtype === 'text' ? String((body.text as { content?: string }).content ?? '') : JSON.stringify(body.template_card ?? body);

/**
 * Issue #14, one effects pipeline: the effect of a chat or card action reaches the WeCom API within 2 s on
 * the embedded default, with the periodic jobs stopped — the commit kicks its dispatch and delivery in the
 * process that made it. Through `steward start` and a fake WeCom on loopback, as in production.
 */
describe('#effects: kicked after the commit, not at the next periodic run', () => {
  let fake: FakeWecom;
  let service: RunningService;
  const dbName = uniqueDbName('kick');

  beforeAll(async () => {
    fake = await startFakeWecom();
    await connectMongo(testDatabaseUri(), dbName);
    await seedDemoIfEmpty();
    service = await startService(serviceEnv({ MONGODB_URI: testDatabaseUri(), STEWARD_DB_NAME: dbName, STEWARD_JOBS: 'off', LOG_LEVEL: process.env.KICK_LOG ?? 'warn' }, fake));
  });

  afterAll(async () => {
    await service?.stop();
    await fake?.close();
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });

  it('brings the first approver a card within 2 s of the filing callback, and the approve click\'s result to the requester within 2 s', async () => {
    const url = `http://127.0.0.1:${service.port}/wecom/callback`;
    // A first exchange each, so what is timed is the path, not a fresh process loading its modules.
    for (const who of ['demo.siteadmin', 'demo.county']) {
      await fake.sendText(url, who, '待审批');
      await fake.waitFor(() => fake.sentTo(who).length > 0, 20_000, `the answer to ${who}'s first message`);
    }
    const filedAt = Date.now();
    const res = await fake.sendText(url, 'demo.siteadmin', '临时下线 jyj.zhengding.gov.cn start=2027-03-01 end=2027-03-10 reason=机房搬迁');
    expect(res.status).toBe(200);
    const cardFor = () => fake.sentTo('demo.county').find((r) => r.body.msgtype === 'template_card');
    await fake.waitFor(() => Boolean(cardFor()), 10_000, "the county supervisor's approval card");
    const cardMs = cardFor()!.at - filedAt;
    const id = /R\d{4}-\d{4}/.exec(contentOf(cardFor()!.body))?.[0];
    expect(id).toMatch(/^R\d{4}-\d{4}$/);

    const requesterBefore = fake.sentTo('demo.siteadmin').length;
    const card = cardFor()!.body.template_card as { task_id: string; button_list: { text: string; key: string }[] };
    const approve = card.button_list.find((b) => b.text === '同意')!;
    const clickedAt = Date.now();
    expect((await fake.clickCard(url, 'demo.county', card.task_id, approve.key)).status).toBe(200);
    const resultFor = () => fake.sentTo('demo.siteadmin').slice(requesterBefore).find((r) => contentOf(r.body).includes(id!));
    await fake.waitFor(() => Boolean(resultFor()), 10_000, "the approval's result for the requester");
    const resultMs = resultFor()!.at - clickedAt;

    if (process.env.KICK_LOG) process.stderr.write(service.output());
    process.stderr.write(`[effects] approval card ${cardMs} ms after filing; result to the requester ${resultMs} ms after the click\n`);
    expect(cardMs).toBeLessThan(2_000);
    expect(resultMs).toBeLessThan(2_000);
  });
});
