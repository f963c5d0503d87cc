import request from 'supertest';
import { createChatEngine } from '../../bot/chat-engine';
import { replyText } from '../../bot/reply';
import { createLogger } from '../../lib/logger';
import { translatorFor } from '../../lib/i18n';
import { tokenRevoke } from '../../scripts/cli/token';
import { userSetActive } from '../../scripts/cli/user';
import type { CliIo, WithDatabase } from '../../scripts/cli/io';
import { ApiTokenModel } from '../../store/api-token.model';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { createDeps, apiPortsOf, createServices } from '../../lib/services';
import { MpTokenModel } from '../../store/mp-auth.model';
import { UserModel } from '../../store/user.model';
import { fakeMiniprogramConfig, startFakeWechat, type FakeWechat } from '../../test/fake-wechat/fake-wechat';
import { useTestDatabase } from '../../test/db';
import { createApp } from '../app';
import { hashApiToken, issueApiToken, issueApiTokenWithId } from '../../store/api-token.repo';

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
    miniprogram: fakeMiniprogramConfig(fake),
  });
  http = () => request(app.callback());
});

afterAll(() => fake.close());

/** The operator's commands, run in-process on this file's database, their output kept. */
const onOpenConnection: WithDatabase = (fn) => fn(createServices());
function operator(lng: 'zh-CN' | 'en' = 'en'): CliIo & { out: () => string } {
  let out = '';
  return { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) }, t: translatorFor(lng), json: false, out: () => out };
}

const me = (token: string, lng = 'zh-CN') => http().get('/api/v1/me').set('Accept-Language', lng).set('Authorization', `Bearer ${token}`);
const mpLogin = async (userid: string) => {
  const res = await http().post('/api/v1/mp/login').send({ mode: 'wecom', code: fake.wecomCode(userid) });
  expect(res.status).toBe(200);
  return res.body.data.session as { accessToken: string; refreshToken: string };
};
const refresh = (refreshToken: string, lng = 'zh-CN') => http().post('/api/v1/mp/refresh').set('Accept-Language', lng).send({ refreshToken });
const chat = async (userid: string, text: string) =>
  replyText(await createChatEngine({ deps, logger, defaultLocale: 'zh-CN' }).handle({ userid, text, source: 'wecom' }));

describe('#auth token revocation', () => {
  it('a token works, is revoked by steward token revoke, and is refused (401, localized) on the very next request', async () => {
    const { id, token } = await issueApiTokenWithId('demo.city', 'monitoring');
    expect((await me(token)).status).toBe(200);

    const op = operator();
    expect(await tokenRevoke(id, op, onOpenConnection)).toBe(0);
    expect(op.out()).toBe(`Revoked token ${id} of demo.city (monitoring): it is refused from the next request on.\n`);

    const zh = await me(token, 'zh-CN');
    const en = await me(token, 'en');
    for (const res of [zh, en]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ ok: false, error: 'unauthorized' });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    expect(zh.body.message).toMatch(/令牌/);
    expect(en.body.message).toMatch(/token/);
  });

  it('revokes only that token: the same user\'s other token keeps working', async () => {
    const kept = await issueApiToken('demo.city.bd', 'kept');
    const { id, token } = await issueApiTokenWithId('demo.city.bd', 'leaked');
    expect(await tokenRevoke(token, operator(), onOpenConnection)).toBe(0); // by the leaked secret itself
    expect((await ApiTokenModel.findById(id).lean())!.revokedAt).toBeInstanceOf(Date);
    expect((await me(token)).status).toBe(401);
    expect((await me(kept)).status).toBe(200);
  });
});

