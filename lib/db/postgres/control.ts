import type { DbConfig } from '../../config/types.js';
import type pg from 'pg';
import type { DbPools } from '../port/dbPools.js';
import type { DescribedParam, PreparedStatement } from '../port/engine.js';
import type { RunningQuery } from '../port/types.js';
import { describeStatement } from './describeStatement.js';
import { pgRunName } from './dialect.js';
import { pgControlPool, pgPool } from './pools.js';

/** Parse + Describe of the unnamed statement on a task connection, without executing it. */
export async function pgPrepare(pools: DbPools, db: DbConfig, query: string): Promise<PreparedStatement> {
  const client = await pgPool(pools, db).connect();
  try {
    const { paramTypes } = await describeStatement(client, query);
    const params = paramTypes.length === 0 ? [] : await describeParams(client, paramTypes);
    client.release();
    return { params };
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

/** PostgreSQL's type categories (pg_type.typcategory) as what text a type reads. */
const READS: Record<string, DescribedParam['reads']> = { N: 'number', B: 'boolean', D: 'datetime', S: 'text', X: 'text' };

/** Each inferred parameter type's name and category (of its element, for an array). */
async function describeParams(client: pg.ClientBase, oids: readonly number[]): Promise<DescribedParam[]> {
  const { rows } = await client.query<{ type: string; category: string; array: boolean }>(
    `SELECT format_type(t.oid, NULL) AS type, coalesce(e.typcategory, t.typcategory) AS category, e.oid IS NOT NULL AS array
       FROM unnest($1::oid[]) WITH ORDINALITY AS p(oid, n)
       JOIN pg_type t ON t.oid = p.oid
       LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typinput = 'array_in'::regproc
      ORDER BY p.n`,
    [oids],
  );
  return rows.map((r) => ({ type: r.type, reads: READS[r.category] ?? 'other', array: r.array }));
}
