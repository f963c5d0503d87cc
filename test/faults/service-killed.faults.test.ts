import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { hashApiToken } from '../../store/api-token.repo';
import { ApiTokenModel } from '../../store/api-token.model';
import { connectMongo } from '../../store/connection';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { NotificationModel } from '../../store/notification.model';
import { RequestModel } from '../../store/request.model';
import { testDatabaseUri, uniqueDbName } from '../db';
import { startFakeWecom, type FakeWecom } from '../fake-wecom/fake-wecom';
import { FULL, recordFigures } from './figures';
import { serviceEnv, sleep, startService, until, type RunningService } from '../service';

/**
 * The service killed with SIGKILL — no graceful stop — in the middle of a broadcast and right after an
 * approval was acknowledged, then started again. Promised: what was acknowledged happens, once: every
 * recipient gets the notice once, the approval stands once and its effects (the requester's message) run once.
 */
jest.setTimeout(FULL ? 600_000 : 300_000);

describe('#fault: the service is killed mid-broadcast and mid-approval', () => {
  let fake: FakeWecom;
  let service: RunningService;
  const dbName = uniqueDbName('killed');
  let env: NodeJS.ProcessEnv;
  const tokens: Record<string, string> = {};

  const api = async (who: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${service.port}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as { ok: boolean; data?: Record<string, unknown>; error?: string } };
  };
  const textsTo = (userid: string, needle: string) =>
    fake.sentTo(userid).filter((r) => JSON.stringify(r.body).includes(needle));

  beforeAll(async () => {
    fake = await startFakeWecom();
    await connectMongo(testDatabaseUri(), dbName);
    await seedDemoIfEmpty();
    for (const userid of ['demo.province', 'demo.siteadmin.en']) {
      tokens[userid] = `sst_${randomBytes(32).toString('base64url')}`;
      await ApiTokenModel.create({ hash: hashApiToken(tokens[userid]!), userid, label: 'fault suite' });
    }
    env = serviceEnv({ MONGODB_URI: testDatabaseUri(), STEWARD_DB_NAME: dbName, STEWARD_JOBS: 'on' }, fake);
    service = await startService(env);
  });

  afterAll(async () => {
    await service?.stop();
    await fake?.close();
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });

  it('delivers a broadcast to every recipient once although the service died while sending it', async () => {
    // Slow sends, so the broadcast is surely in flight when the process dies.
    for (let i = 0; i < 4; i++) fake.inject('message/send', { delayMs: 1500 });
    const title = `停电演练 ${randomBytes(3).toString('hex')}`;
    const published = await api('demo.province', 'POST', '/notices', { title, body: '请确认收到。', ack: true });
    expect(published.status).toBe(201);
    const id = (published.body.data as { notice: { id: string } }).notice.id;
    const recipients = (await NotificationModel.find({ effectId: `notice:${id}` }, { userid: 1 }).lean()).map((n) => n.userid).filter((u) => !u.includes(':'));
    expect(recipients.length).toBeGreaterThan(1);

    await until(() => fake.calls.some((c) => c.api === 'message/send'), 90_000, 'the broadcast to start');
    await service.kill();
    const sentBeforeKill = recipients.filter((r) => textsTo(r, title).length > 0).length;

    service = await startService(env);
    await until(() => recipients.every((r) => textsTo(r, title).length > 0), 120_000, 'every recipient to get the notice');
    await sleep(3000); // room for a second copy to show
    const copies = recipients.map((r) => textsTo(r, title).length);
    recordFigures('service killed mid-broadcast', {
      recipients: recipients.length,
      sentBeforeKill,
      delivered: copies.filter((n) => n > 0).length,
      lost: copies.filter((n) => n === 0).length,
      doubled: copies.filter((n) => n > 1).length,
      resendsSuppressedByWecom: fake.suppressed.length,
    });
    expect(copies.every((n) => n === 1)).toBe(true);
  });

  it('keeps an approval acknowledged just before the service died, and runs its effects once', async () => {
    const filed = await api('demo.siteadmin.en', 'POST', '/requests/emergency-shutdown', { site: 'swt.hebei.gov.cn', reason: 'force_majeure', start: '2027-05-02', end: '2027-05-03', note: 'outage' });
    expect(filed.status).toBe(201);
    const id = (filed.body.data as { request: { id: string } }).request.id;
    const approved = await api('demo.province', 'POST', `/requests/${id}/approve`, { comment: '同意' });
    expect(approved.status).toBe(201);
    await service.kill(); // before the periodic jobs could dispatch the approval's effects

    service = await startService(env);
    await until(async () => (await RequestModel.findById(id).lean())!.effects.every((e) => e.status === 'done'), 120_000, 'the approval’s effects to run');
    await until(() => textsTo('demo.siteadmin.en', id).length >= 1, 120_000, 'the requester to be told');
    await sleep(3000);
    const doc = (await RequestModel.findById(id).lean())!;
    const toRequester = await NotificationModel.find({ userid: 'demo.siteadmin.en', requestId: id }).lean();
    const byEffect = new Map<string, number>();
    for (const n of toRequester) byEffect.set(n.effectId, (byEffect.get(n.effectId) ?? 0) + 1);
    recordFigures('service killed mid-approval', {
      approvals: doc.audit.filter((a) => a.action === 'approve').length,
      effects: doc.effects.length,
      notificationsToRequester: toRequester.length,
      messagesToRequester: textsTo('demo.siteadmin.en', id).length,
    });
    expect(doc.audit.filter((a) => a.action === 'approve')).toHaveLength(1);
    expect([...byEffect.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(textsTo('demo.siteadmin.en', id).map((r) => JSON.stringify(r.body))).size).toBe(textsTo('demo.siteadmin.en', id).length);
  });
});
