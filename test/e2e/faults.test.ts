/**
 * Faults end to end: cancellation, leases, duplicate deliveries, timeouts,
 * unreachable databases and poison messages, through the local stack against the
 * real PostgreSQL and MariaDB servers. Every case would fail without the
 * mechanism it exercises. The last case counts every job this file submitted:
 * none may be lost (left in a non-final state) or run twice.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerFunctionName } from '../../lib/deploy/serviceDefinition.js';
import { jobKey } from '../../lib/jobs/jobTable.js';
import { LOCAL_INDEX_SHARDS, shardKey } from '../../lib/jobs/shardKey.js';
import { FINAL_STATES, type JobItem } from '../../lib/jobs/types.js';
import type { LocalStack } from '../../scripts/localStack.js';
import { sleep, until } from '../support/until.js';
import { freePort } from '../../scripts/stack/freePort.js';
import { startE2eStack, type E2eStack } from '../support/e2eStack.js';
import { e2eConfig, queue } from '../support/configToml.js';
import { stackClients, type StackClients } from '../support/stackClients.js';
import type { TestDatabases } from '../support/testDatabases.js';

/** The workers' lease in this stack (SQL_JOBBER_LEASE_MS): short, so a live worker must renew it to keep its job. */
const LEASE_MS = 5000;

const TASKS = `
-- name: quick
-- db: pg
-- results: pg_res
-- queue: faults
SELECT g AS n FROM generate_series(1, $1::int) g;

-- name: pg_sleepy
-- db: pg
-- results: pg_res
-- queue: faults
SELECT 'faults-pg-sleep' AS marker, pg_sleep($1::float) AS slept;

-- name: my_sleepy
-- db: my
-- results: my_res
-- queue: faults
SELECT 'faults-my-sleep' AS marker, SLEEP(?) AS slept;

-- name: pg_timeout
-- db: pg
-- results: pg_res
-- queue: faults
-- timeout: 1
SELECT 'faults-pg-timeout' AS marker, pg_sleep(5) AS slept;

-- name: my_timeout
-- db: my
-- results: my_res
-- queue: faults
-- timeout: 1
SELECT 'faults-my-timeout' AS marker, SLEEP(5) AS slept;

-- name: failing
-- db: pg
-- results: pg_res
-- queue: faults
SELECT 1 / (SELECT count(*) FROM pg_class WHERE false)::int AS boom;

-- name: db_down
-- db: pg_down
-- results: pg_res
-- queue: faults
-- raw: 1
SELECT 1 AS one;

-- name: results_down
-- db: pg
-- results: my_down
-- queue: faults
-- raw: 1
SELECT 'faults-results-down' AS marker, 1 AS one;
`;

let world: E2eStack;
let stack: LocalStack;
let dbs: TestDatabases;
let api: E2eStack['api'];
let aws: StackClients;

/** Every job this file created, and whether a second attempt is expected of it. */
const jobs = new Map<string, { retryExpected: boolean; purged?: boolean }>();

beforeAll(async () => {
  // Nothing listens on these ports: connections to them are refused.
  const [pgDownPort, myDownPort] = await Promise.all([freePort(), freePort()]);
  world = await startE2eStack({
    prefix: 'faults',
    tasks: TASKS,
    config: (d) =>
      e2eConfig(d, {
        db: { pg: 'pg', my: 'my', pg_down: { type: 'postgres', dsn: `postgres://postgres@127.0.0.1:${pgDownPort}/nowhere`, connect_timeout: '2s' } },
        results: { pg_res: 'pg', my_res: 'my', my_down: { type: 'mysql', dsn: `mysql://root@127.0.0.1:${myDownPort}/nowhere`, connect_timeout: '2s' } },
        queues: { faults: queue(4), poison: queue(2) },
      }),
    // A fast sweeper, fast redelivery, and a short lease that a live worker must keep renewing.
    stack: { sweepIntervalMs: 500, visibilityTimeout: 1, env: { SQL_JOBBER_LEASE_MS: String(LEASE_MS) } },
  });
  ({ stack, dbs, api } = world);
  aws = stackClients(stack);
}, 180_000);

