import type { Who } from '../audit';
import { zodProblems } from '../commands/run';
import type { FieldProblem } from '../errors';
import type { Deps } from '../ports';
import type { Site } from '../registry/types';
import { newComplaint } from './complaint.machine';
import { chinaDateOf } from '../calendar/civil-date';
import { complaintRowSchemaOn, hostOfUrl, normalizeRowKeys, type ComplaintRow } from './complaint.rows';
import type { ComplaintSite, NewComplaint } from './complaint.types';

export interface IntakeRow {
  /** As the operator counts it: CSV line, JSON position, position in a POST batch. */
  row: number;
  data: Record<string, unknown>;
}

/** What an intake did, row by row. Duplicates are `unchanged`: the same export twice changes nothing. */
export interface IntakeReport {
  entity: 'complaints';
  total: number;
  created: number;
  unchanged: number;
  /** Stored, but naming no site we know: they wait in the unmatched queue for a province admin. */
  unmatched: { row: number; platformId: string; site: string }[];
  failed: (FieldProblem & { row: number })[];
  failedRows: number;
}

export const siteSnapshot = (s: Site): ComplaintSite => ({ id: s.id, name: s.name, hostUnit: s.hostUnit, supervisingUnit: s.supervisingUnit, scopeUnits: s.scopeUnits });

/** Who an import file's reports were taken in by, in their history (the person is not known). */
export const IMPORTER: Who = { userid: 'import', name: 'import' };

/** Rows go to the database in batches of this many: bounded memory and round trips for big exports. */
export const INTAKE_BATCH = 1000;

/**
 * Takes reports from the national platform (an import file or a POST), deduplicated by platform id: known ids
 * and repeats inside the batch are skipped, a race with another intake is caught by the unique index. Sites
 * are matched in bulk by 网站标识码 or domain, else by the page URL's host; rows matching none are stored as
 * `unmatched` and listed in the report, never dropped. `by` and `source` go into each report's history
 * (an import file through the CLI when not given).
 */
export async function intakeComplaints(
  deps: Pick<Deps, 'complaints' | 'calendar'>,
  rows: IntakeRow[],
  opts: { by?: Who; source?: string; now: Date; onProgress?: (done: number, total: number) => void },
): Promise<IntakeReport> {
  const report: IntakeReport = { entity: 'complaints', total: rows.length, created: 0, unchanged: 0, unmatched: [], failed: [], failedRows: 0 };
  const calendar = await deps.calendar.current();
  // A receipt dated outside 2000-01-01 … end of next year is that row's error (the rest is taken in).
  const rowSchema = complaintRowSchemaOn(chinaDateOf(opts.now));
  let done = 0;
  for (let start = 0; start < rows.length; start += INTAKE_BATCH) {
    const batch = rows.slice(start, start + INTAKE_BATCH);
    const good: { row: number; value: ComplaintRow }[] = [];
    const seen = new Set<string>();
    for (const row of batch) {
      const parsed = rowSchema.safeParse(normalizeRowKeys(row.data));
      if (!parsed.success) {
        report.failedRows += 1;
        for (const p of zodProblems(parsed.error)) report.failed.push({ row: row.row, ...p });
      } else if (seen.has(parsed.data.platformId)) {
        report.unchanged += 1;
      } else {
        seen.add(parsed.data.platformId);
        good.push({ row: row.row, value: parsed.data });
      }
    }
    const existing = await deps.complaints.existingPlatformIds(good.map((g) => g.value.platformId));
    const fresh = good.filter((g) => !existing.has(g.value.platformId));
    report.unchanged += good.length - fresh.length;
    const refs = new Set<string>();
    for (const { value } of fresh) {
      refs.add(value.site);
      const host = hostOfUrl(value.pageUrl);
      if (host) refs.add(host);
    }
    const sites = await deps.complaints.sitesByRefs([...refs]);
    const docs: NewComplaint[] = [];
    for (const { row, value } of fresh) {
      const site = sites.get(value.site) ?? sites.get(value.site.toLowerCase()) ?? sites.get(hostOfUrl(value.pageUrl) ?? '');
      if (!site) report.unmatched.push({ row, platformId: value.platformId, site: value.site });
      const fields = { platformId: value.platformId, siteRef: value.site, pageUrl: value.pageUrl, errorType: value.errorType, description: value.description, receivedAt: value.receivedAt };
      docs.push(newComplaint(fields, site ? siteSnapshot(site) : null, { now: opts.now, calendar, by: opts.by ?? IMPORTER, source: opts.source ?? 'cli' }));
    }
    const outcome = await deps.complaints.insertMany(docs);
    report.created += outcome.inserted.length;
    report.unchanged += outcome.duplicates.length;
    if (outcome.duplicates.length) {
      const lost = new Set(outcome.duplicates);
      report.unmatched = report.unmatched.filter((u) => !lost.has(u.platformId));
    }
    done += batch.length;
    opts.onProgress?.(done, rows.length);
  }
  return report;
}
