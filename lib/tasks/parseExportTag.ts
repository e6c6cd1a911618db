import type { Config } from '../config/types.js';
import { DEFAULT_PART_ROWS, EXPORT_COMPRESSIONS, EXPORT_FORMATS, type ExportOptions } from '../export/exportOptions.js';

/**
 * A task's `-- export: FORMAT [COMPRESSION]` tag (`csv`, `jsonl` or `parquet`; `gzip`,
 * the default, or `none`): every job of the task exports its rows so, unless its
 * request gives an `export` of its own. Needs an `[export] bucket` in the config.
 */
export function parseExportTag(value: string, config: Config): { options: ExportOptions } | { problem: string } {
  const words = value.trim().toLowerCase().split(/\s+/);
  const [format, compression = 'gzip', ...rest] = words;
  const formats: readonly string[] = EXPORT_FORMATS;
  const compressions: readonly string[] = EXPORT_COMPRESSIONS;
  if (!format || !formats.includes(format) || !compressions.includes(compression) || rest.length > 0) {
    return { problem: `tag "export" must be a format (csv, jsonl or parquet) and optionally a compression (gzip or none), such as "csv gzip" (got "${value}")` };
  }
  if (!config.export) return { problem: 'tag "export" needs an export bucket: set [export] bucket in the config' };
  return { options: { format: format as ExportOptions['format'], compression: compression as ExportOptions['compression'], part_rows: DEFAULT_PART_ROWS } };
}
