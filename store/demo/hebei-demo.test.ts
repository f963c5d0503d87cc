import { siteRowSchema, unitRowSchema, userRowSchema } from '../../core/registry/import-rows';
import type { SiteRow, UserRow } from '../../core/registry/import-rows';
import { ancestorsOf, checkUnit } from '../../core/registry/unit.rules';
import { checkSite } from '../../core/registry/site.rules';
import type { SiteRuleContext } from '../../core/registry/site.rules';
import { normalizeDomain } from '../../core/registry/domain';
import type { Site, Unit } from '../../core/registry/types';
import type { FieldProblem } from '../../core/errors';
import { demoSites, demoUnits, demoUsers } from './hebei-demo';

/** The demo registry, built purely in memory the way an import would: units in order, parents first. */
function buildRegistry() {
  const units = new Map<string, Unit>();
  const unitProblems: Record<string, FieldProblem[]> = {};
  for (const raw of demoUnits) {
    const row = unitRowSchema.parse(raw);
    const parent = row.parentCode === null ? undefined : units.get(row.parentCode);
    const problems = checkUnit(row, parent);
    if (units.has(row.code)) problems.push({ field: 'code', code: 'duplicate_unit' });
    if (problems.length > 0) unitProblems[row.code] = problems;
    units.set(row.code, { ...row, ancestors: ancestorsOf(parent) });
  }

  const rows = demoSites.map((raw) => siteRowSchema.parse(raw));
  const sites: Site[] = rows.map((row: SiteRow, i) => {
    const host = units.get(row.hostUnit);
    const scope = new Set<string>();
    for (const code of [row.hostUnit, row.supervisingUnit]) {
      const u = units.get(code);
      if (u) [...u.ancestors, u.code].forEach((c) => scope.add(c));
    }
    return {
      ...row,
      id: `demo-site-${i + 1}`,
      domains: row.domains.map(normalizeDomain),
      level: host?.level ?? 'province',
      scopeUnits: [...scope],
    };
  });
  return { units, unitProblems, sites };
}

function contextFor(site: Site, units: Map<string, Unit>, sites: Site[]): SiteRuleContext {
  const host = units.get(site.hostUnit);
  const hostGovernment = host?.kind === 'department' && host.parentCode ? units.get(host.parentCode) : undefined;
  return {
    hostUnit: host,
    supervisingUnit: units.get(site.supervisingUnit),
    operatorUnit: site.operatorUnit ? units.get(site.operatorUnit) : undefined,
    hostGovernment,
    governmentPortal: hostGovernment ? sites.find((s) => s.kind === 'portal' && s.hostUnit === hostGovernment.code && s.status !== 'closed') : undefined,
    otherSitesOfHost: sites.filter((s) => s.id !== site.id && s.hostUnit === site.hostUnit && s.status !== 'closed'),
    domainOwners: sites.filter((s) => s.id !== site.id && s.domains.some((d) => site.domains.includes(d))),
  };
}

/** A user row names a site by 网站标识码 or by main domain. */
function findSite(sites: Site[], ref: string): Site | undefined {
  const d = normalizeDomain(ref);
  return sites.find((s) => s.code === ref || s.domains[0] === d);
}

