import type { Locale } from '../config.schema';
import type { AnnualReportDraft } from './annual-report.types';

/** A file the channel may send as it is (WeCom) or stand for by its download link (shell, Wechaty). */
export interface AnnualReportFile {
  /** Which writer made it: the REST route answers one of them by this name. */
  format: 'xlsx' | 'pdf';
  fileName: string;
  mime: string;
  /** The file's bytes: a Node Buffer, typed by what the core uses of it so the core names no Node API. */
  data: Uint8Array & { toString(encoding: 'base64'): string };
}

/**
 * Writes a site's annual report draft as files (xlsx, pdf) in a language. The writers (exceljs, pdfkit) live
 * outside the pure core; the composition root (lib/services.ts) hands them in.
 */
export interface AnnualReportFilesPort {
  render(draft: AnnualReportDraft, lng: Locale): Promise<AnnualReportFile[]>;
}
