import type { ResultsConfig } from '../config/types.js';
import type { DbPools } from './createDbPools.js';
import { engineFor } from './engines.js';
import { assertTableName } from './quoteIdent.js';

/**
 * The results table of a job: the config's `results_table` pattern with its
 * `%s` replaced by the job ID (`results_%s` + `abc` -> `results_abc`).
 *
 * @throws Error when the name is not 1 to 63 of `[A-Za-z0-9_:-]`.
 */
export function resultsTableName(results: ResultsConfig, jobId: string): string {
  // A function replacement: a job ID's `$&` or `$'` must not be read as a pattern.
  const name = results.resultsTable.includes('%s') ? results.resultsTable.replace('%s', () => jobId) : `${results.resultsTable}${jobId}`;
  assertTableName(name);
  return name;
}

/**
 * Drops a results table if it exists (TTL expiry, a job that finished after
 * being cancelled). Waits at most 30 s for readers of the table.
 */
export async function dropResultsTable(pools: DbPools, results: ResultsConfig, table: string): Promise<void> {
  assertTableName(table);
  await engineFor(results.type).store.drop(pools, results, table);
}
