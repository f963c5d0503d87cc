import request from 'supertest';
import { createChatEngine } from '../../bot/chat-engine';
import { replyText } from '../../bot/reply';
import { createLogger } from '../../lib/logger';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { createDeps, apiPortsOf, createServices } from '../../lib/services';
import { MpBindingCodeModel, MpSpentModel, MpTokenModel } from '../../store/mp-auth.model';
import { fakeMiniprogramConfig, startFakeWechat, type FakeWechat } from '../../test/fake-wechat/fake-wechat';
import { useTestDatabase } from '../../test/db';
import { createApp } from '../app';

useTestDatabase();

const deps = createDeps();
const logger = createLogger('silent');
let fake: FakeWechat;
let http: () => ReturnType<typeof request>;

beforeAll(async () => {
  await seedDemoIfEmpty();
  fake = await startFakeWechat();
  const app = createApp({
    deps,
    ...apiPortsOf(createServices()),
    logger,
    config: { bodyLimit: '1mb', defaultLocale: 'zh-CN' },
    miniprogram: fakeMiniprogramConfig(fake, { wechatApp: true }),
  });
  http = () => request(app.callback());
});

afterAll(() => fake.close());

const login = (mode: 'wecom' | 'wechat', code: string, lng = 'zh-CN') => http().post('/api/v1/mp/login').set('Accept-Language', lng).send({ mode, code });
const me = (token: string) => http().get('/api/v1/me').set('Authorization', `Bearer ${token}`);

describe('#miniprogram.login', () => {
  it('signs a WeCom member in through jscode2session; the session token works on the API; no session_key leaks', async () => {
    const res = await login('wecom', fake.wecomCode('demo.province'));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'ok', user: { userid: 'demo.province', locale: 'zh-CN' }, session: { expiresIn: 7200, refreshExpiresIn: 30 * 86400 } });
    expect(JSON.stringify(res.body)).not.toMatch(/session_key|sk-wecom/);
    expect(fake.calls.map((c) => c.path)).toEqual(expect.arrayContaining(['/cgi-bin/gettoken', '/cgi-bin/miniprogram/jscode2session']));
    const who = await me(res.body.data.session.accessToken);
    expect(who.status).toBe(200);
    expect(who.body.data.me.userid).toBe('demo.province');
    // Only hashes are stored.
    expect(await MpTokenModel.countDocuments({ hash: res.body.data.session.accessToken })).toBe(0);
  });

  it('refuses a used code, a member of another corp, and an unknown member, with a localized reason', async () => {
    const code = fake.wecomCode('demo.county');
    expect((await login('wecom', code)).status).toBe(200);
    const reused = await login('wecom', code, 'en');
    expect([reused.status, reused.body.error]).toEqual([401, 'mp_code_invalid']);
    const other = await login('wecom', fake.wecomCode('demo.county', 'wwothercorp'));
    expect([other.status, other.body.error]).toEqual([403, 'mp_wrong_corp']);
    const zh = await login('wecom', fake.wecomCode('stranger.li'));
    expect([zh.status, zh.body.error]).toEqual([403, 'mp_unknown_identity']);
    expect(zh.body.message).toContain('stranger.li');
    expect(zh.body.message).toContain('尚未在网站管家登记');
    const en = await login('wecom', fake.wecomCode('stranger.li'), 'en');
    expect(en.body.message).toContain('is not registered with Site Steward');
    const bad = await http().post('/api/v1/mp/login').send({ mode: 'qq', code: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p: { code: string }) => p.code).sort()).toEqual(['mp_code_required', 'mp_mode_invalid']);
  });

  it('recovers once when WeCom drops its access token early', async () => {
    await login('wecom', fake.wecomCode('demo.city'));
    fake.expireTokens();
    const res = await login('wecom', fake.wecomCode('demo.city'));
    expect(res.status).toBe(200);
  });
});

