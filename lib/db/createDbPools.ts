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

/** Creates the lazy pool cache. */
export function createDbPools(options: DbPoolOptions = {}): DbPools {
  const pgPools = new Map<string, pg.Pool>();
  const mysqlPools = new Map<string, MysqlPool>();
  let ended = false;

  const check = (db: DbConfig) => {
    if (ended) throw new Error('database pools were closed');
    // Only the functions with database access resolve secrets at cold start (lib/loadApp.ts).
    if (db.unresolvedSecrets) {
      throw new Error(`${db.name}: its dsn's secrets (${db.unresolvedSecrets.join(', ')}) are not resolved in this function`);
    }
  };

  return {
    pg(db) {
      check(db);
      const key = poolKey(db);
      let pool = pgPools.get(key);
      if (!pool) {
        pool = createPgPool(db);
        pgPools.set(key, pool);
      }
      return pool;
    },
    mysql(db) {
      check(db);
      const key = poolKey(db);
      let entry = mysqlPools.get(key);
      if (!entry) {
        entry = createMysqlPool(db, options.mysqlLocalInfile ?? true);
        mysqlPools.set(key, entry);
      }
      return entry;
    },
    async end() {
      ended = true;
      const closing: Promise<unknown>[] = [];
      for (const pool of pgPools.values()) closing.push(pool.end());
      for (const { pool } of mysqlPools.values()) {
        closing.push(new Promise<void>((resolve) => pool.end(() => resolve())));
      }
      pgPools.clear();
      mysqlPools.clear();
      await Promise.allSettled(closing);
    },
  };
}

/** `[db.x]` and `[results.x]` may share a name but not a pool: their settings differ. */
function poolKey(db: DbConfig): string {
  return `${'resultsTable' in db ? 'results' : 'db'}:${db.name}`;
}

function createPgPool(db: DbConfig): pg.Pool {
  const { connection: c } = db;
  const pool = new pg.Pool({
    host: c.host,
    port: c.port,
    user: c.user,
    password: c.password,
    database: c.database,
    max: Math.max(1, db.maxActive),
    idleTimeoutMillis: db.maxIdle > 0 ? IDLE_TIMEOUT_MS : 1,
    connectionTimeoutMillis: db.connectTimeoutMs,
    keepAlive: true,
    application_name: c.params.application_name ?? 'sql-jobber',
    ssl: pgSsl(c.params.sslmode),
  });
  // An idle client whose server went away emits 'error' on the pool; the pool
  // drops it, and an unhandled 'error' event would crash the process.
  pool.on('error', () => {});
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

function createMysqlPool(db: DbConfig, localInfile: boolean): MysqlPool {
  const { connection: c } = db;
  const socket = c.host.startsWith('/');
  const pool = mysql.createPool({
    ...(socket ? { socketPath: c.host } : { host: c.host, port: c.port }),
    user: c.user,
    password: c.password,
    database: c.database,
    connectionLimit: Math.max(1, db.maxActive),
    maxIdle: Math.max(0, Math.min(db.maxIdle, db.maxActive)),
    idleTimeout: IDLE_TIMEOUT_MS,
    connectTimeout: db.connectTimeoutMs,
    enableKeepAlive: true,
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
  // TIMESTAMP columns are read and written in the session time zone: make it UTC.
  pool.on('connection', (conn) => {
    conn.query("SET time_zone = '+00:00'");
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
