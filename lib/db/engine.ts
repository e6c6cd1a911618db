import type { DbConfig, ResultsConfig } from '../config/types.js';
import type { CatalogEntry, SweepOptions, SweepResult } from './catalog.js';
import type { DbPools } from './createDbPools.js';
import type { Dialect } from './dialect.js';
import type { ResultsPage, ResultsPageQuery } from './resultsPage.js';
import type { ResultsWriter } from './resultsWriter.js';
import type { SourceReader } from './sourceReader.js';
import type { BatchFormat, Column, RunningQuery } from './types.js';

/** What a source reader starts: the task's query, its bound arguments and its limits. */
export interface SourceQuery {
  query: string;
  args: string[];
  /** Server-side statement timeout, in milliseconds. */
  timeoutMs: number;
  /** Called once the query's connection is known (before rows flow), so it can be killed from elsewhere. */
  onStarted?: (running: RunningQuery) => Promise<void> | void;
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
}

/** The results tables of one results database: catalog, expiry, reading, copying. */
export interface ResultsTables {
  /** The name of a job's results table here, the one every caller uses (see lib/db/resultsTable.ts). */
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
  /** Copies a table (types, key, rows) in place of `to`; the row count. */
  copy(pools: DbPools, results: ResultsConfig, from: string, to: string): Promise<number>;
}

/**
 * One database engine behind one port: everything that differs between
 * PostgreSQL and MySQL/MariaDB lives in the engine's folder (`lib/db/postgres`,
 * `lib/db/mysql`), and `engineFor` is the one place that picks it. A new engine
 * is a new folder that implements this.
 */
export interface DbEngine {
  readonly dialect: Dialect;
  /** Starts a task query in a READ ONLY transaction with its statement timeout; resolves once its columns are known. */
  openSource(pools: DbPools, source: DbConfig, query: SourceQuery): Promise<SourceReader>;
  /** Starts loading a new results table under a temporary name. */
  openWriter(pools: DbPools, results: ResultsConfig, target: WriterTarget): Promise<ResultsWriter>;
  /** Checks a task's query on its database without running it; throws the database's error. */
  prepare(pools: DbPools, db: DbConfig, query: string): Promise<void>;
  /** Kills a running task query from another connection; whether one was signalled. */
  cancel(pools: DbPools, db: DbConfig, running: RunningQuery): Promise<boolean>;
  readonly tables: ResultsTables;
}
