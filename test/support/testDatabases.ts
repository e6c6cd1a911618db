import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** The machine's servers (DESIGN.md): PostgreSQL with trust auth, MariaDB root without password. */
export const PG_ADMIN = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };
export const MYSQL_ADMIN = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

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
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(PG_ADMIN);
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const my = await mysql.createConnection({ ...MYSQL_ADMIN, multipleStatements: true, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });
  await my.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await my.query(`USE \`${name}\``);
  const pgc = new pg.Client({ ...PG_ADMIN, database: name });
  await pgc.connect();
  return {
    name,
    pgUrl: `postgres://postgres@127.0.0.1:5432/${name}`,
    mysqlUrl: `mysql://root@127.0.0.1:3306/${name}`,
    mysqlDsn: `root:@tcp(127.0.0.1:3306)/${name}`,
    pg: async (sql, params) => (await pgc.query(sql, params as unknown[])).rows,
    mysql: async (sql, params) => (await my.query(sql, params))[0] as Record<string, unknown>[],
    drop: async () => {
      await pgc.end();
      await my.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await my.end();
      const a = new pg.Client(PG_ADMIN);
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}
