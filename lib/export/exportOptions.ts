/**
 * Glossary
 * - export: a job's rows written to S3 as files (`[export] bucket` / `prefix`), beside
 *   or instead of its results table.
 * - part: one object of an export, at most `part_rows` rows; a CSV export's header is
 *   in its first part only, so the parts concatenated are the whole CSV document.
 * - manifest: `manifest.json` beside the parts: each part's key, rows, bytes and
 *   sha256, and the columns with their types.
 */

export const EXPORT_FORMATS = ['csv', 'jsonl', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_COMPRESSIONS = ['gzip', 'none'] as const;
export type ExportCompression = (typeof EXPORT_COMPRESSIONS)[number];

/** Rows per part when a request does not say. */
export const DEFAULT_PART_ROWS = 1_000_000;
export const MIN_PART_ROWS = 1000;
export const MAX_PART_ROWS = 100_000_000;

/** What a job asks of its export (its `export` field, or its task's `export` tag). */
export interface ExportOptions {
  format: ExportFormat;
  /** gzip: CSV and JSON lines parts are gzip files; Parquet compresses its pages with GZIP inside the file. */
  compression: ExportCompression;
  part_rows: number;
}

/** One part as the manifest and the job's status list it. */
export interface ExportPart {
  key: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/**
 * A job's export as its record keeps it: the options from submission, and once the
 * job succeeded, where the manifest is and what was written.
 */
export interface JobExport extends ExportOptions {
  /** The manifest's key (set at SUCCESS). */
  manifest?: string;
  parts?: number;
  rows?: number;
  bytes?: number;
}

/** The export's state in a job's status: what a client waits for. */
export type ExportState = 'PENDING' | 'SUCCESS' | 'FAILURE';

/** The `export` field of a job's status. */
export function exportStatus(exp: JobExport | undefined, jobFinal: boolean) {
  if (!exp) return null;
  const state: ExportState = exp.manifest !== undefined ? 'SUCCESS' : jobFinal ? 'FAILURE' : 'PENDING';
  return {
    state,
    format: exp.format,
    compression: exp.compression,
    part_rows: exp.part_rows,
    manifest: exp.manifest ?? null,
    parts: exp.parts ?? null,
    rows: exp.rows ?? null,
    bytes: exp.bytes ?? null,
  };
}

/** A part's file name: `part-00001.csv.gz`, numbered from 1. */
export function partName(index: number, options: Pick<ExportOptions, 'format' | 'compression'>): string {
  const gz = options.compression === 'gzip' && options.format !== 'parquet' ? '.gz' : '';
  return `part-${String(index).padStart(5, '0')}.${options.format}${gz}`;
}
