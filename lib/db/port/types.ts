/**
 * Glossary
 * - source: the database a task's query runs on (`[db.NAME]`).
 * - results: the database a job's rows are written to (`[results.NAME]`).
 * - results table: one table per job, `_row` (1..n, source order) then the query's columns.
 * - canonical value: how a value travels from a source to a writer: the text the
 *   results database accepts for the column type, or null (see `ColumnType`).
 */
import type { DbConfig, ResultsConfig } from '../../config/types.js';
import type { OpenRowSink } from './rowSink.js';
import type { RunLimits } from './guardrails.js';

/**
 * The portable kind of a results column: what its values mean on any engine, how
 * they travel (canonical text) and how the API renders them. Canonical values:
 * - BIGINT, DECIMAL: decimal digits; DOUBLE: the shortest exact decimal (NaN and
 *   ±Infinity, and a DECIMAL's NaN, only from PostgreSQL: a MySQL results table
 *   stores them as NULL and the job warns, see `RunTaskResult.warnings`);
 * - TIMESTAMP: `YYYY-MM-DD HH:MM:SS[.ffffff]`, no zone; TIMESTAMPTZ: the same in UTC
 *   followed by `+00`; DATE: `YYYY-MM-DD`; TIME: `[-]HH:MM:SS[.ffffff]` (MySQL's may
 *   exceed 24 h); INTERVAL: PostgreSQL's `postgres` interval style;
 * - BOOLEAN: `1`/`0`; TEXT: the value's text; JSON: JSON text;
 * - BYTES: `\x` + lowercase hex; UUID: 36 lowercase characters;
 * - ARRAY: PostgreSQL array text (`{1,2}`) from the source; a writer of another engine
 *   turns it into JSON text (its row transform), and a results page reads it as JSON.
 *
 * Read back from a results table (`ResultsDb.readPage`), values are the same texts
 * except ARRAY, which is JSON text there, and TIMESTAMP and TIME, without trailing
 * fraction zeros.
 */
export type ColumnType =
  | 'BIGINT'
  | 'DECIMAL'
  | 'DOUBLE'
  | 'BOOLEAN'
  | 'DATE'
  | 'TIMESTAMP'
  | 'TIMESTAMPTZ'
  | 'TIME'
  | 'INTERVAL'
  | 'JSON'
  | 'BYTES'
  | 'UUID'
  | 'ARRAY'
  | 'TEXT';

/** One result row: canonical values (see `ColumnType`) in column order. */
export type Row = (string | null)[];

/**
 * A writer's change to each row before it is encoded, in place: what only the
 * results database knows it cannot hold, or must receive otherwise (a NaN its
 * DOUBLE refuses becomes NULL, a PostgreSQL array becomes JSON text).
 */
export type RowTransform = (row: Row) => void;

/** What a writer does to the rows it loads, and what it says of the values it had to change. */
export interface WriterRowTransform {
  /** Undefined when every column takes its canonical text as it is. */
  transform?: RowTransform;
  /** One line per column and reason with values changed, with their count (see `RunTaskResult.warnings`). */
  warnings(): string[];
}

/**
 * How a writer wants its rows: COPY/LOAD DATA text, values to bind, or a bulk
 * format of one engine that a source of that engine produces byte for byte
 * (`pg-binary`: the tuples of PostgreSQL's binary COPY, see `SourceReader.directFormats`).
 */
export type BatchFormat = 'text' | 'pg-binary' | 'rows';

/** The formats whose batches are encoded bytes (chunks), not values. */
export type ByteFormat = Exclude<BatchFormat, 'rows'>;

/**
 * Rows handed from a source to a writer, `_row` numbers continuing from the previous batch.
 * A writer done with a text batch's bytes (it copied them) may call `recycle`: the
 * source then reuses the memory of this batch's and every earlier batch's chunks.
 */
export type Batch =
  | { format: ByteFormat; count: number; chunks: Buffer[]; recycle?: () => void }
  | { format: 'rows'; count: number; rows: Row[] };

