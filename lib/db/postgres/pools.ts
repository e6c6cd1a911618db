import pg from 'pg';
import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';
import { CONTROL_IDLE_MS, CONTROL_MAX, IDLE_TIMEOUT_MS, KEEPALIVE_DELAY_MS, cappedPool } from '../shared/poolSettings.js';

/** The task pool of a PostgreSQL database. */
export function pgPool(pools: DbPools, db: DbConfig): pg.Pool {
  return pools.pooled(db, 'pg', () => owned(createPgPool(cappedPool(pools, db))));
}

/** The control pool of a PostgreSQL database (kills), apart from its task pool. */
export function pgControlPool(pools: DbPools, db: DbConfig): pg.Pool {
  return pools.pooled(db, 'pg-control', () => owned(createPgPool({ ...db, maxActive: CONTROL_MAX, maxIdle: 1 }, CONTROL_IDLE_MS)));
}

const owned = (pool: pg.Pool) => ({ pool, close: () => pool.end() });

/** A pg pool for one database, with the listeners that keep a lost server from crashing the process. */
export function createPgPool(db: DbConfig, idleMs = IDLE_TIMEOUT_MS): pg.Pool {
  const { connection: c } = db;
  const pool = new pg.Pool({
    host: c.host,
    port: c.port,
    user: c.user,
    password: c.password,
    database: c.database,
    max: Math.max(1, db.maxActive),
    idleTimeoutMillis: db.maxIdle > 0 ? idleMs : 1,
    connectionTimeoutMillis: db.connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    application_name: c.params.application_name ?? 'sql-jobber',
    ssl: pgSsl(c.params.sslmode),
  });
  // An idle client whose server went away emits 'error' on the pool; the pool
  // drops it, and an unhandled 'error' event would crash the process.
  pool.on('error', () => {});
  // A checked-out client whose server goes away (a restart, a crash) emits
  // 'error' on itself too, and the pool listens only while the client is idle:
  // without a listener of its own that event would crash the process (in the
  // local stack, the API and every worker at once). The same error also fails
  // the client's running query (or its next one), which is where the attempt
  // learns of it.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

function pgSsl(sslmode: string | undefined): pg.PoolConfig['ssl'] {
  switch (sslmode) {
    case 'require':
    case 'prefer':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return true;
    default:
      return undefined;
  }
}
