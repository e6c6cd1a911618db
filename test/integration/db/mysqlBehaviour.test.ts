import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelQuery } from '../../../lib/db/cancelQuery.js';
import { classifyDbError } from '../../../lib/db/classifyDbError.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { prepareTask } from '../../../lib/db/prepareTask.js';
import { dropResultsTable } from '../../../lib/db/resultsTable.js';
import { mysqlQuery } from '../../../lib/db/mysql/session.js';
import { runTask } from '../../../lib/db/runTask.js';
import type { RunningQuery, RunTaskInput } from '../../../lib/db/types.js';
import { ARG, createFixture, expectFixtureRows, fixtureColumns, fixtureQuery } from './fixture.js';
import { createTestDatabase, eventually, failure, type TestDatabase } from './helpers.js';

/** MySQL/MariaDB as source and results: swap, cleanup, INSERT fallback, timeout, cancel, READ ONLY, prepare. */
let my: TestDatabase;
let pg: TestDatabase;
let pools: DbPools;

beforeAll(async () => {
  pools = createDbPools();
  my = await createTestDatabase('mysql');
  pg = await createTestDatabase('postgres');
  await my.query('CREATE TABLE victim (id int)');
});

afterAll(async () => {
  await pools?.end();
  await Promise.all([my?.drop(), pg?.drop()]);
});

const input = (over: Partial<RunTaskInput>): RunTaskInput => ({
  source: my.db(),
  results: my.results(),
  query: 'SELECT 1 AS one',
  args: [],
  table: 'results_x',
  timeoutMs: 30_000,
  ...over,
});

async function tablesLike(pattern: string): Promise<string[]> {
  const rows = await my.query(
    'SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ? ORDER BY 1',
    [pattern],
  );
  return rows.map((r) => String(r[0]));
}

