import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelQuery } from '../../../lib/db/cancelQuery.js';
import { classifyDbError } from '../../../lib/db/classifyDbError.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { prepareTask } from '../../../lib/db/prepareTask.js';
import { dropResultsTable, resultsTableName } from '../../../lib/db/resultsTable.js';
import { runTask } from '../../../lib/db/runTask.js';
import type { RunningQuery, RunTaskInput } from '../../../lib/db/types.js';
import { createTestDatabase, eventually, failure, type TestDatabase } from './helpers.js';

/** PostgreSQL as source and results: swap, cleanup, timeout, cancel, READ ONLY, UNLOGGED, prepare. */
let pg: TestDatabase;
let pools: DbPools;

beforeAll(async () => {
  pools = createDbPools();
  pg = await createTestDatabase('postgres');
  await pg.query('CREATE TABLE victim (id int)');
});

afterAll(async () => {
  await pools?.end();
  await pg?.drop();
});

const input = (over: Partial<RunTaskInput>): RunTaskInput => ({
  source: pg.db(),
  results: pg.results(),
  query: 'SELECT 1 AS one',
  args: [],
  table: 'results_x',
  timeoutMs: 30_000,
  ...over,
});

async function tablesLike(pattern: string): Promise<string[]> {
  const rows = await pg.query(`SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE $1 ORDER BY 1`, [pattern]);
  return rows.map((r) => String(r[0]));
}

describe('PostgreSQL results tables', () => {
  it('replaces the table of a reused job ID and leaves no temporary table', async () => {
    const table = resultsTableName(pg.results(), 'job-reused');
    expect(table).toBe('results_job-reused');
    await runTask(pools, input({ table, query: 'SELECT g AS a FROM generate_series(1, 3) g' }));

    const out = await runTask(pools, input({ table, query: "SELECT 'new' AS b, 2 AS c" }));

    expect(out).toEqual({ count: 1, columns: [{ name: 'b', type: 'TEXT' }, { name: 'c', type: 'BIGINT' }], warnings: [] });
    expect(await pg.query(`SELECT * FROM "${table}"`)).toEqual([['1', 'new', '2']]);
    expect(await tablesLike('sqljobber_%')).toEqual([]);
  });

  it('keeps the old table and drops the temporary one when the query fails mid-stream', async () => {
    const table = 'results_fails';
    await runTask(pools, input({ table, query: "SELECT 'old' AS v" }));

    const err = await failure(
      runTask(pools, input({ table, query: 'SELECT 1 / (g - 3) AS v FROM generate_series(200000, 1, -1) g' })),
    );

    expect(classifyDbError(err)).toEqual({ kind: 'fatal', message: 'division by zero' });
    expect(await pg.query(`SELECT v FROM "${table}"`)).toEqual([['old']]);
    expect(await tablesLike('sqljobber_%')).toEqual([]);
  });

  it('creates UNLOGGED tables when results.unlogged is set', async () => {
    await runTask(pools, input({ table: 'results_unlogged', results: pg.results({ name: 'unlogged', unlogged: true }) }));
    await runTask(pools, input({ table: 'results_logged' }));

    const rows = await pg.query(`SELECT relname, relpersistence FROM pg_class WHERE relname IN ('results_unlogged', 'results_logged') ORDER BY 1`);

    expect(rows).toEqual([
      ['results_logged', 'p'],
      ['results_unlogged', 'u'],
    ]);
  });

  it('makes duplicate and empty column names unique', async () => {
    const out = await runTask(pools, input({ table: 'results_names', query: 'SELECT 1, 2, 3 AS a, 4 AS "A", 5 AS a, 6 AS _row, 7 AS "😀"' }));

    expect(out.columns.map((c) => c.name)).toEqual(['?column?', '?column?_2', 'a', 'A_2', 'a_3', '_row_2', '😀']);
    expect(await pg.query('SELECT * FROM results_names')).toEqual([['1', '1', '2', '3', '4', '5', '6', '7']]);
  });

  it('quotes the table name and refuses an invalid one', async () => {
    await expect(runTask(pools, input({ table: 'bad"; DROP TABLE victim; --' }))).rejects.toThrow(/invalid results table name/);
    expect(() => resultsTableName(pg.results(), 'a b')).toThrow(/invalid results table name/);
    expect(() => resultsTableName(pg.results(), "$`")).toThrow(/invalid results table name/);
    expect(resultsTableName(pg.results({ resultsTable: 'job_%s_rows' }), 'A-1:b')).toBe('job_A-1:b_rows');

    await runTask(pools, input({ table: 'Mixed:Case-1' }));
    expect(await pg.query('SELECT one FROM "Mixed:Case-1"')).toEqual([['1']]);
    await dropResultsTable(pools, pg.results(), 'Mixed:Case-1');
    expect(await tablesLike('Mixed%')).toEqual([]);
  });
});

