import { checkSite, type SiteCandidate, type SiteRuleContext } from './site.rules';
import type { Site, Unit } from './types';
import { SITE_CODE_PATTERN } from './domain';

// A small tree: 河北 → 保定, 石家庄 → 正定 (county), with departments under each government.
const unit = (code: string, name: string, kind: Unit['kind'], level: Unit['level'], parentCode: string | null, ancestors: string[]): Unit => ({
  code,
  name,
  kind,
  level,
  divisionCode: code.slice(0, 6),
  parentCode,
  ancestors,
});
const hebei = unit('130000', '河北省人民政府', 'government', 'province', null, []);
const baoding = unit('130600', '保定市人民政府', 'government', 'city', '130000', ['130000']);
const shijiazhuang = unit('130100', '石家庄市人民政府', 'government', 'city', '130000', ['130000']);
const zhengding = unit('130123', '正定县人民政府', 'government', 'county', '130100', ['130000', '130100']);
const bdSlj = unit('130600-slj', '保定市水利局', 'department', 'city', '130600', ['130000', '130600']);
const zdJyj = unit('130123-jyj', '正定县教育局', 'department', 'county', '130123', ['130000', '130100', '130123']);
const township = unit('130123101', '正定镇人民政府', 'township', 'township', '130123', ['130000', '130100', '130123']);

const portalOf = (id: string, host: Unit, domain: string): Pick<Site, 'id' | 'domains' | 'name'> => ({ id, domains: [domain], name: `${host.name}门户网站` });
const bdPortal = portalOf('p-bd', baoding, 'www.bd.gov.cn');
const zdPortal = portalOf('p-zd', zhengding, 'www.zhengding.gov.cn');

/** A valid 保定市水利局 department site and its surroundings; each test breaks one thing. */
const deptSite = (over: Partial<SiteCandidate> = {}): SiteCandidate => ({
  code: '1306000002',
  name: '保定市水利局网站',
  kind: 'department',
  domains: ['slj.bd.gov.cn'],
  hostUnit: bdSlj.code,
  supervisingUnit: baoding.code,
  ...over,
});
const deptCtx = (over: Partial<SiteRuleContext> = {}): SiteRuleContext => ({
  hostUnit: bdSlj,
  supervisingUnit: baoding,
  hostGovernment: baoding,
  governmentPortal: bdPortal,
  otherSitesOfHost: [],
  domainOwners: [],
  ...over,
});

const portalSite = (over: Partial<SiteCandidate> = {}): SiteCandidate => ({
  code: '1306000001',
  name: '保定市人民政府门户网站',
  kind: 'portal',
  domains: ['www.bd.gov.cn'],
  hostUnit: baoding.code,
  supervisingUnit: baoding.code,
  ...over,
});
const portalCtx = (over: Partial<SiteRuleContext> = {}): SiteRuleContext => ({
  hostUnit: baoding,
  supervisingUnit: baoding,
  hostGovernment: baoding,
  otherSitesOfHost: [],
  domainOwners: [],
  ...over,
});

const codes = (problems: { code: string }[]) => problems.map((p) => p.code);

