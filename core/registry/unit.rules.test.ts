import { ancestorsOf, checkUnit, governmentCodeOf, scopeOf, type UnitCandidate } from './unit.rules';
import type { Unit } from './types';

const hebei: Unit = { code: '130000', name: '河北省人民政府', kind: 'government', level: 'province', divisionCode: '130000', parentCode: null, ancestors: [] };
const shijiazhuang: Unit = { code: '130100', name: '石家庄市人民政府', kind: 'government', level: 'city', divisionCode: '130100', parentCode: '130000', ancestors: ['130000'] };
const zhengding: Unit = { code: '130123', name: '正定县人民政府', kind: 'government', level: 'county', divisionCode: '130123', parentCode: '130100', ancestors: ['130000', '130100'] };
const sjzJyj: Unit = { code: '130100-jyj', name: '石家庄市教育局', kind: 'department', level: 'city', divisionCode: '130100', parentCode: '130100', ancestors: ['130000', '130100'] };

const gov = (code: string, level: Unit['level'], parentCode: string | null, name = `${code}人民政府`): UnitCandidate => ({ code, name, kind: 'government', level, divisionCode: code, parentCode });
const dept = (parent: Unit, slug: string, name = `${parent.name}某局`): UnitCandidate => ({
  code: `${parent.divisionCode}-${slug}`,
  name,
  kind: 'department',
  level: parent.level,
  divisionCode: parent.divisionCode,
  parentCode: parent.code,
});
const codes = (problems: { code: string }[]) => problems.map((p) => p.code);

describe('#unit rules', () => {
  describe('a well-formed tree', () => {
    it('accepts the provincial government as the root', () => {
      expect(checkUnit(gov('130000', 'province', null), undefined)).toEqual([]);
    });

    it('accepts a city under the province, 定州 and 辛集 included', () => {
      expect(checkUnit(gov('130100', 'city', '130000'), hebei)).toEqual([]);
      expect(checkUnit(gov('130682', 'city', '130000', '定州市人民政府'), hebei)).toEqual([]);
      expect(checkUnit(gov('130181', 'city', '130000', '辛集市人民政府'), hebei)).toEqual([]);
    });

    it('accepts a county under its city and a department under a government of its level', () => {
      expect(checkUnit(gov('130123', 'county', '130100'), shijiazhuang)).toEqual([]);
      expect(checkUnit(dept(hebei, 'jyt', '河北省教育厅'), hebei)).toEqual([]);
      expect(checkUnit(dept(zhengding, 'jyj', '正定县教育局'), zhengding)).toEqual([]);
    });

    it('accepts a township with a 9-digit division code under its county', () => {
      const town: UnitCandidate = { code: '130123101', name: '正定镇人民政府', kind: 'township', level: 'township', divisionCode: '130123101', parentCode: '130123' };
      expect(checkUnit(town, zhengding)).toEqual([]);
    });
  });

  describe('codes', () => {
    it('refuses a malformed unit code', () => {
      expect(codes(checkUnit({ ...dept(hebei, 'jyt'), code: '130000_JYT' }, hebei))).toContain('unit_code_invalid');
      expect(codes(checkUnit(gov('13000', 'province', null), undefined))).toContain('unit_code_invalid');
    });

    it('refuses a code that does not start with its division code', () => {
      expect(checkUnit({ ...dept(hebei, 'jyt'), code: '130100-jyt' }, hebei)).toContainEqual({ field: 'code', code: 'unit_code_not_division', params: { value: '130100-jyt', division: '130000' } });
    });

    it('refuses a department code without its slug', () => {
      expect(codes(checkUnit({ ...dept(hebei, 'jyt'), code: '130000123' }, hebei))).toEqual(['department_code_needs_suffix']);
    });

    it("refuses a government whose code is not its division code", () => {
      expect(codes(checkUnit({ ...gov('130100', 'city', '130000'), code: '130100-gov' }, hebei))).toEqual(['government_code_is_division']);
    });

    it('refuses a township whose level is not township', () => {
      const town: UnitCandidate = { code: '130123101', name: '正定镇人民政府', kind: 'township', level: 'county', divisionCode: '130123101', parentCode: '130100' };
      expect(codes(checkUnit(town, shijiazhuang))).toContain('township_level');
    });
  });

  describe('parents', () => {
    it('refuses a unit other than the provincial government without a parent', () => {
      expect(checkUnit(gov('130100', 'city', null), undefined)).toEqual([{ field: 'parentCode', code: 'unit_parent_required', params: {} }]);
      expect(codes(checkUnit({ ...dept(hebei, 'jyt'), parentCode: null }, undefined))).toEqual(['unit_parent_required']);
    });

    it('refuses a parent the registry does not know', () => {
      expect(checkUnit(gov('130123', 'county', '130100'), undefined)).toEqual([{ field: 'parentCode', code: 'unit_unknown', params: { unit: '130100' } }]);
    });

    it('refuses a unit that is its own parent', () => {
      expect(codes(checkUnit(gov('130100', 'city', '130100'), shijiazhuang))).toContain('unit_parent_cycle');
    });

    it('refuses a county directly under the province (a level skipped)', () => {
      expect(checkUnit(gov('130123', 'county', '130000'), hebei)).toEqual([
        { field: 'parentCode', code: 'government_parent_level', params: { parent: '河北省人民政府', expected: 'city' } },
      ]);
    });

    it('refuses a government under a department', () => {
      expect(codes(checkUnit(gov('130123', 'county', '130100-jyj'), sjzJyj))).toEqual(['government_parent_level']);
    });

    it('refuses a department under a government of another level', () => {
      const d: UnitCandidate = { ...dept(hebei, 'jyj'), level: 'city' };
      expect(codes(checkUnit(d, hebei))).toEqual(['department_parent_not_government']);
    });

    it('refuses a department under another department', () => {
      expect(codes(checkUnit({ ...dept(shijiazhuang, 'jyk'), parentCode: sjzJyj.code }, sjzJyj))).toEqual(['department_parent_not_government']);
    });

    it('refuses a department whose division differs from its government', () => {
      const d: UnitCandidate = { ...dept(shijiazhuang, 'jyj'), code: '130123-jyj', divisionCode: '130123' };
      expect(checkUnit(d, shijiazhuang)).toContainEqual({ field: 'divisionCode', code: 'department_division_differs', params: { division: '130100' } });
    });
  });

  describe('ancestry', () => {
    it('lists ancestors from the root down', () => {
      expect(ancestorsOf(undefined)).toEqual([]);
      expect(ancestorsOf(zhengding)).toEqual(['130000', '130100', '130123']);
    });

    it('finds the government a unit belongs to', () => {
      expect(governmentCodeOf(sjzJyj)).toBe('130100');
      expect(governmentCodeOf(zhengding)).toBe('130123');
    });
  });

  describe('scope of a site', () => {
    it('covers the host and supervising units and everything above them, each once', () => {
      expect(scopeOf(sjzJyj, shijiazhuang)).toEqual(['130000', '130100', '130100-jyj']);
      expect(scopeOf(zhengding, zhengding)).toEqual(['130000', '130100', '130123']);
    });

    it('leaves out a unit the registry does not know', () => {
      expect(scopeOf(undefined, shijiazhuang)).toEqual(['130000', '130100']);
      expect(scopeOf(undefined, undefined)).toEqual([]);
    });
  });
});
