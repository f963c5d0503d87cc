import mongoose from 'mongoose';
import { connectMongo } from '../../store/connection';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { testDatabaseUri, uniqueDbName } from '../../test/db';
import { startFakeWecom, type FakeWecom } from '../../test/fake-wecom/fake-wecom';
import { serviceEnv, startService, type RunningService } from '../../test/service';

/**
 * The service as an operator runs it: `steward start` with WECOM_* set brings the WeCom channel up on
 * /wecom/callback, in front of the JSON API, and a text command from WeCom is answered through the API.
 */
describe('#steward start with WeCom configured', () => {
  let fake: FakeWecom;
  let service: RunningService;
  const dbName = uniqueDbName('wecomsvc');

  beforeAll(async () => {
    fake = await startFakeWecom();
    await connectMongo(testDatabaseUri(), dbName);
    await seedDemoIfEmpty();
    await mongoose.disconnect();
    service = await startService(serviceEnv({ MONGODB_URI: testDatabaseUri(), STEWARD_DB_NAME: dbName, STEWARD_JOBS: 'off' }, fake), 90_000);
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await fake?.close();
    await connectMongo(testDatabaseUri(), dbName);
    await mongoose.connection.db?.dropDatabase();
    await mongoose.disconnect();
  });

  it('answers a WeCom text command with a message/send to that member', async () => {
    const res = await fake.sendText(`http://127.0.0.1:${service.port}/wecom/callback`, 'demo.siteadmin', '我的网站');
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.sentTo('demo.siteadmin').length > 0, 20_000, 'the answer');
    const text = (fake.sentTo('demo.siteadmin')[0]!.body.text as { content: string }).content;
    expect(text).toContain('正定县教育局网站');
  });

  it('still serves the JSON API and shows the channel on /readyz', async () => {
    const ready = (await (await fetch(`http://127.0.0.1:${service.port}/readyz`)).json()) as { ok: boolean; channels?: { wecom?: { ok: boolean } } };
    expect(ready.ok).toBe(true);
    expect(ready.channels?.wecom?.ok).toBe(true);
    expect((await fetch(`http://127.0.0.1:${service.port}/api/v1/sites`)).status).toBe(401);
  });
});
