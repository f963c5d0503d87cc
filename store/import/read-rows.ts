import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { DomainError } from '../../core/errors';
import type { SourceRow } from './import-report';

/**
 * Reads a CSV (header row, UTF-8 with or without BOM) or JSON (an array of objects, or `{ "<entity>": [...] }`)
 * file into numbered rows. CSV rows are numbered by their line in the file (header = 1), JSON rows from 1.
 */
export async function readRows(file: string, entity: string): Promise<SourceRow[]> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (err) {
    throw new DomainError('file_unreadable', { file, reason: (err as NodeJS.ErrnoException).code ?? String(err) }, 400);
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return jsonRows(content, file, entity);
  if (ext === '.csv') return csvRows(content, file);
  throw new DomainError('file_format_unknown', { file }, 400);
}

function jsonRows(content: string, file: string, entity: string): SourceRow[] {
  let data: unknown;
  try {
    data = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new DomainError('file_parse_failed', { file, reason: (err as Error).message }, 400);
  }
  const list = Array.isArray(data) ? data : (data as Record<string, unknown> | null)?.[entity];
  if (!Array.isArray(list)) throw new DomainError('file_parse_failed', { file, reason: `expected an array or {"${entity}": [...]}` }, 400);
  return list.map((item, i) => ({ row: i + 1, data: item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : { value: item } }));
}

function csvRows(content: string, file: string): SourceRow[] {
  try {
    const records = parse(content, { bom: true, columns: (header: string[]) => header.map((h) => h.trim()), skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as {
      record: Record<string, unknown>;
      info: { lines: number };
    }[];
    return records.map(({ record, info }) => ({ row: info.lines, data: record }));
  } catch (err) {
    throw new DomainError('file_parse_failed', { file, reason: (err as Error).message }, 400);
  }
}
