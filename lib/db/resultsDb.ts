import type { ResultsConfig } from '../config/types.js';
import type { DbPools } from './port/dbPools.js';
import { engineFor } from './engines.js';
import type { CopyOptions } from './port/engine.js';
import { CATALOG_TABLE, type CatalogEntry, type SweepOptions, type SweepResult } from './port/catalog.js';
import type { ExploreColumn, ExploreDialect } from './port/exploreDialect.js';
import type { ExploreStatement } from './port/exploreReader.js';
import type { ResultsColumn, ResultsPage, ResultsPageQuery, ResultsRow } from './port/resultsPage.js';
import { assertTableName } from './shared/assertTableName.js';
import { pageRows } from './shared/pageRows.js';
import { PAGE_TIMEOUT_MS } from './shared/pageSql.js';

/**
 * One results database (`[results.NAME]`), its engine picked once: its results
 * tables, their catalog and expiry, reading and copying them. Callers hold no
 * connection or transaction. Every table name is checked (`assertTableName`)
 * before it reaches the engine.
 */
export interface ResultsDb {
  readonly config: ResultsConfig;
  /**
   * The results table of a job here: the one name every part that names a job's
   * table (the worker, the catalog, purge, reuse's copy) uses. Usually the
   * pattern with the job ID; a MySQL server that folds table names to lower case
   * (`lower_case_table_names` not 0) gets a name that keeps job IDs differing
   * only in case apart (lib/db/mysql/foldSafeTableName.ts).
   *
   * @throws ResultsTableNameError when the server's rules make the name too long
   * @throws Error when the name is not 1 to 63 of `[A-Za-z0-9_:~-]`.
   */
  tableName(jobId: string): Promise<string>;
  /**
   * Records (or moves) the expiry of a results table and claims its name for
   * `entry.owner`. Waits while a sweeper is dropping the same table, so a table
   * registered again (a reused job ID) is never dropped by a sweep that began before.
   */
  register(entry: CatalogEntry): Promise<void>;
  /**
   * Moves the expiry of a table only while `owner` still holds its name (a job
   * that succeeded: its table now expires with its record). False when a newer
   * attempt or run has claimed the name since: then its entry is left as it is.
   */
  renew(entry: Required<Pick<CatalogEntry, 'table' | 'owner' | 'expiresAt'>>): Promise<boolean>;
  /**
   * Drops a results table and removes its entry, only when its catalog owner is
   * one `isMine` accepts (`null`: an entry without owner, or none at all): an
   * attempt cleaning up after a cancel, or a purge of one run, never drops the
   * table or the entry of a newer attempt or run of a reused job ID. Holds the
   * entry (row lock, or MySQL named lock) across the drop, so a registration
   * waits. Returns whether it dropped.
   */
  release(table: string, isMine: (owner: string | null) => boolean): Promise<boolean>;
  /** Removes a table's catalog entry (the table itself was dropped by the caller: a purge). */
  forget(table: string): Promise<void>;
  /**
   * Drops up to `limit` results tables that expired before `now` and removes
   * their catalog entries: `DROP TABLE IF EXISTS` first, then the entry, so a
   * sweeper that dies between the two leaves an entry whose table is gone, which
   * the next sweep finishes. Two sweepers never work on the same entry
   * (PostgreSQL: `FOR UPDATE SKIP LOCKED`; MySQL, where DDL commits and frees
   * row locks: a named lock per table, taken without waiting). A table whose
   * drop fails (e.g. it waited too long on readers) is left for the next sweep.
   */
  sweep(now: Date, limit?: number, options?: SweepOptions): Promise<SweepResult>;
  /**
   * Drops the temporary tables that a writer which crashed mid-load or mid-swap
   * left behind (MySQL/MariaDB, where DDL commits), once older than `olderThanS`;
   * how many. PostgreSQL writers build in one transaction and leave none.
   */
  sweepLeftovers(olderThanS: number): Promise<number>;
  /**
   * Drops a results table if it exists (TTL expiry, a job that finished after
   * being cancelled). Waits at most 30 s for readers of the table.
   */
  drop(table: string): Promise<void>;
  /**
   * Reads one page of a results table by keyset (`WHERE _row > $1 ORDER BY _row
   * LIMIT n` through the primary key on MySQL; on PostgreSQL, which has no `_row`
   * index, a TID range from the block holding row $1 + 1, lib/db/postgres/pageRangeSql.ts;
   * no OFFSET, so every page costs the same).
   * Column kinds come from the table's own column types. Values arrive as
   * canonical text, identical on both servers: BOOLEAN `1`/`0`, TIMESTAMP and
   * TIME without trailing fraction zeros, TIMESTAMPTZ in UTC with `+00`, numbers
   * as the server's exact digits, BYTES as `\x` + lowercase hex, JSON and ARRAY
   * as JSON text. `undefined` when the table does not exist.
   */
  readPage(query: ResultsPageQuery): Promise<ResultsPage | undefined>;
  /**
   * Copies a results table into a new one here (column types, rows in `_row` order on
   * disk, the MySQL primary key, the task's indexes), replacing any table of that name;
   * readers see the old table or the whole new one. Returns the row count. The copy is swapped in only while
   * `opts.owner` still holds the name in the catalog (else SupersededError), and
   * its statement is killed on the server when `opts.signal` aborts.
   *
   * @throws the database's error, e.g. when the source table is gone (the caller then runs the query).
   */
  copy(from: string, to: string, opts: CopyOptions): Promise<number>;
  /** Whether a failed read says its table does not exist (dropped between two reads). */
  isMissingTable(err: unknown): boolean;
  /** Filtered, ordered and aggregated reads (lib/results/explore): the engine's SQL rules and statements on results tables. */
  readonly explore: ResultsExplore;
}

