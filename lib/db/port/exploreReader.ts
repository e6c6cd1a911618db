import type { ResultsConfig } from '../../config/types.js';
import type { DbPools } from './dbPools.js';
import type { ExploreColumn, ExploreDialect } from './exploreDialect.js';

/** A statement the explore compiler made: its text and bound values. */
export interface ExploreStatement {
  sql: string;
  params: unknown[];
}

/** How an engine runs explore queries on its results tables. */
export interface ExploreReader {
  readonly dialect: ExploreDialect;
  /** A results table's columns after `_row`, with their engine types; undefined when the table does not exist. */
  columns(pools: DbPools, results: ResultsConfig, table: string): Promise<ExploreColumn[] | undefined>;
  /** A read-only statement's rows, every value its server text, streamed (a `for await` that breaks ends the query). */
  rows(pools: DbPools, results: ResultsConfig, statement: ExploreStatement, timeoutMs: number): AsyncGenerator<(string | null)[], void, undefined>;
}
