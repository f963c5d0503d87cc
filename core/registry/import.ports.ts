import type { IntakeReport } from '../complaints/complaint.intake';
import type { FieldProblem } from '../errors';

/**
 * The imports an operator runs (`steward import units|sites|users|complaints FILE`), as a port: the store's
 * importers implement it (store/import/), the composition root (lib/services.ts) hands it to the CLI.
 */

export const IMPORT_ENTITIES = ['units', 'sites', 'users'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

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

export type Progress = (done: number, total: number) => void;

/** The registry's importers (every row one single-document write; the same file again changes nothing) and the error reports' file intake. */
export interface ImportsPort {
  registry: Record<ImportEntity, (rows: SourceRow[], onProgress?: Progress) => Promise<ImportReport>>;
  /** The national platform's export (CSV or JSON) through the same intake as `POST /api/v1/complaints`. */
  complaintsFile(file: string, opts?: { now?: Date; onProgress?: Progress }): Promise<IntakeReport>;
}
