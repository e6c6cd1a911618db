import { randomBytes } from 'node:crypto';
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import pg from 'pg';
import type { DbConfig, DbType, ResultsConfig } from '../../lib/config/types.js';
import { createDbPools, type DbPools } from '../../lib/db/createDbPools.js';

/**
 * The test kit's one database helper. Every test file makes databases of its own,
 * with random names, on the machine's shared servers (DESIGN.md: PostgreSQL on
 * 5432 with trust auth, MariaDB on 3306 as root without a password), so files can
 * run in parallel; a file that restarts or kills a server starts a private one
 * instead (privatePostgres.ts, privateMariadb.ts) and points `localDbConfig` at it.
 */

/** The shared PostgreSQL server, as its admin. */
export const PG_ADMIN = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };
/** The shared MariaDB server, as its admin. */
export const MYSQL_ADMIN = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

const SHARED_PORT: Record<DbType, number> = { postgres: PG_ADMIN.port, mysql: MYSQL_ADMIN.port };

const randomName = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;

/**
 * A `[db.NAME]` config for a database on a server of this machine (a shared one, or
 * a private one a test started on its own port): PostgreSQL as `postgres`, MariaDB as
 * `root`, no password. Pools are kept by config name, so each server's configs need
 * names of their own.
 */
export function localDbConfig(
  type: DbType,
  port: number,
  database: string,
  options: { name?: string; maxActive?: number; connectTimeoutMs?: number } = {},
): DbConfig {
  const user = type === 'postgres' ? 'postgres' : 'root';
  return {
    name: options.name ?? `${type}_${database}`,
    type,
    dsn: `${type}://${user}@127.0.0.1:${port}/${database}`,
    connection: { host: '127.0.0.1', port, user, password: '', database, params: {} },
    maxActive: options.maxActive ?? 3,
    maxIdle: 2,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
  };
}

/** The same database as a `[results.NAME]` config (tables `results_%s`, logged unless told). */
export const asResults = (db: DbConfig, options: Partial<Pick<ResultsConfig, 'unlogged' | 'resultsTable'>> = {}): ResultsConfig => ({
  ...db,
  resultsTable: options.resultsTable ?? 'results_%s',
  unlogged: options.unlogged ?? false,
});

async function createDatabase(type: DbType, name: string): Promise<void> {
  if (type === 'postgres') {
    const admin = new pg.Client(PG_ADMIN);
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`).finally(() => admin.end());
    return;
  }
  const admin = await mysqlPromise.createConnection(MYSQL_ADMIN);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`).finally(() => admin.end());
}

async function dropDatabase(type: DbType, name: string): Promise<void> {
  if (type === 'postgres') {
    const admin = new pg.Client(PG_ADMIN);
    await admin.connect();
    // FORCE: a pool the code under test left open must not keep the database alive.
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => admin.end());
    return;
  }
  const admin = await mysqlPromise.createConnection(MYSQL_ADMIN);
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``).finally(() => admin.end());
}

/** A throwaway database on one shared server, with configs pointing at it. */
export interface TestDatabase {
  type: DbType;
  database: string;
  /** A `[db.NAME]` config for this database (name `src` unless told). */
  db(name?: string): DbConfig;
  /** A `[results.NAME]` config for this database (name `res` unless told). */
  results(options?: Partial<Pick<ResultsConfig, 'unlogged' | 'resultsTable' | 'name'>>): ResultsConfig;
  /** Runs SQL with positional values; rows come back with every value as the server's text (or null). */
  query(sql: string, values?: unknown[]): Promise<(string | null)[][]>;
  drop(): Promise<void>;
}

const rawText = { getTypeParser: () => (value: string) => value };

