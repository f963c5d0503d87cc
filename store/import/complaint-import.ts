import { IMPORTER, intakeComplaints, type IntakeReport } from '../../core/complaints/complaint.intake';
import type { Deps } from '../../core/ports';
import { readRows } from './read-rows';

/**
 * `steward import complaints FILE`: a CSV or JSON export of the national platform (JSON may be an array or
 * `{"complaints": [...]}`), through the same intake as `POST /api/v1/complaints`, so both dedupe alike.
 */
export async function importComplaintsFile(
  deps: Pick<Deps, 'complaints' | 'calendar'>,
  file: string,
  opts: { now?: Date; onProgress?: (done: number, total: number) => void } = {},
): Promise<IntakeReport> {
  const rows = await readRows(file, 'complaints');
  return intakeComplaints(deps, rows, { by: IMPORTER, source: 'cli', now: opts.now ?? new Date(), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
}
