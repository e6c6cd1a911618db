import { randomBytes } from 'node:crypto';
import mysql from 'mysql2';
import pg from 'pg';
import type { DbConfig, DbType, ResultsConfig } from '../../../lib/config/types.js';

/** Servers on this machine (see DESIGN.md): PostgreSQL trust auth, MariaDB root without password. */
const SERVERS: Record<DbType, { host: string; port: number; user: string; password: string; admin: string }> = {
  postgres: { host: '127.0.0.1', port: 5432, user: 'postgres', password: '', admin: 'postgres' },
  mysql: { host: '127.0.0.1', port: 3306, user: 'root', password: '', admin: '' },
};

/** A throwaway database named `sqljobber_t_<random>`, with configs pointing at it. */
export interface TestDatabase {
  type: DbType;
  database: string;
  /** A `[db.NAME]` config for this database. */
  db(name?: string): DbConfig;
  /** A `[results.NAME]` config for this database. */
  results(options?: Partial<Pick<ResultsConfig, 'unlogged' | 'resultsTable' | 'name'>>): ResultsConfig;
  /** Runs SQL with positional values; rows come back with every value as the server's text (or null). */
  query(sql: string, values?: unknown[]): Promise<(string | null)[][]>;
  drop(): Promise<void>;
}

const rawText = { getTypeParser: () => (value: string) => value };

export async function createTestDatabase(type: DbType): Promise<TestDatabase> {
  const server = SERVERS[type];
  const database = `sqljobber_t_${randomBytes(6).toString('hex')}`;
  const config = (name: string): DbConfig => ({
    name,
    type,
    dsn: `${type}://${server.user}@${server.host}:${server.port}/${database}`,
    connection: { host: server.host, port: server.port, user: server.user, password: server.password, database, params: {} },
    maxActive: 5,
    maxIdle: 2,
    connectTimeoutMs: 5_000,
  });

  if (type === 'postgres') {
    const admin = new pg.Client({ host: server.host, port: server.port, user: server.user, database: server.admin });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const pool = new pg.Pool({ host: server.host, port: server.port, user: server.user, database, max: 3 });
    pool.on('error', () => {});
    return {
      type,
      database,
      db: (name = 'src') => config(name),
      results: (o = {}) => ({ ...config(o.name ?? 'res'), resultsTable: o.resultsTable ?? 'results_%s', unlogged: o.unlogged ?? false }),
      async query(sql, values) {
        const res = await pool.query({ text: sql, values, rowMode: 'array', types: rawText });
        return res.rows as (string | null)[][];
      },
      async drop() {
        await pool.end();
        const c = new pg.Client({ host: server.host, port: server.port, user: server.user, database: server.admin });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await c.end();
      },
    };
  }

  const admin = mysql.createConnection({ host: server.host, port: server.port, user: server.user, password: server.password });
  await admin.promise().query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
  await admin.promise().end();
  const pool = mysql.createPool({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    database,
    connectionLimit: 3,
    charset: 'UTF8MB4_UNICODE_CI',
    timezone: 'Z',
  });
  pool.on('connection', (conn) => conn.query("SET time_zone = '+00:00'"));
  return {
    type,
    database,
    db: (name = 'src') => config(name),
    results: (o = {}) => ({ ...config(o.name ?? 'res'), resultsTable: o.resultsTable ?? 'results_%s', unlogged: o.unlogged ?? false }),
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
      const c = mysql.createConnection({ host: server.host, port: server.port, user: server.user, password: server.password });
      await c.promise().query(`DROP DATABASE IF EXISTS ${database}`);
      await c.promise().end();
    },
  };
}

/** Waits until `check` returns true, polling every 50 ms, for at most `ms`. */
export async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The error a promise rejects with; throws when it resolves instead. */
export async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}
