import type { FieldProblem } from '../../core/errors';
import type { ImportEntity, ImportReport } from '../../core/registry/import.ports';

export type { ImportEntity, ImportReport, Progress, RowFailure, SourceRow } from '../../core/registry/import.ports';

export type Outcome = 'created' | 'updated' | 'unchanged';

export function newReport(entity: ImportEntity, total: number): ImportReport {
  return { entity, total, created: 0, updated: 0, unchanged: 0, failed: [], failedRows: 0 };
}

export function recordFailure(report: ImportReport, row: number, problems: FieldProblem[]): void {
  report.failedRows += 1;
  for (const p of problems) report.failed.push({ row, ...p });
}

export function recordOutcome(report: ImportReport, outcome: Outcome): void {
  report[outcome] += 1;
}

