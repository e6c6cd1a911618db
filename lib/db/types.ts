/**
 * Glossary
 * - source: the database a task's query runs on (`[db.NAME]`).
 * - results: the database a job's rows are written to (`[results.NAME]`).
 * - results table: one table per job, `_row` (1..n, source order) then the query's columns.
 * - canonical value: how a value travels from a source to a writer: the text the
 *   results database accepts for the column type, or null (see `ColumnType`).
 */
import type { DbConfig, ResultsConfig } from '../config/types.js';

/**
 * The column types a results table may have; each holds its values without loss.
 * Canonical values: BIGINT and DECIMAL as decimal digits; DOUBLE as the shortest
 * exact decimal (or NaN/Infinity from PostgreSQL); TIMESTAMP as
 * `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC without an offset; DATE as `YYYY-MM-DD`;
 * BOOLEAN as `1`/`0`; TEXT as the value's text (binary values as `\x` + hex).
 */
export type ColumnType = 'BIGINT' | 'DECIMAL' | 'DOUBLE' | 'TIMESTAMP' | 'DATE' | 'BOOLEAN' | 'TEXT';

/** A results table column (after `_row`), as `runTask` reports it. */
export interface Column {
  name: string;
  type: ColumnType;
  /** DECIMAL only: total digits; absent means "as the source had it, unconstrained". */
  precision?: number;
  /** DECIMAL only: digits after the point; present whenever `precision` is. */
  scale?: number;
}

/** Where a running query lives on its source server, so it can be killed from elsewhere. */
export interface RunningQuery {
  db: string;
  type: DbConfig['type'];
  /** PostgreSQL backend pid, or MySQL/MariaDB connection id. */
  connectionId: number;
  /**
   * A random marker of this one run (PostgreSQL application_name, MySQL query
   * comment). When present, `cancelQuery` kills the query only if the connection
   * still runs it, so a pooled connection already reused by another job is spared.
   */
  tag?: string;
}

/** What `runTask` runs and where it writes. */
export interface RunTaskInput {
  source: DbConfig;
  results: ResultsConfig;
  query: string;
  /** Positional arguments, always bound, never interpolated. */
  args: string[];
  /** Final results table name, unquoted (already validated); quoted by the writer. */
  table: string;
  /** Server-side statement timeout for the source query, in milliseconds. */
  timeoutMs: number;
  /**
   * The attempt writing the table (`run_id#attempt`), as registered in the results
   * catalog: the swap happens only while it still holds the table's name.
   */
  owner?: string;
  /** Called once the source query's connection is known (before rows flow). */
  onStarted?: (running: RunningQuery) => Promise<void> | void;
}

/** What `runTask` wrote: the row count and the columns after `_row`. */
export interface RunTaskResult {
  count: number;
  columns: Column[];
}
