import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../../core/errors';
import { siteRowSchema, unitRowSchema, userRowSchema } from '../../core/registry/import-rows';
import { readRows } from './read-rows';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return (err as DomainError).code;
  }
  throw new Error('expected a DomainError');
}

describe('#import files', () => {
  let tmp = '';
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'steward-read-rows-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('reads a CSV with a BOM into rows numbered by their line, header = line 1', async () => {
    const rows = await readRows(fixture('units.csv'), 'units');
    expect(rows).toHaveLength(9);
    expect(rows[0]).toEqual({ row: 2, data: { code: '130000', name: '河北省人民政府', kind: 'government', level: 'province', divisionCode: '130000', parentCode: '' } });
    // The BOM does not end up in the first column name.
    expect(Object.keys(rows[0]!.data)[0]).toBe('code');
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('keeps Chinese text, unquotes quoted fields and trims cells', async () => {
    const rows = await readRows(fixture('units.csv'), 'units');
    const byCode = new Map(rows.map((r) => [r.data.code, r.data]));
    expect(byCode.get('130600-jyj')?.name).toBe('保定市教育局');
    expect(byCode.get('130123-wlj')?.name).toBe('正定县文化广电和旅游局');
    for (const r of rows) expect(unitRowSchema.safeParse(r.data).success).toBe(true);
  });

  it('reads quoted fields holding commas and doubled quotes, and `;`-separated lists', async () => {
    const rows = await readRows(fixture('sites-with-bad-rows.csv'), 'sites');
    expect(rows).toHaveLength(9);
    const slj = rows.find((r) => r.data.code === '1306000002')!;
    expect(slj.row).toBe(4);
    expect(siteRowSchema.parse(slj.data)).toMatchObject({ domains: ['slj.bd.gov.cn', 'en.slj.bd.gov.cn'], languages: ['zh-CN', 'en'] });
    const zd = rows.find((r) => r.data.code === '1301230002')!;
    expect(zd.data.exceptionNote).toBe('经省政府办公厅审核同意保留, 承载"招生入学"等在线服务');
    expect(siteRowSchema.parse(zd.data).languages).toEqual(['zh-CN']);
  });

  it('numbers a row after a multi-line quoted cell by the line where it ends', async () => {
    const file = path.join(tmp, 'multiline.csv');
    await writeFile(file, 'code,name,note\n1,"甲\n乙",x\n2,丙,y\n\n3,丁,z\n');
    const rows = await readRows(file, 'units');
    expect(rows.map((r) => [r.row, r.data.code])).toEqual([
      [3, '1'],
      [4, '2'],
      [6, '3'],
    ]);
    expect(rows[0]!.data.name).toBe('甲\n乙');
  });

  it('reads JSON as {"users": [...]} with rows numbered from 1', async () => {
    const rows = await readRows(fixture('users.json'), 'users');
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.data).toMatchObject({ userid: 'li.jing', siteAdminOf: ['1306000002', 'www.bd.gov.cn'] });
    // Numbers and single values become what the schema expects.
    expect(userRowSchema.parse(rows[1]!.data)).toMatchObject({ mobile: '13800003002', supervisorOf: ['130600'], locale: 'zh-CN', provinceAdmin: false });
  });

  it('reads JSON as a bare array too', async () => {
    const file = path.join(tmp, 'units.json');
    await writeFile(file, '\uFEFF' + JSON.stringify([{ code: '130000' }, 'odd']));
    expect(await readRows(file, 'units')).toEqual([
      { row: 1, data: { code: '130000' } },
      { row: 2, data: { value: 'odd' } },
    ]);
  });

  it('refuses malformed JSON with file_parse_failed', async () => {
    expect(await codeOf(readRows(fixture('malformed.json'), 'users'))).toBe('file_parse_failed');
  });

  it('refuses JSON that holds no list of the entity', async () => {
    const file = path.join(tmp, 'wrong.json');
    await writeFile(file, JSON.stringify({ sites: [] }));
    expect(await codeOf(readRows(file, 'users'))).toBe('file_parse_failed');
  });

  it('refuses an unknown extension with file_format_unknown', async () => {
    const file = path.join(tmp, 'units.xlsx');
    await writeFile(file, 'whatever');
    expect(await codeOf(readRows(file, 'units'))).toBe('file_format_unknown');
  });

  it('refuses a missing file with file_unreadable', async () => {
    const err = await readRows(path.join(tmp, 'nope.csv'), 'units').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'file_unreadable', params: { reason: 'ENOENT' } });
  });
});
