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
  /**
   * How many rows the table holds, when the caller knows (the job's count): a PostgreSQL
   * page whose rows run in order up to this number reads nothing more (see `readPage` in
   * lib/db/postgres/tables.ts). Unset, a short page also reads the blocks before its range.
   */
  rows?: number;
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
  /**
   * The same rows pushed to `visit` as they arrive from the server, with no
   * promise or row object per row; resolves once the rows end, or once `visit`
   * returns false (which ends the query: the rest is never fetched). An error
   * `visit` throws ends the read with that error. A page is read once: by `rows`
   * or by `each`.
   */
  each(visit: PageRowVisitor): Promise<void>;
}

/**
 * One row of a page, as `each` hands it over: its `_row` number and its fields,
 * `_row`'s text at index 0 and the canonical values from index 1 on, in column
 * order. The array is the visitor's (nothing reads it after the call). False
 * stops the read.
 */
export type PageRowVisitor = (row: number, fields: (string | null)[]) => boolean;