describe('#miniprogram.bind', () => {
  it('binds a WeChat openid once with a binding code from chat; the code is single-use', async () => {
    const first = await login('wechat', fake.wechatCode('openid-siteadmin'));
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ status: 'bind_required' });
    expect(first.body.data.message).toContain('小程序绑定码');
    const ticket = first.body.data.bindToken as string;
    expect(ticket).toMatch(/^mpb_/);
    // A bind ticket is no session.
    expect((await me(ticket)).status).toBe(401);

    const engine = createChatEngine({ deps, logger, defaultLocale: 'zh-CN' });
    const reply = replyText(await engine.handle({ userid: 'demo.siteadmin', text: '小程序绑定码', source: 'wecom' }));
    const code = /绑定码：([A-Z0-9]{8})/.exec(reply)?.[1];
    expect(code).toBeDefined();
    expect(await MpBindingCodeModel.countDocuments({ hash: code })).toBe(0);

    const wrong = await http().post('/api/v1/mp/bind').set('Authorization', `Bearer ${ticket}`).send({ code: 'ABCDEFGH' });
    expect([wrong.status, wrong.body.error]).toEqual([422, 'mp_binding_code_invalid']);
    const bound = await http().post('/api/v1/mp/bind').set('Authorization', `Bearer ${ticket}`).send({ code: code!.toLowerCase() });
    expect(bound.status).toBe(200);
    expect(bound.body.data).toMatchObject({ status: 'ok', user: { userid: 'demo.siteadmin' } });
    expect((await me(bound.body.data.session.accessToken)).body.data.me.userid).toBe('demo.siteadmin');

    // Single use: another WeChat account cannot spend the same code.
    const second = await login('wechat', fake.wechatCode('openid-intruder'));
    const again = await http().post('/api/v1/mp/bind').set('Authorization', `Bearer ${second.body.data.bindToken}`).send({ code });
    expect([again.status, again.body.error]).toEqual([422, 'mp_binding_code_invalid']);
    // The spent ticket does not bind again either.
    expect((await http().post('/api/v1/mp/bind').set('Authorization', `Bearer ${ticket}`).send({ code })).status).toBe(401);

    // From now on, wx.login alone signs the bound user in.
    const later = await login('wechat', fake.wechatCode('openid-siteadmin'));
    expect(later.body.data).toMatchObject({ status: 'ok', user: { userid: 'demo.siteadmin' } });
    expect(JSON.stringify(later.body)).not.toMatch(/session_key|sk-wechat/);
  });

  it('gives the English binding code text in English chat', async () => {
    const engine = createChatEngine({ deps, logger, defaultLocale: 'en' });
    const reply = replyText(await engine.handle({ userid: 'demo.siteadmin.en', text: 'mp code', source: 'shell' }));
    expect(reply).toMatch(/Your mini-program binding code: [A-Z0-9]{8}/);
  });
});

describe('#miniprogram.refresh', () => {
  it('rotates the refresh token; the old session dies; a replayed refresh token ends the whole login', async () => {
    const first = (await login('wecom', fake.wecomCode('demo.province'))).body.data.session;
    const r1 = await http().post('/api/v1/mp/refresh').send({ refreshToken: first.refreshToken });
    expect(r1.status).toBe(200);
    const second = r1.body.data.session;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await me(second.accessToken)).status).toBe(200);
    expect((await me(first.accessToken)).status).toBe(401);

    // Within seconds a second use is the client racing itself (next test); a minute later it is a replay.
    await MpSpentModel.updateMany({}, { $set: { at: new Date(Date.now() - 60_000) } });
    const replay = await http().post('/api/v1/mp/refresh').set('Accept-Language', 'en').send({ refreshToken: first.refreshToken });
    expect([replay.status, replay.body.error]).toEqual([401, 'mp_refresh_reused']);
    expect(replay.body.message).toContain('signed out');
    // The thief's replay revoked the rotated pair too.
    expect((await me(second.accessToken)).status).toBe(401);
    expect((await http().post('/api/v1/mp/refresh').send({ refreshToken: second.refreshToken })).status).toBe(401);
  });

  it('lets exactly one of two concurrent refreshes win, without ending the login', async () => {
    const s = (await login('wecom', fake.wecomCode('demo.city'))).body.data.session;
    const results = await Promise.all([1, 2].map(() => http().post('/api/v1/mp/refresh').send({ refreshToken: s.refreshToken })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = results.find((r) => r.status === 200)!.body.data.session;
    expect(results.find((r) => r.status === 401)!.body.error).toBe('mp_refresh_invalid');
    expect((await me(winner.accessToken)).status).toBe(200);
  });

  it('logs out: the session and its refresh token stop working', async () => {
    const s = (await login('wecom', fake.wecomCode('demo.county'))).body.data.session;
    expect((await http().post('/api/v1/mp/logout').set('Authorization', `Bearer ${s.accessToken}`).send({})).status).toBe(200);
    expect((await me(s.accessToken)).status).toBe(401);
    expect((await http().post('/api/v1/mp/refresh').send({ refreshToken: s.refreshToken })).status).toBe(401);
  });
});
