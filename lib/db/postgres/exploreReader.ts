import type { ResultsConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';
import type { ExploreColumn } from '../port/exploreDialect.js';
import type { ExploreReader } from '../port/exploreReader.js';
import { resultsColumns } from '../shared/pageSql.js';
import { pgResultsKind } from './columns.js';
import { postgresDialect } from './dialect.js';
import { pgExploreDialect } from './exploreDialect.js';
import { pgPool } from './pools.js';
import { pgRows } from './tables.js';

async function columns(pools: DbPools, results: ResultsConfig, table: string): Promise<ExploreColumn[] | undefined> {
  const { rows } = await pgPool(pools, results).query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, NULL) AS type FROM pg_attribute
     WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [postgresDialect.quoteIdent(table)],
  );
  const kinds = resultsColumns(rows.map((r) => ({ name: r.name, type: pgResultsKind(r.type) })));
  return kinds?.map((c, i) => ({ ...c, sqlType: rows[i + 1]!.type.toLowerCase() }));
}

/** Explore queries on PostgreSQL results tables. */
export const pgExploreReader: ExploreReader = {
  dialect: pgExploreDialect,
  columns,
  rows: (pools, results, statement, timeoutMs) => pgRows(pgPool(pools, results), statement.sql, statement.params, timeoutMs),
};
