import type { DbConfig } from '../config/types.js';
import type { DbPools } from './port/dbPools.js';
import type { DescribeQuery, PreparedStatement, QueryEstimate } from './port/engine.js';
import { uniqueColumnNames } from './shared/columnNames.js';
import { engineFor } from './engines.js';
import type { Column, RunningQuery, RunTaskInput, RunTaskResult } from './port/types.js';
import { runTaskPipeline } from './shared/runTaskPipeline.js';

/**
 * One source database (`[db.NAME]`), its engine picked once: everything the rest
 * of lib does on a source. Callers hold no connection or transaction: each
 * operation takes a connection from the process's pools and gives it back.
 */
export interface SourceDb {
  readonly config: DbConfig;
  /**
   * Runs a task query here and writes every row to a new results table on
   * `input.results`. The query runs in a READ ONLY transaction with a server-side
   * statement timeout, its arguments bound; rows stream into the results
   * database's bulk loader with backpressure both ways, so memory does not grow
   * with the result. The table is built under a temporary name and swapped in at
   * the end: readers see the old table or the complete new one. The whole run,
   * the swap included, stays within `timeoutMs`. On any failure the query is
   * stopped, the temporary table dropped and the driver's error rethrown (see
   * `classifyDbError`). Past a result limit (`input.limits`) it throws
   * `GuardrailExceeded` once its source connection is closed; await its `cleanup`
   * (the cancel on the server, the drop).
   */
  runTask(input: RunTaskInput): Promise<RunTaskResult>;
  /**
   * Checks that a task's query is valid here without running it (PostgreSQL:
   * Parse + Describe of the unnamed statement, so untyped `$n` get their types
   * inferred exactly as a run would; MySQL/MariaDB: a server-side prepare, then
   * close).
   *
   * @throws the database's error (syntax error, unknown table or column...).
   */
  prepare(query: string): Promise<PreparedStatement>;
  /**
   * Kills a running task query from another connection: PostgreSQL
   * `pg_cancel_backend(pid)`, MySQL/MariaDB `KILL QUERY id`. With `running.tag`,
   * only if that connection still runs the same attempt, so a pooled connection
   * that has moved on to another job is left alone. The kill runs on the
   * database's control pool, never the task pool: the query being killed may
   * hold that pool's last connection.
   *
   * @returns whether a query was signalled.
   */
  cancel(running: RunningQuery): Promise<boolean>;
  /**
   * What this database's user could write, were it not for the READ ONLY
   * transaction (PostgreSQL: superuser, table and schema privileges; MySQL/MariaDB:
   * `SHOW GRANTS`), each as a sentence for `npm run check` to warn with. Empty for
   * a read-only user.
   */
  writeAccess(): Promise<string[]>;
  /**
   * The planner's estimate of how many rows a task query returns, its arguments
   * bound: PostgreSQL `EXPLAIN (FORMAT JSON)` (the top plan node's rows),
   * MySQL/MariaDB `EXPLAIN` (the outer select's rows × filtered). Plans, never
   * runs; on the control pool. Undefined when the plan gives no figure.
   */
  estimateRows(query: string, args: readonly (string | null)[]): Promise<number | undefined>;
  /**
   * The planner's estimate (as `estimateRows`) with its cost: PostgreSQL's EXPLAIN
   * total cost, MySQL/MariaDB's estimated rows (what a task's `max_cost` reads).
   */
  estimate(query: string, args: readonly (string | null)[]): Promise<QueryEstimate>;
  /**
   * The columns a run of this query would give a results table on `results` (an
   * engine's dialect and column types), without running it and without asking the
   * results database: each column's name as the table would get it, its portable
   * type and the SQL type its `CREATE TABLE` would write.
   */
  describeResults(query: DescribeQuery, results: DbConfig['type']): Promise<DescribedColumn[]>;
}

/** A column of the results table a run would create (see `SourceDb.describeResults`). */
export interface DescribedColumn extends Column {
  /** The SQL type the results table gives it on its results database. */
  sql_type: string;
}

/** The front door to a source database: binds `db` to its engine and the process's pools. */
export function sourceDb(pools: DbPools, db: DbConfig): SourceDb {
  const engine = engineFor(db.type);
  return {
    config: db,
    runTask: (input) => runTaskPipeline(pools, engine, db, engineFor(input.results.type), input),
    async prepare(query) {
      if (query.trim() === '') throw new Error('the task query is empty');
      return engine.prepare(pools, db, query);
    },
    async cancel(running) {
      const id = running.connectionId;
      if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`invalid connection id ${String(id)}`);
      return engine.cancel(pools, db, running);
    },
    writeAccess: () => engine.writeAccess(pools, db),
    estimateRows: async (query, args) => (await engine.estimate(pools, db, query, args)).rows,
    estimate: (query, args) => engine.estimate(pools, db, query, args),
    async describeResults(query, resultsType) {
      const to = engineFor(resultsType);
      const columns = uniqueColumnNames(to.dialect, await engine.describe(pools, db, query));
      return columns.map((c) => ({ ...c, sql_type: to.resultsColumnType(c) }));
    },
  };
}
