import type { ResultsColumn } from '../db/readResultsPage.js';

/** A value as JSON carries it. */
export type JsonValue = string | number | boolean | null;

/**
 * A canonical value (see `ColumnType`) of a scalar column as a JSON value, without
 * loss: BIGINT, DECIMAL, DATE, TIMESTAMP(TZ), TIME, INTERVAL, UUID, TEXT and BYTES
 * (`\x` + hex) as strings (a JSON number would round big integers and decimals),
 * BOOLEAN as a boolean, DOUBLE as a number (NaN and ±Infinity, which JSON lacks, as
 * the strings "NaN", "Infinity", "-Infinity"), NULL as null. JSON and ARRAY columns
 * are not scalars: see `jsonField`.
 */
export function jsonValue(type: ResultsColumn['type'], value: string | null): JsonValue {
  if (value === null) return null;
  switch (type) {
    case 'BOOLEAN':
      return value === '1';
    case 'DOUBLE': {
      const n = Number(value);
      return Number.isFinite(n) ? n : value;
    }
    default:
      return value;
  }
}

/**
 * One value as JSON text. A JSON column's value is its document and an ARRAY
 * column's its JSON array (the results reader gives both as JSON text): spliced in
 * as they are, never parsed and printed again, so big numbers keep every digit.
 */
export function jsonField(type: ResultsColumn['type'], value: string | null): string {
  if (value !== null && (type === 'JSON' || type === 'ARRAY')) return value;
  return JSON.stringify(jsonValue(type, value));
}

/** One row as a JSON array. */
export function jsonRow(columns: readonly ResultsColumn[], values: readonly (string | null)[]): string {
  let text = '[';
  for (let i = 0; i < values.length; i++) text += (i === 0 ? '' : ',') + jsonField(columns[i]!.type, values[i] ?? null);
  return text + ']';
}

const CSV_QUOTE = /[",\r\n]/;

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma, CR or LF, with
 * quotes doubled. NULL is an empty field and the empty string a quoted `""`, so
 * the two stay apart. Booleans are `true`/`false`; JSON and ARRAY values their JSON
 * text; other values their text.
 */
export function csvField(type: ResultsColumn['type'] | undefined, value: string | null): string {
  if (value === null) return '';
  if (value === '') return '""';
  const text = type === 'BOOLEAN' ? (value === '1' ? 'true' : 'false') : value;
  return CSV_QUOTE.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, CRLF-terminated. */
export function csvRow(columns: readonly ResultsColumn[], values: readonly (string | null)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : ',') + csvField(columns[i]!.type, values[i] ?? null);
  return line + '\r\n';
}

/** The CSV header record: the column names. */
export function csvHeader(columns: readonly ResultsColumn[]): string {
  return columns.map((c) => csvField(undefined, c.name)).join(',') + '\r\n';
}
