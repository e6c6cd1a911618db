import type { DbConfig, ResultsConfig } from '../config/types.js';

/** The column types a results table may have; each holds its values without loss. */
export type ColumnType = 'BIGINT' | 'DECIMAL' | 'TIMESTAMP' | 'DATE' | 'BOOLEAN' | 'TEXT';

export interface Column {
  name: string;
  type: ColumnType;
}

/** Where a running query lives on its source server, so it can be killed from elsewhere. */
export interface RunningQuery {
  db: string;
  type: DbConfig['type'];
  /** PostgreSQL backend pid, or MySQL/MariaDB connection id. */
  connectionId: number;
}

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
  /** Called once the source query's connection is known (before rows flow). */
  onStarted?: (running: RunningQuery) => Promise<void> | void;
}

export interface RunTaskResult {
  count: number;
  columns: Column[];
}
