import type { ResultsColumn } from '../db/port/resultsPage.js';

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
 * text; other values their text. Free text a spreadsheet would run as a formula is
 * neutralised (see `isFormula`).
 */
export function csvField(type: ResultsColumn['type'] | undefined, value: string | null): string {
  if (value === null) return '';
  if (value === '') return '""';
  const text = type === 'BOOLEAN' ? (value === '1' ? 'true' : 'false') : value;
  if ((type === undefined || type === 'TEXT') && isFormula(text)) return `"'${text.replaceAll('"', '""')}"`;
  return CSV_QUOTE.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** What a spreadsheet would run as a formula: OWASP's list of first characters. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number, which no spreadsheet runs, however it starts. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Whether a CSV field of free text would be taken for a formula (`=HYPERLINK(...)`,
 * `@SUM(...)`, `-2+3+cmd|...`). csvField then writes it as OWASP advises for CSV
 * injection: a leading `'` (spreadsheets show the cell as text) inside double
 * quotes. Only TEXT values and the header's column names are free text; every
 * other column type has a fixed form (a negative number, interval or time is no
 * formula), and JSON answers are never changed.
 */
export function isFormula(text: string): boolean {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text);
}

/** One CSV record, CRLF-terminated. */
export function csvRow(columns: readonly ResultsColumn[], values: readonly (string | null)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : ',') + csvField(columns[i]!.type, values[i] ?? null);
  return line + '\r\n';
}

/** Kinds whose canonical text never holds a quote, comma, CR or LF, is never empty and is no free text: written as they are. */
const PLAIN_CSV_KINDS: ReadonlySet<ResultsColumn['type']> = new Set(['BIGINT', 'DECIMAL', 'DOUBLE', 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'TIME', 'UUID', 'BYTES']);

/**
 * `csvRow` for many rows of the same columns (an export, a results page): the
 * same text, with the per-field checks done once per column where the kind makes
 * them needless. The values start at index `from` of the array given.
 */
export function csvRowEncoder(columns: readonly ResultsColumn[], from = 0): (values: readonly (string | null)[]) => string {
  const fields = columns.map((c) => (PLAIN_CSV_KINDS.has(c.type) ? plainCsv : csvFieldOf(c.type)));
  const n = fields.length;
  return (values) => {
    let line = n > 0 ? fields[0]!(values[from] ?? null) : '';
    for (let i = 1; i < n; i++) line += ',' + fields[i]!(values[from + i] ?? null);
    return line + '\r\n';
  };
}

const plainCsv = (v: string | null) => v ?? '';
const csvFieldOf = (type: ResultsColumn['type']) => (v: string | null) => csvField(type, v);

/**
 * Kinds whose canonical text needs no escape inside a JSON string (digits,
 * signs, `.:` and spaces, hex, `NaN`, `infinity`, `BC`): quoted as they are.
 * (BYTES start with a backslash.)
 */
const PLAIN_JSON_KINDS: ReadonlySet<ResultsColumn['type']> = new Set(['BIGINT', 'DECIMAL', 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'TIME', 'INTERVAL', 'UUID']);

/** One value as JSON text, by kind (see `jsonField`, whose text it gives). */
function jsonFieldOf(type: ResultsColumn['type']): (v: string) => string {
  if (PLAIN_JSON_KINDS.has(type)) return (v) => '"' + v + '"';
  switch (type) {
    case 'BOOLEAN':
      return (v) => (v === '1' ? 'true' : 'false');
    case 'DOUBLE':
      return (v) => {
        const n = Number(v);
        return Number.isFinite(n) ? String(n) : JSON.stringify(v);
      };
    case 'JSON':
    case 'ARRAY':
      return (v) => v;
    default:
      return (v) => JSON.stringify(v);
  }
}

/**
 * `jsonRow` for many rows of the same columns (a results page): the same text,
 * each column's encoding picked once. The values start at index `from`. Without
 * JSON or ARRAY columns (whose text is spliced in as it is), a row is one native
 * JSON.stringify of its values as JSON carries them (see `jsonValue`), reusing
 * one array: no string per value.
 */
export function jsonRowEncoder(columns: readonly ResultsColumn[], from = 0): (values: readonly (string | null)[]) => string {
  const n = columns.length;
  if (columns.some((c) => c.type === 'JSON' || c.type === 'ARRAY')) {
    const fields = columns.map((c) => jsonFieldOf(c.type));
    return (values) => {
      let text = '[';
      for (let i = 0; i < n; i++) {
        const v = values[from + i] ?? null;
        text += (i === 0 ? '' : ',') + (v === null ? 'null' : fields[i]!(v));
      }
      return text + ']';
    };
  }
  // Only BOOLEAN and DOUBLE values change (to a boolean, a number); every other value is the JSON string of its text.
  const changes = columns.flatMap((c, i) => (c.type === 'BOOLEAN' || c.type === 'DOUBLE' ? [{ at: i, type: c.type }] : []));
  const cells: JsonValue[] = new Array<JsonValue>(n).fill(null);
  return (values) => {
    for (let i = 0; i < n; i++) cells[i] = values[from + i] ?? null;
    for (const { at, type } of changes) cells[at] = jsonValue(type, cells[at] as string | null);
    return JSON.stringify(cells);
  };
}

/** The CSV header record: the column names. */
export function csvHeader(columns: readonly ResultsColumn[]): string {
  return columns.map((c) => csvField(undefined, c.name)).join(',') + '\r\n';
}
