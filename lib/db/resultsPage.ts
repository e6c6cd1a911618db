import { ROW_COLUMN } from './columnNames.js';
import type { ColumnType } from './types.js';

/** A results table column as a reader sees it (the `_row` column is not one). */
export interface ResultsColumn {
  name: string;
  type: ColumnType;
}

/** One row of a results table: its `_row` number and its canonical values (see `ColumnType`; ARRAY as JSON text), in column order. */
export interface ResultsRow {
  row: number;
  values: (string | null)[];
}

export interface ResultsPageQuery {
  /** The results table (validated, quoted here). */
  table: string;
  /** Rows with `_row` greater than this (0: from the start). */
  afterRow: number;
  /** Rows at most. */
  limit: number;
  /** Server-side statement timeout; default 20 s (the HTTP functions stop at 29 s). */
  timeoutMs?: number;
}

export interface ResultsPage {
  columns: ResultsColumn[];
  /**
   * The rows in `_row` order, streamed: a connection is taken on the first
   * `next()` and given back when the rows end or the loop breaks (a `for await`
   * that breaks early ends the query), so only a window of rows is in memory.
   */
  rows: AsyncGenerator<ResultsRow, void, undefined>;
}

/** A page's default statement timeout: the HTTP functions stop at 29 s. */
export const PAGE_TIMEOUT_MS = 20_000;
/** Rows per fetch from the server: bounds memory when rows are large. */
export const PAGE_FETCH_ROWS = 256;

/**
 * The columns of a results table from its metadata rows (name and kind, `_row`
 * first), or undefined when the table has none (it does not exist).
 */
export function resultsColumns(rows: { name: string; type: ColumnType }[]): ResultsColumn[] | undefined {
  if (rows.length === 0) return undefined;
  if (rows[0]?.name !== ROW_COLUMN) throw new Error(`"${ROW_COLUMN}" is not the first column: not a results table`);
  return rows.slice(1).map((r) => ({ name: r.name, type: r.type }));
}

/**
 * The SELECT list and keyset clause of a page: `_row`, then the columns (each as
 * `select` reads it, by default as it is), after `$after`, `$limit` rows.
 */
export function pageSql(
  quote: (name: string) => string,
  columns: ResultsColumn[],
  table: string,
  after: string,
  limit: string,
  select: (column: ResultsColumn, quoted: string) => string = (_, quoted) => quoted,
): string {
  const list = [quote(ROW_COLUMN), ...columns.map((c) => select(c, quote(c.name)))].join(', ');
  return `SELECT ${list} FROM ${quote(table)} WHERE ${quote(ROW_COLUMN)} > ${after} ORDER BY ${quote(ROW_COLUMN)} LIMIT ${limit}`;
}

/** Turns the server's rows (`_row` first, every value its text) into canonical results rows. */
export async function* pageRows(raw: AsyncGenerator<(string | null)[]>, columns: ResultsColumn[]): AsyncGenerator<ResultsRow, void, undefined> {
  const canonical = canonicalizer(columns);
  for await (const fields of raw) {
    const values = fields.slice(1);
    canonical(values);
    yield { row: Number(fields[0]), values };
  }
}

/** The kind of a results column from the type name both engines share (`bigint`, `date`...); TEXT for any other. */
export function columnKind(dataType: string): ColumnType {
  const t = dataType.toLowerCase();
  if (t === 'bigint' || t === 'integer' || t === 'smallint' || t === 'int') return 'BIGINT';
  if (t === 'numeric' || t === 'decimal') return 'DECIMAL';
  if (t === 'double precision' || t === 'double' || t === 'real' || t === 'float') return 'DOUBLE';
  if (t.startsWith('timestamp') || t === 'datetime') return 'TIMESTAMP';
  if (t === 'date') return 'DATE';
  // MySQL's BOOLEAN is TINYINT(1); results tables use TINYINT for nothing else (integers are BIGINT).
  if (t === 'boolean' || t === 'tinyint') return 'BOOLEAN';
  return 'TEXT';
}

/** Makes BOOLEAN `1`/`0`, and TIMESTAMP and TIME without trailing fractional zeros, on both servers. */
function canonicalizer(columns: ResultsColumn[]): (values: (string | null)[]) => void {
  const bools: number[] = [];
  const times: number[] = [];
  columns.forEach((c, i) => {
    if (c.type === 'BOOLEAN') bools.push(i);
    else if (c.type === 'TIMESTAMP' || c.type === 'TIME') times.push(i);
  });
  return (values) => {
    for (const i of bools) {
      const v = values[i];
      if (v === 't' || v === 'true') values[i] = '1';
      else if (v === 'f' || v === 'false') values[i] = '0';
    }
    for (const i of times) {
      const v = values[i];
      if (v != null && v.includes('.')) values[i] = v.replace(/\.?0+$/, '');
    }
  };
}
