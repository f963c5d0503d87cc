import { approvalChain, stepsFor } from './approval-chain';
import type { Unit } from '../registry/types';

const gov = (code: string, name: string, level: Unit['level'], ancestors: string[]): Unit => ({ code, name, kind: 'government', level, divisionCode: code, parentCode: ancestors[ancestors.length - 1] ?? null, ancestors });
const dept = (parent: Unit, slug: string, name: string): Unit => ({ code: `${parent.code}-${slug}`, name, kind: 'department', level: parent.level, divisionCode: parent.code, parentCode: parent.code, ancestors: [...parent.ancestors, parent.code] });

const province = gov('130000', '河北省人民政府', 'province', []);
const city = gov('130100', '石家庄市人民政府', 'city', ['130000']);
const county = gov('130123', '正定县人民政府', 'county', ['130000', '130100']);
const units = new Map([province, city, county].map((u) => [u.code, u]));
const codes = (kind: 'portal' | 'department', host: Unit) => approvalChain({ kind }, host, units).map((s) => s.unitCode);

describe('#approval-chain', () => {
  it.each([
    ['a county department site', 'department', dept(county, 'jyj', '正定县教育局'), ['130123', '130100', '130000']],
    ['a city department site', 'department', dept(city, 'jyj', '石家庄市教育局'), ['130100', '130000']],
    ['a provincial department site', 'department', dept(province, 'jyt', '河北省教育厅'), ['130000']],
    ['a county portal', 'portal', county, ['130100', '130000']],
    ['a city portal', 'portal', city, ['130000']],
    ['the provincial portal', 'portal', province, ['130000']],
  ] as const)('%s → %j', (_name, kind, host, expected) => {
    expect(codes(kind, host)).toEqual(expected);
  });

  it('names the units and marks the provincial General Office step as the root', () => {
    const chain = approvalChain({ kind: 'department' }, dept(county, 'jyj', '正定县教育局'), units);
    expect(chain).toEqual([
      { unitCode: '130123', unitName: '正定县人民政府', root: false },
      { unitCode: '130100', unitName: '石家庄市人民政府', root: false },
      { unitCode: '130000', unitName: '河北省人民政府', root: true },
    ]);
  });

  it('files a change record with the supervising unit and reports an emergency to the province', () => {
    const chain = approvalChain({ kind: 'department' }, dept(county, 'jyj', '正定县教育局'), units);
    expect(stepsFor('change_record', chain).map((s) => [s.unitCode, s.role])).toEqual([['130123', 'acknowledge']]);
    expect(stepsFor('emergency_shutdown', chain).map((s) => [s.unitCode, s.role])).toEqual([['130000', 'acknowledge']]);
    expect(stepsFor('temp_offline', chain).map((s) => s.role)).toEqual(['review', 'review', 'approve']);
  });
});