afterAll(async () => {
  aws?.destroy();
  await world?.stop();
});

// ---------------------------------------------------------------- helpers

/** Submits a job through the API and records it for the final count. */
async function submit(task: string, body: Record<string, unknown>, retryExpected = false) {
  const res = await api.post(`/tasks/${task}/jobs`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  jobs.set(res.body.data.job_id, { retryExpected });
  return res.body.data.job_id as string;
}

/** `yyyy-mm-dd hh:mm:ss` (UTC), `ms` from now. */
function etaIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Sleeps until just past an ETA (`yyyy-mm-dd hh:mm:ss`, UTC). */
async function sleepPast(eta: string): Promise<void> {
  await sleep(Math.max(0, Date.parse(`${eta.replace(' ', 'T')}Z`) - Date.now() + 200));
}

interface Watched {
  item: JobItem;
  /** Each status in the order it was seen (consecutive repeats folded). */
  seen: string[];
  /** Each attempt number seen. */
  attempts: number[];
  /** Errors seen on the way (RETRY reasons). */
  errors: string[];
}

/** Polls a job's item (straight from DynamoDB, cheap) until `done` holds, recording what it passed through. */
async function watch(jobId: string, done: (j: JobItem) => boolean = (j) => FINAL_STATES.includes(j.status), timeoutMs = 30_000): Promise<Watched> {
  const deadline = Date.now() + timeoutMs;
  const w: Omit<Watched, 'item'> = { seen: [], attempts: [], errors: [] };
  for (;;) {
    const item = await aws.item(jobId);
    if (item) {
      if (w.seen.at(-1) !== item.status) w.seen.push(item.status);
      if (w.attempts.at(-1) !== item.attempt) w.attempts.push(item.attempt);
      if (item.error && w.errors.at(-1) !== item.error) w.errors.push(item.error);
      if (done(item)) return { ...w, item };
    }
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not get there in ${timeoutMs} ms; seen ${w.seen.join(' > ')}; last ${JSON.stringify(item)}`);
    await sleep(50);
  }
}


/** Task queries carrying `marker` that PostgreSQL is running right now. */
async function pgRunning(marker: string): Promise<number> {
  const [row] = await dbs.pg(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE state = 'active' AND query LIKE $1 AND query NOT LIKE '%pg_stat_activity%'`,
    [`%${marker}%`],
  );
  return row!.n as number;
}

/** Task queries carrying `marker` that MariaDB is running right now. */
async function myRunning(marker: string): Promise<number> {
  const [row] = await dbs.mysql(
    `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND INFO NOT LIKE '%PROCESSLIST%'`,
    [`%${marker}%`],
  );
  return Number(row!.n);
}

/** Results and temporary tables of the PostgreSQL results database whose names match. */
async function pgTables(jobId: string): Promise<string[]> {
  const rows = await dbs.pg(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND (tablename = $1 OR tablename LIKE 'sqljobber\\_tmp\\_%') ORDER BY 1`,
    [`results_${jobId}`],
  );
  return rows.map((r) => r.tablename as string);
}

async function myTables(jobId: string): Promise<string[]> {
  const rows = await dbs.mysql(
    `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND (TABLE_NAME = ? OR TABLE_NAME LIKE 'sqljobber\\_tmp\\_%') ORDER BY 1`,
    [`results_${jobId}`],
  );
  return rows.map((r) => r.t as string);
}

const workerFunction = (queue: string) => `sql-jobber-${stack.stage}-${workerFunctionName(queue)}`;

// ---------------------------------------------------------------- cancel

describe('cancel', () => {
  it('a PENDING job (ETA ahead) becomes CANCELLED and never runs, even after its ETA', async () => {
    // The cancel function's first call starts it (seconds on a loaded machine): not within the ETA's margin.
    expect((await api.del('/jobs/f-cancel-warm-up')).status).toBe(404);
    const id = await submit('quick', { job_id: 'f-cancel-pending', args: ['3'], eta: etaIn(6000) });
    const res = await api.del(`/jobs/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ job_id: id, status: 'CANCELLED', previous_status: 'PENDING' });
    expect((await api.get('/jobs/queue/faults')).body.data.map((j: { job_id: string }) => j.job_id)).not.toContain(id);
    // Its message is still in the queue, delayed until the ETA, unless an early delivery (SQS delays are whole
    // seconds) already met the cancelled job: a hop reads the job first and stops there.
    console.log(`[faults] cancelled ETA job: messages in the queue: ${await aws.queueDepth(stack.queueUrl('faults'))}`);
    // Past the ETA, the delayed message has been delivered and claimed nothing.
    await sleepPast((await aws.item(id))!.eta!);
    await until('the ETA message to be consumed', async () => (await aws.queueDepth(stack.queueUrl('faults'))) === 0, { timeoutMs: 15_000, everyMs: 200 });
    const job = (await api.get(`/jobs/${id}`)).body.data;
    expect(job).toMatchObject({ status: 'CANCELLED', attempt: 0, started_at: null, error: 'cancelled by request' });
    expect(await pgTables(id)).toEqual([]);
  });

  it('a RETRY job never runs again', async () => {
    const id = await submit('failing', { job_id: 'f-cancel-retry', retries: 5 }, true);
    // After attempt 2 the job waits 2 s (±20 %) for attempt 3: time enough to cancel it while it waits.
    const retrying = await watch(id, (j) => j.status === 'RETRY' && j.attempt >= 2);
    const res = await api.del(`/jobs/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'CANCELLED', previous_status: 'RETRY' });
    // Its retry message is still on its way (delayed): it comes, claims nothing, and goes.
    console.log(`[faults] RETRY cancelled at attempt ${retrying.item.attempt}; messages in the queue: ${await aws.queueDepth(stack.queueUrl('faults'))}`);
    await until('the retry message to be consumed', async () => (await aws.queueDepth(stack.queueUrl('faults'))) === 0, { timeoutMs: 15_000, everyMs: 200 });
    const job = (await api.get(`/jobs/${id}`)).body.data;
    expect(job).toMatchObject({ status: 'CANCELLED', attempt: retrying.item.attempt });
  });

  it.each([
    ['PostgreSQL', 'pg_sleepy', 'faults-pg-sleep', () => pgRunning('faults-pg-sleep'), pgTables],
    ['MariaDB', 'my_sleepy', 'faults-my-sleep', () => myRunning('faults-my-sleep'), myTables],
  ] as const)('a running %s query is killed within 3 s and leaves no table behind', async (_db, task, _marker, running, tables) => {
    const id = await submit(task, { job_id: `f-cancel-${task}`, args: ['30'] });
    await watch(id, (j) => j.status === 'STARTED');
    await until('the query to run on the server', async () => (await running()) > 0);
    const t0 = performance.now();
    const res = await api.del(`/jobs/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ job_id: id, status: 'CANCELLED', previous_status: 'STARTED' });
    await until('the query to be gone', async () => (await running()) === 0, { timeoutMs: 10_000, everyMs: 25 });
    const killedMs = Math.round(performance.now() - t0);
    console.log(`[faults] ${task}: query gone from the server ${killedMs} ms after DELETE`);
    expect(killedMs).toBeLessThanOrEqual(3000);
    // The worker aborts: its temporary table goes, and the record stays CANCELLED.
    await until('no results or temporary table', async () => (await tables(id)).length === 0, { timeoutMs: 15_000, everyMs: 200 });
    await sleep(1000);
    expect(await tables(id)).toEqual([]);
    expect((await api.get(`/jobs/${id}`)).body.data).toMatchObject({ status: 'CANCELLED', attempt: 1, count: null, results_table: null });
  });

  it('a job cancelled after its claim but before its query started never starts the query', async () => {
    const id = 'f-cancel-prestart';
    // The results catalog exists once a job has written there: one of its own, so the test runs alone too (-t).
    await submit('pg_sleepy', { job_id: `${id}-first`, args: ['0'] });
    await watch(`${id}-first`, (j) => j.status === 'SUCCESS');
    // Hold the job's row in the results catalog: the worker's registration waits, after its claim, before its query.
    const blocker = new pg.Client({ connectionString: dbs.pgUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`INSERT INTO sqljobber_catalog (table_name, job_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')`, [`results_${id}`, id]);
      await submit('pg_sleepy', { job_id: id, args: ['30'] });
      await watch(id, (j) => j.status === 'STARTED');
      await until('the worker to wait on the catalog row', async () => {
        const rows = await dbs.pg(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%sqljobber_catalog%'`);
        return rows.length > 0;
      });
      const res = await api.del(`/jobs/${id}`);
      expect(res.body.data).toEqual({ job_id: id, status: 'CANCELLED', previous_status: 'STARTED' });
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
    // The worker goes on: it must notice the cancel and not start the query (or kill it at once).
    let seenRunning = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 3000) {
      seenRunning = Math.max(seenRunning, await pgRunning('faults-pg-sleep'));
      await sleep(50);
    }
    console.log(`[faults] cancel before the query started: the query ran ${seenRunning ? 'briefly' : 'never'}`);
    expect(await pgRunning('faults-pg-sleep')).toBe(0);
    await until('no results or temporary table', async () => (await pgTables(id)).length === 0, { timeoutMs: 10_000, everyMs: 200 });
    expect((await api.get(`/jobs/${id}`)).body.data).toMatchObject({ status: 'CANCELLED', attempt: 1, count: null });
  });

  it("never kills another session's query on the recorded connection (a stale record, a reused backend)", async () => {
    // A bystander session runs a query on the server; a stale STARTED record names its backend pid.
    const bystander = new pg.Client({ connectionString: dbs.pgUrl, application_name: 'faults-bystander' });
    await bystander.connect();
    try {
      const [{ pid }] = (await bystander.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
      const sleeping = bystander.query("SELECT 'faults-bystander' AS marker, pg_sleep(2)").then(
        () => 'finished',
        (err: Error) => `failed: ${err.message}`,
      );
      await until('the bystander query to run', async () => (await pgRunning("'faults-bystander'")) > 0);
      const id = 'f-cancel-stale';
      const now = Date.now();
      await aws.ddb.send(
        new PutCommand({
          TableName: stack.table,
          Item: {
            ...baseItem(id, 'pg_sleepy', ['30']),
            pending_shard: undefined,
            due_at: undefined,
            status: 'STARTED',
            attempt: 1,
            started_at: new Date(now).toISOString(),
            lease_until: now + 60_000,
            lease_shard: shardKey('faults', id, LOCAL_INDEX_SHARDS),
            running_db: 'pg',
            connection_id: pid,
            running_tag: 'feedfacefeedface',
          },
        }),
      );
      jobs.set(id, { retryExpected: false });
      const res = await api.del(`/jobs/${id}`);
      expect(res.body.data).toMatchObject({ status: 'CANCELLED', previous_status: 'STARTED' });
      expect(await sleeping).toBe('finished');
    } finally {
      await bystander.end();
    }
  });
});

