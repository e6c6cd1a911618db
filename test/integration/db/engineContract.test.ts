import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbType } from '../../../lib/config/types.js';
import { classifyDbError } from '../../../lib/db/classifyDbError.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { engineFor } from '../../../lib/db/engines.js';
import { destroyMysqlConnection, mysqlConnection, mysqlQuery } from '../../../lib/db/mysql/session.js';
import { runTask, type SourceRunTaskInput } from '../../support/runTask.js';
import type { RunningQuery } from '../../../lib/db/port/types.js';
import { ARG, createFixture, expectFixtureRows, fixtureColumns, fixtureQuery } from './fixture.js';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabases.js';
import { failure, until } from '../../support/until.js';
import { mysqlPool } from '../../../lib/db/mysql/pools.js';
import { resultsDb } from '../../../lib/db/resultsDb.js';
import { sourceDb } from '../../../lib/db/sourceDb.js';

/**
 * The behaviour every engine owes, one engine at a time as source and results:
 * the swap, cleanup, names, timeouts, cancels, READ ONLY, prepare, the time
 * budget of the commit, and no query left running. What differs is only the SQL
 * that provokes each case and the error each engine answers with.
 */
interface EngineCase {
  type: DbType;
  /** `n` rows of one column `a`, 1..n. */
  rows(n: number): string;
  /** Fails (or times out at 1 s) after some 20,000 rows have streamed. */
  failsMidStream: { query: string; timeoutMs: number; kind: string };
  /** Sleeps `s` seconds in one row. */
  sleep(s: number): string;
  /** Sends 20,000 rows of one column, then sleeps `s` seconds computing the next. */
  sleepAfterRows(s: number): string;
  timeoutError: object;
  cancelledError: object;
  /** A statement the READ ONLY transaction must refuse, the error, and the table it would have written. */
  write: { query: string; error: object };
  /** Statements the source must refuse: no result set, and two statements. */
  refused: { query: string; error: RegExp | object }[];
  /** Duplicate and empty names, and the unique names they become. */
  names: { query: string; expected: string[] };
  prepare: { valid: string; syntax: object; missing: object };
  tablesLike(db: TestDatabase, pattern: string): Promise<string[]>;
  /** Whether a statement whose text contains `marker` runs on the server (not counting the probe). */
  running(db: TestDatabase, marker: string): Promise<boolean>;
  /** A session that reads `table` in an open transaction, holding what a swap must wait for, until `end`. */
  holdTable(db: TestDatabase, table: string): Promise<{ end(): Promise<void> }>;
}

const postgres: EngineCase = {
  type: 'postgres',
  rows: (n) => `SELECT g AS a FROM generate_series(1, ${n}) g`,
  failsMidStream: { query: 'SELECT 1 / (g - 3) AS v FROM generate_series(200000, 1, -1) g', timeoutMs: 30_000, kind: 'fatal' },
  sleep: (s) => `SELECT pg_sleep(${s}) AS s`,
  sleepAfterRows: (s) => `SELECT g, CASE WHEN g = 20001 THEN pg_sleep(${s}) END AS s FROM generate_series(1, 20001) g`,
  timeoutError: { kind: 'timeout', message: 'canceling statement due to statement timeout' },
  cancelledError: { kind: 'cancelled', message: 'canceling statement due to user request' },
  write: { query: 'WITH w AS (INSERT INTO victim VALUES (1) RETURNING id) SELECT id FROM w', error: { code: '25006' } },
  refused: [
    { query: 'SET LOCAL work_mem = 65536', error: /returns no rows/ },
    { query: 'SELECT 1; SELECT 2', error: { code: '42601' } },
  ],
  names: { query: 'SELECT 1, 2, 3 AS a, 4 AS "A", 5 AS a, 6 AS _row, 7 AS "😀"', expected: ['?column?', '?column?_2', 'a', 'A_2', 'a_3', '_row_2', '😀'] },
  prepare: {
    valid: 'SELECT $1 AS a, $2::int + 1 AS b FROM victim',
    syntax: { code: '42601', message: 'syntax error at or near "SELEC"' },
    missing: { code: '42P01' },
  },
  async tablesLike(db, pattern) {
    const rows = await db.query(`SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE $1 ORDER BY 1`, [pattern.replaceAll('\\', '')]);
    return rows.map((r) => String(r[0]));
  },
  async running(db, marker) {
    const rows = await db.query(`SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()`, [`%${marker}%`]);
    return rows.length > 0;
  },
  async holdTable(db, table) {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: db.database });
    await client.connect();
    await client.query(`BEGIN; SELECT count(*) FROM "${table}"`);
    return { end: () => client.end() };
  },
};

