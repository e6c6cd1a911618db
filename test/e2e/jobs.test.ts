/**
 * End to end: the local stack (serverless offline, DynamoDB Local, fauxqs, the
 * SQS bridge) against the real PostgreSQL and MariaDB servers.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../scripts/localStack.js';
import { apiClient } from '../support/api.js';
import { until } from '../support/until.js';
import { startE2eStack, type E2eStack } from '../support/e2eStack.js';
import { e2eConfig, queue } from '../support/configToml.js';
import type { TestDatabases } from '../support/testDatabases.js';

const TASKS = `
-- name: pg_series
-- db: pg
-- results: pg_res
-- queue: fast
SELECT g AS n, g * 2 AS doubled, 'row ' || g AS label FROM generate_series(1, $1::int) g;

-- name: my_series
-- db: my
-- results: my_res
-- queue: fast
SELECT n, n * 2 AS doubled, CONCAT('row ', n) AS label FROM nums WHERE n <= ? ORDER BY n;

-- name: pg_to_my
-- db: pg
-- results: my_res
-- queue: fast
SELECT g AS n, (g::numeric / 3)::numeric(20,6) AS third, now()::date AS today FROM generate_series(1, $1::int) g;

-- name: my_to_pg
-- db: my
-- results: pg_res
-- queue: fast
SELECT n, CAST(n AS DECIMAL(20,6)) / 3 AS third FROM nums WHERE n <= ? ORDER BY n;

-- name: failing
-- db: pg
-- results: pg_res
-- queue: fast
SELECT 1 / (SELECT count(*) FROM pg_class WHERE false)::int AS boom;

-- name: sleepy
-- db: pg
-- results: pg_res
-- queue: slow
SELECT pg_sleep($1::float) AS slept;
`;

let world: E2eStack;
let stack: LocalStack;
let dbs: TestDatabases;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  world = await startE2eStack({
    prefix: 'e2e',
    tasks: TASKS,
    setup: async (dbs) => {
      await dbs.mysql('CREATE TABLE nums (n BIGINT PRIMARY KEY)');
      await dbs.mysql(`INSERT INTO nums (n) VALUES ${Array.from({ length: 100 }, (_, i) => `(${i + 1})`).join(',')}`);
    },
    config: (dbs) =>
      e2eConfig(dbs, {
        app: { default_job_ttl: '1h' },
        db: { pg: 'pg', my: 'my' },
        results: { pg_res: 'pg', my_res: 'my' },
        queues: { fast: queue(4), slow: queue(2) },
      }),
  });
  ({ stack, dbs, api } = world);
}, 180_000);

afterAll(async () => {
  await world?.stop();
});

describe('GET /tasks', () => {
  it('lists every task with its queue, dbs and argument count', async () => {
    const res = await api.get('/tasks');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
    const byName = Object.fromEntries(res.body.data.map((t: any) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(['failing', 'my_series', 'my_to_pg', 'pg_series', 'pg_to_my', 'sleepy']);
    expect(byName.pg_series).toMatchObject({ queue: 'fast', dbs: ['pg'], results: ['pg_res'], raw: false, args: 1 });
    expect(byName.sleepy).toMatchObject({ queue: 'slow', args: 1 });
  });
});

// Made first, checked last: its first tick (the next minute) comes while the other tests run.
describe('schedules, through the HTTP API', () => {
  it('records a schedule, lists it with its next run, and refuses a bad one with a 400 naming the field', async () => {
    const made = await api.post('/schedules', { schedule_id: 'e2e-minutely', task: 'pg_series', args: ['3'], cron: '* * * * *', timezone: 'Asia/Kolkata', job: { ttl: 600 } });
    expect(made.status).toBe(200);
    expect(made.body.data).toMatchObject({ schedule_id: 'e2e-minutely', task: 'pg_series', cron: '* * * * *', timezone: 'Asia/Kolkata', catchup: 'none', paused: false, last_run: null });
    expect(Date.parse(made.body.data.next_run) - Date.now()).toBeLessThanOrEqual(60_000);
    expect((await api.get('/schedules')).body.data.map((s: any) => s.schedule_id)).toContain('e2e-minutely');
    expect((await api.post('/schedules', { schedule_id: 'e2e-minutely', task: 'pg_series', args: ['3'], cron: '0 0 * * *' })).body).toMatchObject({ code: 'schedule_exists' });
    const bad = await api.post('/schedules', { schedule_id: 'e2e-bad', task: 'pg_series', args: ['3'], cron: '* * * *' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^cron: /);
    expect((await api.get('/schedules/e2e-bad')).body).toMatchObject({ code: 'schedule_not_found' });
    // Paused and resumed at once: it keeps its next tick.
    expect((await api.post('/schedules/e2e-minutely/pause')).body.data).toMatchObject({ paused: true, next_run: null });
    // (Its next tick, or the one after when a minute turned while it was paused: never a tick in the past.)
    // Bounded by when the request went and when its answer came: on a busy machine a minute may turn while it travels.
    const sentAt = Date.now();
    const resumed = (await api.post('/schedules/e2e-minutely/resume')).body.data;
    const answeredAt = Date.now();
    expect(resumed).toMatchObject({ paused: false });
    const tick = Date.parse(resumed.next_run);
    expect(tick % 60_000).toBe(0);
    expect(tick).toBeGreaterThanOrEqual(Date.parse(made.body.data.next_run));
    expect(tick).toBeGreaterThan(sentAt);
    expect(tick).toBeLessThanOrEqual(answeredAt + 60_000);
  });
});

describe('jobs', () => {
  it('runs a PostgreSQL job into a typed PostgreSQL results table', async () => {
    const res = await api.post('/tasks/pg_series/jobs', { job_id: 'e2e-pg-1', args: ['5'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'success', data: { job_id: 'e2e-pg-1', task_name: 'pg_series', task: 'pg_series', queue: 'fast', eta: null, retries: 0 } });
    const job = await api.waitFor('e2e-pg-1');
    expect(job).toMatchObject({ job_id: 'e2e-pg-1', status: 'SUCCESS', count: 5, results: [{ Type: 'int64', Value: 5 }], error: '', attempt: 1, results_table: 'results_e2e-pg-1' });
    const rows = await dbs.pg('SELECT n::text, doubled::text, label FROM "results_e2e-pg-1" ORDER BY n');
    expect(rows).toEqual([1, 2, 3, 4, 5].map((n) => ({ n: String(n), doubled: String(n * 2), label: `row ${n}` })));
  });

  it.each([
    ['my_series', 'mysql'],
    ['pg_to_my', 'mysql'],
    ['my_to_pg', 'pg'],
  ] as const)('runs %s across its route', async (task, where) => {
    const id = `e2e-${task}`;
    expect((await api.post(`/tasks/${task}/jobs`, { job_id: id, args: ['7'] })).status).toBe(200);
    const job = await api.waitFor(id);
    expect(job).toMatchObject({ status: 'SUCCESS', count: 7 });
    const sql = `SELECT COUNT(*) AS c, MAX(n) AS m FROM ${where === 'pg' ? `"results_${id}"` : `\`results_${id}\``}`;
    const [row] = where === 'pg' ? await dbs.pg(sql) : await dbs.mysql(sql);
    expect(String(row!.c)).toBe('7');
    expect(String(row!.m)).toBe('7');
  });

  it('refuses a second job with an active ID (409) and accepts the ID again once finished', async () => {
    expect((await api.post('/tasks/sleepy/jobs', { job_id: 'e2e-dup', args: ['1.5'] })).status).toBe(200);
    const again = await api.post('/tasks/sleepy/jobs', { job_id: 'e2e-dup', args: ['0'] });
    expect(again.status).toBe(409);
    expect(again.body.status).toBe('error');
    expect(again.body.message).toMatch(/job "e2e-dup" is still (PENDING|STARTED)/);
    await api.waitFor('e2e-dup');
    const reuse = await api.post('/tasks/pg_series/jobs', { job_id: 'e2e-dup', args: ['3'] });
    expect(reuse.status).toBe(200);
    const job = await api.waitFor('e2e-dup');
    expect(job).toMatchObject({ status: 'SUCCESS', count: 3, task: 'pg_series' });
    // The old table (one "slept" column) was replaced by the new results.
    expect(await dbs.pg('SELECT count(*)::int AS c FROM "results_e2e-dup"')).toEqual([{ c: 3 }]);
  });

  it('retries a failing job, then fails it with the database message', async () => {
    expect((await api.post('/tasks/failing/jobs', { job_id: 'e2e-fail', retries: 1 })).status).toBe(200);
    const job = await api.waitFor('e2e-fail');
    expect(job).toMatchObject({ status: 'FAILURE', attempt: 2, retries: 1 });
    expect(job.error).toContain('division by zero');
    expect(await dbs.pg(`SELECT tablename FROM pg_tables WHERE tablename LIKE '%e2e-fail%' OR tablename LIKE 'sqljobber_tmp_%'`)).toEqual([]);
  });

  it('holds a job until its ETA and lists it as pending meanwhile', async () => {
    const eta = new Date(Date.now() + 3000);
    const etaText = eta.toISOString().slice(0, 19).replace('T', ' ');
    expect((await api.post('/tasks/pg_series/jobs', { job_id: 'e2e-eta', args: ['2'], eta: etaText })).status).toBe(200);
    const pending = await api.get('/jobs/queue/fast');
    expect(pending.status).toBe(200);
    expect(pending.body.data.map((j: any) => j.job_id)).toContain('e2e-eta');
    const job = await api.waitFor('e2e-eta');
    expect(job.status).toBe('SUCCESS');
    expect(new Date(job.started_at).getTime()).toBeGreaterThanOrEqual(Math.floor(eta.getTime() / 1000) * 1000);
    expect((await api.get('/jobs/queue/fast')).body.data.map((j: any) => j.job_id)).not.toContain('e2e-eta');
  });

  it('runs a job once when its message is delivered twice', async () => {
    expect((await api.post('/tasks/pg_series/jobs', { job_id: 'e2e-twice', args: ['4'] })).status).toBe(200);
    const first = await api.waitFor('e2e-twice');
    const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
    const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', endpoint: stack.dynamodbEndpoint, credentials }));
    const item = (await ddb.send(new GetCommand({ TableName: stack.table, Key: { pk: 'job#e2e-twice' } }))).Item!;
    ddb.destroy();
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: stack.sqsEndpoint, credentials });
    // A duplicate of the first attempt's message, as SQS may deliver it again.
    const body = JSON.stringify({ job_id: 'e2e-twice', run_id: item.run_id, queue: 'fast', attempt: 0 });
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.queueUrl('fast'), MessageBody: body }));
    await new Promise((r) => setTimeout(r, 1500));
    const after = (await api.get('/jobs/e2e-twice')).body.data;
    expect(after).toMatchObject({ status: 'SUCCESS', attempt: 1, finished_at: first.finished_at });
    sqs.destroy();
  });

  it('answers 404 for an unknown job and an unknown queue', async () => {
    const job = await api.get('/jobs/no-such-job');
    expect(job.status).toBe(404);
    expect(job.body).toEqual({ status: 'error', code: 'job_not_found', message: 'unknown job "no-such-job"', data: null });
    const queue = await api.get('/jobs/queue/no-such-queue');
    expect(queue.status).toBe(404);
    expect(queue.body).toMatchObject({ status: 'error', code: 'queue_not_found', data: null });
  });
});

describe('bad requests change nothing', () => {
  it.each([
    ['malformed JSON', 'pg_series', '{"args": [', 400, 'malformed JSON'],
    ['a body that is a list', 'pg_series', '[1]', 400, 'expected a JSON object'],
    ['the wrong argument count', 'pg_series', '{"job_id":"bad-1","args":[]}', 400, 'takes 1 argument(s), got 0'],
    ['args that are not a list', 'pg_series', '{"job_id":"bad-1","args":"5"}', 400, 'args: expected a list'],
    ['a bad job_id', 'pg_series', '{"job_id":"bad 1","args":["1"]}', 400, 'job_id: may contain only'],
    ['an impossible eta', 'pg_series', '{"job_id":"bad-1","args":["1"],"eta":"2030-13-01 00:00:00"}', 400, 'eta'],
    ['negative retries', 'pg_series', '{"job_id":"bad-1","args":["1"],"retries":-1}', 400, 'retries'],
    ['a fractional ttl', 'pg_series', '{"job_id":"bad-1","args":["1"],"ttl":1.5}', 400, 'ttl'],
    ['an unknown queue', 'pg_series', '{"job_id":"bad-1","args":["1"],"queue":"nope"}', 400, 'queue: unknown queue "nope"'],
    ['a db not of the task', 'pg_series', '{"job_id":"bad-1","args":["1"],"db":"my"}', 400, 'db: "my" is not one of'],
    ['an unknown task', 'nope', '{"job_id":"bad-1"}', 404, 'unknown task "nope"'],
  ])('refuses %s', async (_what, task, raw, status, message) => {
    const res = await api.call('POST', `/tasks/${task}/jobs`, undefined, raw);
    expect(res.status).toBe(status);
    expect(res.body.status).toBe('error');
    expect(res.body.data).toBeNull();
    expect(res.body.message).toContain(message);
    expect((await api.get('/jobs/bad-1')).status).toBe(404);
  });
});

describe('schedules, through the real clock', () => {
  it("runs the schedule's tick as a job that carries schedule_id and scheduled_for, and stops once it is deleted", async () => {
    const schedule = await until('the first tick of e2e-minutely', async () => {
      const s = (await api.get('/schedules/e2e-minutely')).body.data;
      return s.last_job_id ? s : undefined;
    }, { timeoutMs: 90_000, everyMs: 500 });
    expect(schedule.last_job_id).toBe(`e2e-minutely:${schedule.last_run.slice(0, 16).replace(/[-T:]/g, '')}`);
    const job = await api.waitFor(schedule.last_job_id);
    expect(job).toMatchObject({ status: 'SUCCESS', count: 3, ttl: 600, schedule_id: 'e2e-minutely', scheduled_for: schedule.last_run });
    expect(Date.parse(job.created_at) - Date.parse(schedule.last_run)).toBeLessThan(10_000);
    expect((await api.del('/schedules/e2e-minutely')).body.data).toEqual({ schedule_id: 'e2e-minutely', deleted: true });
    expect((await api.get('/schedules/e2e-minutely')).status).toBe(404);
  }, 100_000);
});
