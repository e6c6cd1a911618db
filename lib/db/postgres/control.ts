import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../createDbPools.js';
import type { RunningQuery } from '../types.js';
import { describeStatement } from './describeStatement.js';
import { pgRunName } from './dialect.js';
import { pgControlPool, pgPool } from './pools.js';

/** Parse + Describe of the unnamed statement on a task connection, without executing it. */
export async function pgPrepare(pools: DbPools, db: DbConfig, query: string): Promise<void> {
  const client = await pgPool(pools, db).connect();
  try {
    await describeStatement(client, query);
    client.release();
  } catch (err) {
    // A database error leaves the connection usable; anything else may not have.
    client.release(!(err instanceof Error && 'severity' in err));
    throw err;
  }
}

/**
 * `pg_cancel_backend(pid)` from the control pool (unlike a protocol cancel
 * request, it passes RDS Proxy); with a tag, only while that backend still runs
 * the same attempt.
 */
export async function pgCancel(pools: DbPools, db: DbConfig, running: RunningQuery): Promise<boolean> {
  const pool = pgControlPool(pools, db);
  const { rows } =
    running.tag === undefined
      ? await pool.query<{ ok: boolean }>('SELECT pg_cancel_backend($1) AS ok', [running.connectionId])
      : await pool.query<{ ok: boolean }>('SELECT pg_cancel_backend(pid) AS ok FROM pg_stat_activity WHERE pid = $1 AND application_name = $2', [
          running.connectionId,
          pgRunName(running.tag),
        ]);
  return rows[0]?.ok === true;
}