const mysql: EngineCase = {
  type: 'mysql',
  rows: (n) => `SELECT seq AS a FROM seq_1_to_${n}`,
  failsMidStream: { query: 'SELECT seq, SLEEP(IF(seq = 20000, 5, 0)) AS s FROM seq_1_to_30000', timeoutMs: 1_000, kind: 'timeout' },
  sleep: (s) => `SELECT SLEEP(${s}) AS s`,
  sleepAfterRows: (s) => `SELECT seq, SLEEP(IF(seq = 20001, ${s}, 0)) AS s FROM seq_1_to_20001`,
  timeoutError: { kind: 'timeout', message: 'Query execution was interrupted (max_statement_time exceeded)' },
  cancelledError: { kind: 'cancelled', message: 'Query execution was interrupted' },
  write: { query: 'INSERT INTO victim VALUES (1)', error: { errno: 1792 } },
  refused: [
    { query: 'DO 1', error: /returns no rows/ },
    { query: 'SELECT 1; SELECT 2', error: { errno: 1064 } },
  ],
  names: { query: 'SELECT 1 AS a, 2 AS A, 3 AS `_row`, 4 AS ``, 5 AS ` `', expected: ['a', 'A_2', '_row_2', 'column_4', 'column_5'] },
  prepare: { valid: 'SELECT ? AS a, id FROM victim WHERE id > ?', syntax: { errno: 1064 }, missing: { errno: 1146 } },
  async tablesLike(db, pattern) {
    const rows = await db.query('SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ? ORDER BY 1', [pattern]);
    return rows.map((r) => String(r[0]));
  },
  async running(db, marker) {
    const rows = await db.query(`SELECT 1 FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND ID <> CONNECTION_ID()`, [`%${marker}%`]);
    return rows.length > 0;
  },
  async holdTable(db, table) {
    const { default: mysql2 } = await import('mysql2/promise');
    const conn = await mysql2.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: db.database });
    await conn.query('START TRANSACTION');
    await conn.query(`SELECT COUNT(*) FROM \`${table}\``);
    return { end: () => conn.end() };
  },
};

