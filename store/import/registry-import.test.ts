import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueApiToken, resolveApiToken } from '../api-token.repo';
import { describeProblem } from '../../core/presenters/error.presenter';
import { translatorFor } from '../../lib/i18n';
import { clearDatabase, useTestDatabase } from '../../test/db';
import { SiteModel, type SiteDoc } from '../site.model';
import { UnitModel, type UnitDoc } from '../unit.model';
import { UserModel, type UserDoc } from '../user.model';
import { MpTokenModel } from '../mp-auth.model';
import { issueMpSession, resolveMpSession } from '../mp-auth.repo';
import type { SourceRow } from './import-report';
import { readRows } from './read-rows';
import { importSites, importUnits, importUsers } from './registry-import';

useTestDatabase();

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures');
const fixture = (name: string, entity: string) => readRows(path.join(FIXTURES, name), entity);
const rows = (list: Record<string, unknown>[]): SourceRow[] => list.map((data, i) => ({ row: i + 1, data }));

const stamps = async (model: typeof UnitModel | typeof SiteModel | typeof UserModel) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  new Map(((await (model as any).find().lean()) as { _id: unknown; updatedAt?: Date }[]).map((d) => [String(d._id), d.updatedAt?.getTime()]));

const unitRow = (code: string, name: string, kind: string, level: string, parentCode: string | null) => ({
  code,
  name,
  kind,
  level,
  divisionCode: code.slice(0, 6),
  parentCode: parentCode ?? '',
});