describe('PostgreSQL source', () => {
  it('stops a query at the statement timeout, classified as timeout', async () => {
    const started = Date.now();
    const err = await failure(runTask(pools, input({ table: 'results_timeout', query: 'SELECT pg_sleep(10)', timeoutMs: 300 })));

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(classifyDbError(err)).toEqual({ kind: 'timeout', message: 'canceling statement due to statement timeout' });
  });

  it('cancelQuery kills a running query, classified as cancelled, and spares a moved-on connection', async () => {
    let running: RunningQuery | undefined;
    const run = runTask(pools, input({ table: 'results_cancel', query: 'SELECT pg_sleep(30)', onStarted: (r) => void (running = r) }));
    run.catch(() => {});
    const isActive = async () =>
      running !== undefined &&
      (await pg.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE '%pg_sleep%'`, [running.connectionId]))
        .length > 0;
    expect(await eventually(isActive)).toBe(true);
    if (!running) throw new Error('onStarted was not called');
    expect(running).toMatchObject({ db: 'src', type: 'postgres' });

    // A tag from another attempt: nothing happens.
    expect(await cancelQuery(pools, pg.db(), { ...running, tag: 'someone-else' })).toBe(false);
    expect(await isActive()).toBe(true);

    expect(await cancelQuery(pools, pg.db(), running)).toBe(true);
    const err = await failure(run);

    expect(classifyDbError(err)).toEqual({ kind: 'cancelled', message: 'canceling statement due to user request' });
    expect(await isActive()).toBe(false);
    expect(await tablesLike('results_cancel')).toEqual([]);
  });

  it('runs the query READ ONLY: a write is refused', async () => {
    const err = await failure(
      runTask(pools, input({ table: 'results_write', query: 'WITH w AS (INSERT INTO victim VALUES (1) RETURNING id) SELECT id FROM w' })),
    );

    expect(err).toMatchObject({ code: '25006' });
    expect(classifyDbError(err).kind).toBe('fatal');
    expect(await pg.query('SELECT count(*) FROM victim')).toEqual([['0']]);
  });

  it('refuses a statement that returns no rows and a second statement', async () => {
    await expect(runTask(pools, input({ table: 'results_norows', query: 'SET LOCAL work_mem = 65536' }))).rejects.toThrow(/returns no rows/);
    const err = await failure(runTask(pools, input({ table: 'results_two', query: 'SELECT 1; SELECT 2' })));
    expect(err).toMatchObject({ code: '42601' });
  });

  it('prepareTask accepts a valid query with untyped parameters and reports a syntax error', async () => {
    await prepareTask(pools, pg.db(), 'SELECT $1 AS a, $2::int + 1 AS b FROM victim');

    const syntax = await failure(prepareTask(pools, pg.db(), 'SELEC 1'));
    expect(syntax).toMatchObject({ code: '42601', message: 'syntax error at or near "SELEC"' });
    expect(classifyDbError(syntax)).toEqual({ kind: 'fatal', message: 'syntax error at or near "SELEC"' });

    const missing = await failure(prepareTask(pools, pg.db(), 'SELECT * FROM no_such_table'));
    expect(missing).toMatchObject({ code: '42P01' });
  });
});
