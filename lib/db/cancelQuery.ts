import type { DbConfig } from '../config/types.js';
import type { DbPools } from './createDbPools.js';
import { mysqlQuery } from './mysqlQuery.js';
import { mysqlTagComment } from './mysqlSource.js';
import type { RunningQuery } from './types.js';

/**
 * Kills a running task query from another connection: PostgreSQL
 * `pg_cancel_backend(pid)` (which, unlike a protocol cancel request, passes RDS
 * Proxy), MySQL/MariaDB `KILL QUERY id`. With `running.tag`, only if that
 * connection still runs the same attempt, so a pooled connection that has moved
 * on to another job is left alone. The kill runs on the database's control pool,
 * never the task pool: the query being killed may hold that pool's last
 * connection.
 *
 * @returns whether a query was signalled.
 */
export async function cancelQuery(pools: DbPools, db: DbConfig, running: RunningQuery): Promise<boolean> {
  const id = running.connectionId;
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`invalid connection id ${String(id)}`);
  if (db.type === 'postgres') {
    const pool = pools.pgControl(db);
    const { rows } =
      running.tag === undefined
        ? await pool.query<{ ok: boolean }>('SELECT pg_cancel_backend($1) AS ok', [id])
        : await pool.query<{ ok: boolean }>(
            'SELECT pg_cancel_backend(pid) AS ok FROM pg_stat_activity WHERE pid = $1 AND application_name = $2',
            [id, `sql-jobber ${running.tag}`],
          );
    return rows[0]?.ok === true;
  }
  const pool = pools.mysqlControl(db);
  if (running.tag !== undefined) {
    const rows = await mysqlQuery<unknown[]>(pool, 'SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ? AND INFO LIKE ?', [
      id,
      `${mysqlTagComment(running.tag)}%`,
    ]);
    if (rows.length === 0) return false;
  }
  try {
    await mysqlQuery(pool, `KILL QUERY ${id}`);
    return true;
  } catch (err) {
    // 1094 ER_NO_SUCH_THREAD: the connection is gone, nothing to kill.
    if ((err as { errno?: unknown }).errno === 1094) return false;
    throw err;
  }
}
