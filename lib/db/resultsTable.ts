import type { ResultsConfig } from '../config/types.js';
import type { DbPools } from './createDbPools.js';
import { engineFor } from './engines.js';
import { assertTableName } from './quoteIdent.js';

/**
 * The results table of a job on its results database: the one name every part
 * that names a job's table (the worker, the catalog, purge, reuse's copy) uses.
 * Usually the pattern with the job ID; a MySQL server that folds table names to
 * lower case (`lower_case_table_names` not 0) gets a name that keeps job IDs
 * differing only in case apart (lib/db/mysql/foldSafeTableName.ts).
 *
 * @throws ResultsTableNameError when the server's rules make the name too long
 * @throws Error when the name is not 1 to 63 of `[A-Za-z0-9_:-]`.
 */
export async function resultsTableName(pools: DbPools, results: ResultsConfig, jobId: string): Promise<string> {
  const name = await engineFor(results.type).tables.tableName(pools, results, jobId);
  assertTableName(name);
  return name;
}

/**
 * Drops a results table if it exists (TTL expiry, a job that finished after
 * being cancelled). Waits at most 30 s for readers of the table.
 */
export async function dropResultsTable(pools: DbPools, results: ResultsConfig, table: string): Promise<void> {
  assertTableName(table);
  await engineFor(results.type).tables.drop(pools, results, table);
}
