import type { FieldProblem } from '../../core/errors';

export type ImportEntity = 'units' | 'sites' | 'users';

/** One source row: its number as the operator sees it (CSV line, JSON position) and its raw fields. */
export interface SourceRow {
  row: number;
  data: Record<string, unknown>;
}

export interface RowFailure extends FieldProblem {
  row: number;
}

/** What an import did, row by row: good rows are written, bad rows are listed with their reason. */
export interface ImportReport {
  entity: ImportEntity;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: RowFailure[];
  /** Rows that failed, each once (a row may have several problems). */
  failedRows: number;
}

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

export type Progress = (done: number, total: number) => void;
