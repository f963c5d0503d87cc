import { isTracked, type TrackingSince } from '../obligations/tracking';
import type { SiteCheck } from './campaign.types';

/** Progress of a campaign for one group of sites (all of it, or the sites one unit supervises). */
export interface ProgressCounts {
  sites: number;
  /** Checked by the checker (with or without findings) or closed. */
  checked: number;
  /** Sites with at least one finding. */
  withFindings: number;
  findings: number;
  /** Findings the site admin acknowledged. */
  acknowledged: number;
  /** Findings reported rectified. */
  rectified: number;
  /** Checks closed by the supervisor. */
  closed: number;
  /** Checks not closed after the due day (art. 32 publication deadline). */
  overdue: number;
}

export interface UnitProgress extends ProgressCounts {
  unitCode: string;
}

const zero = (): ProgressCounts => ({ sites: 0, checked: 0, withFindings: 0, findings: 0, acknowledged: 0, rectified: 0, closed: 0, overdue: 0 });

function add(p: ProgressCounts, c: SiteCheck, today: string, since: TrackingSince): void {
  p.sites += 1;
  if (c.status !== 'pending') p.checked += 1;
  if (c.findings.length) p.withFindings += 1;
  p.findings += c.findings.length;
  p.acknowledged += c.findings.filter((f) => f.acknowledgedAt).length;
  p.rectified += c.findings.filter((f) => f.rectifiedAt).length;
  if (c.status === 'closed') p.closed += 1;
  // A check due before tracking started is not overdue here (core/obligations/tracking.ts).
  else if (today > c.dueDate && isTracked(c.dueDate, since)) p.overdue += 1;
}

/** Totals and per-unit counts (by each site's supervising unit) in one pass over the campaign's checks. */
export function computeProgress(checks: Iterable<SiteCheck>, today: string, since: TrackingSince = null): { totals: ProgressCounts; byUnit: UnitProgress[] } {
  const totals = zero();
  const units = new Map<string, UnitProgress>();
  for (const c of checks) {
    add(totals, c, today, since);
    let u = units.get(c.site.supervisingUnit);
    if (!u) units.set(c.site.supervisingUnit, (u = { unitCode: c.site.supervisingUnit, ...zero() }));
    add(u, c, today, since);
  }
  return { totals, byUnit: [...units.values()].sort((a, b) => b.overdue - a.overdue || b.sites - a.sites || a.unitCode.localeCompare(b.unitCode)) };
}
