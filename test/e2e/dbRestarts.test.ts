/**
 * Databases that restart or die under running jobs, end to end through the local
 * stack, on private PostgreSQL and MariaDB servers (this file restarts and kills
 * them; the shared 5432/3306 are never touched). Each affected attempt must fail
 * within seconds (RETRY, then SUCCESS once the server is back), no job may stay
 * STARTED, and the API and workers must keep answering. The workers keep the
 * default 30 s lease, so a job that leaves STARTED within seconds did so because
 * its worker saw the fault, not because the sweeper took it back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINAL_STATES, type JobItem } from '../../lib/jobs/types.js';
import { sleep, until } from '../support/until.js';
import { startE2eStack, type E2eStack } from '../support/e2eStack.js';
import { configToml, queue } from '../support/configToml.js';
import { startPrivateMariadb, type PrivateMariadb } from '../support/privateMariadb.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/privatePostgres.js';
import { stackClients, type StackClients } from '../support/stackClients.js';
import { cancelRecord } from '../../lib/lifecycle/cancelRecord.js';

/**
 * How long the slow jobs run (from their submission): long enough for all of them
 * to be running when the fault comes, even on a loaded machine (they start within
 * a few seconds; each test waits for this deadline, so it sets the file's length).
 */
const RUN_MS = 25_000;
/** How soon after a fault every affected attempt must have left STARTED. */
const FAIL_WITHIN_MS = 10_000;

// Each slow task sleeps until the epoch second given as its argument: an attempt
// cut short by the fault is retried, and the retry ends at that same moment.
const TASKS = `
-- name: pg_until
-- db: pg
-- results: pg_res
-- queue: dbr
SELECT 'dbr-pg-until' AS marker, pg_sleep(GREATEST(0, $1::float8 - extract(epoch FROM clock_timestamp()))) AS slept;

-- name: my_until
-- db: my
-- results: my_res
-- queue: dbr
SELECT 'dbr-my-until' AS marker, SLEEP(GREATEST(0, ? - UNIX_TIMESTAMP(NOW(6)))) AS slept;

-- name: pg_to_my
-- db: pg
-- results: my_res
-- queue: dbr
SELECT g, repeat('x', 20000) AS pad, pg_sleep(CASE WHEN extract(epoch FROM clock_timestamp()) < $1::float8 THEN 0.1 ELSE 0 END) AS s FROM generate_series(1, 300) g;

-- name: my_to_pg
-- db: my
-- results: pg_res
-- queue: dbr
SELECT seq, REPEAT('x', 20000) AS pad, SLEEP(IF(UNIX_TIMESTAMP(NOW(6)) < ?, 0.1, 0)) AS s FROM seq_1_to_300;

-- name: quick
-- db: pg
-- results: my_res
-- queue: dbr
SELECT 1 AS one;

-- name: one_conn
-- db: pg_one
-- results: pg_res
-- queue: dbr
SELECT 'dbr-one-conn' AS marker, pg_sleep($1::float8) AS slept;
`;

let pgServer: PrivatePostgres;
let myServer: PrivateMariadb;
let world: E2eStack;
let aws: StackClients;
let death: string | undefined;

beforeAll(async () => {
  // A server that started is kept even when the other failed, so afterAll stops it.
  const [pgStarted, myStarted] = await Promise.allSettled([startPrivatePostgres(), startPrivateMariadb()]);
  if (pgStarted.status === 'fulfilled') pgServer = pgStarted.value;
  if (myStarted.status === 'fulfilled') myServer = myStarted.value;
  for (const s of [pgStarted, myStarted]) if (s.status === 'rejected') throw s.reason;
  for (const db of ['src', 'res']) {
    await pgServer.sql(`CREATE DATABASE ${db}`);
    await myServer.sql(`CREATE DATABASE ${db}`);
  }
  world = await startE2eStack({
    prefix: 'dbr',
    tasks: TASKS,
    // Every database on the private servers this file restarts, none on the shared ones.
    config: () =>
      configToml({
        db: {
          pg: { type: 'postgres', dsn: pgServer.url('src'), connect_timeout: '3s' },
          my: { type: 'mysql', dsn: myServer.url('src'), connect_timeout: '3s' },
          pg_one: { type: 'postgres', dsn: pgServer.url('src'), max_active: 1, max_idle: 1, connect_timeout: '3s' },
        },
        results: {
          pg_res: { type: 'postgres', dsn: pgServer.url('res'), connect_timeout: '3s' },
          my_res: { type: 'mysql', dsn: myServer.url('res'), connect_timeout: '3s' },
        },
        queues: { dbr: queue(8, 120) },
      }),
    stack: { sweepIntervalMs: 1000 },
  });
  aws = stackClients(world.stack);
  // A part of the stack that dies (serverless offline crashing on an unhandled error) fails the next check, by name.
  void world.stack.died.then((d) => (death = `${d.part} ${d.reason}`));
}, 180_000);

