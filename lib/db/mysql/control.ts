import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';
import type { PreparedStatement } from '../port/engine.js';
import type { RunningQuery } from '../port/types.js';
import { mysqlRunComment } from './dialect.js';
import { mysqlQuery, withMysqlConnection } from './session.js';
import { mysqlControlPool, mysqlPool } from './pools.js';

/** A server-side prepare of the task's statement, then close: checks it without running it. */
export async function mysqlPrepare(pools: DbPools, db: DbConfig, query: string): Promise<PreparedStatement> {
  await withMysqlConnection(mysqlPool(pools, db).pool, async (conn) => {
    await new Promise<void>((resolve, reject) => {
      conn.prepare(query, (err) => (err ? reject(err) : resolve()));
    });
    conn.unprepare(query);
  });
  // A MySQL prepare tells how many placeholders there are, not their types.
  return {};
}

/** `KILL QUERY id` from the control pool; with a tag, only while that connection still runs the same attempt. */
export async function mysqlCancel(pools: DbPools, db: DbConfig, running: RunningQuery): Promise<boolean> {
  const id = running.connectionId;
  const pool = mysqlControlPool(pools, db);
  if (running.tag !== undefined) {
    const rows = await mysqlQuery<unknown[]>(pool, 'SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ? AND INFO LIKE ?', [
      id,
      `${mysqlRunComment(running.tag)}%`,
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
