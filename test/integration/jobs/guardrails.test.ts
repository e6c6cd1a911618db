/**
 * Guardrails as a job meets them, against DynamoDB Local, fauxqs and real
 * PostgreSQL and MariaDB servers: `max_rows` (FAILURE with no table, or SUCCESS
 * truncated with a warning), `max_cost` (FAILURE naming the estimate and the
 * limit, the query never run), and POST /tasks/{taskName}/dry-run, whose columns
 * are those of the real run's results table for every sample task (sql/), and
 * which records no job and sends no message.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbType } from '../../../lib/config/types.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { runJob } from '../../../lib/lifecycle/runJob.js';
import { SAMPLE_SCHEMA } from '../../../scripts/stack/startEmbeddedPostgres.js';
import { configToml, queue } from '../../support/configToml.js';
import { startHandlerWorld, type HandlerWorld } from '../../support/handlerWorld.js';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabases.js';

const MILLION = 1_000_000;

const GUARDED = `
-- name: pg_capped
-- db: sample
-- results: sample_results
-- queue: guard_q
-- max_rows: 100000
SELECT g AS id FROM generate_series(1, ${MILLION}) g;

-- name: pg_truncated
-- db: sample
-- results: sample_results
-- queue: guard_q
-- max_rows: 100_000
-- on_limit: truncate
SELECT g AS id FROM generate_series(1, ${MILLION}) g;

-- name: pg_costly
-- db: sample
-- results: sample_results
-- queue: guard_q
SELECT a.order_id, b.order_id AS other FROM order_items a CROSS JOIN order_items b;

-- name: my_capped
-- db: my
-- results: myres
-- queue: guard_q
-- max_rows: 100000
SELECT seq AS id FROM seq_1_to_${MILLION};

-- name: my_truncated
-- db: my
-- results: myres
-- queue: guard_q
-- max_rows: 100000
-- on_limit: truncate
SELECT seq AS id FROM seq_1_to_${MILLION};

-- name: my_costly
-- db: my
-- results: myres
-- queue: guard_q
SELECT a.seq AS id, b.seq AS other FROM seq_1_to_${MILLION} a CROSS JOIN seq_1_to_10 b;

-- name: pg_untyped
-- db: sample
-- results: sample_results
-- queue: guard_q
SELECT $1::int AS n;
`;

/** Each sample task (sql/sample.sql) with arguments it takes. */
const SAMPLE_ARGS: Record<string, unknown> = {
  get_profit_summary: [],
  get_orders_by_customer: { customer_id: 42, sort: 'total' },
  get_sales_by_day: ['2024-01-01', '2024-01-31'],
  get_customers_by_country: { country: 'GB' },
  get_order_items: [],
  slow_query: { seconds: 0 },
};

let pg: TestDatabase;
let my: TestDatabase;
let world: HandlerWorld;
let pools: DbPools;

beforeAll(async () => {
  [pg, my] = await Promise.all([createTestDatabase('postgres'), createTestDatabase('mysql')]);
  const schema = pg.query(readFileSync(SAMPLE_SCHEMA, 'utf8'));
  world = await startHandlerWorld({
    config: configToml({
      app: { default_job_ttl: '1h' },
      db: { sample: { type: 'postgres', dsn: pg.db().dsn }, my: { type: 'mysql', dsn: my.db().dsn } },
      results: { sample_results: { type: 'postgres', dsn: pg.db().dsn }, myres: { type: 'mysql', dsn: my.db().dsn } },
      // Defaults for the queue's tasks: a task's own tags win (max_rows above); max_cost applies to the costly ones.
      queues: { sqljob_queue: queue(2, 120), guard_q: queue(2, 120, { max_cost: 2_000_000, max_rows: 5_000_000 }) },
    }),
    tasks: `${readFileSync('sql/sample.sql', 'utf8')}\n${GUARDED}`,
  });
  pools = createDbPools();
  await schema;
}, 120_000);

afterAll(async () => {
  await pools?.end();
  await world?.stop();
  await Promise.all([pg?.drop(), my?.drop()]);
});

/** Submits a job, runs its message as a worker would, and answers its status. */
async function runToEnd(task: string, args: unknown = []): Promise<Record<string, unknown>> {
  const submitted = await world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName: task }, body: JSON.stringify({ args }) });
  expect(submitted.statusCode, submitted.body).toBe(200);
  const jobId = (submitted.json?.data as { job_id: string }).job_id;
  const job = (await world.app.store.get(jobId))!;
  await runJob({ ...world.app, pools, log: world.app.log }, { job_id: jobId, run_id: job.run_id, queue: job.queue, attempt: job.attempt }, 120_000);
  return (await world.request('GET /jobs/{jobID}', { pathParameters: { jobID: jobId } })).json?.data as Record<string, unknown>;
}

const tablesOf = async (db: TestDatabase): Promise<string[]> =>
  db.type === 'postgres'
    ? (await db.query(`SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE 'results_%'`)).map((r) => String(r[0]))
    : (await db.query(`SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'results_%'`)).map((r) => String(r[0]));

