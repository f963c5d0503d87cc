import type { Locale } from '../config.schema';
import type { DayAvailabilityDTO, InspectionReportDTO, OverviewRowDTO } from '../presenters/inspection.presenter';

/** What an inspection export holds: one site's latest report and its week, or a unit's subtree site by site. */
export type InspectionExport =
  | { kind: 'site'; site: { id: string; name: string; ref: string }; report: InspectionReportDTO | null; days: DayAvailabilityDTO[]; generatedAt: string }
  | { kind: 'unit'; unit: { code: string; name: string }; rows: OverviewRowDTO[]; reports: InspectionReportDTO[]; total: number; generatedAt: string };

/** A written file, as the annual report's files are: sent as it is where a channel can, else linked. */
export interface InspectionFile {
  fileName: string;
  mime: string;
  /** The file's bytes: a Node Buffer, typed by what the core uses of it so the core names no Node API. */
  data: Uint8Array & { toString(encoding: 'base64'): string };
}

/**
 * Writes an inspection export as an `.xlsx` workbook in a language. The writer (exceljs) lives in reports/,
 * outside the pure core; the composition root (lib/services.ts) hands it in.
 */
export interface InspectionFilesPort {
  xlsx(data: InspectionExport, lng: Locale): Promise<InspectionFile>;
}
