import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeProblem } from '../../core/presenters/error.presenter';
import { translatorFor } from '../../lib/i18n';
import { useTestDatabase } from '../../test/db';
import { inspectionRepo } from '../inspection.repo';
import { siteRepo } from '../registry.repo';
import { readRows } from './read-rows';
import { importSites, importUnits } from './registry-import';

useTestDatabase();

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures');
const HEADER = 'code,name,kind,domains,hostUnit,supervisingUnit,languages,status';
let dir = '';

async function csv(name: string, lines: string[]): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, lines.join('\n') + '\n');
  return p;
}

const profileOf = async (ref: string) => inspectionRepo().profileOf((await siteRepo.findByRef(ref))!.id);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'steward-import-inspection-'));
  expect((await importUnits(await readRows(path.join(FIXTURES, 'units.csv'), 'units'))).failedRows).toBe(0);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('#registry import: the inspection columns', () => {
  it('imports a file without them as before, leaving no profile behind', async () => {
    const file = await csv('plain.csv', [HEADER, '1301000001,石家庄市人民政府门户网站,portal,www.sjz.gov.cn,130100,130100,zh-CN,online']);
    expect(await importSites(await readRows(file, 'sites'))).toMatchObject({ created: 1, failedRows: 0 });
    expect(await profileOf('www.sjz.gov.cn')).toBeUndefined();
  });

  it('takes home URLs and key columns in the national words, and a re-import changes nothing', async () => {
    const file = await csv('with-inspection.csv', [
      `${HEADER},homeUrls,keyColumns`,
      '1301230001,正定县人民政府门户网站,portal,www.zhengding.gov.cn,130123,130123,zh-CN,online,http://www.zhengding.gov.cn/,"通知公告=http://www.zhengding.gov.cn/tzgg/; 工作动态:动态=http://www.zhengding.gov.cn/gzdt/"',
    ]);
    expect(await importSites(await readRows(file, 'sites'))).toMatchObject({ created: 1, failedRows: 0 });
    expect(await profileOf('www.zhengding.gov.cn')).toMatchObject({
      homeUrls: ['http://www.zhengding.gov.cn/'],
      columns: [
        { url: 'http://www.zhengding.gov.cn/tzgg/', kind: 'notice', confirmed: true },
        { url: 'http://www.zhengding.gov.cn/gzdt/', kind: 'news', name: '工作动态', confirmed: true },
      ],
      probesPerDay: 20,
      updatedBy: 'import',
    });
    expect(await importSites(await readRows(file, 'sites'))).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    // Only the key columns change: the site is the same, the row counts as updated.
    const changed = await csv('columns-only.csv', [`${HEADER},keyColumns`, '1301230001,正定县人民政府门户网站,portal,www.zhengding.gov.cn,130123,130123,zh-CN,online,政策文件=http://www.zhengding.gov.cn/zcwj/']);
    expect(await importSites(await readRows(changed, 'sites'))).toMatchObject({ updated: 1, failedRows: 0 });
    expect(await profileOf('www.zhengding.gov.cn')).toMatchObject({ homeUrls: ['http://www.zhengding.gov.cn/'], columns: [{ url: 'http://www.zhengding.gov.cn/zcwj/', kind: 'policy' }] });
  });

  it('refuses a row whose URLs are off its domains or whose kind is unknown, with the reason, writing nothing', async () => {
    const t = translatorFor('zh-CN');
    const file = await csv('bad.csv', [
      `${HEADER},homeUrls,keyColumns`,
      '1306000001,保定市人民政府门户网站,portal,www.bd.gov.cn,130600,130600,zh-CN,online,https://www.hebei.gov.cn/,',
      '1306000001,保定市人民政府门户网站,portal,www.bd.gov.cn,130600,130600,zh-CN,online,,专题=https://www.bd.gov.cn/zt/',
      '1306000001,保定市人民政府门户网站,portal,www.bd.gov.cn,130600,130600,zh-CN,online,,https://www.bd.gov.cn/zt/',
    ]);
    const report = await importSites(await readRows(file, 'sites'));
    expect(report).toMatchObject({ created: 0, failedRows: 3 });
    expect(report.failed.map((f) => [f.row, f.field, f.code])).toEqual([
      [2, 'homeUrls', 'inspection_url_off_site'],
      [3, 'keyColumns.0', 'inspection_kind_unknown'],
      [4, 'keyColumns.0', 'inspection_key_column_format'],
    ]);
    expect(describeProblem(report.failed[0]!, t)).toContain('不是本网站登记的域名（www.bd.gov.cn）');
    expect(await siteRepo.findByRef('www.bd.gov.cn')).toBeUndefined();
  });
});
