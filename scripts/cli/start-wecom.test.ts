import { spawn, type ChildProcess } from 'node:child_process';
import mongoose from 'mongoose';
import { connectMongo } from '../../store/connection';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { PROJECT_ROOT } from '../../store/database';
import { testDatabaseUri, uniqueDbName } from '../../test/db';
import { startFakeWecom, type FakeWecom } from '../../test/fake-wecom/fake-wecom';
import { NODE, STEWARD } from '../../test/cli';


/**
 * The service as an operator runs it: `steward start` with WECOM_* set brings the WeCom channel up on
 * /wecom/callback, in front of the JSON API, and a text command from WeCom is answered through the API.
 */
describe('#steward start with WeCom configured', () => {
  let fake: FakeWecom;
  let child: ChildProcess;
  let output = '';
  let port = 0;
  const dbName = uniqueDbName('wecomsvc');

  beforeAll(async () => {
    fake = await startFakeWecom();
    await connectMongo(testDatabaseUri(), dbName);
    await seedDemoIfEmpty();
    await mongoose.disconnect();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MONGODB_URI: testDatabaseUri(),
      STEWARD_DB_NAME: dbName,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      STEWARD_JOBS: 'off',
      WECOM_CORP_ID: fake.corpId,
      WECOM_AGENT_ID: String(fake.agentId),
      WECOM_SECRET: fake.secret,
      WECOM_TOKEN: fake.token,
      WECOM_AES_KEY: fake.aesKey,
      WECOM_API_BASE: fake.base,
    };
    child = spawn(NODE, [...STEWARD, 'start'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start:\n${output}`)), 90_000);
      const onData = (d: Buffer) => {
        output += d.toString();
        const m = /listening on http:\/\/localhost:(\d+)/.exec(output);
        if (m) {
          port = Number(m[1]);
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
    });
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      await new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
      });
    }
    await fake?.close();
    await connectMongo(testDatabaseUri(), dbName);
    await mongoose.connection.db?.dropDatabase();
    await mongoose.disconnect();
  });

  it('answers a WeCom text command with a message/send to that member', async () => {
    const res = await fake.sendText(`http://127.0.0.1:${port}/wecom/callback`, 'demo.siteadmin', '我的网站');
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.sentTo('demo.siteadmin').length > 0, 20_000, 'the answer');
    const text = (fake.sentTo('demo.siteadmin')[0]!.body.text as { content: string }).content;
    expect(text).toContain('正定县教育局网站');
  });

  it('still serves the JSON API and shows the channel on /readyz', async () => {
    const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { ok: boolean; channels?: { wecom?: { ok: boolean } } };
    expect(ready.ok).toBe(true);
    expect(ready.channels?.wecom?.ok).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/sites`)).status).toBe(401);
  });
});