describe.each([postgres, mysql])('the $type engine', (e) => {
  let db: TestDatabase;
  let pools: DbPools;

  beforeAll(async () => {
    pools = createDbPools();
    db = await createTestDatabase(e.type);
    await db.query('CREATE TABLE victim (id int)');
  });

  afterAll(async () => {
    await pools?.end();
    await db?.drop();
  });

  const input = (over: Partial<SourceRunTaskInput>): SourceRunTaskInput => ({
    source: db.db(),
    results: db.results(),
    query: 'SELECT 1 AS one',
    args: [],
    table: 'results_x',
    timeoutMs: 30_000,
    ...over,
  });
  const temporaryTables = () => e.tablesLike(db, 'sqljobber\\_%');

  describe('results tables', () => {
    it('replaces the table of a reused job ID and leaves no temporary table', async () => {
      const table = await resultsDb(pools, db.results()).tableName('job-reused');
      expect(table).toBe('results_job-reused');
      await runTask(pools, input({ table, query: e.rows(3) }));

      const out = await runTask(pools, input({ table, query: "SELECT 'new' AS b, 2 AS c" }));

      // Each column says the engine its values come from (a writer skips checks on them).
      expect(out).toMatchObject({ count: 1, columns: [{ name: 'b', type: 'TEXT', from: e.type }, { name: 'c', type: 'BIGINT', from: e.type }], warnings: [] });
      expect(await db.query(`SELECT * FROM ${db.type === 'postgres' ? `"${table}"` : `\`${table}\``}`)).toEqual([['1', 'new', '2']]);
      expect(await temporaryTables()).toEqual([]);
    });

    it('keeps the old table and drops the temporary one when the query fails mid-stream', async () => {
      const table = 'results_fails';
      await runTask(pools, input({ table, query: "SELECT 'old' AS v" }));

      const err = await failure(runTask(pools, input({ table, query: e.failsMidStream.query, timeoutMs: e.failsMidStream.timeoutMs })));

      expect(classifyDbError(err).kind).toBe(e.failsMidStream.kind);
      expect(await db.query('SELECT v FROM results_fails')).toEqual([['old']]);
      expect(await temporaryTables()).toEqual([]);
    });

    it('makes duplicate and empty column names unique', async () => {
      const out = await runTask(pools, input({ table: 'results_names', query: e.names.query }));

      expect(out.columns.map((c) => c.name)).toEqual(e.names.expected);
      expect((await db.query('SELECT * FROM results_names'))[0]).toHaveLength(e.names.expected.length + 1);
    });

    it('quotes the table name, refuses an invalid one and keeps mixed case', async () => {
      await expect(runTask(pools, input({ table: 'bad"; DROP TABLE victim; --' }))).rejects.toThrow(/invalid results table name/);
      await expect(resultsDb(pools, db.results()).tableName('a b')).rejects.toThrow(/invalid results table name/);
      await expect(resultsDb(pools, db.results()).tableName('$`')).rejects.toThrow(/invalid results table name/);
      // On a server that keeps table names as written (PostgreSQL; MySQL with lower_case_table_names=0), as written.
      expect(await resultsDb(pools, db.results({ resultsTable: 'job_%s_rows' })).tableName('A-1:b')).toBe('job_A-1:b_rows');

      await runTask(pools, input({ table: 'Mixed:Case-1' }));
      const page = await resultsDb(pools, db.results()).readPage({ table: 'Mixed:Case-1', afterRow: 0, limit: 10 });
      const rows = [];
      for await (const row of page?.rows ?? []) rows.push(row);
      expect(rows).toEqual([{ row: 1, values: ['1'] }]);
      await resultsDb(pools, db.results()).drop('Mixed:Case-1');
      expect(await e.tablesLike(db, 'Mixed%')).toEqual([]);
    });

    it('counts the swap against the time budget: a swap kept waiting fails as a timeout within it', async () => {
      const table = 'results_held';
      await runTask(pools, input({ table, query: e.rows(2) }));
      const reader = await e.holdTable(db, table);
      try {
        const started = Date.now();
        const err = await failure(runTask(pools, input({ table, query: e.rows(5), timeoutMs: 2_000 })));

        // Without the budget the swap waits for the lock (30 s) and fails as a retryable lock timeout.
        expect(classifyDbError(err).kind).toBe('timeout');
        expect(Date.now() - started).toBeLessThan(20_000);
      } finally {
        await reader.end();
      }
      await until('the temporary tables to go', async () => (await temporaryTables()).length === 0, { timeoutMs: 5_000 });
      expect(await db.query(`SELECT count(*) FROM ${table}`)).toEqual([['2']]);
    });

    it('leaves no query running when a page read is broken off', async () => {
      const table = 'results_wide';
      // Some 60 MB: far more than socket buffers hold, so the server is still sending when the reader stops.
      await runTask(pools, input({ table, query: e.type === 'postgres' ? `SELECT g AS a, repeat('x', 1000) AS pad_wide FROM generate_series(1, 60000) g` : `SELECT seq AS a, REPEAT('x', 1000) AS pad_wide FROM seq_1_to_60000` }));
      const page = await resultsDb(pools, db.results()).readPage({ table, afterRow: 0, limit: 60_000 });
      for await (const row of page?.rows ?? []) {
        expect(row.row).toBe(1);
        // A reader that stops reading: backpressure pauses the socket, then the loop breaks off.
        await new Promise((resolve) => setTimeout(resolve, 500));
        break;
      }

      // A half-closed MySQL connection kept the server's query blocked until net_write_timeout (60 s).
      await until('the server to stop the pad_wide query', async () => !(await e.running(db, 'pad_wide')), { timeoutMs: 5_000 });
    });

    it.runIf(e.type === 'mysql')('a destroyed connection never leaves its query running, even with its socket paused', async () => {
      await runTask(pools, input({ table: 'results_paused', query: `SELECT seq AS a, REPEAT('x', 1000) AS pad_paused FROM seq_1_to_60000` }));
      const conn = await mysqlConnection(mysqlPool(pools, db.results()).pool);
      await new Promise<void>((resolve) => {
        let first = true;
        conn
          .execute({ sql: 'SELECT a, pad_paused FROM results_paused ORDER BY a', rowsAsArray: true })
          .on('result', () => {
            if (!first) return;
            first = false;
            // What backpressure does: the server blocks writing to a socket nobody reads.
            conn.pause();
            resolve();
          })
          .on('error', () => {});
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await e.running(db, 'pad_paused')).toBe(true);

      destroyMysqlConnection(conn);

      // mysql2's own destroy() only half-closes: the server kept writing until net_write_timeout (60 s).
      await until('the server to stop the pad_paused query', async () => !(await e.running(db, 'pad_paused')), { timeoutMs: 3_000 });
    });

    it.runIf(e.type === 'mysql')("no code calls mysql2's half-closing destroy() on a connection", async () => {
      const { readFile, readdir } = await import('node:fs/promises');
      const files = (await readdir('lib', { recursive: true })).filter((f) => f.endsWith('.ts'));
      const offenders: string[] = [];
      for (const file of files) {
        const text = await readFile(`lib/${file}`, 'utf8');
        if (/\bconn(ection)?\.destroy\(\)/.test(text) && !file.endsWith('mysql/session.ts')) offenders.push(file);
      }
      expect(offenders).toEqual([]);
    });

    it('first uses of a new results catalog at once, from many workers, all register', async () => {
      // Each pool is a worker of its own: its catalog setup races the others' (a fresh database each round).
      for (let round = 0; round < 3; round++) {
        const fresh = await createTestDatabase(e.type);
        const workers = Array.from({ length: 8 }, () => createDbPools());
        try {
          const out = await Promise.allSettled(
            workers.map((w, i) => resultsDb(w, fresh.results()).register({ table: `results_race_${i}`, jobId: `race-${i}`, expiresAt: new Date(Date.now() + 60_000), owner: `run-${i}#1` })),
          );
          expect(out.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
        } finally {
          await Promise.all(workers.map((w) => w.end()));
          await fresh.drop();
        }
      }
    });

    it.runIf(e.type === 'postgres')('creates UNLOGGED tables when results.unlogged is set', async () => {
      await runTask(pools, input({ table: 'results_unlogged', results: db.results({ name: 'unlogged', unlogged: true }) }));
      await runTask(pools, input({ table: 'results_logged' }));

      const rows = await db.query(`SELECT relname, relpersistence FROM pg_class WHERE relname IN ('results_unlogged', 'results_logged') ORDER BY 1`);

      expect(rows).toEqual([
        ['results_logged', 'p'],
        ['results_unlogged', 'u'],
      ]);
    });

    it.runIf(e.type === 'mysql')('writes with multi-row INSERTs when LOCAL INFILE is off, just as exactly', async () => {
      const noInfile = createDbPools({ mysqlLocalInfile: false });
      try {
        await createFixture(db);
        const out = await runTask(noInfile, input({ table: 'results_insert', query: fixtureQuery('mysql'), args: [ARG, '1'] }));
        expect(out.count).toBe(5);
        await expectFixtureRows(db, 'results_insert', 'mysql');
        expect(mysqlPool(noInfile, db.results()).localInfile).toBe(false);

        // Many rows in several statements, numbered in order.
        const many = await runTask(noInfile, input({ table: 'results_insert_many', query: 'SELECT seq, REPEAT(?, 3) AS t FROM seq_1_to_2500 ORDER BY seq', args: ["a'?"] }));
        expect(many.count).toBe(2500);
        expect(await db.query('SELECT COUNT(*), SUM(_row = seq), MIN(t) FROM results_insert_many')).toEqual([['2500', '2500', "a'?a'?a'?"]]);
        await resultsDb(noInfile, db.results()).drop('results_insert_many');
        expect(await e.tablesLike(db, 'results_insert_many')).toEqual([]);
      } finally {
        await noInfile.end();
        await db.query('DROP TABLE IF EXISTS fixture');
      }
    });
  });

  describe('source', () => {
    it('stops a query at the statement timeout, classified as timeout', async () => {
      const started = Date.now();
      const err = await failure(runTask(pools, input({ table: 'results_timeout', query: e.sleep(10), timeoutMs: 300 })));

      expect(Date.now() - started).toBeLessThan(5_000);
      expect(classifyDbError(err)).toEqual(e.timeoutError);
    });

    it('cancel kills a running query, classified as cancelled, and spares a moved-on connection', async () => {
      let running: RunningQuery | undefined;
      const run = runTask(pools, input({ table: 'results_cancel', query: e.sleep(30), onStarted: (r) => void (running = r) }));
      run.catch(() => {});
      const isActive = () => e.running(db, e.sleep(30));
      await until('the task to start and its query to run', async () => running !== undefined && (await isActive()), { timeoutMs: 5_000 });
      if (!running) throw new Error('onStarted was not called');
      expect(running).toMatchObject({ db: 'src', type: e.type });

      // A tag from another attempt: nothing happens.
      expect(await sourceDb(pools, db.db()).cancel({ ...running, tag: 'someone-else' })).toBe(false);
      expect(await isActive()).toBe(true);

      expect(await sourceDb(pools, db.db()).cancel(running)).toBe(true);
      const err = await failure(run);

      expect(classifyDbError(err)).toEqual(e.cancelledError);
      expect(await isActive()).toBe(false);
      expect(await e.tablesLike(db, 'results_cancel')).toEqual([]);
      await expect(sourceDb(pools, db.db()).cancel({ ...running, connectionId: 1.5 })).rejects.toThrow(/invalid connection id/);
    });

    it.runIf(e.type === 'mysql')('reads in the text protocol when no column is FLOAT or DOUBLE, just as exactly, and leaves the session clean', async () => {
      // Prepare: one connection only, so its session can be inspected afterwards.
      const single = createDbPools();
      const source = { ...db.db(), maxActive: 1, maxIdle: 1 };
      const session = (sql: string) => mysqlQuery<Record<string, string | null>[]>(mysqlPool(single, source).pool, sql);
      const executions = async () => {
        const rows = await session("SHOW SESSION STATUS WHERE Variable_name IN ('Com_execute_sql', 'Com_stmt_execute')");
        return Object.fromEntries(rows.map((r) => [String(r.Variable_name), Number(r.Value)]));
      };
      const pg = await createTestDatabase('postgres');
      try {
        await createFixture(db);
        const exact = fixtureColumns('mysql').filter((c) => c.type.mysql !== 'DOUBLE');
        const before = await executions();

        // Act: to both results engines, the quoting-hostile argument bound.
        for (const target of [db, pg]) {
          const table = `results_text_${target.type}`;
          const out = await runTask(single, input({ source, results: target.results(), table, query: fixtureQuery('mysql', exact), args: [ARG, '1'] }));
          expect(out.count).toBe(5);
          await expectFixtureRows(target, table, 'mysql', exact);
        }
        const afterText = await executions();
        // With a DOUBLE column the binary protocol serves instead.
        await runTask(single, input({ source, table: 'results_binary', query: fixtureQuery('mysql'), args: [ARG, '1'] }));
        const afterBinary = await executions();

        // Assess: two SQL-level EXECUTEs, then none; the session keeps neither arguments nor statement.
        expect(afterText.Com_execute_sql! - before.Com_execute_sql!).toBe(2);
        expect(afterBinary.Com_execute_sql).toBe(afterText.Com_execute_sql);
        expect(afterBinary.Com_stmt_execute).toBeGreaterThan(afterText.Com_stmt_execute!);
        await expectFixtureRows(db, 'results_binary', 'mysql');
        expect(await session('SELECT @sqljobber_task AS q, @sqljobber_arg1 AS a1, @sqljobber_arg2 AS a2')).toEqual([{ q: null, a1: null, a2: null }]);
        expect(await failure(session('EXECUTE sqljobber_task'))).toMatchObject({ errno: 1243 });
      } finally {
        await single.end();
        await pg.drop();
        await db.query('DROP TABLE IF EXISTS fixture');
      }
    });

    it('an abort while the query still runs stops it on the server at once, not when it next sends a row', async () => {
      // A query still computing (here: sleeping) sends nothing, so a closed socket alone goes unnoticed for a while.
      const query = e.sleepAfterRows(20);
      const reader = await engineFor(e.type).openSource(pools, db.db(), { query, args: [], timeoutMs: 60_000 });
      reader.setFormat('rows', e.type);
      const next = reader.next();
      next.catch(() => {});
      await until('the query to run on the server', () => e.running(db, query), { timeoutMs: 5_000 });

      const started = Date.now();
      await reader.abort();

      await until('the aborted query to leave the server', async () => !(await e.running(db, query)), { timeoutMs: 2_000 });
      console.log(`[abort] ${e.type}: the query was gone ${Date.now() - started} ms after the abort`);
    });

    it('runs the query READ ONLY: a write is refused', async () => {
      const err = await failure(runTask(pools, input({ table: 'results_write', query: e.write.query })));

      expect(err).toMatchObject(e.write.error);
      expect(classifyDbError(err).kind).toBe('fatal');
      expect(await db.query('SELECT count(*) FROM victim')).toEqual([['0']]);
    });

    it('refuses a statement that returns no rows and a second statement', async () => {
      for (const { query, error } of e.refused) {
        const err = await failure(runTask(pools, input({ table: 'results_refused', query })));
        if (error instanceof RegExp) expect(String(err)).toMatch(error);
        else expect(err).toMatchObject(error);
      }
      expect(await e.tablesLike(db, 'results_refused')).toEqual([]);
    });

    it('prepare accepts a valid query with parameters and reports a syntax error and a missing table', async () => {
      await sourceDb(pools, db.db()).prepare(e.prepare.valid);

      const syntax = await failure(sourceDb(pools, db.db()).prepare('SELEC 1'));
      expect(syntax).toMatchObject(e.prepare.syntax);
      expect(classifyDbError(syntax).kind).toBe('fatal');

      expect(await failure(sourceDb(pools, db.db()).prepare('SELECT * FROM no_such_table'))).toMatchObject(e.prepare.missing);
    });

    it("estimates a query's rows with the planner, its arguments bound, without running it", async () => {
      await db.query('CREATE TABLE est_rows (id int)');
      await db.query(e.type === 'postgres' ? 'INSERT INTO est_rows SELECT g FROM generate_series(1, 5000) g' : 'INSERT INTO est_rows SELECT seq FROM seq_1_to_5000');
      await db.query(e.type === 'postgres' ? 'ANALYZE est_rows' : 'ANALYZE TABLE est_rows');
      const param = e.type === 'postgres' ? '$1' : '?';

      const estimate = await sourceDb(pools, db.db()).estimateRows(`SELECT id FROM est_rows WHERE id > ${param}`, ['0']);

      // A planner's figure, not a count: near the 5,000 rows, never a run's exact answer by promise.
      expect(estimate).toBeGreaterThan(2_500);
      expect(estimate).toBeLessThan(10_000);
      await expect(sourceDb(pools, db.db()).estimateRows('SELECT * FROM no_such_table', [])).rejects.toThrow();
    });

    it('reports rows and bytes written after each batch, only growing, ending at the count', async () => {
      const seen: { rows: number; bytes: number }[] = [];

      const out = await runTask(pools, input({ table: 'results_progress', query: e.rows(300_000), onProgress: (w) => seen.push(w) }));

      expect(seen.length).toBeGreaterThan(1);
      for (let i = 1; i < seen.length; i++) {
        expect(seen[i]!.rows).toBeGreaterThan(seen[i - 1]!.rows);
        expect(seen[i]!.bytes).toBeGreaterThan(seen[i - 1]!.bytes);
      }
      expect(seen.at(-1)).toEqual({ rows: out.count, bytes: out.bytes });
      expect(out.count).toBe(300_000);
    });
  });
});
