import type { DbConfig } from '../config/types.js';
import type { DbPools } from './createDbPools.js';
import { engineFor } from './engines.js';
import type { RunningQuery } from './types.js';

/**
 * Kills a running task query from another connection: PostgreSQL
 * `pg_cancel_backend(pid)`, MySQL/MariaDB `KILL QUERY id`. With `running.tag`,
 * only if that connection still runs the same attempt, so a pooled connection
 * that has moved on to another job is left alone. The kill runs on the
 * database's control pool, never the task pool: the query being killed may hold
 * that pool's last connection.
 *
 * @returns whether a query was signalled.
 */
export async function cancelQuery(pools: DbPools, db: DbConfig, running: RunningQuery): Promise<boolean> {
  const id = running.connectionId;
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`invalid connection id ${String(id)}`);
  return engineFor(db.type).cancel(pools, db, running);
}
