import type { ColumnType } from '../port/types.js';
import type { ResultsColumn } from '../port/resultsPage.js';
import { ROW_COLUMN } from './columnNames.js';

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

export type SelectColumn = (column: ResultsColumn, quoted: string) => string;
export const asItIs: SelectColumn = (_, quoted) => quoted;

/** `SELECT _row, <columns> FROM <table>`: each column as `select` reads it. */
export function selectRows(quote: (name: string) => string, columns: ResultsColumn[], table: string, select: SelectColumn): string {
  return `SELECT ${[quote(ROW_COLUMN), ...columns.map((c) => select(c, quote(c.name)))].join(', ')} FROM ${quote(table)}`;
}

/**
 * The SELECT list and keyset clause of a page: `_row`, then the columns (each as
 * `select` reads it, by default as it is), after `$after`, `$limit` rows. `upTo`:
 * an expression of the last `_row` the page can hold (`after + limit`): a writer numbers
 * rows 1..N with no gap, so the bound drops no row, and bounds the rows a PostgreSQL
 * table with no `_row` index sorts (lib/db/postgres/pageRangeSql.ts).
 */
export function pageSql(
  quote: (name: string) => string,
  columns: ResultsColumn[],
  table: string,
  after: string,
  limit: string,
  select: SelectColumn = asItIs,
  upTo?: string,
): string {
  const row = quote(ROW_COLUMN);
  const keyset = upTo === undefined ? `${row} > ${after}` : `${row} > ${after} AND ${row} <= ${upTo}`;
  return `${selectRows(quote, columns, table, select)} WHERE ${keyset} ORDER BY ${row} LIMIT ${limit}`;
}