describe('DELETE of finished and unknown jobs', () => {
  it('answers 409 for a finished job, purges it with ?purge=true, and 404 for an unknown one', async () => {
    const id = await submit('quick', { job_id: 'f-purge', args: ['4'] });
    expect((await api.waitFor(id)).status).toBe('SUCCESS');
    expect(await pgTables(id)).toEqual([`results_${id}`]);
    const again = await api.del(`/jobs/${id}`);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('already SUCCESS');
    const purged = await api.del(`/jobs/${id}?purge=true`);
    expect(purged.status).toBe(200);
    expect(purged.body.data).toEqual({ job_id: id, status: 'PURGED', previous_status: 'SUCCESS' });
    jobs.set(id, { retryExpected: false, purged: true });
    expect((await api.get(`/jobs/${id}`)).status).toBe(404);
    expect(await pgTables(id)).toEqual([]);
    expect((await api.del('/jobs/f-no-such-job')).status).toBe(404);
    expect((await api.del('/jobs/f-no-such-job?purge=true')).status).toBe(404);
  });

  it('purges a PENDING job: its delayed message later claims nothing and does not end in the DLQ', async () => {
    const queueUrl = stack.queueUrl('poison');
    const id = await submit('quick', { job_id: 'f-purge-pending', args: ['2'], queue: 'poison', eta: etaIn(2000) });
    const purged = await api.del(`/jobs/${id}?purge=true`);
    expect(purged.status).toBe(200);
    expect(purged.body.data).toEqual({ job_id: id, status: 'PURGED', previous_status: 'PENDING' });
    jobs.set(id, { retryExpected: false, purged: true });
    expect((await api.get(`/jobs/${id}`)).status).toBe(404);
    expect((await api.del(`/jobs/${id}?purge=true`)).status).toBe(404);
    // The tombstone outlives the ETA, so the message finds the job and claims nothing.
    await until('the purged job\'s message to be consumed', async () => (await aws.queueDepth(queueUrl)) === 0, { timeoutMs: 20_000, everyMs: 200 });
    const dead = await aws.drain(`${queueUrl}-dlq`, 2_000);
    expect(dead.filter((b) => b.includes(id))).toEqual([]);
    expect((await aws.item(id))?.attempt).toBe(0);
    // The ID is free again.
    expect((await api.post('/tasks/quick/jobs', { job_id: id, args: ['1'], queue: 'poison' })).status).toBe(200);
    jobs.set(id, { retryExpected: false });
    expect((await api.waitFor(id)).status).toBe('SUCCESS');
  });
});

