import mysql from 'mysql2';
import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';
import { CONTROL_IDLE_MS, CONTROL_MAX, IDLE_TIMEOUT_MS, KEEPALIVE_DELAY_MS, cappedPool } from '../shared/poolSettings.js';
import type { MysqlFlavour } from './dialect.js';
import { destroyMysqlConnection } from './session.js';

/** A mysql2 pool and what we learn about its server once. */
export interface MysqlPool {
  pool: mysql.Pool;
  /** MariaDB or MySQL, from `SELECT VERSION()` on first use (decides the timeout variable). */
  flavour(): Promise<MysqlFlavour>;
  /** The server's `lower_case_table_names` (0: names as written; 1, 2: folded to lower case), from its first use. */
  lowerCaseTableNames(): Promise<number>;
  /** Whether `LOAD DATA LOCAL INFILE` works here; undefined until first tried. */
  localInfile: boolean | undefined;
}

/** The task pool of a MySQL/MariaDB database; LOCAL INFILE as the pools' options say (default on). */
export function mysqlPool(pools: DbPools, db: DbConfig): MysqlPool {
  return pools.pooled(db, 'mysql', () => owned(createMysqlPool(cappedPool(pools, db), pools.options.mysqlLocalInfile ?? true)));
}

/** The control pool of a MySQL/MariaDB database (kills), apart from its task pool. */
export function mysqlControlPool(pools: DbPools, db: DbConfig): mysql.Pool {
  return pools.pooled(db, 'mysql-control', () => owned(createMysqlPool({ ...db, maxActive: CONTROL_MAX, maxIdle: 1 }, false, CONTROL_IDLE_MS))).pool;
}

const owned = (entry: MysqlPool) => ({ pool: entry, close: () => new Promise<void>((resolve) => entry.pool.end(() => resolve())) });

/** A mysql2 pool for one database: exact values (strings for numbers and dates), UTC sessions. */
export function createMysqlPool(db: DbConfig, localInfile: boolean, idleMs = IDLE_TIMEOUT_MS): MysqlPool {
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
      if (err) destroyMysqlConnection(conn);
    });
  });
  const flavour = once(pool, 'SELECT VERSION() AS v', (v) => (/mariadb/i.test(String(v ?? '')) ? 'mariadb' : 'mysql') as MysqlFlavour);
  const lowerCase = once(pool, 'SELECT @@lower_case_table_names AS v', (v) => Number(v ?? 0));
  const entry: MysqlPool = {
    pool,
    localInfile: localInfile ? undefined : false,
    flavour,
    lowerCaseTableNames: lowerCase,
  };
  return entry;
}

/** A fact of the pool's server, asked once (`SELECT ... AS v`) and kept; a failed ask is tried again next time. */
function once<T>(pool: mysql.Pool, sql: string, read: (v: unknown) => T): () => Promise<T> {
  let answer: Promise<T> | undefined;
  return () => {
    answer ??= new Promise<T>((resolve, reject) => {
      pool.query(sql, (err, rows) => {
        if (err) {
          answer = undefined;
          reject(err);
          return;
        }
        resolve(read((rows as { v: unknown }[])[0]?.v));
      });
    });
    return answer;
  };
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