/** A results table column (after `_row`), as `runTask` reports it. */
export interface Column {
  name: string;
  type: ColumnType;
  /** DECIMAL only: total digits; absent means "as the source had it, unconstrained". */
  precision?: number;
  /** DECIMAL only: digits after the point; present whenever `precision` is. */
  scale?: number;
  /**
   * The source's own SQL type (`jsonb`, `integer[]`, `numeric(12,2)`, `varbinary(16)`,
   * `bit(3)`...): a results database of the same engine creates the column with it,
   * so the value keeps its type exactly. Absent when the source type is not one the
   * results database is sure to have (an enum or domain of the source's own).
   */
  native?: { engine: DbConfig['type']; sql: string };
  /**
   * The engine the values come from (every source sets it): a writer skips the
   * checks for values that engine cannot produce (a MySQL DECIMAL is never NaN).
   * Absent: values of any engine.
   */
  from?: DbConfig['type'];
}

/** Where a running query lives on its source server, so it can be killed from elsewhere. */
export interface RunningQuery {
  db: string;
  type: DbConfig['type'];
  /** PostgreSQL backend pid, or MySQL/MariaDB connection id. */
  connectionId: number;
  /**
   * A random marker of this one run (PostgreSQL application_name, MySQL query
   * comment). When present, `SourceDb.cancel` kills the query only if the connection
   * still runs it, so a pooled connection already reused by another job is spared.
   */
  tag?: string;
}

/** What a source's `runTask` runs (see `SourceDb`) and where it writes. */
export interface RunTaskInput {
  results: ResultsConfig;
  query: string;
  /** Positional arguments, always bound, never interpolated (null: NULL). */
  args: (string | null)[];
  /** Final results table name, unquoted (already validated); quoted by the writer. */
  table: string;
  /** No results table: the rows go only to `export` (a job's `"results": false`). */
  skipTable?: boolean;
  /** Where the rows also go (an export to S3, lib/export): opened once the columns are known. */
  export?: OpenRowSink;
  /** Server-side statement timeout for the source query, in milliseconds. */
  timeoutMs: number;
  /**
   * The attempt writing the table (`run_id#attempt`), as registered in the results
   * catalog: the swap happens only while it still holds the table's name.
   */
  owner?: string;
  /**
   * Called once the source query's connection is known (before rows flow). It runs while the statement is described
   * (no query runs meanwhile), and the query is sent only once it has resolved; a throw stops it unsent.
   */
  onStarted?: (running: RunningQuery) => Promise<void> | void;
  /** Indexes to build after the load, before the swap (a task's `index` tag): column names, each index in order. */
  indexes?: readonly (readonly string[])[];
  /** Called after each batch reaches the results writer, with the totals so far (cheap: keep the figures, do not write them here). */
  onProgress?: (written: WrittenSoFar) => void;
  /**
   * The verified token claims of the caller that submitted the job. PostgreSQL
   * sources set them in the READ ONLY transaction as `request.jwt.claims` (JSON)
   * and `request.jwt.claim.<name>`, PostgREST's convention, so row-level
   * security policies written for it apply.
   */
  claims?: Readonly<Record<string, unknown>>;
  /** Who the run is for (the job ID): shown in the run's marker on the source (PostgreSQL application_name, MySQL's statement comment). */
  label?: string;
  /**
   * Told as each phase of the run starts; calls what it returns when the phase ends
   * (with the error, when it failed): the worker's trace spans. The source query and
   * the results write overlap, as rows stream from one into the other.
   */
  phase?: (name: RunPhase) => (error?: unknown) => void;
  /**
   * A task's `max_rows` / `max_result_bytes`: past one the source query is stopped
   * (cancelled) and the run fails with `GuardrailExceeded`, leaving no table, or
   * with `onLimit: 'truncate'` its rows before the limit become the table.
   */
  limits?: RunLimits;
}

/** A phase of a run (see `RunTaskInput.phase`). */
export type RunPhase = 'source query' | 'results write' | 'index build and swap';

/** Rows and bytes handed to the results writer so far in one run; both only grow. */
export interface WrittenSoFar {
  rows: number;
  /** Encoded bytes for byte batches; for value batches, the values' text length (an estimate of the load's size). */
  bytes: number;
}

/** What `runTask` wrote: the row count and the columns after `_row`. */
export interface RunTaskResult {
  count: number;
  /** Bytes handed to the results writer (see `WrittenSoFar.bytes`). */
  bytes: number;
  columns: Column[];
  /**
   * Values the results database could not hold, each stored as NULL instead (NaN
   * or ±Infinity in a MySQL DOUBLE): one line per column and reason, with a count.
   */
  warnings: string[];
  /** The result was cut at a limit (`onLimit: 'truncate'`); `warnings` says which. */
  truncated?: boolean;
}
