import { execFile } from 'node:child_process';
import { createServices } from '../../lib/services';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Types } from 'mongoose';
import { issueApiToken, issueApiTokenWithId, resolveApiToken } from '../../store/api-token.repo';
import { translatorFor } from '../../lib/i18n';
import { ApiTokenModel } from '../../store/api-token.model';
import { issueMpSession, resolveMpSession } from '../../store/mp-auth.repo';
import { UnitModel } from '../../store/unit.model';
import { UserModel, type UserDoc } from '../../store/user.model';
import { NODE, STEWARD } from '../../test/cli';
import { testDatabaseUri, useTestDatabase } from '../../test/db';
import type { CliIo, WithDatabase } from './io';
import { tokenIssue, tokenList, tokenRevoke } from './token';
import { userSetActive } from './user';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const db = useTestDatabase();
const onOpenConnection: WithDatabase = (fn) => fn(createServices());

function io(lng: 'zh-CN' | 'en' = 'en', json = false): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, t: translatorFor(lng), json, out: () => out, err: () => err };
}

/** `steward <args>` as an operator runs it: a child process on this file's database. */
function steward(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      NODE,
      [...STEWARD, ...args],
      { cwd: ROOT, env: { ...process.env, MONGODB_URI: testDatabaseUri(), STEWARD_DB_NAME: db.name(), STEWARD_LOCALE: 'en', LOG_LEVEL: 'warn' } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const CHILD_TIMEOUT = 60_000;
const activeOf = async (userid: string) => (await UserModel.findOne({ userid }).lean<UserDoc>())?.active;

beforeAll(async () => {
  await UnitModel.create({ _id: '130600', name: '保定市人民政府', kind: 'government', level: 'city', divisionCode: '130600', parentCode: null, ancestors: [] });
  await UserModel.insertMany([
    { userid: 'li.lei', name: 'Li Lei', locale: 'en', roles: [] },
    { userid: 'wang.fang', name: '王芳', locale: 'zh-CN', roles: [] },
    { userid: 'zhao.min', name: '赵敏', locale: 'zh-CN', roles: [] },
    { userid: 'gone.user', name: '离职人员', locale: 'zh-CN', roles: [], active: false },
  ]);
});

describe('#cli steward user', () => {
  it('deactivate: refuses the user at once and revokes their API tokens and mini-program sessions; repeating it is safe', async () => {
    const token = await issueApiToken('li.lei', 'laptop');
    const session = await issueMpSession('li.lei', 7200, new Date());
    const out = io();
    expect(await userSetActive('li.lei', false, out, onOpenConnection)).toBe(0);
    expect(out.out()).toBe(
      'li.lei (Li Lei) is deactivated: refused at once on the REST API and in the mini-program, and answered as an unknown user in chat. Revoked: 1 API token(s), 2 mini-program credential(s).\n',
    );
    expect(await activeOf('li.lei')).toBe(false);
    expect(await resolveApiToken(token)).toBeUndefined();
    expect(await resolveMpSession(session.accessToken)).toBeUndefined();

    const again = io('zh-CN');
    expect(await userSetActive('li.lei', false, again, onOpenConnection)).toBe(0);
    expect(again.out()).toBe('li.lei（Li Lei）此前已停用。已吊销 API 令牌 0 个、小程序登录凭证 0 个。\n');
  });

  it('activate: lets the user in again without bringing revoked credentials back; says so when already active', async () => {
    const out = io('zh-CN');
    expect(await userSetActive('li.lei', true, out, onOpenConnection)).toBe(0);
    expect(out.out()).toContain('已重新启用 li.lei（Li Lei）');
    expect(await activeOf('li.lei')).toBe(true);
    expect(await ApiTokenModel.countDocuments({ userid: 'li.lei', revokedAt: null })).toBe(0);
    const twice = io();
    expect(await userSetActive('li.lei', true, twice, onOpenConnection)).toBe(0);
    expect(twice.out()).toBe('li.lei (Li Lei) is already active.\n');
  });

  it('refuses a userid the registry does not know (exit 1, localized), and answers JSON with --json', async () => {
    const zh = io('zh-CN');
    expect(await userSetActive('nobody', false, zh, onOpenConnection)).toBe(1);
    expect(zh.err()).toBe('用户登记中没有 nobody。\n');
    expect(zh.out()).toBe('');
    const json = io('en', true);
    expect(await userSetActive('zhao.min', false, json, onOpenConnection)).toBe(0);
    expect(JSON.parse(json.out())).toEqual({ userid: 'zhao.min', name: '赵敏', active: false, changed: true, revoked: { apiTokens: 0, mpCredentials: 0 } });
    await userSetActive('zhao.min', true, io(), onOpenConnection);
  });
});

describe('#cli steward token', () => {
  let ids: { monitoring: string; laptop: string; gone: string };

  beforeAll(async () => {
    await ApiTokenModel.deleteMany({});
    const monitoring = await issueApiTokenWithId('wang.fang', 'monitoring');
    const laptop = await issueApiTokenWithId('wang.fang', '李雷的笔记本');
    // Straight on the collection: mongoose keeps `createdAt` immutable, and the test wants fixed times.
    const backdate = (id: string, at: string) => ApiTokenModel.collection.updateOne({ _id: new Types.ObjectId(id) }, { $set: { createdAt: new Date(at) } });
    await backdate(monitoring.id, '2025-03-01T01:00:00Z');
    await backdate(laptop.id, '2025-03-02T01:00:00Z');
    await resolveApiToken(monitoring.token, new Date('2025-03-05T02:30:00Z'));
    const gone = await ApiTokenModel.create({ hash: 'x'.repeat(64), userid: 'gone.user', label: 'old' });
    ids = { monitoring: monitoring.id, laptop: laptop.id, gone: String(gone._id) };
  });

  it('list: id, user, label, created and last used in China time, and whether it works; never the secret or its hash', async () => {
    const out = io();
    expect(await tokenList(undefined, out, onOpenConnection)).toBe(0);
    const lines = out.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+USER\s+CREATED\s+LAST USED\s+STATUS\s+LABEL$/);
    expect(lines[1]).toMatch(new RegExp(`^${ids.monitoring}\\s+wang\\.fang\\s+2025-03-01 09:00\\s+2025-03-05 10:30\\s+active\\s+monitoring$`));
    expect(lines[2]).toMatch(new RegExp(`^${ids.laptop}\\s+wang\\.fang\\s+2025-03-02 09:00\\s+—\\s+active\\s+李雷的笔记本$`));
    expect(lines[3]).toMatch(new RegExp(`^${ids.gone}\\s+gone\\.user\\s+.*refused: user deactivated\\s+old$`));
    expect(lines[4]).toBe('API tokens: 3, of which 2 work. Times are China time (UTC+8).');
    expect(out.out()).not.toMatch(/sst_|x{64}/);

    const zh = io('zh-CN');
    expect(await tokenList('wang.fang', zh, onOpenConnection)).toBe(0);
    expect(zh.out()).toMatch(/^ID\s+用户\s+创建时间\s+最近使用\s+状态\s+标签\n/);
    expect(zh.out()).toContain('有效');
    expect(zh.out()).not.toContain('gone.user');
    expect(zh.out()).toContain('API 令牌共 2 个，其中 2 个有效。');
  });

  it('list --json: a document for scripts, without the secret', async () => {
    const out = io('en', true);
    expect(await tokenList('wang.fang', out, onOpenConnection)).toBe(0);
    const doc = JSON.parse(out.out()) as { tokens: Record<string, unknown>[] };
    expect(doc.tokens.map((t) => [t.id, t.userid, t.label, t.status])).toEqual([
      [ids.monitoring, 'wang.fang', 'monitoring', 'active'],
      [ids.laptop, 'wang.fang', '李雷的笔记本', 'active'],
    ]);
    expect(doc.tokens[0]).toMatchObject({ createdAt: '2025-03-01T01:00:00.000Z', lastUsedAt: '2025-03-05T02:30:00.000Z', revokedAt: null });
    expect(Object.keys(doc.tokens[0]!)).not.toContain('hash');
  });

  it('list: a user without tokens, and a userid nobody has', async () => {
    const none = io();
    expect(await tokenList('zhao.min', none, onOpenConnection)).toBe(0);
    expect(none.out()).toBe('zhao.min has no API tokens.\n');
    const unknown = io();
    expect(await tokenList('no.such.user', unknown, onOpenConnection)).toBe(1);
    expect(unknown.err()).toBe('No user no.such.user in the registry.\n');
  });

  it('revoke: by id; the list shows it revoked; a second revoke says when; a bad or unknown id is refused', async () => {
    const now = new Date('2025-03-06T04:00:00Z');
    const out = io();
    expect(await tokenRevoke(ids.laptop, out, onOpenConnection, now)).toBe(0);
    expect(out.out()).toBe(`Revoked token ${ids.laptop} of wang.fang (李雷的笔记本): it is refused from the next request on.\n`);

    const list = io();
    await tokenList('wang.fang', list, onOpenConnection);
    expect(list.out()).toMatch(new RegExp(`${ids.laptop}.*revoked 2025-03-06 12:00\\s+李雷的笔记本`));
    expect(list.out()).toContain('API tokens: 2, of which 1 work.');

    const again = io('zh-CN');
    expect(await tokenRevoke(ids.laptop, again, onOpenConnection)).toBe(0);
    expect(again.out()).toBe(`wang.fang 的令牌 ${ids.laptop}（李雷的笔记本）已于 2025-03-06 12:00 吊销。\n`);

    const bad = io();
    expect(await tokenRevoke('12345', bad, onOpenConnection)).toBe(1);
    expect(bad.err()).toContain('“12345” is neither a token id');
    const unknown = io();
    expect(await tokenRevoke('0123456789abcdef01234567', unknown, onOpenConnection)).toBe(1);
    expect(unknown.err()).toBe('No API token 0123456789abcdef01234567: see steward token list.\n');
  });

  it('issue: refuses a deactivated or unknown user; prints the token alone on stdout and its id on stderr', async () => {
    const inactive = io();
    expect(await tokenIssue('gone.user', 'x', inactive, onOpenConnection)).toBe(1);
    expect(inactive.err()).toContain('gone.user is deactivated: no token is issued to an inactive user.');
    const unknown = io('zh-CN');
    expect(await tokenIssue('nobody', 'x', unknown, onOpenConnection)).toBe(1);
    expect(unknown.err()).toBe('用户登记中没有 nobody。\n');
    const ok = io();
    expect(await tokenIssue('zhao.min', 'ci', ok, onOpenConnection)).toBe(0);
    const token = ok.out().trim();
    expect(token).toMatch(/^sst_[A-Za-z0-9_-]{43}$/);
    const id = String((await ApiTokenModel.findOne({ userid: 'zhao.min' }).lean())!._id);
    expect(ok.err()).toContain(`steward token revoke ${id}`);
    expect(ok.err()).not.toContain(token);
  });

  it('runs from the command line: user deactivate, token list --json, token revoke, and usage', async () => {
    const token = await issueApiTokenWithId('wang.fang', 'cli test');
    const list = await steward(['token', 'list', 'wang.fang', '--json']);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { tokens: { id: string }[] }).tokens.map((t) => t.id)).toContain(token.id);
    expect(list.stdout).not.toContain(token.token);

    const revoke = await steward(['token', 'revoke', token.id, '--lng', 'zh-CN']);
    expect(revoke).toMatchObject({ code: 0, stderr: '' });
    expect(revoke.stdout).toBe(`已吊销 wang.fang 的令牌 ${token.id}（cli test），下一次请求起即被拒绝。\n`);
    expect(await resolveApiToken(token.token)).toBeUndefined();

    const deactivate = await steward(['user', 'deactivate', 'wang.fang']);
    expect(deactivate.code).toBe(0);
    expect(deactivate.stdout).toContain('wang.fang (王芳) is deactivated');
    expect(await activeOf('wang.fang')).toBe(false);

    const usage = await steward(['user', 'suspend', 'wang.fang']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: steward user deactivate|activate <userid>');
    const help = await steward(['help']);
    expect(help.stdout).toContain('steward token revoke <token-id>');
    expect(help.stdout).toContain('steward user deactivate <userid>');
  }, 4 * CHILD_TIMEOUT);

  it('import users: active=false deactivates from the command line, a bad value is reported by row, and the old file keeps the user inactive', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'steward-cli-active-'));
    try {
      await UserModel.updateOne({ userid: 'zhao.min' }, { $set: { active: true } });
      const token = await issueApiToken('zhao.min', 'before import');
      const withColumn = path.join(dir, 'leavers.csv');
      await writeFile(withColumn, ['userid,name,locale,supervisorOf,active', 'zhao.min,赵敏,zh-CN,130600,否', 'new.person,新人,zh-CN,130600,perhaps'].join('\n') + '\n');
      const run = await steward(['import', 'users', withColumn]);
      expect(run.code).toBe(1);
      expect(run.stdout.trim().split('\n')).toEqual([
        'Imported users: 2 rows, 0 created, 1 updated, 0 unchanged, 1 failed.',
        "row 3 [active]: “perhaps” is not a valid value for active: use true/false, yes/no, 是/否 or 1/0 (leave it empty to keep the user's current state)",
      ]);
      expect(await activeOf('zhao.min')).toBe(false);
      expect(await resolveApiToken(token)).toBeUndefined();

      const without = path.join(dir, 'old.csv');
      await writeFile(without, ['userid,name,locale,supervisorOf', 'zhao.min,赵敏,zh-CN,130600'].join('\n') + '\n');
      const again = await steward(['import', 'users', without]);
      expect(again.code).toBe(0);
      expect(again.stdout.trim()).toBe('Imported users: 1 rows, 0 created, 0 updated, 1 unchanged, 0 failed.');
      expect(await activeOf('zhao.min')).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 2 * CHILD_TIMEOUT);
});
