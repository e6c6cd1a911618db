/**
 * Typed task parameters end to end (local stack, real PostgreSQL): equivalent
 * values are one reuse key, so "42" then 42 with `max_age` runs the source once;
 * and an identifier parameter never puts a name outside its allowlist into the
 * SQL, checked on the statements the database received. The source's runs and
 * their statements are read from pg_stat_activity (each run sleeps long enough
 * to be seen), by the run tag every run sets as its application_name.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eStack } from '../support/e2eStack.js';
import { e2eConfig, queue } from '../support/configToml.js';
import { watchSourceRuns, type SourceRuns } from '../support/sourceRuns.js';

const PROBE = 'typed-probe';
const ALLOWED = ['n', 'tag', 'label'];
const TASKS = `
-- name: report
-- db: pg
-- results: pg_res
-- queue: fast
-- param: customer_id int required
-- param: since date default 2024-01-01
-- param: pause numeric default 0.4
-- param: sort identifier(${ALLOWED.join(',')}) default n
SELECT '${PROBE}' AS tag, g AS n, $1::int AS customer_id, $2::date AS since, 'x' || g AS label
FROM generate_series(1, 3) g, pg_sleep($3)
ORDER BY {{sort}} DESC
`;

let world: E2eStack;
let runs: SourceRuns;

beforeAll(async () => {
  world = await startE2eStack({
    prefix: 'typed',
    tasks: TASKS,
    config: (dbs) => e2eConfig(dbs, { db: { pg: 'pg' }, results: { pg_res: 'pg' }, queues: { fast: queue(4) } }),
  });
  runs = await watchSourceRuns(world.dbs.name, PROBE);
}, 180_000);

afterAll(async () => {
  await runs?.stop();
  await world?.stop();
});

const runsNow = () => runs.count();

describe('a task with declared parameters', () => {
  it('is listed with its parameters, and has its own job body in /openapi.json', async () => {
    const tasks = await world.api.get('/tasks');
    expect(tasks.body.data[0].params.map((p: { name: string; type: string }) => `${p.name} ${p.type}`)).toEqual([
      'customer_id int', 'since date', 'pause numeric', 'sort identifier',
    ]);
    const doc = await world.api.get('/openapi.json');
    expect((doc.body as any).paths['/tasks/report/jobs'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/SubmitJobBody_report');
  });

  it('answers a bad argument with a 400 naming the parameter, and records nothing', async () => {
    const res = await world.api.post('/tasks/report/jobs', { job_id: 'bad-1', args: { customer_id: 'abc' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'error', code: 'invalid_request' });
    expect(res.body.message).toMatch(/^args\.customer_id: expected an integer/);
    expect((await world.api.get('/jobs/bad-1')).status).toBe(404);
  });

  it('runs the source once for "42" then 42 (and two spellings of one date) with max_age', async () => {
    const before = await runsNow();
    const first = await world.api.post('/tasks/report/jobs', { job_id: 'eq-1', args: { customer_id: '42', since: '2024-03-01' }, max_age: 600 });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(await world.api.waitFor('eq-1')).toMatchObject({ status: 'SUCCESS', reused_from: null, count: 3 });
    expect(await runsNow()).toBe(before + 1);
    const second = await world.api.post('/tasks/report/jobs', { job_id: 'eq-2', args: [42, '20240301', 0.40, 'n'], max_age: 600 });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(await world.api.waitFor('eq-2')).toMatchObject({ status: 'SUCCESS', reused_from: 'eq-1', count: 3 });
    expect(await runsNow()).toBe(before + 1);
  });

  it('never sends a name outside the allowlist: every statement received orders by an allowed, quoted name', async () => {
    const near = fc.constantFrom(...ALLOWED.flatMap((a) => [a, a.toUpperCase(), ` ${a}`, `${a}"`, `"${a}"`, `${a}; SELECT 1`, `${a} --`]));
    const hostile = fc.constantFrom('n DESC, (SELECT pg_sleep(5))', 'tag) x; DROP TABLE t; --', '"n"', 'n`', '1', 'pg_catalog.pg_class', '');
    const values = fc.sample(fc.oneof(fc.constantFrom(...ALLOWED), near, hostile, fc.string({ maxLength: 6 })), { numRuns: 40, seed: 25 });
    const before = await runsNow();
    const accepted: string[] = [];
    // One at a time: concurrent requests would each cold-start a handler under serverless offline.
    // Each run sleeps 1 s, long enough for the 50 ms watcher to see it on a loaded machine.
    for (const [i, sort] of values.entries()) {
      {
        const res = await world.api.post('/tasks/report/jobs', { job_id: `id-${i}`, args: { customer_id: i, pause: 1, sort } });
        if (ALLOWED.includes(sort)) {
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          accepted.push(`id-${i}`);
        } else {
          expect(res.status, `${JSON.stringify(sort)} ${JSON.stringify(res.body)}`).toBe(400);
          expect(res.body.message).toMatch(/^args\.sort: expected one of the names "n", "tag", "label"/);
        }
      }
    }
    expect(accepted.length).toBeGreaterThan(3);
    for (const id of accepted) expect((await world.api.waitFor(id, undefined, 60_000)).status).toBe('SUCCESS');
    expect(await runsNow()).toBe(before + accepted.length);
    const statements = [...runs.runs.values()];
    const orderBy = statements.map((q) => /ORDER BY (.*?) DESC\b/.exec(q)?.[1]);
    expect(orderBy.every((name) => name !== undefined && ALLOWED.map((a) => `"${a}"`).includes(name)), orderBy.join(', ')).toBe(true);
    expect(new Set(orderBy.slice(-accepted.length))).toEqual(new Set(values.filter((v) => ALLOWED.includes(v)).map((a) => `"${a}"`)));
  });
});
