import type { DbConfig, ResultsConfig } from '../../config/types.js';
import type { CatalogEntry, SweepOptions, SweepResult } from './catalog.js';
import type { DbPools } from '../port/dbPools.js';
import type { Dialect } from './dialect.js';
import type { ExploreReader } from './exploreReader.js';
import type { ResultLimits } from './guardrails.js';
import type { ResultsPage, ResultsPageQuery } from './resultsPage.js';
import type { ResultsWriter } from './resultsWriter.js';
import type { SourceReader } from './sourceReader.js';
import type { BatchFormat, Column, RunningQuery } from './types.js';

/** What a source reader starts: the task's query, its bound arguments and its limits. */
export interface SourceQuery {
  query: string;
  /** Bound values (null: NULL). */
  args: (string | null)[];
  /** Server-side statement timeout, in milliseconds. */
  timeoutMs: number;
  /**
   * Called once the query's connection is known (before rows flow), so it can be killed from elsewhere. It runs while the statement is described
   * (no query runs meanwhile), and the query is sent only once it has resolved; a throw stops it unsent.
   */
  onStarted?: (running: RunningQuery) => Promise<void> | void;
  /** The verified claims of the job's caller: an engine that can (PostgreSQL) sets them in the query's transaction. */
  claims?: Readonly<Record<string, unknown>>;
  /** Who the run is for (the job ID, its tenant's tag in it): shown in the run's marker (runTag), for operators watching the database. */
  label?: string;
  /** Result limits (a task's `max_rows`, `max_result_bytes`): rows past them are never taken (see `RowBuffer`). */
  limits?: ResultLimits;
}

/** What a results writer is asked to build. */
export interface WriterTarget {
  /** Final table name (validated), quoted by the writer. */
  table: string;
  /** The columns after `_row`, their names already made safe for this engine. */
  columns: Column[];
  /** Milliseconds the source may take between rows (a writer's read timeouts wait at least this long). */
  timeoutMs: number;
  /** The attempt that must still hold the name in the catalog when the table is swapped in. */
  owner?: string;
  /** The source's direct formats (see `SourceReader.directFormats`): the writer may take one instead of its own. */
  directFormats?: readonly BatchFormat[];
  /** Indexes to build after the load, before the swap, within the commit's deadline (see `resultsIndexes`): column names. */
  indexes?: readonly (readonly string[])[];
}

/** What bounds a copy of a results table (result reuse): whose name it fills, and when it must stop. */
export interface CopyOptions {
  /** The attempt that registered `to` (`run_id#attempt`): the copy is swapped in only while it still holds the name, else SupersededError. */
  owner: string;
  /** Aborted: the copy's statement is killed on the server and the copy rejects, leaving `to` as it was (the lease was lost, or the attempt's time is up). */
  signal: AbortSignal;
}

/** The results tables of one results database: catalog, expiry, reading, copying. */
export interface ResultsTables {
  /** The name of a job's results table here, the one every caller uses (see `ResultsDb.tableName`, lib/db/resultsDb.ts). */
  tableName(pools: DbPools, results: ResultsConfig, jobId: string): Promise<string>;
  /** Records (or moves) the expiry of a table and claims its name for `entry.owner`; waits for a sweeper on the same table. */
  register(pools: DbPools, results: ResultsConfig, entry: CatalogEntry): Promise<void>;
  /** Moves a table's expiry only while `owner` still holds it; false when a newer attempt claimed it. */
  renew(pools: DbPools, results: ResultsConfig, entry: Required<Pick<CatalogEntry, 'table' | 'owner' | 'expiresAt'>>): Promise<boolean>;
  /** Drops a table and its entry when `isMine` accepts its owner; whether it dropped. */
  release(pools: DbPools, results: ResultsConfig, table: string, isMine: (owner: string | null) => boolean): Promise<boolean>;
  /** Removes a table's entry (its table dropped by the caller). */
  forget(pools: DbPools, results: ResultsConfig, table: string): Promise<void>;
  /** Drops up to `limit` expired tables and their entries. */
  sweep(pools: DbPools, results: ResultsConfig, now: Date, limit: number, options: SweepOptions): Promise<SweepResult>;
  /** Drops what crashed writers left behind, older than `olderThanS`; how many. */
  sweepLeftovers(pools: DbPools, results: ResultsConfig, olderThanS: number): Promise<number>;
  /** Drops a table if it exists, waiting a bounded time for its readers. */
  drop(pools: DbPools, results: ResultsConfig, table: string): Promise<void>;
  /** One keyset page of a table; undefined when it does not exist. */
  readPage(pools: DbPools, results: ResultsConfig, query: ResultsPageQuery): Promise<ResultsPage | undefined>;
  /** Copies a table (types, key, rows) in place of `to`, only while `opts.owner` holds its name; the row count. */
  copy(pools: DbPools, results: ResultsConfig, from: string, to: string, opts: CopyOptions): Promise<number>;
}

