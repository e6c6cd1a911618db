import type { ResultsConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';
import type { ExploreColumn } from '../port/exploreDialect.js';
import type { ExploreReader } from '../port/exploreReader.js';
import { mysqlTimedSelect } from './dialect.js';
import { mysqlExploreDialect } from './exploreDialect.js';
import { mysqlPool } from './pools.js';
import { mysqlRows, pageColumns } from './tables.js';

async function columns(pools: DbPools, results: ResultsConfig, table: string): Promise<ExploreColumn[] | undefined> {
  const handle = mysqlPool(pools, results);
  const { columns: kinds, bits } = await pageColumns(handle.pool, table, await handle.flavour());
  // Only BIT needs its own reading (as a number); the kind says the rest.
  return kinds?.map((c) => ({ ...c, sqlType: bits.has(c.name) ? 'bit' : c.type.toLowerCase() }));
}

async function* rows(pools: DbPools, results: ResultsConfig, statement: { sql: string; params: unknown[] }, timeoutMs: number) {
  const handle = mysqlPool(pools, results);
  const sql = statement.sql.startsWith('SELECT ') ? mysqlTimedSelect(await handle.flavour(), timeoutMs, statement.sql) : statement.sql;
  yield* mysqlRows(handle.pool, sql, statement.params);
}

/** Explore queries on MySQL/MariaDB results tables. */
export const mysqlExploreReader: ExploreReader = {
  dialect: mysqlExploreDialect,
  columns,
  rows,
};
