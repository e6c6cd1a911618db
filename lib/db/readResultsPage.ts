import type { ResultsConfig } from '../config/types.js';
import type { DbPools } from './createDbPools.js';
import { engineFor } from './engines.js';
import { assertTableName } from './quoteIdent.js';
import type { ResultsPage, ResultsPageQuery } from './resultsPage.js';

export type { ResultsColumn, ResultsPage, ResultsPageQuery, ResultsRow } from './resultsPage.js';

/**
 * Reads one page of a results table by keyset (`WHERE _row > $1 ORDER BY _row
 * LIMIT n`, on its primary key: no OFFSET, so every page costs the same).
 * Column kinds come from the table's own column types. Values arrive as canonical
 * text, identical on both servers: BOOLEAN `1`/`0`, TIMESTAMP and TIME without
 * trailing fraction zeros, TIMESTAMPTZ in UTC with `+00`, numbers as the
 * server's exact digits, BYTES as `\x` + lowercase hex, JSON and ARRAY as JSON
 * text. `undefined` when the table does not exist.
 */
export async function readResultsPage(pools: DbPools, results: ResultsConfig, query: ResultsPageQuery): Promise<ResultsPage | undefined> {
  assertTableName(query.table);
  return engineFor(results.type).tables.readPage(pools, results, query);
}

/** Whether a query failed because its table does not exist (dropped between two reads). */
export function isMissingTableError(err: unknown): boolean {
  const e = err as { code?: string; errno?: number };
  return e?.code === '42P01' || e?.errno === 1146;
}
