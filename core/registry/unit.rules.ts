import type { FieldProblem } from '../errors';
import type { Level, Unit, UnitKind } from './types';

export const UNIT_CODE_PATTERN = /^\d{6}(\d{3})?(-[a-z0-9]{1,24})?$/;

export interface UnitCandidate {
  code: string;
  name: string;
  kind: UnitKind;
  level: Level;
  divisionCode: string;
  parentCode: string | null;
}

const PARENT_LEVEL: Record<Level, Level | null> = { province: null, city: 'province', county: 'city', township: 'county' };

/**
 * The shape of the unit tree (art. 3, 5): a government sits under the government one level up (the province
 * for cities incl. 定州 and 辛集, a city for counties), a department under a government of the same level,
 * and a department's code starts with its government's division code.
 */
export function checkUnit(unit: UnitCandidate, parent: Unit | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, code: string, params: Record<string, unknown> = {}) => problems.push({ field, code, params });
  if (!UNIT_CODE_PATTERN.test(unit.code)) add('code', 'unit_code_invalid', { value: unit.code });
  if (!unit.code.startsWith(unit.divisionCode)) add('code', 'unit_code_not_division', { value: unit.code, division: unit.divisionCode });
  if (unit.kind === 'department' && !unit.code.includes('-')) add('code', 'department_code_needs_suffix', { value: unit.code });
  if (unit.kind !== 'department' && unit.code !== unit.divisionCode) add('code', 'government_code_is_division', { value: unit.code });
  if (unit.kind === 'township' && unit.level !== 'township') add('level', 'township_level', {});

  if (unit.parentCode === null) {
    if (!(unit.kind === 'government' && unit.level === 'province')) add('parentCode', 'unit_parent_required', {});
    return problems;
  }
  if (!parent) {
    add('parentCode', 'unit_unknown', { unit: unit.parentCode });
    return problems;
  }
  if (parent.code === unit.code) add('parentCode', 'unit_parent_cycle', {});
  if (unit.kind === 'department') {
    if (parent.kind !== 'government' || parent.level !== unit.level) add('parentCode', 'department_parent_not_government', { parent: parent.name });
    if (parent.divisionCode !== unit.divisionCode) add('divisionCode', 'department_division_differs', { division: parent.divisionCode });
  } else if (parent.kind !== 'government' || parent.level !== PARENT_LEVEL[unit.level]) {
    add('parentCode', 'government_parent_level', { parent: parent.name, expected: PARENT_LEVEL[unit.level] ?? '' });
  }
  return problems;
}

/** Ancestors of a new unit: its parent's ancestors, then the parent. */
export function ancestorsOf(parent: Unit | undefined): string[] {
  return parent ? [...parent.ancestors, parent.code] : [];
}

/** Whether `code` is the unit itself or a unit above it: whoever supervises the one supervises the other (art. 3, 5). */
export function isAtOrAbove(code: string, unit: Pick<Unit, 'code' | 'ancestors'>): boolean {
  return code === unit.code || unit.ancestors.includes(code);
}

/** Every unit whose supervisor covers a site: host and supervising units and everything above them. */
export function scopeOf(host: Unit | undefined, supervising: Unit | undefined): string[] {
  const all = [host, supervising].flatMap((u) => (u ? [...u.ancestors, u.code] : []));
  return [...new Set(all)];
}

/** The government a unit belongs to: itself for governments, the parent for departments. */
export function governmentCodeOf(unit: Unit): string | null {
  return unit.kind === 'department' ? unit.parentCode : unit.code;
}
