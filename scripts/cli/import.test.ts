import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SiteModel, type SiteDoc } from '../../store/site.model';
import { UnitModel } from '../../store/unit.model';
import { UserModel } from '../../store/user.model';
import { testDatabaseUri, useTestDatabase } from '../../test/db';
import { NODE, STEWARD } from '../../test/cli';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The children write to this file's own database; the test process reads it to check what they did.
const db = useTestDatabase();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `steward <args>` as an operator runs it: a child process, MONGODB_URI pointing at the test server. */
function steward(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      NODE,
      [...STEWARD, ...args],
      {
        cwd: ROOT,
        env: { ...process.env, MONGODB_URI: testDatabaseUri(), STEWARD_DB_NAME: db.name(), STEWARD_LOCALE: 'en', LOG_LEVEL: 'warn', ...env },
        maxBuffer: 10 * 1024 * 1024,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A test that runs child processes (~2 s each, more when the machine is busy). */
const CHILD_TIMEOUT = 60_000;
const lines = (s: string) => s.split('\n').filter((l) => l.trim() !== '');

describe('#cli steward import', () => {
  it('imports a good units file and exits 0 with a summary', async () => {
    const run = await steward(['import', 'units', 'test/fixtures/units.csv']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(lines(run.stdout)).toEqual(['Imported units: 9 rows, 9 created, 0 updated, 0 unchanged, 0 failed.']);
    expect(await UnitModel.countDocuments()).toBe(9);
  }, CHILD_TIMEOUT);

  it('says 0 created when the same file is imported again', async () => {
    const run = await steward(['import', 'units', 'test/fixtures/units.csv']);
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual(['Imported units: 9 rows, 0 created, 0 updated, 9 unchanged, 0 failed.']);
  }, CHILD_TIMEOUT);

  it('imports the good site rows, lists each bad row with its reason citing the article, and exits 1', async () => {
    const run = await steward(['import', 'sites', 'test/fixtures/sites-with-bad-rows.csv']);
    expect(run.code).toBe(1);
    expect(lines(run.stdout)).toEqual([
      'Imported sites: 9 rows, 6 created, 0 updated, 0 unchanged, 3 failed.',
      'row 5 [domains]: the department site domain jyj.sjz.gov.cn is not a subdomain of its government\'s portal www.bd.gov.cn (expected *.bd.gov.cn) (Measures art. 12)',
      'row 7 [domains]: jyj.sjz.com is not a .gov.cn domain: government sites use .gov.cn only (Measures art. 12)',
      'row 10 [hostUnit]: county departments and townships in principle open no site; the site of "正定县文化广电和旅游局" needs an exception note (Measures art. 6)',
    ]);
    expect(await SiteModel.countDocuments()).toBe(6);
    expect(await SiteModel.exists({ domains: { $in: ['jyj.sjz.gov.cn', 'jyj.sjz.com'] } })).toBeNull();
  }, CHILD_TIMEOUT);

  it('answers in Chinese with --lng zh-CN, and as JSON with --json', async () => {
    const zh = await steward(['import', 'sites', 'test/fixtures/sites-with-bad-rows.csv', '--lng', 'zh-CN']);
    expect(zh.code).toBe(1);
    expect(lines(zh.stdout)[0]).toBe('导入网站：共 9 行，新增 0，更新 0，未变 6，失败 3。');
    expect(zh.stdout).toContain('第 5 行 [domains]：部门网站域名 jyj.sjz.gov.cn 不是本级政府门户网站 www.bd.gov.cn 的下级域名');
    expect(zh.stdout).toContain('第12条');

    const json = await steward(['import', 'sites', 'test/fixtures/sites-with-bad-rows.csv', '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { unchanged: number; failed: { row: number; code: string; message: string }[] };
    expect(report.unchanged).toBe(6);
    expect(report.failed.map((f) => [f.row, f.code])).toEqual([
      [5, 'department_domain_not_under_portal'],
      [7, 'domain_not_gov_cn'],
      [10, 'county_department_site_needs_exception'],
    ]);
    expect(report.failed[1]!.message).toContain('art. 12');
  }, CHILD_TIMEOUT);

  it('imports users and reports the ones naming unknown sites or units', async () => {
    const run = await steward(['import', 'users', 'test/fixtures/users.json']);
    expect(run.code).toBe(1);
    expect(lines(run.stdout)).toEqual([
      'Imported users: 5 rows, 3 created, 0 updated, 0 unchanged, 2 failed.',
      'row 4 [siteAdminOf]: site nope.bd.gov.cn does not exist; import it first',
      'row 5 [supervisorOf]: unit 139999 does not exist; import it first',
    ]);
  }, CHILD_TIMEOUT);

  it('refuses a missing file, an unknown file format or entity with a clear message', async () => {
    const missing = await steward(['import', 'units', 'test/fixtures/nope.csv']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('Cannot read test/fixtures/nope.csv: ENOENT');
    const format = await steward(['import', 'units', 'jest.config.js']);
    expect(format.code).toBe(1);
    expect(format.stderr.trim()).toBe('Unknown file format for jest.config.js: use .csv or .json');
    const entity = await steward(['import', 'gadgets', 'test/fixtures/units.csv']);
    expect(entity.code).toBe(2);
    expect(entity.stderr).toContain('Usage: steward import units|sites|users FILE');
  }, CHILD_TIMEOUT);

  describe('a large file', () => {
    let tmp = '';
    beforeAll(async () => {
      tmp = await mkdtemp(path.join(os.tmpdir(), 'steward-cli-import-'));
    });
    afterAll(async () => {
      await rm(tmp, { recursive: true, force: true });
    });

    it('prints progress lines to stderr when piped and imports every row', async () => {
      const file = path.join(tmp, 'users-1500.csv');
      const body = Array.from({ length: 1500 }, (_, i) => `bulk.user${i},批量用户${i},${i % 3 === 0 ? 'en' : 'zh-CN'},,130600`);
      await writeFile(file, ['userid,name,locale,siteAdminOf,supervisorOf', ...body].join('\n') + '\n');
      const run = await steward(['import', 'users', file]);
      expect(run.code).toBe(0);
      expect(lines(run.stdout)).toEqual(['Imported users: 1500 rows, 1500 created, 0 updated, 0 unchanged, 0 failed.']);
      const progress = lines(run.stderr);
      expect(progress).toContain('users: 150/1500 (10%)');
      expect(progress).toContain('users: 750/1500 (50%)');
      expect(progress).toContain('users: 1500/1500 (100%)');
      // One line per tenth, not one per row.
      expect(progress.length).toBeLessThanOrEqual(11);
      expect(await UserModel.countDocuments({ userid: /^bulk\.user/ })).toBe(1500);
    }, 120_000);
  });

  it('keeps a site it imported earlier when a later import of the same code changes its domain', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'steward-cli-import-'));
    try {
      const file = path.join(tmp, 'sites.json');
      const row = { code: '1306000002', name: '保定市水利局网站', kind: 'department', domains: ['shuili.bd.gov.cn'], hostUnit: '130600-slj', supervisingUnit: '130600' };
      await writeFile(file, JSON.stringify({ sites: [row] }));
      const run = await steward(['import', 'sites', file]);
      expect(run.code).toBe(0);
      expect(lines(run.stdout)).toEqual(['Imported sites: 1 rows, 0 created, 1 updated, 0 unchanged, 0 failed.']);
      expect((await SiteModel.findOne({ code: '1306000002' }).lean<SiteDoc>())?.domains).toEqual(['shuili.bd.gov.cn']);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }, CHILD_TIMEOUT);
});
