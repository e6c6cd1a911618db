import mysql from 'mysql2';
import pg from 'pg';
import type { DbConfig } from '../config/types.js';

/** MariaDB and MySQL differ in their statement timeout variable. */
export type MysqlFlavour = 'mariadb' | 'mysql';

/** A mysql2 pool and what we learn about its server once. */
export interface MysqlPool {
  pool: mysql.Pool;
  /** MariaDB or MySQL, from `SELECT VERSION()` on first use (decides the timeout variable). */
  flavour(): Promise<MysqlFlavour>;
  /** Whether `LOAD DATA LOCAL INFILE` works here; undefined until first tried. */
  localInfile: boolean | undefined;
}

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

/** Idle connections are kept this long when `maxIdle` allows any. */
const IDLE_TIMEOUT_MS = 60_000;
/** Connections of a control pool: a kill or two at once is all it serves. */
const CONTROL_MAX = 2;
/** A control connection is kept briefly (kills come in bursts: a group cancel). */
const CONTROL_IDLE_MS = 10_000;
/**
 * TCP keepalive probes start after this much silence: a server host that vanished
 * (no FIN, no RST) is noticed within seconds of it, not after the OS's two hours.
 */
const KEEPALIVE_DELAY_MS = 10_000;

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

function createPgPool(db: DbConfig, idleMs = IDLE_TIMEOUT_MS): pg.Pool {
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

function createMysqlPool(db: DbConfig, localInfile: boolean, idleMs = IDLE_TIMEOUT_MS): MysqlPool {
  const { connection: c } = db;
  const socket = c.host.startsWith('/');
  const pool = mysql.createPool({
    ...(socket ? { socketPath: c.host } : { host: c.host, port: c.port }),
    user: c.user,
    password: c.password,
    database: c.database,
    connectionLimit: Math.max(1, db.maxActive),
    maxIdle: Math.max(0, Math.min(db.maxIdle, db.maxActive)),
    idleTimeout: idleMs,
    connectTimeout: db.connectTimeoutMs,
    enableKeepAlive: true,
    keepAliveInitialDelay: KEEPALIVE_DELAY_MS,
    charset: 'UTF8MB4_UNICODE_CI',
    // Values must arrive exactly as stored: no JS numbers for BIGINT/DECIMAL,
    // no Date objects, no parsed JSON.
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    jsonStrings: true,
    timezone: 'Z',
    multipleStatements: false,
    flags: localInfile ? ['+LOCAL_FILES'] : ['-LOCAL_FILES'],
    ssl: mysqlSsl(c.params.tls ?? c.params.ssl),
  });
  pool.on('connection', (conn) => {
    // mysql2 emits a lost connection's error on the connection itself (and, for a
    // statement run without a callback, only there); the pool's own listener is a
    // `once`, so a second error would be unhandled and crash the process. Who uses
    // the connection listens for what concerns it (see openMysqlSource).
    conn.on('error', () => {});
    // TIMESTAMP columns are read and written in the session time zone: make it UTC.
    // (With a callback: an error of this statement must not become an 'error' event.)
    // A connection that cannot be set up is dropped, and whoever uses it gets an error.
    conn.query("SET time_zone = '+00:00'", (err) => {
      if (err) conn.destroy();
    });
  });
  let flavour: Promise<MysqlFlavour> | undefined;
  const entry: MysqlPool = {
    pool,
    localInfile: localInfile ? undefined : false,
    flavour() {
      flavour ??= new Promise<MysqlFlavour>((resolve, reject) => {
        pool.query('SELECT VERSION() AS v', (err, rows) => {
          if (err) {
            flavour = undefined;
            reject(err);
            return;
          }
          const version = String((rows as { v: string }[])[0]?.v ?? '');
          resolve(/mariadb/i.test(version) ? 'mariadb' : 'mysql');
        });
      });
      return flavour;
    },
  };
  return entry;
}

function mysqlSsl(tls: string | undefined): mysql.PoolOptions['ssl'] {
  switch (tls) {
    case 'true':
    case 'required':
      return {};
    case 'skip-verify':
    case 'preferred':
      return { rejectUnauthorized: false };
    default:
      return undefined;
  }
}