describe('#demo data', () => {
  const { units, unitProblems, sites } = buildRegistry();
  const users: UserRow[] = demoUsers.map((raw) => userRowSchema.parse(raw));

  it('reads as import rows: every unit, site and user row parses with the import schemas', () => {
    for (const raw of demoUnits) expect(unitRowSchema.safeParse(raw).success).toBe(true);
    for (const raw of demoSites) expect(siteRowSchema.safeParse(raw).success).toBe(true);
    for (const raw of demoUsers) expect(userRowSchema.safeParse(raw).success).toBe(true);
    expect(units.size).toBeGreaterThanOrEqual(25);
    expect(sites.length).toBeGreaterThanOrEqual(25);
  });

  it('passes every registry rule of the Measures', () => {
    expect(unitProblems).toEqual({});
    const siteProblems: Record<string, FieldProblem[]> = {};
    for (const site of sites) {
      const problems = checkSite(site, contextFor(site, units, sites));
      if (problems.length > 0) siteProblems[site.name] = problems;
    }
    expect(siteProblems).toEqual({});
  });

  it('builds a tree from 河北省人民政府 down to the county departments, parents first', () => {
    expect(units.get('130000')).toMatchObject({ name: '河北省人民政府', kind: 'government', level: 'province', parentCode: null, ancestors: [] });
    for (const code of ['130100', '130200', '130400', '130600', '130682', '130181']) {
      expect(units.get(code)).toMatchObject({ kind: 'government', level: 'city', parentCode: '130000', ancestors: ['130000'] });
    }
    expect(units.get('130123-jyj')?.ancestors).toEqual(['130000', '130100', '130123']);
    const counties = [...units.values()].filter((u) => u.kind === 'government' && u.level === 'county');
    expect(counties.length).toBeGreaterThanOrEqual(3);
    // GB/T 2260: a county's code starts with its city's prefix.
    for (const county of counties) expect(county.code.slice(0, 4)).toBe(county.parentCode?.slice(0, 4));
  });

  it('gives every government one portal and every site a unique 网站标识码 of its own division', () => {
    for (const gov of [...units.values()].filter((u) => u.kind === 'government')) {
      expect(sites.filter((s) => s.kind === 'portal' && s.hostUnit === gov.code)).toHaveLength(1);
    }
    const codes = sites.flatMap((s) => (s.code ? [s.code] : []));
    expect(new Set(codes).size).toBe(codes.length);
    for (const site of sites) {
      if (site.code) expect(site.code.slice(0, 6)).toBe(units.get(site.hostUnit)?.divisionCode);
      else expect(site.status).toBe('planned');
    }
    const domains = sites.flatMap((s) => s.domains);
    expect(new Set(domains).size).toBe(domains.length);
  });

  it('has a foreign-language edition and a county department site kept by exception', () => {
    expect(sites.some((s) => s.languages.includes('en'))).toBe(true);
    const countyDeptSites = sites.filter((s) => s.kind === 'department' && s.level === 'county');
    expect(countyDeptSites.length).toBeGreaterThanOrEqual(1);
    for (const s of countyDeptSites) expect(s.exceptionNote).toMatch(/[\u4e00-\u9fff]/);
  });

  it('names only sites and units that exist in its user roles', () => {
    for (const user of users) {
      for (const ref of user.siteAdminOf) expect({ user: user.userid, ref, found: !!findSite(sites, ref) }).toEqual({ user: user.userid, ref, found: true });
      for (const code of user.supervisorOf) expect({ user: user.userid, code, found: units.has(code) }).toEqual({ user: user.userid, code, found: true });
    }
    expect(new Set(users.map((u) => u.userid)).size).toBe(users.length);
  });

  it('has the demo users the README promises, in their locales', () => {
    const byId = new Map(users.map((u) => [u.userid, u]));
    expect(byId.get('demo.siteadmin')?.locale).toBe('zh-CN');
    expect(byId.get('demo.siteadmin.en')?.locale).toBe('en');
    expect(byId.get('demo.county')).toMatchObject({ locale: 'zh-CN', supervisorOf: ['130123'] });
    expect(byId.get('demo.city')).toMatchObject({ locale: 'zh-CN', supervisorOf: ['130100'] });
    expect(byId.get('demo.province')).toMatchObject({ locale: 'zh-CN', provinceAdmin: true, supervisorOf: ['130000'] });

    const enAdminSites = byId.get('demo.siteadmin.en')!.siteAdminOf.map((ref) => findSite(sites, ref));
    expect(enAdminSites.some((s) => s?.languages.includes('en'))).toBe(true);

    // Every role has a handful of people.
    expect(users.filter((u) => u.siteAdminOf.length > 0).length).toBeGreaterThanOrEqual(3);
    expect(users.filter((u) => u.supervisorOf.length > 0 && !u.provinceAdmin).length).toBeGreaterThanOrEqual(3);
    expect(users.filter((u) => u.provinceAdmin).length).toBeGreaterThanOrEqual(1);
  });

  it('lets demo.siteadmin look after a county department site and the county portal', () => {
    const admin = users.find((u) => u.userid === 'demo.siteadmin')!;
    const own = admin.siteAdminOf.map((ref) => findSite(sites, ref));
    expect(own).toHaveLength(2);
    expect(own.some((s) => s?.kind === 'department' && s.level === 'county')).toBe(true);
    // The county supervisor sees both of them in its subtree.
    for (const s of own) expect(s?.scopeUnits).toContain('130123');
  });
});
