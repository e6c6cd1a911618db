import type { ResultsConfig } from '../config/types.js';
import type { DbPools } from '../db/createDbPools.js';
import { engineFor } from '../db/engines.js';
import { assertTableName } from '../db/quoteIdent.js';

/**
 * Copies a results table into a new one in the same results database (column
 * types, primary key and rows), replacing any table of that name; readers see the
 * old table or the whole new one. Returns the row count.
 *
 * @throws the database's error, e.g. when the source table is gone (the caller then runs the query).
 */
export async function copyResultsTable(pools: DbPools, results: ResultsConfig, from: string, to: string): Promise<number> {
  assertTableName(from);
  assertTableName(to);
  return engineFor(results.type).tables.copy(pools, results, from, to);
}