afterAll(async () => {
  aws?.destroy();
  await world?.stop();
  await Promise.all([pgServer?.stop(), myServer?.stop()]);
});

/** Every job this file submitted. */
const submitted: string[] = [];

async function submit(task: string, args: string[], retries = 5): Promise<string> {
  const res = await world.api.post(`/tasks/${task}/jobs`, { args, retries });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const id = res.body.data.job_id as string;
  submitted.push(id);
  return id;
}

const epochIn = (ms: number) => String((Date.now() + ms) / 1000);


/** Every listed job is STARTED on attempt 1 with its query running (the worker said where). */
const allRunning = (ids: string[]) => async () => {
  const items = await Promise.all(ids.map((id) => aws.item(id)));
  return items.every((j) => j?.status === 'STARTED' && j.attempt === 1 && j.connection_id !== undefined);
};

/**
 * After a fault at `faultAt`: each job's first attempt has failed (it is no
 * longer STARTED on attempt 1) by `faultAt + FAIL_WITHIN_MS`, its failure recorded
 * as a RETRY reason. Returns when that first left STARTED, per job.
 */
async function expectFirstAttemptsFailFast(ids: string[], faultAt: number): Promise<Map<string, { afterMs: number; reason: string }>> {
  const left = new Map<string, { afterMs: number; reason: string }>();
  while (left.size < ids.length && Date.now() < faultAt + FAIL_WITHIN_MS) {
    for (const id of ids) {
      if (left.has(id)) continue;
      const j = await aws.item(id);
      // A retry may already have claimed attempt 2 between two looks, and a claim clears the error: its reason is not known then.
      if (j && !(j.status === 'STARTED' && j.attempt === 1)) left.set(id, { afterMs: Date.now() - faultAt, reason: j.status === 'RETRY' ? (j.error ?? '') : '(not seen)' });
    }
    await sleep(50);
  }
  expect(death).toBeUndefined();
  const stuck = ids.filter((id) => !left.has(id));
  expect(stuck, `still STARTED on attempt 1 ${FAIL_WITHIN_MS} ms after the fault`).toEqual([]);
  return left;
}

/** Each job ends SUCCESS on a later attempt (the retry after the fault). */
async function expectRetriedToSuccess(ids: string[]): Promise<JobItem[]> {
  const items = await Promise.all(
    ids.map((id) => until(`${id} final`, async () => ((j) => j && FINAL_STATES.includes(j.status) && j)(await aws.item(id)), { timeoutMs: 60_000, ignoreErrors: true })),
  );
  for (const j of items) {
    expect(j, JSON.stringify(j)).toMatchObject({ status: 'SUCCESS' });
    expect(j.attempt).toBeGreaterThan(1);
  }
  return items;
}

/** The API answers, and a fresh job runs to SUCCESS. */
async function expectStackAnswers(): Promise<void> {
  expect(death).toBeUndefined();
  expect((await world.api.get('/tasks')).status).toBe(200);
  const id = await submit('quick', [], 3);
  expect(await world.api.waitFor(id, [...FINAL_STATES], 30_000)).toMatchObject({ status: 'SUCCESS' });
}

