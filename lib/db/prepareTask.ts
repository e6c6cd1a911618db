import type { DbConfig } from '../config/types.js';
import type { DbPools } from './createDbPools.js';
import { engineFor } from './engines.js';

/**
 * Checks that a task's query is valid on its database without running it
 * (PostgreSQL: Parse + Describe of the unnamed statement, so untyped `$n` get
 * their types inferred exactly as a run would; MySQL/MariaDB: a server-side
 * prepare, then close).
 *
 * @throws the database's error (syntax error, unknown table or column...).
 */
export async function prepareTask(pools: DbPools, db: DbConfig, query: string): Promise<void> {
  if (query.trim() === '') throw new Error('the task query is empty');
  await engineFor(db.type).prepare(pools, db, query);
}