// ---------------------------------------------------------------- leases

/** A job item as submitJob records it (PENDING, attempt 0). */
function baseItem(jobId: string, task: string, args: string[], retries = 0): JobItem {
  return {
    pk: jobKey(jobId),
    job_id: jobId,
    run_id: randomUUID(),
    task,
    queue: 'faults',
    db: 'pg',
    results_db: 'pg_res',
    args,
    status: 'PENDING',
    retries,
    attempt: 0,
    ttl: 3600,
    eta: null,
    created_at: new Date().toISOString(),
    pending_shard: shardKey('faults', jobId, LOCAL_INDEX_SHARDS),
    due_at: Date.now(),
  };
}

describe('leases', () => {
  it('a worker that claimed a job and died: the sweeper retries it, and the retry succeeds (attempt 2)', async () => {
    // Its own message waits for the ETA; meanwhile "a worker" claims attempt 1 and never renews.
    const id = await submit('quick', { job_id: 'f-lease-retry', args: ['3'], retries: 1, eta: etaIn(3000) }, true);
    const job = (await aws.item(id))!;
    const claimed = await aws.store.claim({ job_id: id, run_id: job.run_id, queue: job.queue, attempt: 0 }, Date.now() + 1000);
    expect(claimed).toMatchObject({ status: 'STARTED', attempt: 1 });
    const w = await watch(id);
    // (The second STARTED may be too short for the poll to see.)
    expect(w.seen.slice(0, 2)).toEqual(['STARTED', 'RETRY']);
    expect(w.seen.at(-1)).toBe('SUCCESS');
    expect(w.errors[0]).toMatch(/^the worker of attempt 1 stopped .* lost its lease$/);
    expect(w.item).toMatchObject({ status: 'SUCCESS', attempt: 2, count: 3 });
    // The ETA message (attempt 0) arrives later and claims nothing.
    await until('the ETA message to be consumed', async () => (await aws.queueDepth(stack.queueUrl('faults'))) === 0, { timeoutMs: 15_000, everyMs: 200 });
    expect(await aws.item(id)).toMatchObject({ status: 'SUCCESS', attempt: 2, finished_at: w.item.finished_at });
  });

  it('a STARTED job with an expired lease and no retries left ends FAILURE with the reason', async () => {
    const id = 'f-lease-dead';
    const now = Date.now();
    // Shaped as JobStore.claim leaves it; its worker is gone (no message remains either).
    await aws.ddb.send(
      new PutCommand({
        TableName: stack.table,
        Item: { ...baseItem(id, 'quick', ['2']), status: 'STARTED', attempt: 1, started_at: new Date(now - 40_000).toISOString(), lease_until: now - 10_000, lease_shard: shardKey('faults', id, LOCAL_INDEX_SHARDS), pending_shard: undefined, due_at: undefined },
      }),
    );
    jobs.set(id, { retryExpected: false });
    const w = await watch(id, undefined, 10_000);
    expect(w.item).toMatchObject({ status: 'FAILURE', attempt: 1 });
    expect(w.item.error).toBe('the worker of attempt 1 stopped (function timeout or crash) and lost its lease');
    expect(w.item.lease_until).toBeUndefined();
    expect(await pgTables(id)).toEqual([]);
  });

  it('a live worker keeps renewing its lease: a query longer than the lease is not taken back', async () => {
    const seconds = (LEASE_MS * 2) / 1000;
    const id = await submit('pg_sleepy', { job_id: 'f-lease-live', args: [String(seconds)], retries: 2 });
    const started = await watch(id, (j) => j.status === 'STARTED' && j.connection_id !== undefined);
    // The short lease is in force (the env var reached the worker), so only renewals keep the job.
    const held = started.item.lease_until! - Date.now();
    expect(held).toBeLessThanOrEqual(LEASE_MS + 500);
    const w = await watch(id, undefined, 60_000);
    expect(w.seen).toEqual(['STARTED', 'SUCCESS']);
    expect(w.item).toMatchObject({ status: 'SUCCESS', attempt: 1, count: 1 });
  });
});

