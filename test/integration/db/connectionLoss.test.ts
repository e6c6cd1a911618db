/**
 * A database that restarts or dies under a running task: `runTask` must reject
 * within seconds with a retryable error (never hang, never crash the process with
 * an unhandled 'error' event, which vitest reports as a failed run), and the pools
 * must serve the next task once the server is back. On private servers (this
 * file restarts and kills them), never the shared 5432/3306.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbConfig, DbType, ResultsConfig } from '../../../lib/config/types.js';
import { classifyDbError } from '../../../lib/db/classifyDbError.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { runTask, type SourceRunTaskInput } from '../../support/runTask.js';
import type { RunningQuery } from '../../../lib/db/port/types.js';
import { sleep, until } from '../../support/until.js';
import { startPrivateMariadb, type PrivateMariadb } from '../../support/privateMariadb.js';
import { startPrivatePostgres, type PrivatePostgres } from '../../support/privatePostgres.js';
import { asResults, createTestDatabase, localDbConfig, type TestDatabase } from '../../support/testDatabases.js';
import { sourceDb } from '../../../lib/db/sourceDb.js';

/** Longer than any wait below: a task still running when the fault is over would hang for this long. */
const QUERY_S = 60;
/** How soon after the fault the attempt must have failed. */
const FAIL_WITHIN_MS = 8_000;

let pgServer: PrivatePostgres;
let myServer: PrivateMariadb;
let pools: DbPools;

const config = (type: DbType, port: number, database: string, maxActive = 3): DbConfig => localDbConfig(type, port, database, { maxActive, connectTimeoutMs: 3_000 });

const pgSrc = () => config('postgres', pgServer.port, 'src');
const pgRes = () => asResults(config('postgres', pgServer.port, 'res'));
const mySrc = () => config('mysql', myServer.port, 'src');
const myRes = () => asResults(config('mysql', myServer.port, 'res'));

function input(o: Pick<SourceRunTaskInput, 'source' | 'results' | 'query'> & Partial<SourceRunTaskInput>): SourceRunTaskInput {
  return { args: [], table: `results_t${Math.floor(Math.random() * 1e9)}`, timeoutMs: (QUERY_S + 30) * 1000, ...o };
}


const pgActive = (like: string) => async () =>
  (await pgServer.sql(`SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE '${like}' AND pid <> pg_backend_pid()`)).length > 0;
const myActive = (like: string) => async () =>
  (await myServer.sql(`SELECT 1 FROM information_schema.PROCESSLIST WHERE INFO LIKE '${like}' AND ID <> CONNECTION_ID()`)).length > 0;

/**
 * Starts the task, waits until `running` sees it on the server, applies the
 * fault, and returns the task's error and how long after the fault it came.
 */
async function underFault(task: SourceRunTaskInput, running: () => Promise<boolean>, fault: () => Promise<void>) {
  const outcome = runTask(pools, task).then(
    () => ({ err: undefined as unknown }),
    (err: unknown) => ({ err }),
  );
  await until('the task on the server', running, { timeoutMs: 15_000, ignoreErrors: true });
  const faultAt = Date.now();
  await fault();
  const timer = sleep(FAIL_WITHIN_MS).then(() => ({ err: new Error(`still running ${FAIL_WITHIN_MS} ms after the fault`), late: true }));
  const first = await Promise.race([outcome, timer]);
  return { err: first.err, afterMs: Date.now() - faultAt, late: 'late' in first };
}

function expectRetryableFailure(result: { err: unknown; late: boolean }) {
  expect(result.late, String(result.err)).toBe(false);
  expect(result.err).toBeInstanceOf(Error);
  expect(classifyDbError(result.err), String(result.err)).toMatchObject({ kind: 'retryable' });
}

/** The pools serve a task again once the server is back: dead idle connections were dropped. */
async function expectHealthy(source: DbConfig, results: ResultsConfig) {
  const out = await runTask(pools, input({ source, results, query: source.type === 'postgres' ? 'SELECT 1 AS one' : 'SELECT 1 AS one' }));
  expect(out.count).toBe(1);
}