/** A fresh database named `<prefix>_<random>` on the shared server of `type`; `drop()` removes it. */
export async function createTestDatabase(type: DbType, prefix = 'sqljobber_t'): Promise<TestDatabase> {
  const database = randomName(prefix);
  await createDatabase(type, database);
  const db = (name = 'src') => localDbConfig(type, SHARED_PORT[type], database, { name, maxActive: 5 });
  const results: TestDatabase['results'] = (o = {}) => asResults(db(o.name ?? 'res'), o);

  if (type === 'postgres') {
    const pool = new pg.Pool({ ...PG_ADMIN, database, max: 3 });
    pool.on('error', () => {});
    return {
      type,
      database,
      db,
      results,
      async query(sql, values) {
        const res = await pool.query({ text: sql, values, rowMode: 'array', types: rawText });
        return res.rows as (string | null)[][];
      },
      async drop() {
        await pool.end();
        await dropDatabase(type, database);
      },
    };
  }

  const pool = mysql.createPool({ ...MYSQL_ADMIN, database, connectionLimit: 3, charset: 'UTF8MB4_UNICODE_CI', timezone: 'Z' });
  pool.on('connection', (conn) => conn.query("SET time_zone = '+00:00'"));
  return {
    type,
    database,
    db,
    results,
    async query(sql, values) {
      const [rows] = await pool.promise().query({
        sql,
        values,
        rowsAsArray: true,
        // The server's own text for every value.
        typeCast: (field: { string(): string | null }) => field.string(),
      } as mysql.QueryOptions);
      return Array.isArray(rows) ? (rows as (string | null)[][]) : [];
    },
    async drop() {
      await pool.promise().end();
      await dropDatabase(type, database);
    },
  };
}

/** One database name on both shared servers, with a connection to each. */
export interface TestDatabases {
  name: string;
  pgUrl: string;
  mysqlUrl: string;
  /** dungbeetle's MySQL DSN form for the same database. */
  mysqlDsn: string;
  pg(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  mysql(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

/** A fresh database of one name on both servers; `drop()` removes both and closes the connections. */
export async function createTestDatabases(prefix = 'sqljobber_t'): Promise<TestDatabases> {
  const name = randomName(prefix);
  await Promise.all([createDatabase('postgres', name), createDatabase('mysql', name)]);
  const my = await mysqlPromise.createConnection({ ...MYSQL_ADMIN, database: name, multipleStatements: true, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });
  const pgc = new pg.Client({ ...PG_ADMIN, database: name });
  await pgc.connect();
  return {
    name,
    pgUrl: localDbConfig('postgres', PG_ADMIN.port, name).dsn,
    mysqlUrl: localDbConfig('mysql', MYSQL_ADMIN.port, name).dsn,
    mysqlDsn: `root:@tcp(127.0.0.1:${MYSQL_ADMIN.port})/${name}`,
    pg: async (sql, params) => (await pgc.query(sql, params as unknown[])).rows,
    mysql: async (sql, params) => (await my.query(sql, params))[0] as Record<string, unknown>[],
    drop: async () => {
      await Promise.all([pgc.end(), my.end()]);
      await Promise.all([dropDatabase('postgres', name), dropDatabase('mysql', name)]);
    },
  };
}

/** A fresh database on each shared server, by engine. */
export type EngineDatabases = Record<DbType, TestDatabase>;

/**
 * What most results, explore and type tests start from: a pool set and a fresh
 * database on each shared server. `closeEngineDatabases` ends and drops them.
 */
export async function openEngineDatabases(): Promise<{ pools: DbPools; dbs: EngineDatabases }> {
  const pools = createDbPools();
  return { pools, dbs: { postgres: await createTestDatabase('postgres'), mysql: await createTestDatabase('mysql') } };
}

/** Ends `openEngineDatabases`'s pools and drops its databases (either may be missing after a failed start). */
export async function closeEngineDatabases(pools: DbPools | undefined, dbs: Partial<EngineDatabases> | undefined): Promise<void> {
  await pools?.end();
  await Promise.all(Object.values(dbs ?? {}).map((db) => db.drop()));
}
