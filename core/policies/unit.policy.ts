import type { Actor } from '../actor';
import type { Unit } from '../registry/types';
import { isAtOrAbove } from '../registry/unit.rules';

/**
 * Supervisor-or-above, the one rule for speaking for a unit: province admins, and supervisors of the unit or of a
 * unit above it. Running a check campaign (art. 32), sending a notice (art. 37) and binding a group chat to the
 * unit all ask this.
 */
export function supervisesUnit(actor: Pick<Actor, 'isProvinceAdmin' | 'supervisedUnits'>, unit: Pick<Unit, 'code' | 'ancestors'>): boolean {
  return actor.isProvinceAdmin || actor.supervisedUnits.some((u) => isAtOrAbove(u, unit));
}
