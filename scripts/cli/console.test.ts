import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { testDatabaseUri, useTestDatabase } from '../../test/db';
import { NODE, STEWARD } from '../../test/cli';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The console seeds only embedded databases, not MONGODB_URI ones: this file seeds its own database first.
const db = useTestDatabase();
beforeAll(async () => {
  expect((await seedDemoIfEmpty()).seeded).toBe(true);
});

/** `printf '<script>' | tsx scripts/steward.ts console --as <userid>`, as a child process. */
function consoleAs(as: string | undefined, script: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [...STEWARD, 'console', ...(as === undefined ? [] : ['--as', as])], {
      cwd: ROOT,
      env: { ...process.env, MONGODB_URI: testDatabaseUri(), STEWARD_DB_NAME: db.name(), LOG_LEVEL: 'warn', STEWARD_LOCALE: 'zh-CN', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(script);
  });
}

/** A test that runs child processes (~2 s each, more when the machine is busy). */
const CHILD_TIMEOUT = 60_000;
const lines = (s: string) => s.split('\n').filter((l) => l !== '');

describe('#console transcript', () => {
  it("lists exactly demo.siteadmin's two sites and nothing else", async () => {
    const run = await consoleAs('demo.siteadmin', 'sites\n');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(lines(run.stdout)[0]).toBe('您的网站（共 2 个）：');
    expect(lines(run.stdout).slice(1).sort()).toEqual(['· 正定县人民政府门户网站（www.zhengding.gov.cn）门户网站 · 运行中', '· 正定县教育局网站（jyj.zhengding.gov.cn）部门网站 · 运行中']);
  }, CHILD_TIMEOUT);

  it('answers demo.siteadmin.en in English, one answer per piped line, in order', async () => {
    const run = await consoleAs('demo.siteadmin.en', 'sites\n\nsite jyj.zhengding.gov.cn\n');
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([
      'Your sites (1):',
      '· 河北省商务厅网站 (swt.hebei.gov.cn) department site · online',
      '⚠️ No such site, or you may not see it.',
    ]);
  }, CHILD_TIMEOUT);

  it('runs a piped script with Chinese commands for the county supervisor', async () => {
    const run = await consoleAs('demo.county', '网站 jyj.zhengding.gov.cn\n帮助\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('网站标识码：1301230002');
    expect(run.stdout).toContain('可用命令：');
  }, CHILD_TIMEOUT);

  it('refuses an unknown --as with a localized message and exit code 1', async () => {
    const en = await consoleAs('nobody.here', 'sites\n', { STEWARD_LOCALE: 'en' });
    expect(en).toMatchObject({ code: 1, stdout: '' });
    expect(en.stderr.trim()).toBe('There is no user nobody.here. The README lists the demo users.');
    const zh = await consoleAs('nobody.here', 'sites\n');
    expect(zh).toMatchObject({ code: 1, stdout: '' });
    expect(zh.stderr.trim()).toBe('用户 nobody.here 不存在。可用的演示用户见 README。');
  }, CHILD_TIMEOUT);

  it('asks for --as when it is missing', async () => {
    const run = await consoleAs(undefined, '');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--as <userid>');
  }, CHILD_TIMEOUT);
});
