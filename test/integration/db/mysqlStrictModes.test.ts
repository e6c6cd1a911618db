/**
 * A MySQL/MariaDB results server with MySQL 8's default sql_mode (NO_ZERO_DATE,
 * NO_ZERO_IN_DATE, strict): a MySQL source's zero dates still load as they are,
 * through LOAD DATA and through INSERTs, and the writer's connection goes back to
 * its pool with the server's own sql_mode. A private server: the shared one on
 * 3306 keeps its settings.
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbConfig, ResultsConfig } from '../../../lib/config/types.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { mysqlPool } from '../../../lib/db/mysql/pools.js';
import { runTask } from '../../support/runTask.js';
import { asResults, localDbConfig } from '../../support/testDatabases.js';
import { startPrivateMariadb, type PrivateMariadb } from '../../support/privateMariadb.js';

const MYSQL8_MODES = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';
const ZERO_DATES = ['0000-00-00 00:00:00.000000', '2024-00-15 10:00:00.500000', '2024-03-00 00:00:00.000000'];

let server: PrivateMariadb | undefined;
const poolsToEnd: DbPools[] = [];

const config = (name: string): DbConfig => localDbConfig('mysql', server!.port, 'strict', { name, maxActive: 2 });
const results = (): ResultsConfig => asResults(config('res'));

beforeAll(async () => {
  server = await startPrivateMariadb({ sqlMode: MYSQL8_MODES });
  await server.sql('CREATE DATABASE strict CHARACTER SET utf8mb4');
  // The source's rows, written in a session that allows zero dates (as a legacy application's did).
  const conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'strict' });
  try {
    await conn.query("SET SESSION sql_mode = ''");
    await conn.query('CREATE TABLE src (id INT PRIMARY KEY, at DATETIME(6))');
    await conn.query(`INSERT INTO src VALUES ${ZERO_DATES.map((_, i) => `(${i + 1}, ?)`).join(', ')}, (4, NULL)`, ZERO_DATES);
  } finally {
    await conn.end();
  }
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(poolsToEnd.map((p) => p.end()));
  await server?.stop();
});

describe("MySQL 8's default sql_mode on the results server", () => {
  it.each([
    ['LOAD DATA', true],
    ['INSERT', false],
  ])('keeps a MySQL source\'s zero dates (%s), and returns the connection with the server\'s sql_mode', async (_, localInfile) => {
    const pools = createDbPools({ mysqlLocalInfile: localInfile });
    poolsToEnd.push(pools);
    expect((await server!.sql('SELECT @@GLOBAL.sql_mode AS m'))[0]?.m).toBe(MYSQL8_MODES);
    const table = `results_zero_${localInfile ? 'load' : 'insert'}`;

    const out = await runTask(pools, { source: config('src'), results: results(), query: 'SELECT id, at FROM src ORDER BY id', args: [], table, timeoutMs: 30_000 });

    expect(out).toMatchObject({ count: 4, warnings: [] });
    const stored = await server!.sql(`SELECT id, CAST(at AS CHAR) AS at FROM ${table} ORDER BY _row`, 'strict');
    expect(stored).toEqual([...ZERO_DATES.map((at, i) => ({ id: i + 1, at })), { id: 4, at: null }]);
    // The writer's session setting does not outlive its run.
    const conn = await mysqlPool(pools, results()).pool.promise().getConnection();
    try {
      const [[row]] = (await conn.query('SELECT @@SESSION.sql_mode AS m')) as unknown as [{ m: string }[]];
      expect(row?.m).toBe(MYSQL8_MODES);
    } finally {
      conn.release();
    }
  });
});