beforeAll(async () => {
  // A server that started is kept even when the other failed, so afterAll stops it.
  const [pgStarted, myStarted] = await Promise.allSettled([startPrivatePostgres(), startPrivateMariadb()]);
  if (pgStarted.status === 'fulfilled') pgServer = pgStarted.value;
  if (myStarted.status === 'fulfilled') myServer = myStarted.value;
  for (const s of [pgStarted, myStarted]) if (s.status === 'rejected') throw s.reason;
  await pgServer.sql('CREATE DATABASE src');
  await pgServer.sql('CREATE DATABASE res');
  await myServer.sql('CREATE DATABASE src');
  await myServer.sql('CREATE DATABASE res');
  pools = createDbPools();
});

// A failed case must not leave the next one without its servers.
beforeEach(async () => {
  await Promise.all([pgServer.start(), myServer.start()]);
});

afterAll(async () => {
  await pools?.end();
  await Promise.all([pgServer?.stop(), myServer?.stop()]);
});

describe('PostgreSQL source', () => {
  it('restarted (immediate) mid-query: the task fails at once, retryably, and the next one runs', async () => {
    await expectHealthy(pgSrc(), myRes());
    const r = await underFault(input({ source: pgSrc(), results: myRes(), query: `SELECT pg_sleep(${QUERY_S}) AS slept` }), pgActive('%pg_sleep(60)%'), () =>
      pgServer.restart(),
    );
    expectRetryableFailure(r);
    await expectHealthy(pgSrc(), myRes());
  });

  it('killed (SIGKILL) mid-query: the task fails at once, retryably', async () => {
    const r = await underFault(input({ source: pgSrc(), results: myRes(), query: `SELECT pg_sleep(${QUERY_S}) AS slept` }), pgActive('%pg_sleep(60)%'), () =>
      pgServer.kill(),
    );
    expectRetryableFailure(r);
    // While it is down, a task fails at once too (connection refused).
    const down = await runTask(pools, input({ source: pgSrc(), results: myRes(), query: 'SELECT 1 AS one' })).catch((err: unknown) => err);
    expect(classifyDbError(down)).toMatchObject({ kind: 'retryable' });
    await pgServer.start();
    await expectHealthy(pgSrc(), myRes());
  });
});

describe('MariaDB source', () => {
  it('killed (SIGKILL) mid-query: the task fails at once, retryably, and the next one runs after its restart', async () => {
    await expectHealthy(mySrc(), pgRes());
    const r = await underFault(input({ source: mySrc(), results: pgRes(), query: `SELECT SLEEP(${QUERY_S}) AS slept` }), myActive('%SLEEP(60)%'), () =>
      myServer.kill(),
    );
    expectRetryableFailure(r);
    await myServer.start();
    await expectHealthy(mySrc(), pgRes());
  });

  it('restarted mid-stream: the task fails at once, retryably', async () => {
    const query = `SELECT seq, REPEAT('x', 20000) AS pad, SLEEP(0.1) AS s FROM seq_1_to_${QUERY_S * 10}`;
    const r = await underFault(input({ source: mySrc(), results: pgRes(), query }), pgActive('COPY%'), () => myServer.restart());
    expectRetryableFailure(r);
    await expectHealthy(mySrc(), pgRes());
  });
});

describe('results database', () => {
  // The source sends one wide row (so the writer's load has begun), then is silent for a minute.
  const myQuiet = `SELECT seq, IF(seq = 1, REPEAT('x', 200000), SLEEP(${QUERY_S})) AS pad FROM seq_1_to_2`;
  const pgQuiet = `SELECT g, CASE WHEN g = 1 THEN repeat('x', 200000) ELSE pg_sleep(${QUERY_S})::text END AS pad FROM generate_series(1, 2) g`;

  it('PostgreSQL restarted mid-COPY while the source is silent: the task fails at once, retryably', async () => {
    const r = await underFault(input({ source: mySrc(), results: pgRes(), query: myQuiet }), pgActive('COPY%'), () =>
      pgServer.restart(),
    );
    expectRetryableFailure(r);
    await expectHealthy(mySrc(), pgRes());
  });

  it('MariaDB killed mid-LOAD DATA while the source is silent: the task fails at once, retryably', async () => {
    const r = await underFault(input({ source: pgSrc(), results: myRes(), query: pgQuiet }), myActive('%LOAD DATA%'), () => myServer.restart());
    expectRetryableFailure(r);
    await expectHealthy(pgSrc(), myRes());
  });

  it('MariaDB killed mid-LOAD DATA while rows flow: the task fails at once, retryably', async () => {
    const query = `SELECT g, repeat('x', 20000) AS pad, pg_sleep(0.1) AS s FROM generate_series(1, ${QUERY_S * 10}) g`;
    const r = await underFault(input({ source: pgSrc(), results: myRes(), query }), myActive('%LOAD DATA%'), () => myServer.restart());
    expectRetryableFailure(r);
    await expectHealthy(pgSrc(), myRes());
  });
});