describe('PostgreSQL restarted (immediate shutdown) with jobs running', () => {
  it('fails each attempt within seconds (source, and results mid-COPY), retries it, and keeps the stack up', async () => {
    const done = epochIn(RUN_MS);
    const ids = [await submit('pg_until', [done]), await submit('pg_until', [done]), await submit('my_to_pg', [done])];
    await until('jobs running', allRunning(ids), { timeoutMs: RUN_MS - 5_000, ignoreErrors: true });
    await until('the COPY into PostgreSQL', async () => (await pgServer.sql("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'COPY%'", 'res')).length > 0, { ignoreErrors: true });
    const faultAt = Date.now();
    await pgServer.restart();
    const left = await expectFirstAttemptsFailFast(ids, faultAt);
    console.log(`[dbRestarts] PostgreSQL restart: attempts failed after ${[...left.values()].map((l) => `${l.afterMs} ms (${l.reason})`).join(', ')}`);
    // A quick retry may already have met the server shutting down or starting up again (57P03): that reason is recorded then.
    for (const { reason } of [...left.values()].filter((l) => l.reason !== '(not seen)')) expect(reason).toMatch(/terminat|shut ?down|shutting down|starting up|connection|ECONN|EPIPE|closed|lost/i);
    await expectRetriedToSuccess(ids);
    await expectStackAnswers();
  }, 120_000);
});

describe('MariaDB killed (SIGKILL) with jobs running', () => {
  it('fails each attempt within seconds (source, and results mid-LOAD DATA), retries it once the server is back', async () => {
    const done = epochIn(RUN_MS);
    const ids = [await submit('my_until', [done]), await submit('my_until', [done]), await submit('pg_to_my', [done])];
    await until('jobs running', allRunning(ids), { timeoutMs: RUN_MS - 5_000, ignoreErrors: true });
    await until('the LOAD DATA into MariaDB', async () => (await myServer.sql("SELECT 1 FROM information_schema.PROCESSLIST WHERE INFO LIKE 'LOAD DATA%'")).length > 0, { ignoreErrors: true });
    const faultAt = Date.now();
    await myServer.kill();
    const left = await expectFirstAttemptsFailFast(ids, faultAt);
    console.log(`[dbRestarts] MariaDB kill: attempts failed after ${[...left.values()].map((l) => `${l.afterMs} ms (${l.reason})`).join(', ')}`);
    for (const { reason } of [...left.values()].filter((l) => l.reason !== '(not seen)')) expect(reason).toMatch(/lost|closed|ECONN|EPIPE|connection|gone|shut ?down/i);
    // While it is down, the API and the workers still answer (jobs on PostgreSQL alone run).
    expect((await world.api.get('/tasks')).status).toBe(200);
    await sleep(2_000);
    await myServer.start();
    await expectRetriedToSuccess(ids);
    await expectStackAnswers();
  }, 120_000);
});

describe("the worker's own kill", () => {
  it('stops its query at once on a database with max_active = 1 (the kill uses a connection of its own)', async () => {
    const id = await submit('one_conn', ['60'], 0);
    await until('the job running', allRunning([id]), { ignoreErrors: true });
    const running = async () => (await pgServer.sql("SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%dbr-one-conn%' AND query NOT LIKE '%pg_stat_activity%'", 'src')).length;
    // The job is STARTED a moment before its query reaches the server (the statement is described first).
    await until('the query on the server', async () => (await running()) === 1, { timeoutMs: 10_000, ignoreErrors: true });
    // The record says CANCELLED without the API's kill (as when the API cannot reach the
    // source): only the worker, at its next lease renewal, can stop the query.
    await cancelRecord(aws, id);
    const cancelledAt = Date.now();
    await until('the query to stop', async () => (await running()) === 0, { timeoutMs: 10_000, ignoreErrors: true });
    console.log(`[dbRestarts] the worker killed its own query ${Date.now() - cancelledAt} ms after the cancel`);
    expect((await aws.item(id))?.status).toBe('CANCELLED');
  }, 60_000);
});

describe('every job', () => {
  it('is final, none left STARTED', async () => {
    const items = await Promise.all(submitted.map((id) => until(`${id} final`, async () => ((j) => j && FINAL_STATES.includes(j.status) && j)(await aws.item(id)), { timeoutMs: 30_000, ignoreErrors: true })));
    expect(items.filter((j) => !FINAL_STATES.includes(j.status))).toEqual([]);
    expect((await aws.itemsWithStatus('STARTED')).map((j) => j.job_id)).toEqual([]);
  }, 60_000);
});