describe('#site rules', () => {
  describe('a valid registry', () => {
    it('accepts a city portal at www.<name>.gov.cn', () => {
      expect(checkSite(portalSite(), portalCtx())).toEqual([]);
    });

    it('accepts a department site under its portal zone (slj.bd.gov.cn under www.bd.gov.cn)', () => {
      expect(checkSite(deptSite(), deptCtx())).toEqual([]);
    });

    it('accepts several subdomains of the zone and upper-case input, compared normalized', () => {
      expect(checkSite(deptSite({ domains: ['SLJ.BD.GOV.CN.', 'en.slj.bd.gov.cn'] }), deptCtx())).toEqual([]);
    });

    it('accepts a planned site without a 网站标识码 yet', () => {
      expect(checkSite(deptSite({ code: undefined }), deptCtx())).toEqual([]);
    });
  });

  describe('art. 12: domains', () => {
    it('refuses a domain that is not .gov.cn, citing art. 12', () => {
      const problems = checkSite(deptSite({ domains: ['slj-bd.com.cn'] }), deptCtx());
      expect(problems).toEqual([{ field: 'domains', code: 'domain_not_gov_cn', params: { domain: 'slj-bd.com.cn', article: 12 } }]);
    });

    it('refuses a portal that is not .gov.cn for that reason alone, citing art. 12', () => {
      expect(checkSite(portalSite({ domains: ['www.bd.com'] }), portalCtx())).toEqual([
        { field: 'domains', code: 'domain_not_gov_cn', params: { domain: 'www.bd.com', article: 12 } },
      ]);
    });

    it('refuses gov.cn itself and look-alikes such as xgov.cn', () => {
      expect(codes(checkSite(portalSite({ domains: ['gov.cn'] }), portalCtx()))).toContain('domain_not_gov_cn');
      expect(codes(checkSite(portalSite({ domains: ['www.bdgov.cn'] }), portalCtx()))).toContain('domain_not_gov_cn');
    });

    it('refuses a malformed host name instead of judging its zone', () => {
      const problems = checkSite(deptSite({ domains: ['slj..bd.gov.cn'] }), deptCtx());
      expect(problems).toEqual([{ field: 'domains', code: 'domain_invalid', params: { domain: 'slj..bd.gov.cn' } }]);
    });

    it('refuses a site without any domain, citing art. 12', () => {
      expect(checkSite(deptSite({ domains: [] }), deptCtx())).toEqual([{ field: 'domains', code: 'site_domain_required', params: { article: 12 } }]);
    });

    it('refuses a portal whose domain is not www.<x>.gov.cn, citing art. 12', () => {
      expect(checkSite(portalSite({ domains: ['bd.gov.cn'] }), portalCtx())).toEqual([
        { field: 'domains', code: 'portal_domain_not_www', params: { domain: 'bd.gov.cn', article: 12 } },
      ]);
      expect(codes(checkSite(portalSite({ domains: ['portal.bd.gov.cn'] }), portalCtx()))).toEqual(['portal_domain_not_www']);
    });

    it('refuses a department site outside its portal domain, citing art. 12 (slj.sjz.gov.cn is not under www.bd.gov.cn)', () => {
      const problems = checkSite(deptSite({ domains: ['slj.sjz.gov.cn'] }), deptCtx());
      expect(problems).toEqual([
        {
          field: 'domains',
          code: 'department_domain_not_under_portal',
          params: { domain: 'slj.sjz.gov.cn', zone: 'bd.gov.cn', portal: 'www.bd.gov.cn', article: 12 },
        },
      ]);
    });

    it('refuses a department site on its portal domain itself (www.bd.gov.cn)', () => {
      const problems = checkSite(deptSite({ domains: ['www.bd.gov.cn'] }), deptCtx());
      expect(problems).toEqual([expect.objectContaining({ code: 'department_domain_not_under_portal', params: expect.objectContaining({ domain: 'www.bd.gov.cn', article: 12 }) })]);
    });

    it('refuses a department domain that only ends with the same letters (xbd.gov.cn)', () => {
      expect(codes(checkSite(deptSite({ domains: ['slj.xbd.gov.cn'] }), deptCtx()))).toEqual(['department_domain_not_under_portal']);
    });

    it('checks every domain of a department site, not only the main one', () => {
      const problems = checkSite(deptSite({ domains: ['slj.bd.gov.cn', 'slj.hebei.gov.cn'] }), deptCtx());
      expect(problems).toEqual([expect.objectContaining({ code: 'department_domain_not_under_portal', params: expect.objectContaining({ domain: 'slj.hebei.gov.cn' }) })]);
    });

    it('refuses a department site when its government has no portal to be under, citing art. 12', () => {
      const problems = checkSite(deptSite(), deptCtx({ governmentPortal: undefined }));
      expect(problems).toEqual([{ field: 'domains', code: 'government_portal_missing', params: { unit: '保定市人民政府', article: 12 } }]);
    });

    it('refuses a domain another site already uses, naming that site', () => {
      const problems = checkSite(deptSite(), deptCtx({ domainOwners: [{ id: 'other', name: '保定市另一网站', domains: ['slj.bd.gov.cn'] }] }));
      expect(problems).toEqual([{ field: 'domains', code: 'domain_taken', params: { domain: 'slj.bd.gov.cn', site: '保定市另一网站' } }]);
    });

    it('does not count the site itself as the owner of its own domain', () => {
      expect(checkSite(deptSite({ id: 'me' }), deptCtx({ domainOwners: [{ id: 'me', name: '保定市水利局网站', domains: ['slj.bd.gov.cn'] }] }))).toEqual([]);
    });
  });

  describe('art. 2 and 6: who opens which site', () => {
    it('refuses a second site for the same department, citing art. 6', () => {
      const problems = checkSite(deptSite(), deptCtx({ otherSitesOfHost: [{ id: 'old', name: '保定市水利局旧网站', status: 'online' }] }));
      expect(problems).toEqual([{ field: 'hostUnit', code: 'department_site_already_exists', params: { unit: '保定市水利局', site: '保定市水利局旧网站', article: 6 } }]);
    });

    it('lets a department open a new site once its old one is closed', () => {
      expect(checkSite(deptSite(), deptCtx({ otherSitesOfHost: [{ id: 'old', name: '保定市水利局旧网站', status: 'closed' }] }))).toEqual([]);
    });

    it('refuses a second portal for the same government, citing art. 6', () => {
      const problems = checkSite(portalSite(), portalCtx({ otherSitesOfHost: [{ id: 'old', name: '保定市人民政府网', status: 'online' }] }));
      expect(problems).toEqual([{ field: 'hostUnit', code: 'portal_already_exists', params: { unit: '保定市人民政府', site: '保定市人民政府网', article: 6 } }]);
    });

    it('refuses a portal hosted by a department, citing art. 6', () => {
      const site = portalSite({ name: '保定市水利局门户网站', domains: ['www.bdslj.gov.cn'], hostUnit: bdSlj.code });
      expect(checkSite(site, portalCtx({ hostUnit: bdSlj }))).toEqual([{ field: 'hostUnit', code: 'portal_host_not_government', params: { unit: '保定市水利局', article: 6 } }]);
    });

    it('refuses a portal hosted by a township, citing art. 6', () => {
      const site = portalSite({ name: '正定镇人民政府门户网站', domains: ['www.zdz.gov.cn'], hostUnit: township.code, supervisingUnit: zhengding.code });
      expect(codes(checkSite(site, portalCtx({ hostUnit: township, supervisingUnit: zhengding })))).toEqual(['portal_host_not_government']);
    });

    it('refuses a department site hosted by a government, citing art. 2', () => {
      const site = deptSite({ name: '保定市人民政府网站', hostUnit: baoding.code });
      expect(checkSite(site, deptCtx({ hostUnit: baoding }))).toEqual([
        { field: 'hostUnit', code: 'department_site_host_is_government', params: { unit: '保定市人民政府', article: 2 } },
      ]);
    });

    const countySite = (over: Partial<SiteCandidate> = {}) =>
      deptSite({ code: '1301230002', name: '正定县教育局网站', domains: ['jyj.zhengding.gov.cn'], hostUnit: zdJyj.code, supervisingUnit: zhengding.code, ...over });
    const countyCtx = () => deptCtx({ hostUnit: zdJyj, supervisingUnit: zhengding, hostGovernment: zhengding, governmentPortal: zdPortal });

    it('refuses a county department site without an exception note, citing art. 6', () => {
      expect(checkSite(countySite(), countyCtx())).toEqual([{ field: 'hostUnit', code: 'county_department_site_needs_exception', params: { unit: '正定县教育局', article: 6 } }]);
      expect(codes(checkSite(countySite({ exceptionNote: '   ' }), countyCtx()))).toEqual(['county_department_site_needs_exception']);
    });

    it('accepts a county department site that carries an exception note', () => {
      expect(checkSite(countySite({ exceptionNote: '经省政府办公厅审核同意保留' }), countyCtx())).toEqual([]);
    });
  });

  describe('art. 11: named after the agency', () => {
    it('refuses a site whose name does not carry its host unit, citing art. 11', () => {
      expect(checkSite(deptSite({ name: '保定水务在线' }), deptCtx())).toEqual([
        { field: 'name', code: 'site_name_not_agency', params: { name: '保定水务在线', unit: '保定市水利局', article: 11 } },
      ]);
    });
  });

  describe('网站标识码', () => {
    it.each(['1301000001', 'bm55000001'])('accepts %s', (code) => {
      expect(SITE_CODE_PATTERN.test(code)).toBe(true);
      expect(checkSite(deptSite({ code }), deptCtx())).toEqual([]);
    });

    it.each(['130100001', '13010000012', 'BM55000001', 'bm5500001', '130100000a'])('refuses %s', (code) => {
      expect(checkSite(deptSite({ code }), deptCtx())).toEqual([{ field: 'code', code: 'site_code_invalid', params: { value: code } }]);
    });
  });

  describe('art. 3: units', () => {
    it('refuses a supervising unit that is not the host or above it, citing art. 3', () => {
      const problems = checkSite(deptSite({ supervisingUnit: shijiazhuang.code }), deptCtx({ supervisingUnit: shijiazhuang }));
      expect(problems).toEqual([
        { field: 'supervisingUnit', code: 'supervising_unit_not_above_host', params: { unit: '石家庄市人民政府', host: '保定市水利局', article: 3 } },
      ]);
    });

    it('accepts the provincial government supervising a city department (any ancestor)', () => {
      expect(checkSite(deptSite({ supervisingUnit: hebei.code }), deptCtx({ supervisingUnit: hebei }))).toEqual([]);
    });

    it('refuses unknown host, supervising and operator units by field', () => {
      const problems = checkSite(deptSite({ hostUnit: '139999-x', supervisingUnit: '139999', operatorUnit: '139998' }), deptCtx({ hostUnit: undefined, supervisingUnit: undefined }));
      expect(problems).toEqual([
        { field: 'hostUnit', code: 'unit_unknown', params: { unit: '139999-x' } },
        { field: 'supervisingUnit', code: 'unit_unknown', params: { unit: '139999' } },
        { field: 'operatorUnit', code: 'unit_unknown', params: { unit: '139998' } },
      ]);
    });
  });
});