// ---------------------------------------------------------------- duplicates

describe('duplicate deliveries', () => {
  it('two copies of a message delivered at once through SQS run the job once', async () => {
    // The job's own message waits for its ETA; two copies arrive now, side by side.
    const id = await submit('pg_sleepy', { job_id: 'f-dup-sqs', args: ['1'], eta: etaIn(5000) });
    const job = (await aws.item(id))!;
    const body = JSON.stringify(aws.messageFor(job, 0));
    await aws.sendRaw(stack.queueUrl('faults'), [body, body]);
    const w = await watch(id);
    expect(w.item).toMatchObject({ status: 'SUCCESS', attempt: 1, count: 1 });
    expect(w.attempts).not.toContain(2);
    // Past the ETA the original is delivered too, and claims nothing.
    await sleepPast(job.eta!);
    await until('the original message to be consumed', async () => (await aws.queueDepth(stack.queueUrl('faults'))) === 0, { timeoutMs: 15_000, everyMs: 200 });
    expect(await aws.item(id)).toMatchObject({ status: 'SUCCESS', attempt: 1, finished_at: w.item.finished_at });
    expect(await pgTables(id)).toEqual([`results_${id}`]);
    expect(await dbs.pg(`SELECT count(*)::int AS c FROM "results_${id}"`)).toEqual([{ c: 1 }]);
  });

  it('two concurrent invocations of the worker with the same message run the job once', async () => {
    const id = await submit('pg_sleepy', { job_id: 'f-dup-invoke', args: ['1'], eta: etaIn(5000) });
    const job = (await aws.item(id))!;
    const body = JSON.stringify(aws.messageFor(job, 0));
    const [a, b] = await Promise.all([
      aws.invokeWorker(workerFunction('faults'), stack.queueUrl('faults'), body, 'dup-a'),
      aws.invokeWorker(workerFunction('faults'), stack.queueUrl('faults'), body, 'dup-b'),
    ]);
    // Both succeed for SQS (nothing to redeliver); one ran the job, the other claimed nothing.
    for (const out of [a, b]) {
      expect(out.functionError).toBeUndefined();
      expect(JSON.parse(out.payload)).toEqual({ batchItemFailures: [] });
    }
    const done = (await aws.item(id))!;
    expect(done).toMatchObject({ status: 'SUCCESS', attempt: 1, count: 1 });
    await sleepPast(job.eta!);
    await until('the original message to be consumed', async () => (await aws.queueDepth(stack.queueUrl('faults'))) === 0, { timeoutMs: 15_000, everyMs: 200 });
    expect(await aws.item(id)).toMatchObject({ status: 'SUCCESS', attempt: 1, finished_at: done.finished_at });
    expect(await pgTables(id)).toEqual([`results_${id}`]);
  });
});

