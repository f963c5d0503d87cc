import type { Actor } from '../actor';
import type { Unit } from '../registry/types';
import { supervisesUnit } from './unit.policy';

const zhengdingJyj: Pick<Unit, 'code' | 'ancestors'> = { code: '130123-jyj', ancestors: ['130000', '130100', '130123'] };
const actor = (supervisedUnits: string[], isProvinceAdmin = false): Pick<Actor, 'isProvinceAdmin' | 'supervisedUnits'> => ({ supervisedUnits, isProvinceAdmin });

describe('#supervises a unit', () => {
  it('lets supervisors of the unit itself and of every unit above it speak for it', () => {
    expect(supervisesUnit(actor(['130123-jyj']), zhengdingJyj)).toBe(true);
    expect(supervisesUnit(actor(['130123']), zhengdingJyj)).toBe(true);
    expect(supervisesUnit(actor(['130100']), zhengdingJyj)).toBe(true);
  });

  it('refuses supervisors of a sibling or of a unit below', () => {
    expect(supervisesUnit(actor(['130124']), zhengdingJyj)).toBe(false);
    expect(supervisesUnit(actor(['130123-jyj']), { code: '130123', ancestors: ['130000', '130100'] })).toBe(false);
    expect(supervisesUnit(actor([]), zhengdingJyj)).toBe(false);
  });

  it('lets a province admin speak for any unit', () => {
    expect(supervisesUnit(actor([], true), zhengdingJyj)).toBe(true);
  });
});
