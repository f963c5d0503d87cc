import { importSites, importUnits, importUsers } from '../import/registry-import';
import { claimOnce } from '../meta.model';
import { UnitModel } from '../unit.model';
import { demoSites, demoUnits, demoUsers } from './hebei-demo';

const rows = (list: readonly object[]) => list.map((data, i) => ({ row: i + 1, data: data as Record<string, unknown> }));

/**
 * Loads the Hebei sample on an empty database, through the same importers as `steward import`, so the demo
 * obeys every registry rule. Does nothing when any unit exists: an operator's data is never touched.
 */
export async function seedDemoIfEmpty(): Promise<{ seeded: boolean; units: number; sites: number; users: number }> {
  const none = { seeded: false, units: 0, sites: 0, users: 0 };
  if (await UnitModel.exists({})) return none;
  // Two processes starting on one fresh data directory (service and console): only one seeds.
  if (!(await claimOnce('demo_seed', new Date()))) return none;
  const reports = [await importUnits(rows(demoUnits)), await importSites(rows(demoSites)), await importUsers(rows(demoUsers))];
  const failed = reports.flatMap((r) => r.failed);
  if (failed.length) throw new Error(`demo data broke a registry rule: ${JSON.stringify(failed.slice(0, 3))}`);
  const [units, sites, users] = reports.map((r) => r.created) as [number, number, number];
  return { seeded: true, units, sites, users };
}