// ---------------------------------------------------------------- timeouts

describe('statement timeouts', () => {
  it.each([
    ['PostgreSQL', 'pg_timeout', () => pgRunning('faults-pg-timeout'), pgTables],
    ['MariaDB', 'my_timeout', () => myRunning('faults-my-timeout'), myTables],
  ] as const)('a %s task with "-- timeout: 1" fails after 1 s and its query is gone', async (_db, task, running, tables) => {
    const id = await submit(task, { job_id: `f-${task}` });
    const w = await watch(id);
    expect(w.item).toMatchObject({ status: 'FAILURE', attempt: 1 });
    expect(w.item.error).toMatch(/^timed out after 1 s: /);
    const tookMs = Date.parse(w.item.finished_at!) - Date.parse(w.item.started_at!);
    console.log(`[faults] ${task}: FAILURE ${tookMs} ms after start: ${w.item.error}`);
    expect(await running()).toBe(0);
    expect(await tables(id)).toEqual([]);
  });
});

// ---------------------------------------------------------------- unreachable databases

describe('unreachable databases', () => {
  it.each([
    ['source', 'db_down', 2],
    ['results', 'results_down', 1],
  ] as const)('an unreachable %s database: RETRY with backoff, then FAILURE with the connection error', async (_which, task, retries) => {
    const id = await submit(task, { job_id: `f-${task}`, retries }, true);
    const w = await watch(id, undefined, 30_000);
    console.log(`[faults] ${task}: ${w.seen.join(' > ')}; attempts ${w.attempts.join(', ')}; ${w.item.error}`);
    expect(w.seen).toContain('RETRY');
    expect(w.attempts.filter((a) => a > 0)).toEqual(Array.from({ length: retries + 1 }, (_, i) => i + 1));
    expect(w.item).toMatchObject({ status: 'FAILURE', attempt: retries + 1 });
    expect(w.item.error).toMatch(/ECONNREFUSED 127\.0\.0\.1:\d+/);
    // Backoff (1 s, 2 s, ... ±20 %): measured, not asserted.
    const elapsed = Date.parse(w.item.finished_at!) - Date.parse(w.item.created_at);
    console.log(`[faults] ${task}: ${retries + 1} attempts over ${elapsed} ms (backoff alone: ${1000 * (2 ** retries - 1)} ms ±20 %)`);
    expect(await pgTables(id)).toEqual([]);
    expect(await pgRunning('faults-results-down')).toBe(0);
  });
});

