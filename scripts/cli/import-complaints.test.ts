import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComplaintModel } from '../../store/complaint.model';
import { testDatabaseUri, useTestDatabase } from '../../test/db';
import { NODE, STEWARD } from '../../test/cli';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const db = useTestDatabase();

/** `steward import complaints FILE` as an operator runs it, against this file's own database. */
function importComplaints(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      NODE,
      [...STEWARD, 'import', 'complaints', file],
      { cwd: ROOT, env: { ...process.env, MONGODB_URI: testDatabaseUri(), STEWARD_DB_NAME: db.name(), STEWARD_LOCALE: 'en', LOG_LEVEL: 'warn' }, maxBuffer: 10 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'steward-cli-complaints-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('#cli steward import complaints', () => {
  it('lists a report received in year 9999 as its row’s error and imports the rest of the file', async () => {
    const file = path.join(tmp, 'export.csv');
    await writeFile(
      file,
      [
        '问题编号,网站标识码,网页地址,错误类型,问题描述,提交时间',
        'CLI-1,1301230002,http://jyj.zhengding.gov.cn/a.html,错别字,报名写成报明,2026-09-30 17:00',
        'CLI-2,1301230002,http://jyj.zhengding.gov.cn/b.html,错别字,时间写错,9999-12-31 23:59',
        'CLI-3,1301230002,http://jyj.zhengding.gov.cn/c.html,链接不可用,链接打不开,2026-10-08 08:30',
      ].join('\n') + '\n',
    );
    const run = await importComplaints(file);
    expect(run.stderr).not.toMatch(/RangeError|calendar_date_out_of_range|\n\s+at /);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('3 rows: 2 new');
    expect(run.stdout).toMatch(/row 3 \[receivedAt\]: the date receivedAt=9999-12-31 23:59 is outside the accepted range: it must be between 2000-01-01 and \d{4}-12-31/);
    expect((await ComplaintModel.find({}, { platformId: 1 }).lean()).map((c) => c.platformId).sort()).toEqual(['CLI-1', 'CLI-3']);
  }, 90_000);
});