describe('#registry import', () => {
  describe('units', () => {
    beforeAll(clearDatabase);

    it('imports the units of a CSV file with their ancestry', async () => {
      const report = await importUnits(await fixture('units.csv', 'units'));
      expect(report).toEqual({ entity: 'units', total: 9, created: 9, updated: 0, unchanged: 0, failed: [], failedRows: 0 });
      const jyj = await UnitModel.findById('130123-jyj').lean<UnitDoc>();
      expect(jyj).toMatchObject({ name: '正定县教育局', kind: 'department', level: 'county', parentCode: '130123', ancestors: ['130000', '130100', '130123'] });
      expect((await UnitModel.findById('130000').lean<UnitDoc>())?.parentCode).toBeNull();
    });

    it('reports everything unchanged on a re-import and writes nothing', async () => {
      const before = await stamps(UnitModel);
      await new Promise((r) => setTimeout(r, 20));
      const report = await importUnits(await fixture('units.csv', 'units'));
      expect(report).toMatchObject({ total: 9, created: 0, updated: 0, unchanged: 9, failedRows: 0 });
      expect(await stamps(UnitModel)).toEqual(before);
    });

    it('imports rows whose parent comes later in the file', async () => {
      await clearDatabase();
      const report = await importUnits(
        rows([
          unitRow('130600-slj', '保定市水利局', 'department', 'city', '130600'),
          unitRow('130624', '阜平县人民政府', 'government', 'county', '130600'),
          unitRow('130600', '保定市人民政府', 'government', 'city', '130000'),
          unitRow('130000', '河北省人民政府', 'government', 'province', null),
        ]),
      );
      expect(report).toMatchObject({ created: 4, failedRows: 0 });
      expect((await UnitModel.findById('130600-slj').lean<UnitDoc>())?.ancestors).toEqual(['130000', '130600']);
      expect((await UnitModel.findById('130624').lean<UnitDoc>())?.ancestors).toEqual(['130000', '130600']);
    });

    it('reports each bad unit row by its row number, field and code, and imports the rest', async () => {
      await clearDatabase();
      const report = await importUnits(
        rows([
          unitRow('130000', '河北省人民政府', 'government', 'province', null),
          unitRow('130100', '石家庄市人民政府', 'government', 'city', '130000'),
          { ...unitRow('130200', '唐山市人民政府', 'government', 'city', '130000'), kind: 'agency' },
          unitRow('130123', '正定县人民政府', 'government', 'county', '130000'),
          unitRow('130131', '平山县人民政府', 'government', 'county', '139900'),
          unitRow('130100-jyj', '石家庄市教育局', 'department', 'city', '130100'),
        ]),
      );
      expect(report).toMatchObject({ total: 6, created: 3, failedRows: 3 });
      expect(report.failed).toEqual([
        expect.objectContaining({ row: 3, field: 'kind', code: 'invalid_value' }),
        { row: 4, field: 'parentCode', code: 'government_parent_level', params: { parent: '河北省人民政府', expected: 'city' } },
        { row: 5, field: 'parentCode', code: 'unit_unknown', params: { unit: '139900' } },
      ]);
      expect((await UnitModel.find().lean<UnitDoc[]>()).map((u) => u._id).sort()).toEqual(['130000', '130100', '130100-jyj']);
    });

    it('moves a unit to a new parent and carries the new ancestry down its subtree and to its sites', async () => {
      await clearDatabase();
      await importUnits(await fixture('units.csv', 'units'));
      await importSites(await fixture('sites-with-bad-rows.csv', 'sites'));
      // An (administratively odd, but legal for the tree) move of 正定 from 石家庄 to 保定.
      const report = await importUnits(rows([unitRow('130123', '正定县人民政府', 'government', 'county', '130600')]));
      expect(report).toMatchObject({ updated: 1, failedRows: 0 });
      expect((await UnitModel.findById('130123-jyj').lean<UnitDoc>())?.ancestors).toEqual(['130000', '130600', '130123']);
      const site = await SiteModel.findOne({ code: '1301230002' }).lean<SiteDoc>();
      expect([...site!.scopeUnits].sort()).toEqual(['130000', '130123', '130123-jyj', '130600']);
    });
  });

  describe('sites', () => {
    beforeAll(async () => {
      await clearDatabase();
      await importUnits(await fixture('units.csv', 'units'));
    });

    it('imports the good rows of a file with bad rows and reports each bad row (row, field, code)', async () => {
      const report = await importSites(await fixture('sites-with-bad-rows.csv', 'sites'));
      expect(report).toMatchObject({ entity: 'sites', total: 9, created: 6, updated: 0, unchanged: 0, failedRows: 3 });
      expect(report.failed).toEqual([
        { row: 5, field: 'domains', code: 'department_domain_not_under_portal', params: { domain: 'jyj.sjz.gov.cn', zone: 'bd.gov.cn', portal: 'www.bd.gov.cn', article: 12 } },
        { row: 7, field: 'domains', code: 'domain_not_gov_cn', params: { domain: 'jyj.sjz.com', article: 12 } },
        { row: 10, field: 'hostUnit', code: 'county_department_site_needs_exception', params: { unit: '正定县文化广电和旅游局', article: 6 } },
      ]);
      const sites = await SiteModel.find().lean<SiteDoc[]>();
      expect(sites.map((s) => s.code).sort()).toEqual(['1300000001', '1301000001', '1301230001', '1301230002', '1306000001', '1306000002']);
      expect(await SiteModel.exists({ domains: { $in: ['jyj.sjz.gov.cn', 'jyj.sjz.com', 'wlj.zhengding.gov.cn'] } })).toBeNull();
    });

    it('stores what the rules need: level from the host, normalized domains, languages, scope', async () => {
      const slj = await SiteModel.findOne({ code: '1306000002' }).lean<SiteDoc>();
      expect(slj).toMatchObject({ kind: 'department', level: 'city', domains: ['slj.bd.gov.cn', 'en.slj.bd.gov.cn'], languages: ['zh-CN', 'en'], status: 'online' });
      expect([...slj!.scopeUnits].sort()).toEqual(['130000', '130600', '130600-slj']);
      const zd = await SiteModel.findOne({ code: '1301230002' }).lean<SiteDoc>();
      expect(zd).toMatchObject({ level: 'county', operatorUnit: '130123', exceptionNote: '经省政府办公厅审核同意保留, 承载"招生入学"等在线服务' });
    });

    it('cites art. 12 in the localized reasons, in Chinese and in English', async () => {
      const report = await importSites(await fixture('sites-with-bad-rows.csv', 'sites'));
      const art12 = report.failed.filter((f) => f.params?.article === 12);
      expect(art12.map((f) => f.code)).toEqual(['department_domain_not_under_portal', 'domain_not_gov_cn']);
      for (const f of art12) {
        const zh = describeProblem(f, translatorFor('zh-CN'));
        const en = describeProblem(f, translatorFor('en'));
        expect(zh).toContain('第12条');
        expect(en).toContain('art. 12');
        expect(zh).toContain(String(f.params!.domain));
        expect(en).toContain(String(f.params!.domain));
      }
      expect(describeProblem(art12[0]!, translatorFor('en'))).toContain('www.bd.gov.cn');
    });

    it('reports everything unchanged when the same rows come again, and writes nothing', async () => {
      const before = await stamps(SiteModel);
      await new Promise((r) => setTimeout(r, 20));
      const report = await importSites(await fixture('sites-with-bad-rows.csv', 'sites'));
      expect(report).toMatchObject({ total: 9, created: 0, updated: 0, unchanged: 6, failedRows: 3 });
      expect(await stamps(SiteModel)).toEqual(before);
    });

    it('updates a site whose row keeps its 网站标识码 but changes its domain', async () => {
      const before = await SiteModel.findOne({ code: '1306000002' }).lean<SiteDoc>();
      const report = await importSites(
        rows([{ code: '1306000002', name: '保定市水利局网站', kind: 'department', domains: 'shuili.bd.gov.cn', hostUnit: '130600-slj', supervisingUnit: '130600' }]),
      );
      expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 0, failedRows: 0 });
      const after = await SiteModel.findOne({ code: '1306000002' }).lean<SiteDoc>();
      expect(String(after!._id)).toBe(String(before!._id));
      expect(after).toMatchObject({ domains: ['shuili.bd.gov.cn'], languages: ['zh-CN'] });
      expect(await SiteModel.countDocuments()).toBe(6);
    });

    it("refuses a changed domain that another site already uses", async () => {
      const report = await importSites(
        rows([{ code: '1306000002', name: '保定市水利局网站', kind: 'department', domains: 'www.bd.gov.cn', hostUnit: '130600-slj', supervisingUnit: '130600' }]),
      );
      expect(report.failed).toContainEqual({ row: 1, field: 'domains', code: 'domain_taken', params: { domain: 'www.bd.gov.cn', site: '保定市人民政府门户网站' } });
      expect((await SiteModel.findOne({ code: '1306000002' }).lean<SiteDoc>())?.domains).toEqual(['shuili.bd.gov.cn']);
    });

    it('refuses a second site for the same department, citing art. 6', async () => {
      const report = await importSites(
        rows([{ code: '1306000009', name: '保定市水利局网站', kind: 'department', domains: 'slj2.bd.gov.cn', hostUnit: '130600-slj', supervisingUnit: '130600' }]),
      );
      expect(report.failed).toEqual([expect.objectContaining({ row: 1, code: 'department_site_already_exists', params: expect.objectContaining({ article: 6 }) })]);
    });

    it('imports a department site listed before its government portal in the same file', async () => {
      await clearDatabase();
      await importUnits(await fixture('units.csv', 'units'));
      const report = await importSites(
        rows([
          { code: '1306000002', name: '保定市水利局网站', kind: 'department', domains: 'slj.bd.gov.cn', hostUnit: '130600-slj', supervisingUnit: '130600' },
          { code: '1306000001', name: '保定市人民政府门户网站', kind: 'portal', domains: 'www.bd.gov.cn', hostUnit: '130600', supervisingUnit: '130600' },
        ]),
      );
      expect(report).toMatchObject({ created: 2, failedRows: 0 });
    });

    it('refuses rows that do not parse, by field', async () => {
      const report = await importSites(
        rows([
          { code: '1306000003', name: '保定市教育局网站', kind: 'blog', domains: 'jyj.bd.gov.cn', hostUnit: '130600-jyj', supervisingUnit: '130600' },
          { code: '1306000003', name: '保定市教育局网站', kind: 'department', domains: '', hostUnit: '130600-jyj', supervisingUnit: '130600' },
          { code: '1306000003', name: '保定市教育局网站', kind: 'department', domains: 'jyj.bd.gov.cn', hostUnit: '130600-jyj', supervisingUnit: '130600', languages: 'fr' },
        ]),
      );
      expect(report.failed.map((f) => [f.row, f.field, f.code])).toEqual([
        [1, 'kind', 'invalid_value'],
        [2, 'domains', 'site_domain_required'],
        [3, 'languages.0', 'invalid_value'],
      ]);
      expect(await SiteModel.exists({ code: '1306000003' })).toBeNull();
      const noDomain = report.failed.find((f) => f.row === 2)!;
      expect(noDomain.params).toEqual({ article: 12 });
      expect(describeProblem(noDomain, translatorFor('zh-CN'))).toContain('第12条');
      expect(describeProblem(noDomain, translatorFor('en'))).toContain('art. 12');
    });
  });

  describe('users', () => {
    beforeAll(async () => {
      await clearDatabase();
      await importUnits(await fixture('units.csv', 'units'));
      await importSites(await fixture('sites-with-bad-rows.csv', 'sites'));
    });

    it('imports users with their roles and refuses users naming unknown sites or units', async () => {
      const report = await importUsers(await fixture('users.json', 'users'));
      expect(report).toMatchObject({ entity: 'users', total: 5, created: 3, updated: 0, unchanged: 0, failedRows: 2 });
      expect(report.failed).toEqual([
        { row: 4, field: 'siteAdminOf', code: 'site_unknown', params: { site: 'nope.bd.gov.cn' } },
        { row: 5, field: 'supervisorOf', code: 'unit_unknown', params: { unit: '139999' } },
      ]);
      const slj = await SiteModel.findOne({ code: '1306000002' }).lean<SiteDoc>();
      const portal = await SiteModel.findOne({ code: '1306000001' }).lean<SiteDoc>();
      const li = await UserModel.findOne({ userid: 'li.jing' }).lean<UserDoc>();
      expect(li).toMatchObject({ name: '李静', locale: 'zh-CN', mobile: '13800001001', active: true });
      expect(li!.roles).toEqual([
        { role: 'site_admin', siteId: String(slj!._id) },
        { role: 'site_admin', siteId: String(portal!._id) },
      ]);
      expect((await UserModel.findOne({ userid: 'chen.chen' }).lean<UserDoc>())?.roles).toEqual([{ role: 'supervisor', unitCode: '130600' }]);
      expect(await UserModel.findOne({ userid: 'yang.fan' }).lean<UserDoc>()).toMatchObject({ locale: 'en', roles: [{ role: 'supervisor', unitCode: '130000' }, { role: 'province_admin' }] });
      expect(await UserModel.exists({ userid: { $in: ['ghost.admin', 'ghost.supervisor'] } })).toBeNull();
    });

    it('reports everything unchanged on a re-import and writes nothing', async () => {
      const before = await stamps(UserModel);
      await new Promise((r) => setTimeout(r, 20));
      const report = await importUsers(await fixture('users.json', 'users'));
      expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 3, failedRows: 2 });
      expect(await stamps(UserModel)).toEqual(before);
    });

    it('updates a changed user and drops a contact the row no longer has', async () => {
      const report = await importUsers(rows([{ userid: 'li.jing', name: '李静', locale: 'en', siteAdminOf: '1306000002' }]));
      expect(report).toMatchObject({ updated: 1 });
      const li = await UserModel.findOne({ userid: 'li.jing' }).lean<UserDoc>();
      expect(li).toMatchObject({ locale: 'en', roles: [{ role: 'site_admin' }] });
      expect(li!.mobile).toBeUndefined();
      expect(li!.email).toBeUndefined();
    });

    it('takes the later row when a file lists the same userid twice', async () => {
      const report = await importUsers(
        rows([
          { userid: 'twice', name: '第一次', supervisorOf: '130600' },
          { userid: 'twice', name: '第二次', supervisorOf: '130600' },
          { userid: 'twice', name: '第二次', supervisorOf: '130600' },
        ]),
      );
      expect(report).toMatchObject({ created: 1, updated: 1, unchanged: 1, failedRows: 0 });
      expect((await UserModel.findOne({ userid: 'twice' }).lean<UserDoc>())?.name).toBe('第二次');
    });

    it('refuses malformed userids, mobiles and e-mail addresses by field', async () => {
      const report = await importUsers(
        rows([
          { userid: 'bad user', name: 'x' },
          { userid: 'ok.user', name: 'x', mobile: '12ab' },
          { userid: 'ok.user2', name: 'x', email: 'not-mail' },
        ]),
      );
      expect(report.failed.map((f) => [f.row, f.field, f.code])).toEqual([
        [1, 'userid', 'userid_format'],
        [2, 'mobile', 'mobile_format'],
        [3, 'email', 'email_format'],
      ]);
    });

    describe('active', () => {
      const person = (userid: string, extra: Record<string, unknown> = {}) => ({ userid, name: '停用测试', supervisorOf: '130600', ...extra });
      const activeOf = async (userid: string) => (await UserModel.findOne({ userid }).lean<UserDoc>())?.active;

      it('deactivates with active=false, revoking the API tokens and mini-program sessions; a re-import without the column keeps the user inactive', async () => {
        expect(await importUsers(rows([person('leaver')]))).toMatchObject({ created: 1, failedRows: 0 });
        expect(await activeOf('leaver')).toBe(true);
        const token = await issueApiToken('leaver', 'laptop');
        const session = await issueMpSession('leaver', 7200, new Date());
        expect(await resolveApiToken(token)).toBeDefined();

        expect(await importUsers(rows([person('leaver', { active: false })]))).toMatchObject({ updated: 1, failedRows: 0 });
        expect(await activeOf('leaver')).toBe(false);
        expect(await resolveApiToken(token)).toBeUndefined();
        expect(await resolveMpSession(session.accessToken)).toBeUndefined();
        expect(await MpTokenModel.countDocuments({ userid: 'leaver', revokedAt: null })).toBe(0);

        // The old file, without the column: nothing changes, nobody is re-activated, the token stays dead.
        expect(await importUsers(rows([person('leaver')]))).toMatchObject({ unchanged: 1, updated: 0, failedRows: 0 });
        expect(await activeOf('leaver')).toBe(false);
        expect(await resolveApiToken(token)).toBeUndefined();
        // Only an explicit yes re-activates, and the revoked token stays revoked.
        expect(await importUsers(rows([person('leaver', { active: '是' })]))).toMatchObject({ updated: 1 });
        expect(await activeOf('leaver')).toBe(true);
        expect(await resolveApiToken(token)).toBeUndefined();
      });

      it('reads true/false, yes/no, 是/否 and 1/0; an empty cell keeps the state; a bad value refuses only its row', async () => {
        const dir = await mkdtemp(path.join(os.tmpdir(), 'steward-users-active-'));
        try {
          const file = path.join(dir, 'users.csv');
          const csv = [
            'userid,name,supervisorOf,active',
            'a.true,甲,130600,true',
            'a.no,乙,130600,no',
            'a.shi,丙,130600,是',
            'a.fou,丁,130600,否',
            'a.one,戊,130600,1',
            'a.zero,己,130600,0',
            'a.empty,庚,130600,',
            'a.bad,辛,130600,maybe',
            'a.false,壬,130600,FALSE',
          ];
          await writeFile(file, csv.join('\n') + '\n');
          const report = await importUsers(await readRows(file, 'users'));
          expect(report).toMatchObject({ total: 9, created: 8, failedRows: 1 });
          expect(report.failed).toEqual([{ row: 9, field: 'active', code: 'user_active_invalid', params: { detail: 'user_active_invalid', value: 'maybe' } }]);
          expect(describeProblem(report.failed[0]!, translatorFor('zh-CN'))).toContain('“maybe”不是有效的 active 取值');
          expect(describeProblem(report.failed[0]!, translatorFor('en'))).toContain('“maybe” is not a valid value for active');
          const states = Object.fromEntries((await UserModel.find({ userid: /^a\./ }).lean<UserDoc[]>()).map((u) => [u.userid, u.active]));
          expect(states).toEqual({ 'a.true': true, 'a.no': false, 'a.shi': true, 'a.fou': false, 'a.one': true, 'a.zero': false, 'a.empty': true, 'a.false': false });

          // An empty cell on an existing user keeps what they are, in both directions.
          await writeFile(file, ['userid,name,supervisorOf,active', 'a.no,乙,130600,', 'a.true,甲,130600,'].join('\n') + '\n');
          expect(await importUsers(await readRows(file, 'users'))).toMatchObject({ unchanged: 2, failedRows: 0 });
          expect(await activeOf('a.no')).toBe(false);
          expect(await activeOf('a.true')).toBe(true);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });

      it('takes JSON booleans and numbers too', async () => {
        const report = await importUsers(rows([person('j.off', { active: false }), person('j.on', { active: 1 }), person('j.bad', { active: 'inactive' })]));
        expect(report).toMatchObject({ created: 2, failedRows: 1 });
        expect(report.failed.map((f) => [f.row, f.field, f.code])).toEqual([[3, 'active', 'user_active_invalid']]);
        expect(await activeOf('j.off')).toBe(false);
        expect(await activeOf('j.on')).toBe(true);
      });
    });
  });
});