describe('MySQL results tables', () => {
  it('replaces the table of a reused job ID and leaves no temporary table', async () => {
    await runTask(pools, input({ table: 'results_reused', query: 'SELECT seq AS a FROM seq_1_to_3' }));

    const out = await runTask(pools, input({ table: 'results_reused', query: "SELECT 'new' AS b, 2 AS c" }));

    expect(out).toEqual({ count: 1, columns: [{ name: 'b', type: 'TEXT' }, { name: 'c', type: 'BIGINT' }], warnings: [] });
    expect(await my.query('SELECT * FROM results_reused')).toEqual([['1', 'new', '2']]);
    expect(await tablesLike('sqljobber\\_%')).toEqual([]);
  });

  it('keeps the old table and drops the temporary one when the source times out mid-stream', async () => {
    await runTask(pools, input({ table: 'results_fails', query: "SELECT 'old' AS v" }));

    const err = await failure(
      runTask(pools, input({ table: 'results_fails', query: 'SELECT seq, SLEEP(IF(seq = 20000, 5, 0)) AS s FROM seq_1_to_30000', timeoutMs: 1_000 })),
    );

    expect(classifyDbError(err).kind).toBe('timeout');
    expect(await my.query('SELECT v FROM results_fails')).toEqual([['old']]);
    expect(await tablesLike('sqljobber\\_%')).toEqual([]);
  });

  it('refuses a value the results column would silently mangle, and drops the temporary table', async () => {
    const err = await failure(
      runTask(pools, input({ source: pg.db(), table: 'results_mangled', query: "SELECT g, CASE WHEN g = 500 THEN 'NaN'::float8 ELSE g END AS f FROM generate_series(1, 1000) g" })),
    );

    expect(String(err)).toMatch(/warning/);
    expect(await tablesLike('results_mangled')).toEqual([]);
    expect(await tablesLike('sqljobber\\_%')).toEqual([]);
  });

  it('stops a MySQL source still streaming when the PostgreSQL writer fails', async () => {
    // PostgreSQL text cannot hold NUL: COPY fails at row 1,000 of 500,000.
    // (Row 400,000 sleeps: a query not stopped would linger.)
    const query = "SELECT seq, IF(seq = 1000, CONCAT('a', CONVERT(CHAR(0) USING utf8mb4)), 'x') AS t, SLEEP(IF(seq = 400000, 30, 0)) AS s FROM seq_1_to_500000";
    const err = await failure(runTask(pools, input({ results: pg.results(), table: 'results_nul', query })));

    expect(String(err)).toMatch(/0x00/);
    expect(await pg.query("SELECT relname FROM pg_class WHERE relname LIKE 'sqljobber%' OR relname = 'results_nul'")).toEqual([]);
    const gone = await eventually(async () => (await my.query("SELECT 1 FROM information_schema.PROCESSLIST WHERE INFO LIKE '%seq_1_to_500000%' AND ID <> CONNECTION_ID()")).length === 0);
    expect(gone).toBe(true);
  });

  it('stops a PostgreSQL source still streaming when the MySQL writer fails', async () => {
    const noInfile = createDbPools({ mysqlLocalInfile: false });
    try {
      // MySQL's DOUBLE has no NaN: the INSERT of row 5,000 (of 500,000) fails.
      // (Row 400,000 sleeps: a query not stopped would linger.)
      const query =
        "SELECT g, CASE WHEN g = 5000 THEN 'NaN'::float8 ELSE g END AS f, CASE WHEN g = 400000 THEN pg_sleep(30)::text END AS s FROM generate_series(1, 500000) g";
      const err = await failure(runTask(noInfile, input({ source: pg.db(), table: 'results_nan', query })));

      expect(classifyDbError(err).kind).toBe('fatal');
      expect(await tablesLike('results_nan')).toEqual([]);
      expect(await tablesLike('sqljobber\\_%')).toEqual([]);
      const gone = await eventually(
        async () => (await pg.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE '%generate_series(1, 500000)%' AND pid <> pg_backend_pid()")).length === 0,
      );
      expect(gone).toBe(true);
    } finally {
      await noInfile.end();
    }
  });

  it('makes duplicate and empty column names unique', async () => {
    const out = await runTask(pools, input({ table: 'results_names', query: "SELECT 1 AS a, 2 AS A, 3 AS `_row`, 4 AS ``, 5 AS ` `" }));

    expect(out.columns.map((c) => c.name)).toEqual(['a', 'A_2', '_row_2', 'column_4', 'column_5']);
    expect(await my.query('SELECT * FROM results_names')).toEqual([['1', '1', '2', '3', '4', '5']]);
  });

  it('writes with multi-row INSERTs when LOCAL INFILE is off, just as exactly', async () => {
    const noInfile = createDbPools({ mysqlLocalInfile: false });
    try {
      await createFixture(my);
      const out = await runTask(noInfile, input({ table: 'results_insert', query: fixtureQuery('mysql'), args: [ARG, '1'] }));
      expect(out.count).toBe(5);
      await expectFixtureRows(my, 'results_insert', 'mysql');
      expect(noInfile.mysql(my.results()).localInfile).toBe(false);

      // Many rows in several statements, numbered in order.
      const many = await runTask(noInfile, input({ table: 'results_insert_many', query: 'SELECT seq, REPEAT(?, 3) AS t FROM seq_1_to_2500 ORDER BY seq', args: ["a'?"] }));
      expect(many.count).toBe(2500);
      expect(await my.query('SELECT COUNT(*), SUM(_row = seq), MIN(t) FROM results_insert_many')).toEqual([['2500', '2500', "a'?a'?a'?"]]);
      await dropResultsTable(noInfile, my.results(), 'results_insert_many');
      expect(await tablesLike('results_insert_many')).toEqual([]);
    } finally {
      await noInfile.end();
      await my.query('DROP TABLE IF EXISTS fixture');
    }
  });
});

describe('MySQL source', () => {
  it('stops a query at the statement timeout, classified as timeout', async () => {
    const started = Date.now();
    const err = await failure(runTask(pools, input({ table: 'results_timeout', query: 'SELECT SLEEP(10)', timeoutMs: 300 })));

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toMatchObject({ errno: 1969 });
    expect(classifyDbError(err)).toEqual({ kind: 'timeout', message: 'Query execution was interrupted (max_statement_time exceeded)' });
  });

  it('cancelQuery kills a running query, classified as cancelled, and spares a moved-on connection', async () => {
    let running: RunningQuery | undefined;
    const run = runTask(pools, input({ table: 'results_cancel', query: 'SELECT SLEEP(30) AS s', onStarted: (r) => void (running = r) }));
    run.catch(() => {});
    const isActive = async () =>
      running !== undefined &&
      (await my.query(`SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ? AND INFO LIKE '%SLEEP(30)%'`, [running.connectionId])).length > 0;
    expect(await eventually(isActive)).toBe(true);
    if (!running) throw new Error('onStarted was not called');
    expect(running).toMatchObject({ db: 'src', type: 'mysql' });

    expect(await cancelQuery(pools, my.db(), { ...running, tag: 'someone-else' })).toBe(false);
    expect(await isActive()).toBe(true);

    expect(await cancelQuery(pools, my.db(), running)).toBe(true);
    const err = await failure(run);

    expect(err).toMatchObject({ errno: 1317 });
    expect(classifyDbError(err)).toEqual({ kind: 'cancelled', message: 'Query execution was interrupted' });
    expect(await isActive()).toBe(false);
    expect(await tablesLike('results_cancel')).toEqual([]);
    await expect(cancelQuery(pools, my.db(), { ...running, connectionId: 1.5 })).rejects.toThrow(/invalid connection id/);
  });

  it('reads in the text protocol when no column is FLOAT or DOUBLE, just as exactly, and leaves the connection clean', async () => {
    // Prepare: one connection only, so its session can be inspected afterwards.
    const single = createDbPools();
    const source = { ...my.db(), maxActive: 1, maxIdle: 1 };
    const session = (sql: string) => mysqlQuery<Record<string, string | null>[]>(single.mysql(source).pool, sql);
    const executions = async () => {
      const rows = await session("SHOW SESSION STATUS WHERE Variable_name IN ('Com_execute_sql', 'Com_stmt_execute')");
      return Object.fromEntries(rows.map((r) => [String(r.Variable_name), Number(r.Value)]));
    };
    try {
      await createFixture(my);
      const exact = fixtureColumns('mysql').filter((c) => c.type.mysql !== 'DOUBLE');
      const before = await executions();

      // Act: to both results engines, the quoting-hostile argument bound.
      for (const target of [my, pg]) {
        const out = await runTask(single, input({ source, results: target.results(), table: `results_text_${target.type}`, query: fixtureQuery('mysql', exact), args: [ARG, '1'] }));
        expect(out.count).toBe(5);
        await expectFixtureRows(target, `results_text_${target.type}`, 'mysql', exact);
      }
      const afterText = await executions();
      // With a DOUBLE column the binary protocol serves instead.
      await runTask(single, input({ source, table: 'results_binary', query: fixtureQuery('mysql'), args: [ARG, '1'] }));
      const afterBinary = await executions();

      // Assess: two SQL-level EXECUTEs, then none; the session keeps neither arguments nor statement.
      expect(afterText.Com_execute_sql! - before.Com_execute_sql!).toBe(2);
      expect(afterBinary.Com_execute_sql).toBe(afterText.Com_execute_sql);
      expect(afterBinary.Com_stmt_execute).toBeGreaterThan(afterText.Com_stmt_execute!);
      await expectFixtureRows(my, 'results_binary', 'mysql');
      expect(await session('SELECT @sqljobber_task AS q, @sqljobber_arg1 AS a1, @sqljobber_arg2 AS a2')).toEqual([{ q: null, a1: null, a2: null }]);
      expect(await failure(session('EXECUTE sqljobber_task'))).toMatchObject({ errno: 1243 });
    } finally {
      await single.end();
      await my.query('DROP TABLE IF EXISTS fixture');
    }
  });

  it('runs the query READ ONLY: a write is refused', async () => {
    const err = await failure(runTask(pools, input({ table: 'results_write', query: 'INSERT INTO victim VALUES (1)' })));

    expect(err).toMatchObject({ errno: 1792 });
    expect(classifyDbError(err).kind).toBe('fatal');
    expect(await my.query('SELECT COUNT(*) FROM victim')).toEqual([['0']]);
  });

  it('prepareTask accepts a valid query and reports a syntax error', async () => {
    await prepareTask(pools, my.db(), 'SELECT ? AS a, id FROM victim WHERE id > ?');

    const syntax = await failure(prepareTask(pools, my.db(), 'SELEC 1'));
    expect(syntax).toMatchObject({ errno: 1064 });
    expect(classifyDbError(syntax)).toMatchObject({ kind: 'fatal', message: expect.stringContaining('You have an error in your SQL syntax') });

    const missing = await failure(prepareTask(pools, my.db(), 'SELECT * FROM no_such_table'));
    expect(missing).toMatchObject({ errno: 1146 });
  });
});