/** What the explore compiler and reader need of a results database. */
export interface ResultsExplore {
  /** How this engine's SQL reads, compares, orders and binds (pure text). */
  readonly dialect: ExploreDialect;
  /** A results table's columns after `_row`, with their engine types; undefined when it does not exist. */
  columns(table: string): Promise<ExploreColumn[] | undefined>;
  /** The statement timeout of every explore statement, as of a page (the HTTP functions stop at 29 s). */
  readonly timeoutMs: number;
  /** A compiled statement's rows as the server's text, streamed (a `for await` that breaks ends it). */
  values(statement: ExploreStatement): AsyncGenerator<(string | null)[], void, undefined>;
  /** A compiled page's rows (a number first, then `columns`) as canonical values (see `readPage`). */
  rows(statement: ExploreStatement, columns: ResultsColumn[]): AsyncGenerator<ResultsRow, void, undefined>;
  /** Whether a failed read was stopped by its statement timeout. */
  isTimeout(err: unknown): boolean;
}

/** The front door to a results database: binds `results` to its engine and the process's pools. */
export function resultsDb(pools: DbPools, results: ResultsConfig): ResultsDb {
  const { tables, dialect, explore } = engineFor(results.type);
  return {
    config: results,
    async tableName(jobId) {
      const name = await tables.tableName(pools, results, jobId);
      assertTableName(name);
      return name;
    },
    async register(entry) {
      assertTableName(entry.table);
      if (entry.table === CATALOG_TABLE) throw new Error(`"${CATALOG_TABLE}" is reserved for the results catalog`);
      await tables.register(pools, results, entry);
    },
    async renew(entry) {
      assertTableName(entry.table);
      return tables.renew(pools, results, entry);
    },
    async release(table, isMine) {
      assertTableName(table);
      return tables.release(pools, results, table, isMine);
    },
    async forget(table) {
      assertTableName(table);
      await tables.forget(pools, results, table);
    },
    sweep: (now, limit = 100, options = {}) => tables.sweep(pools, results, now, limit, options),
    sweepLeftovers: (olderThanS) => tables.sweepLeftovers(pools, results, olderThanS),
    async drop(table) {
      assertTableName(table);
      await tables.drop(pools, results, table);
    },
    async readPage(query) {
      assertTableName(query.table);
      return tables.readPage(pools, results, query);
    },
    async copy(from, to, opts) {
      assertTableName(from);
      assertTableName(to);
      return tables.copy(pools, results, from, to, opts);
    },
    isMissingTable: (err) => typeof err === 'object' && err !== null && dialect.isMissingTable(err),
    explore: {
      dialect: explore.dialect,
      async columns(table) {
        assertTableName(table);
        return explore.columns(pools, results, table);
      },
      timeoutMs: PAGE_TIMEOUT_MS,
      values: (statement) => explore.rows(pools, results, statement, PAGE_TIMEOUT_MS),
      rows: (statement, columns) => pageRows(explore.rows(pools, results, statement, PAGE_TIMEOUT_MS), columns),
      isTimeout: (err) => typeof err === 'object' && err !== null && dialect.errorKind(err) === 'timeout',
    },
  };
}
