import type mysql from 'mysql2';
import type pg from 'pg';
import type { DbConfig } from '../config/types.js';
import { createMysqlPool, type MysqlPool } from './mysql/pools.js';
import { createPgPool } from './postgres/pools.js';

export type { MysqlFlavour } from './mysql/dialect.js';
export type { MysqlPool } from './mysql/pools.js';

/**
 * Connection pools, one per configured database, created on first use and kept
 * for the life of the process (a warm Lambda reuses them). Passed to every
 * database function; there are no module-level pools.
 */
export interface DbPools {
  pg(db: DbConfig): pg.Pool;
  mysql(db: DbConfig): MysqlPool;
  /**
   * A small pool of its own per database for killing queries (`cancelQuery`): a
   * kill must never wait for a connection of the task pool, which the query to
   * kill may be holding (with `max_active = 1`, the only one).
   */
  pgControl(db: DbConfig): pg.Pool;
  /** The MySQL/MariaDB counterpart of `pgControl`. */
  mysqlControl(db: DbConfig): mysql.Pool;
  /** Closes every pool; the object must not be used afterwards. */
  end(): Promise<void>;
}

/** Options of `createDbPools`; the defaults are what production uses. */
export interface DbPoolOptions {
  /** Ask MySQL servers for `LOAD DATA LOCAL INFILE` (default true); false forces multi-row INSERT. */
  mysqlLocalInfile?: boolean;
}

/** Connections of a control pool: a kill or two at once is all it serves. */
const CONTROL_MAX = 2;
/** A control connection is kept briefly (kills come in bursts: a group cancel). */
const CONTROL_IDLE_MS = 10_000;

/** Creates the lazy pool cache. */
export function createDbPools(options: DbPoolOptions = {}): DbPools {
  const pgPools = new Map<string, pg.Pool>();
  const mysqlPools = new Map<string, MysqlPool>();
  const pgControls = new Map<string, pg.Pool>();
  const mysqlControls = new Map<string, MysqlPool>();
  let ended = false;

  const check = (db: DbConfig) => {
    if (ended) throw new Error('database pools were closed');
    // Only the functions with database access resolve secrets at cold start (lib/loadApp.ts).
    if (db.unresolvedSecrets) {
      throw new Error(`${db.name}: its dsn's secrets (${db.unresolvedSecrets.join(', ')}) are not resolved in this function`);
    }
  };
  /** The pool of `db` in `pools`, created on first use. */
  const pooled = <P>(pools: Map<string, P>, db: DbConfig, create: () => P): P => {
    check(db);
    const key = poolKey(db);
    let pool = pools.get(key);
    if (!pool) {
      pool = create();
      pools.set(key, pool);
    }
    return pool;
  };

  return {
    pg: (db) => pooled(pgPools, db, () => createPgPool(db)),
    mysql: (db) => pooled(mysqlPools, db, () => createMysqlPool(db, options.mysqlLocalInfile ?? true)),
    pgControl: (db) => pooled(pgControls, db, () => createPgPool({ ...db, maxActive: CONTROL_MAX, maxIdle: 1 }, CONTROL_IDLE_MS)),
    mysqlControl: (db) =>
      pooled(mysqlControls, db, () => createMysqlPool({ ...db, maxActive: CONTROL_MAX, maxIdle: 1 }, false, CONTROL_IDLE_MS)).pool,
    async end() {
      ended = true;
      const closing: Promise<unknown>[] = [];
      for (const pools of [pgPools, pgControls]) for (const pool of pools.values()) closing.push(pool.end());
      for (const pools of [mysqlPools, mysqlControls]) {
        for (const { pool } of pools.values()) closing.push(new Promise<void>((resolve) => pool.end(() => resolve())));
      }
      for (const pools of [pgPools, mysqlPools, pgControls, mysqlControls]) pools.clear();
      await Promise.allSettled(closing);
    },
  };
}

/** `[db.x]` and `[results.x]` may share a name but not a pool: their settings differ. */
function poolKey(db: DbConfig): string {
  return `${'resultsTable' in db ? 'results' : 'db'}:${db.name}`;
}
