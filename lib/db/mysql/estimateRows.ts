import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';
import type { QueryEstimate } from '../port/engine.js';
import { mysqlControlPool } from './pools.js';
import { mysqlQuery, withMysqlConnection } from './session.js';

/** What `max_cost` reads on MySQL/MariaDB: the estimated rows (their EXPLAIN gives no cost). */
const COST_IS = 'MySQL/MariaDB EXPLAIN estimated rows';

/** The optimizer's estimate for a task query: its rows, which are also what `max_cost` reads. */
export async function mysqlEstimate(pools: DbPools, db: DbConfig, query: string, args: readonly (string | null)[]): Promise<QueryEstimate> {
  const rows = await mysqlEstimateRows(pools, db, query, args);
  return rows === undefined ? { costIs: COST_IS } : { rows, cost: rows, costIs: COST_IS };
}

/**
 * The optimizer's row estimate for a task query (`EXPLAIN`, which never runs it),
 * its arguments bound. The rows of the outermost select's tables, each narrowed by
 * its `filtered` percentage, multiplied (a join's output is roughly their product).
 * From the control pool, so it never takes the connection the query runs on.
 */
export async function mysqlEstimateRows(pools: DbPools, db: DbConfig, query: string, args: readonly (string | null)[]): Promise<number | undefined> {
  const plan = await withMysqlConnection(mysqlControlPool(pools, db), async (conn) => {
    // A table's metadata lock waits lock_wait_timeout (a year by default): bounded, so a control connection (a kill needs one) is never held long.
    await mysqlQuery(conn, `SET SESSION lock_wait_timeout = ${ESTIMATE_LOCK_WAIT_S}`);
    try {
      return await mysqlQuery<{ id?: unknown; rows?: unknown; filtered?: unknown }[]>(conn, `EXPLAIN ${query}`, [...args]);
    } finally {
      await mysqlQuery(conn, 'SET SESSION lock_wait_timeout = DEFAULT');
    }
  });
  const outer = plan.filter((r) => r.id === null || Number(r.id) === 1);
  if (outer.length === 0) return undefined;
  let estimate = 1;
  for (const r of outer) {
    const rows = Number(r.rows);
    // A row without an estimate (a derived or constant table) says nothing either way.
    if (r.rows === null || !Number.isFinite(rows)) continue;
    const filtered = r.filtered === undefined || r.filtered === null ? 100 : Number(r.filtered);
    estimate *= rows * (Number.isFinite(filtered) ? filtered / 100 : 1);
  }
  return Number.isFinite(estimate) ? Math.round(estimate) : undefined;
}

/** How long the estimate waits for a table's metadata lock, in seconds. */
const ESTIMATE_LOCK_WAIT_S = 2;
