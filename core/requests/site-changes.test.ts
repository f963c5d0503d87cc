import type { Site, Unit } from '../registry/types';
import { siteAfterChanges } from './site-changes';

const unit = (code: string, kind: Unit['kind'], level: Unit['level'], parentCode: string | null): Unit => ({ code, name: code, kind, level, divisionCode: code.slice(0, 6), parentCode, ancestors: parentCode ? [parentCode] : [] });
const registry = new Map<string, Unit>([
  ['130100', unit('130100', 'government', 'city', '130000')],
  ['130100-jyj', unit('130100-jyj', 'department', 'city', '130100')],
  ['130123', unit('130123', 'government', 'county', '130100')],
  ['130123-wjj', unit('130123-wjj', 'department', 'county', '130123')],
]);
const units = { get: async (code: string) => registry.get(code) };

const site: Site = {
  id: 's1',
  code: '1301230002',
  name: '正定县教育局',
  kind: 'department',
  level: 'county',
  domains: ['jyj.zhengding.gov.cn', 'edu.zhengding.gov.cn'],
  supervisingUnit: '130123',
  hostUnit: '130123-jyj',
  languages: ['zh-CN'],
  status: 'online',
  scopeUnits: ['130000', '130100', '130123', '130123-jyj'],
};

describe('#change-record site after changes', () => {
  it('keeps the site as it is when nothing registry-relevant changes', async () => {
    expect(await siteAfterChanges(site, { contacts: '0311-1234567' }, units)).toEqual(site);
  });

  it('gives a department site the new host and the host’s government as supervisor, at the host’s level', async () => {
    const next = await siteAfterChanges(site, { hostUnit: '130100-jyj', name: '石家庄市教育局' }, units);
    expect(next).toMatchObject({ hostUnit: '130100-jyj', supervisingUnit: '130100', level: 'city', name: '石家庄市教育局' });
  });

  it('has a portal supervised by its new host itself', async () => {
    const portal: Site = { ...site, kind: 'portal', hostUnit: '130123', supervisingUnit: '130123', domains: ['www.zhengding.gov.cn'] };
    expect(await siteAfterChanges(portal, { hostUnit: '130100' }, units)).toMatchObject({ hostUnit: '130100', supervisingUnit: '130100', level: 'city' });
  });

  it('leaves supervisor and level alone when the new host is unknown, for the registry check to report', async () => {
    expect(await siteAfterChanges(site, { hostUnit: '139999-xx' }, units)).toMatchObject({ hostUnit: '139999-xx', supervisingUnit: '130123', level: 'county' });
  });

  it('puts a new domain first, normalized, in place of the old main one and without duplicating it', async () => {
    expect((await siteAfterChanges(site, { domain: 'Edu.Zhengding.gov.cn.' }, units)).domains).toEqual(['edu.zhengding.gov.cn']);
    expect((await siteAfterChanges(site, { domain: 'new.zhengding.gov.cn' }, units)).domains).toEqual(['new.zhengding.gov.cn', 'edu.zhengding.gov.cn']);
  });
});
