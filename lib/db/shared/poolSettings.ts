import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';

/** Idle connections are kept this long when `maxIdle` allows any. */
export const IDLE_TIMEOUT_MS = 60_000;

/**
 * TCP keepalive probes start after this much silence: a server host that vanished
 * (no FIN, no RST) is noticed within seconds of it, not after the OS's two hours.
 */
export const KEEPALIVE_DELAY_MS = 10_000;

/**
 * A control pool per database serves kills (`SourceDb.cancel`): a kill must never wait
 * for a connection of the task pool, which the query to kill may be holding (with
 * `max_active = 1`, the only one). A kill or two at once is all it serves.
 */
export const CONTROL_MAX = 2;
/** A control connection is kept briefly (kills come in bursts: a group cancel). */
export const CONTROL_IDLE_MS = 10_000;

/**
 * `db` with its pool size capped by the pools' `maxActive` option (the HTTP API's
 * functions: API_POOL_OPTIONS), as each engine's task pool is made.
 */
export function cappedPool<D extends DbConfig>(pools: DbPools, db: D): D {
  const cap = pools.options.maxActive;
  if (cap === undefined || db.maxActive <= cap) return db;
  return { ...db, maxActive: cap, maxIdle: Math.min(db.maxIdle, cap) };
}