/**
 * One database engine behind one port: everything that differs between
 * PostgreSQL and MySQL/MariaDB lives in the engine's folder (`lib/db/postgres`,
 * `lib/db/mysql`), and `engineFor` is the one place that picks it (for
 * the front door, `sourceDb` and `resultsDb`, which pick it once per database). A new engine
 * is a new folder that implements this.
 */
export interface DbEngine {
  readonly dialect: Dialect;
  /** Starts a task query in a READ ONLY transaction with its statement timeout; resolves once its columns are known. */
  openSource(pools: DbPools, source: DbConfig, query: SourceQuery): Promise<SourceReader>;
  /** Starts loading a new results table under a temporary name. */
  openWriter(pools: DbPools, results: ResultsConfig, target: WriterTarget): Promise<ResultsWriter>;
  /** Checks a task's query on its database without running it; throws the database's error. */
  prepare(pools: DbPools, db: DbConfig, query: string): Promise<PreparedStatement>;
  /** The planner's estimate of a task query (EXPLAIN, never run): its rows and its cost, each undefined when the plan gives none. */
  estimate(pools: DbPools, db: DbConfig, query: string, args: readonly (string | null)[]): Promise<QueryEstimate>;
  /** Describes a task query's result columns without running it (READ ONLY, rolled back), its arguments bound where the engine needs them. */
  describe(pools: DbPools, db: DbConfig, query: DescribeQuery): Promise<Column[]>;
  /** The SQL type a results table on this engine gives a column (what `openWriter` creates; no database asked). */
  resultsColumnType(column: Column): string;
  /** Kills a running task query from another connection; whether one was signalled. */
  cancel(pools: DbPools, db: DbConfig, running: RunningQuery): Promise<boolean>;
  /** What the database's user could write (grants, ownership, superuser), each as a sentence; empty for a read-only user. */
  writeAccess(pools: DbPools, db: DbConfig): Promise<string[]>;
  readonly tables: ResultsTables;
  /** Filtered, ordered and aggregated reads of results tables (GET /jobs/{id}/results with a query). */
  readonly explore: ExploreReader;
}

/** The planner's estimate of a task query, as `max_cost` and a job's `est_rows` read it. */
export interface QueryEstimate {
  /** The rows the plan expects. */
  rows?: number;
  /** What `max_cost` is compared with: PostgreSQL's total cost, MySQL/MariaDB's estimated rows. */
  cost?: number;
  /** What `cost` is, in words for messages and answers. */
  readonly costIs: string;
}

/** What `describe` is asked about: the query as a run would send it. */
export interface DescribeQuery {
  query: string;
  args: readonly (string | null)[];
  /** The caller's claims, set as a run sets them (PostgreSQL). */
  claims?: Readonly<Record<string, unknown>>;
}

/**
 * What a prepared statement tells of its placeholders, where the engine can tell
 * (PostgreSQL infers each `$n`'s type; MySQL/MariaDB say nothing).
 */
export interface PreparedStatement {
  /** Per placeholder, in order: the type the server inferred, and what text it reads. */
  params?: readonly DescribedParam[];
}

/** A placeholder's type as the server inferred it. */
export interface DescribedParam {
  /** The type as the server writes it (`integer`, `date`, `text[]`). */
  type: string;
  /** What text the type reads: numbers, booleans, dates and times, any text (strings, unknown), another kind (enums, json, uuid...). */
  reads: 'number' | 'boolean' | 'datetime' | 'text' | 'other';
  /** A list (array) of such values. */
  array: boolean;
}
