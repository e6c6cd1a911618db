import type { ResultsConfig } from '../config/types.js';
import type { DbPools } from './createDbPools.js';
import { mysqlQuery } from './mysqlQuery.js';
import { assertTableName, quoteIdent } from './quoteIdent.js';

/**
 * The results table of a job: the config's `results_table` pattern with its
 * `%s` replaced by the job ID (`results_%s` + `abc` -> `results_abc`).
 *
 * @throws Error when the name is not 1 to 63 of `[A-Za-z0-9_:-]`.
 */
export function resultsTableName(results: ResultsConfig, jobId: string): string {
  const name = results.resultsTable.includes('%s') ? results.resultsTable.replace('%s', jobId) : `${results.resultsTable}${jobId}`;
  assertTableName(name);
  return name;
}

/** Drops a results table if it exists (TTL expiry, a job that finished after being cancelled). */
export async function dropResultsTable(pools: DbPools, results: ResultsConfig, table: string): Promise<void> {
  assertTableName(table);
  const sql = `DROP TABLE IF EXISTS ${quoteIdent(results.type, table)}`;
  if (results.type === 'postgres') {
    await pools.pg(results).query(sql);
  } else {
    await mysqlQuery(pools.mysql(results).pool, sql);
  }
}
