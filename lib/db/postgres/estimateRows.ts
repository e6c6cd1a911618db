import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';
import type { QueryEstimate } from '../port/engine.js';
import { pgControlPool } from './pools.js';

/** What `max_cost` reads on PostgreSQL. */
const COST_IS = 'PostgreSQL EXPLAIN total cost';

/**
 * The planner's estimate for a task query (`EXPLAIN (FORMAT JSON)`, which plans
 * but never runs it), its arguments bound as a run binds them: the top plan
 * node's rows and total cost. From the control pool, so it never takes the
 * connection the query itself runs on.
 */
export async function pgEstimate(pools: DbPools, db: DbConfig, query: string, args: readonly (string | null)[]): Promise<QueryEstimate> {
  const client = await pgControlPool(pools, db).connect();
  try {
    // Planning takes the tables' share locks: bounded, so a table locked away never holds a control connection (a kill needs one).
    await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${ESTIMATE_TIMEOUT_MS}; SET LOCAL lock_timeout = ${ESTIMATE_TIMEOUT_MS}`);
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan?: { 'Plan Rows'?: unknown; 'Total Cost'?: unknown } }] }>(`EXPLAIN (FORMAT JSON) ${query}`, [...args]);
    await client.query('COMMIT');
    client.release();
    const plan = rows[0]?.['QUERY PLAN']?.[0]?.Plan;
    const estRows = figure(plan?.['Plan Rows']);
    const cost = figure(plan?.['Total Cost']);
    return { ...(estRows === undefined ? {} : { rows: Math.round(estRows) }), ...(cost === undefined ? {} : { cost }), costIs: COST_IS };
  } catch (err) {
    // The transaction may be open: this connection is not handed to a kill.
    client.release(true);
    throw err;
  }
}

function figure(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** How long planning may take or wait for a lock, in milliseconds. */
const ESTIMATE_TIMEOUT_MS = 2_000;