describe('PostgreSQL to PostgreSQL, COPY to COPY (the other side on the shared server)', () => {
  let shared: TestDatabase;
  beforeAll(async () => {
    shared = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await shared?.drop();
  });

  it("source restarted mid-COPY while rows flow: the task fails at once, retryably, and leaves no table", async () => {
    const query = `SELECT g, repeat('x', 20000) AS pad, pg_sleep(0.1)::text AS s FROM generate_series(1, ${QUERY_S * 10}) g`;
    const table = 'results_pgpg_source_lost';
    const r = await underFault(input({ source: pgSrc(), results: shared.results(), query, table }), pgActive('COPY (%'), () => pgServer.restart());
    expectRetryableFailure(r);
    expect(await shared.query(`SELECT count(*) FROM pg_class WHERE relname LIKE 'sqljobber_tmp_%' OR relname = $1`, [table])).toEqual([['0']]);
    await expectHealthy(pgSrc(), shared.results());
  });

  it('results restarted mid-COPY while the source is silent: the task fails at once, retryably', async () => {
    const query = `SELECT g, CASE WHEN g = 1 THEN repeat('x', 200000) ELSE pg_sleep(${QUERY_S})::text END AS pad FROM generate_series(1, 2) g`;
    const r = await underFault(input({ source: shared.db(), results: pgRes(), query }), pgActive('COPY%FROM STDIN%'), () => pgServer.restart());
    expectRetryableFailure(r);
    await expectHealthy(shared.db(), pgRes());
  });
});

describe('idle pooled connections', () => {
  it('survive both servers restarting: the next tasks run on fresh connections', async () => {
    await expectHealthy(pgSrc(), myRes());
    await expectHealthy(mySrc(), pgRes());
    await Promise.all([pgServer.restart(), myServer.restart()]);
    await expectHealthy(pgSrc(), myRes());
    await expectHealthy(mySrc(), pgRes());
  });
});

describe('killing a query', () => {
  it.each(['postgres', 'mysql'] as const)('works at once on %s with max_active = 1 (a connection outside the task pool)', async (type) => {
    const source = type === 'postgres' ? config('postgres', pgServer.port, 'src', 1) : config('mysql', myServer.port, 'src', 1);
    let running: RunningQuery | undefined;
    const task = runTask(pools, {
      ...input({ source: { ...source, name: `${type}_one` }, results: type === 'postgres' ? myRes() : pgRes(), query: type === 'postgres' ? `SELECT pg_sleep(${QUERY_S}) AS s` : `SELECT SLEEP(${QUERY_S}) AS s` }),
      onStarted: (r) => {
        running = r;
      },
    }).catch((err: unknown) => err);
    await until('the sleep on the server', async () => running !== undefined && (await (type === 'postgres' ? pgActive('%pg_sleep(60)%') : myActive('%SLEEP(60)%'))()), {
      timeoutMs: 15_000,
      ignoreErrors: true,
    });
    const killed = await Promise.race([sourceDb(pools, { ...source, name: `${type}_one` }).cancel(running!), sleep(3_000).then(() => 'waited' as const)]);
    expect(killed).toBe(true);
    const r = await Promise.race([task, sleep(FAIL_WITHIN_MS).then(() => new Error('still running'))]);
    if (type === 'postgres') expect(classifyDbError(r)).toMatchObject({ kind: 'cancelled' });
    // MariaDB's SLEEP() returns 1 when killed instead of failing.
    else expect(r).not.toEqual(new Error('still running'));
  });
});