describe.each([
  { type: 'postgres' as DbType, prefix: 'pg', db: () => pg, costIs: 'PostgreSQL EXPLAIN total cost' },
  { type: 'mysql' as DbType, prefix: 'my', db: () => my, costIs: 'MySQL/MariaDB EXPLAIN estimated rows' },
])('$type', ({ prefix, db, costIs }) => {
  it('max_rows = 100000 over 1M rows (a tag over the queue\'s default): FAILURE saying so, retried never, no results table', async () => {
    const status = await runToEnd(`${prefix}_capped`);
    expect(status).toMatchObject({ status: 'FAILURE', attempt: 1, results_table: null, truncated: false });
    expect(status.error).toMatch(/^the result has more than 100000 rows \(max_rows = 100000\): the job stopped reading and cancelled its query/);
    expect(await tablesOf(db())).not.toContain(`results_${String(status.job_id)}`);
  });

  it.runIf(prefix === 'pg')('on_limit truncate: SUCCESS with the first 100,000 rows, truncated and a warning', async () => {
    const status = await runToEnd(`${prefix}_truncated`);
    expect(status).toMatchObject({ status: 'SUCCESS', count: 100_000, truncated: true });
    expect(status.warnings).toEqual([expect.stringMatching(/^truncated: the result passed max_rows = 100000; the table holds its first 100000 rows/)]);
    const table = String(status.results_table);
    const q = prefix === 'pg' ? `SELECT count(*), max(id) FROM "${table}"` : `SELECT count(*), max(id) FROM \`${table}\``;
    expect(await db().query(q)).toEqual([['100000', '100000']]);
  });

  it('max_cost (the queue\'s default) over the estimate: FAILURE with the estimate and the limit, nothing ran', async () => {
    const status = await runToEnd(`${prefix}_costly`);
    expect(status).toMatchObject({ status: 'FAILURE', attempt: 1, results_table: null });
    const m = new RegExp(`^the planner's estimate is over max_cost: ${costIs.replaceAll('/', '\\/')} ([0-9.e+]+) > 2000000; the query did not run`).exec(String(status.error));
    expect(m, String(status.error)).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(2_000_000);
  });

  it('the dry run of a costly task answers the estimate over max_cost, and records and sends nothing', async () => {
    const [items, messages] = [await world.itemCount(), await world.messageCount()];
    world.calls.splice(0);
    const answer = await world.request('POST /tasks/{taskName}/dry-run', { pathParameters: { taskName: `${prefix}_costly` }, body: '{"job_id": "never-made"}' });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json?.data).toMatchObject({ max_cost: 2_000_000, over_max_cost: true, estimate: { cost_is: costIs } });
    expect(world.calls).toEqual([]);
    expect([await world.itemCount(), await world.messageCount()]).toEqual([items, messages]);
    const never = await world.request('GET /jobs/{jobID}', { pathParameters: { jobID: 'never-made' } });
    expect(never.statusCode).toBe(404);
  });
});

describe('dry run', () => {
  it.each(Object.entries(SAMPLE_ARGS))('%s: the columns the real run creates, names and types', async (task, args) => {
    const answer = await world.request('POST /tasks/{taskName}/dry-run', { pathParameters: { taskName: task }, body: JSON.stringify({ args }) });
    expect(answer.statusCode, answer.body).toBe(200);
    const dry = answer.json?.data as { columns: { name: string; type: string; sql_type: string }[]; estimate: { rows: number | null; cost: number | null } };
    expect(dry.estimate.cost).toBeGreaterThan(0);

    const status = await runToEnd(task, args);
    expect(status.status, String(status.error)).toBe('SUCCESS');
    const table = String(status.results_table);
    const page = await world.request('GET /jobs/{jobID}/results', { pathParameters: { jobID: String(status.job_id) }, queryStringParameters: { limit: '1' } });
    expect(dry.columns.map(({ name, type }) => ({ name, type }))).toEqual((page.json?.data as { columns: unknown[] }).columns);
    // Its SQL types make the very columns the run made.
    const probe = `dry_${task}`;
    await pg.query(`CREATE TABLE "${probe}" (${dry.columns.map((c) => `"${c.name}" ${c.sql_type}`).join(', ')})`);
    const types = (t: string) => pg.query(`SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND attname <> '_row' ORDER BY attnum`, [`"${t}"`]);
    expect(await types(probe)).toEqual(await types(table));
  });

  it('bad input is a 400 naming the field, an unknown task a 404, a query the source cannot plan a 422; none records anything', async () => {
    const [items, messages] = [await world.itemCount(), await world.messageCount()];
    const bad = await world.request('POST /tasks/{taskName}/dry-run', { pathParameters: { taskName: 'get_orders_by_customer' }, body: '{"args": {"customer_id": "x"}}' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/^args\.customer_id: /) });
    const unknown = await world.request('POST /tasks/{taskName}/dry-run', { pathParameters: { taskName: 'constructor' }, body: '{}' });
    expect(unknown.json).toMatchObject({ code: 'task_not_found' });
    expect(unknown.statusCode).toBe(404);
    const noDb = await world.request('POST /tasks/{taskName}/dry-run', { pathParameters: { taskName: 'slow_query' }, body: '{"args": {"seconds": 1}, "db": "nope"}' });
    expect(noDb.statusCode).toBe(400);
    expect(noDb.json?.message).toMatch(/^db: /);
    // An untyped argument the source reads as a number: it cannot plan the query with it.
    const refused = await world.request('POST /tasks/{taskName}/dry-run', { pathParameters: { taskName: 'pg_untyped' }, body: '{"args": ["x"]}' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json).toMatchObject({ code: 'dry_run_failed', message: expect.stringMatching(/^the source database could not describe or plan the query: invalid input syntax for type integer/) });
    expect([await world.itemCount(), await world.messageCount()]).toEqual([items, messages]);
  });
});