// ---------------------------------------------------------------- poison messages

describe('poison messages', () => {
  it('an unparseable body and a message for an unknown job end in the DLQ; a normal job beside them succeeds', async () => {
    const queueUrl = stack.queueUrl('poison');
    const garbage = `not json {${randomUUID()}`;
    const unknown = JSON.stringify({ job_id: `f-ghost-${randomUUID().slice(0, 8)}`, run_id: randomUUID(), queue: 'poison', attempt: 0 });
    const [id] = await Promise.all([submit('quick', { job_id: 'f-poison-neighbour', args: ['2'], queue: 'poison' }), aws.sendRaw(queueUrl, [garbage, unknown])]);
    const t0 = performance.now();
    const dead = await aws.drain(`${queueUrl}-dlq`, 45_000, (bodies) => bodies.includes(garbage) && bodies.includes(unknown));
    console.log(`[faults] poison messages reached the DLQ after ${Math.round(performance.now() - t0)} ms`);
    expect(dead.sort()).toEqual([garbage, unknown].sort());
    expect((await api.waitFor(id)).status).toBe('SUCCESS');
    await until('the poison queue to empty', async () => (await aws.queueDepth(queueUrl)) === 0, { timeoutMs: 15_000, everyMs: 200 });
  });
});

// ---------------------------------------------------------------- dead letters

