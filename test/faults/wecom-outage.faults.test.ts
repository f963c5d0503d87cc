import { jest } from '@jest/globals';
import mongoose from 'mongoose';
import { connectMongo } from '../../store/connection';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { testDatabaseUri, uniqueDbName } from '../db';
import { startFakeWecom, type Fault, type FakeWecom } from '../fake-wecom/fake-wecom';
import { FULL, recordFigures } from './figures';
import { serviceEnv, sleep, startService, until, type RunningService } from '../service';

/**
 * WeCom's API failing for a while — HTTP 5xx, errcode -1 (system busy), 42001 (token expired) on every call,
 * or answering slowly — while people keep writing to the bot. Promised: every answer is delivered once the
 * API is back, and none twice (WeCom's own duplicate check, which the outbox asks for, absorbs the resend of
 * a send whose answer was lost to a timeout).
 */
const OUTAGE_MS = FULL ? 60_000 : 6_000;
const MESSAGES = FULL ? 40 : 8;
const PEOPLE = ['demo.siteadmin', 'demo.county', 'demo.city', 'demo.province'];
jest.setTimeout(FULL ? 900_000 : 240_000);

const OUTAGES: [string, Omit<Fault, 'untilMs'>][] = [
  ['HTTP 503', { status: 503 }],
  ['errcode -1 (system busy)', { errcode: -1 }],
  ['errcode 42001 (token expired)', { errcode: 42001 }],
  // Slower than the client's 10 s timeout in the long form: each answer is lost, the send is resent.
  ['slow answers', { delayMs: FULL ? 12_000 : 2_500 }],
];

describe('#fault: the WeCom API fails for a while', () => {
  let fake: FakeWecom;
  let service: RunningService;
  const dbName = uniqueDbName('wecomout');

  beforeAll(async () => {
    fake = await startFakeWecom();
    await connectMongo(testDatabaseUri(), dbName);
    await seedDemoIfEmpty();
    service = await startService(serviceEnv({ MONGODB_URI: testDatabaseUri(), STEWARD_DB_NAME: dbName, STEWARD_JOBS: 'off' }, fake));
  });

  afterAll(async () => {
    await service?.stop();
    await fake?.close();
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });

  it.each(OUTAGES)('delivers every answer once after %s', async (name, fault) => {
    fake.reset();
    const callbackUrl = `http://127.0.0.1:${service.port}/wecom/callback`;
    const started = Date.now();
    fake.inject('message/send', { ...fault, untilMs: started + OUTAGE_MS });
    for (let i = 0; i < MESSAGES; i++) {
      // A text of its own, so each answer differs (WeCom's duplicate check drops an identical one on purpose).
      const res = await fake.sendText(callbackUrl, PEOPLE[i % PEOPLE.length]!, `${name} 消息 ${i}`);
      expect(res.status).toBe(200);
      await sleep(OUTAGE_MS / MESSAGES / 2);
    }
    await until(() => fake.sent.length >= MESSAGES, OUTAGE_MS + (FULL ? 240_000 : 45_000), `${MESSAGES} answers after the outage`).catch((err: Error) => {
      const why = { sent: fake.sent.length, suppressed: fake.suppressed.length, calls: fake.calls.slice(-12), log: service.output().split('\n').slice(-15) };
      throw new Error(`${err.message}: ${JSON.stringify(why, null, 1)}`);
    });
    const deliveredAfterMs = Date.now() - started - OUTAGE_MS;
    await sleep(3000); // room for a doubled answer to show
    const failedCalls = fake.calls.filter((c) => c.api === 'message/send' && (c.status !== 200 || c.errcode !== 0)).length;
    recordFigures(`WeCom API outage: ${name}`, {
      outageMs: OUTAGE_MS,
      messages: MESSAGES,
      failedSendCalls: failedCalls,
      delivered: fake.sent.length,
      doubled: Math.max(0, fake.sent.length - MESSAGES),
      resendsSuppressedByWecom: fake.suppressed.length,
      lastDeliveredAfterOutageMs: Math.max(0, deliveredAfterMs),
    });
    expect(fake.sent).toHaveLength(MESSAGES);
    expect(PEOPLE.map((p) => fake.sentTo(p).length).reduce((a, b) => a + b, 0)).toBe(MESSAGES);
  });
});