describe('#auth deactivation', () => {
  it('steward user deactivate refuses the user\'s existing API token and mini-program session at once, and their refresh', async () => {
    const apiToken = await issueApiToken('demo.county', 'laptop');
    const mp = await mpLogin('demo.county');
    expect((await me(apiToken)).status).toBe(200);
    expect((await me(mp.accessToken)).status).toBe(200);

    const op = operator();
    expect(await userSetActive('demo.county', false, op, onOpenConnection)).toBe(0);
    expect(op.out()).toContain('demo.county (王芳) is deactivated');
    expect(op.out()).toContain('Revoked: 1 API token(s), 2 mini-program credential(s).');

    for (const token of [apiToken, mp.accessToken]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('unauthorized');
    }
    const refused = await refresh(mp.refreshToken, 'en');
    expect([refused.status, refused.body.error]).toEqual([401, 'mp_refresh_invalid']);
    // A fresh sign-in is refused as for someone not in the registry; so is chat.
    const again = await http().post('/api/v1/mp/login').send({ mode: 'wecom', code: fake.wecomCode('demo.county') });
    expect([again.status, again.body.error]).toEqual([403, 'mp_unknown_identity']);
    expect(await chat('demo.county', '我的网站')).toBe(translatorFor('zh-CN')('errors:unknown_user', { userid: 'demo.county' }));
  });

  it('refuses a deactivated user on the next request even before their credentials are revoked (401 account_deactivated)', async () => {
    // As an import or a crash between the two writes would leave it: the flag set, the tokens not yet revoked.
    const apiToken = await issueApiToken('demo.county.zz', 'laptop');
    const mp = await mpLogin('demo.county.zz');
    await UserModel.updateOne({ userid: 'demo.county.zz' }, { $set: { active: false } });

    const zh = await me(apiToken, 'zh-CN');
    const en = await me(mp.accessToken, 'en');
    for (const res of [zh, en]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('account_deactivated');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    expect(zh.body.message).toBe('账号 demo.county.zz 已停用，其令牌和登录会话均已失效。如有疑问，请联系主管单位。');
    expect(en.body.message).toContain('The account demo.county.zz has been deactivated');

    // The refresh is refused, and the pair it would have drawn dies with the login.
    const refused = await refresh(mp.refreshToken);
    expect([refused.status, refused.body.error]).toEqual([401, 'account_deactivated']);
    expect(await MpTokenModel.countDocuments({ userid: 'demo.county.zz', revokedAt: null })).toBe(0);
  });

  it('chat answers a deactivated user exactly as it answers an unknown user', async () => {
    expect(await chat('demo.city', '我的网站')).not.toContain('尚未登记');
    await UserModel.updateOne({ userid: 'demo.city' }, { $set: { active: false } });
    const t = translatorFor('zh-CN');
    for (const line of ['我的网站', 'help', '小程序绑定码']) {
      expect(await chat('demo.city', line)).toBe(t('errors:unknown_user', { userid: 'demo.city' }));
      expect(await chat('stranger.x', line)).toBe(t('errors:unknown_user', { userid: 'stranger.x' }));
    }
    await UserModel.updateOne({ userid: 'demo.city' }, { $set: { active: true } });
  });

  it('re-activation lets the user in with new credentials only: revoked tokens stay revoked', async () => {
    const old = await issueApiToken('demo.supervisor.en', 'old');
    const mp = await mpLogin('demo.supervisor.en');
    expect(await userSetActive('demo.supervisor.en', false, operator(), onOpenConnection)).toBe(0);
    const op = operator('zh-CN');
    expect(await userSetActive('demo.supervisor.en', true, op, onOpenConnection)).toBe(0);
    expect(op.out()).toContain('已重新启用 demo.supervisor.en（Daniel Zhao）');

    expect((await me(old)).status).toBe(401);
    expect((await me(mp.accessToken)).status).toBe(401);
    expect((await refresh(mp.refreshToken)).status).toBe(401);
    expect((await ApiTokenModel.findOne({ hash: hashApiToken(old) }).lean())!.revokedAt).toBeInstanceOf(Date);

    expect((await me(await issueApiToken('demo.supervisor.en', 'new'))).status).toBe(200);
    expect((await me((await mpLogin('demo.supervisor.en')).accessToken)).status).toBe(200);
  });
});