describe('dead-lettered messages', () => {
  it('a waiting job whose message is in the dead-letter queue ends FAILURE with the reason; the message stays there', async () => {
    const queueUrl = stack.queueUrl('poison');
    const id = await submit('quick', { job_id: 'f-dead-letter', args: ['2'], queue: 'poison', eta: etaIn(3000) });
    const item = (await aws.item(id))!;
    // As SQS's redrive does after the worker failed on it maxReceiveCount times.
    const body = JSON.stringify(aws.messageFor(item, 0));
    await aws.sendRaw(`${queueUrl}-dlq`, [body]);
    await until('the sweeper to fail the job', async () => (await aws.item(id))?.status === 'FAILURE', { timeoutMs: 15_000, everyMs: 200 });
    const job = (await api.get(`/jobs/${id}`)).body.data;
    expect(job).toMatchObject({ status: 'FAILURE', attempt: 0 });
    expect(job.error).toMatch(/^its message was moved to the dead-letter queue after \d+ failed deliveries/);
    // Its own (delayed) message later claims nothing.
    await until('the delayed message to be consumed', async () => (await aws.queueDepth(queueUrl)) === 0, { timeoutMs: 20_000, everyMs: 200 });
    expect((await aws.item(id))).toMatchObject({ status: 'FAILURE', attempt: 0 });
    expect(await aws.drain(`${queueUrl}-dlq`, 3_000, (bodies) => bodies.includes(body))).toContain(body);
  });
});

// ---------------------------------------------------------------- the count

describe('every job', () => {
  it('ended in a final state, and none ran twice', async () => {
    const counts = { submitted: 0, succeeded: 0, failed: 0, cancelled: 0, purged: 0, lost: 0, runTwice: 0 };
    const problems: string[] = [];
    for (const [id, expect_] of jobs) {
      counts.submitted++;
      const res = await api.get(`/jobs/${id}`);
      if (expect_.purged) {
        if (res.status === 404) counts.purged++;
        else problems.push(`${id}: purged but still there`);
        continue;
      }
      const job = res.body.data;
      if (res.status !== 200 || !FINAL_STATES.includes(job.status)) {
        counts.lost++;
        problems.push(`${id}: ${res.status} ${job?.status}`);
        continue;
      }
      if (job.status === 'SUCCESS') counts.succeeded++;
      if (job.status === 'FAILURE') counts.failed++;
      if (job.status === 'CANCELLED') counts.cancelled++;
      if (job.attempt > 1 && !expect_.retryExpected) {
        counts.runTwice++;
        problems.push(`${id}: attempt ${job.attempt}`);
      }
    }
    const started = await aws.itemsWithStatus('STARTED');
    console.log(`[faults] jobs ${JSON.stringify(counts)}; STARTED left: ${started.length}${problems.length ? `; ${problems.join('; ')}` : ''}`);
    expect(problems).toEqual([]);
    expect(counts.lost).toBe(0);
    expect(counts.runTwice).toBe(0);
    expect(started.map((j) => j.job_id)).toEqual([]);
  });
});
