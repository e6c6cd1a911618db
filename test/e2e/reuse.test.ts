/**
 * Result reuse and coalescing end to end (local stack, real PostgreSQL): a job
 * with `max_age` copies a recent identical result, or waits for an identical job
 * in flight, instead of running the query again. The source's query runs are
 * counted by watching pg_stat_activity (each run sleeps long enough to be seen),
 * by the run tag every run sets as its application_name: one backend shows a run
 * under more than one query_start (parse, then execute), so pid@query_start can
 * count one run twice.
 */
import { apiClient } from '../support/api.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../support/until.js';
import { startE2eStack, type E2eStack } from '../support/e2eStack.js';
import { e2eConfig, queue } from '../support/configToml.js';
import { watchSourceRuns, type SourceRuns } from '../support/sourceRuns.js';

const PROBE = 'reuse-probe';
const TASKS = `
-- name: report
-- db: pg
-- results: pg_res
-- queue: fast
SELECT '${PROBE}' AS tag, g AS n, $1::text AS arg FROM generate_series(1, 5) g, pg_sleep($2::float);
`;

let world: E2eStack;
let runs: SourceRuns;

beforeAll(async () => {
  world = await startE2eStack({
    prefix: 'reuse',
    tasks: TASKS,
    config: (dbs) => e2eConfig(dbs, { db: { pg: 'pg' }, results: { pg_res: 'pg' }, queues: { fast: queue(4) } }),
  });
  runs = await watchSourceRuns(world.dbs.name, PROBE);
}, 180_000);

afterAll(async () => {
  await runs?.stop();
  await world?.stop();
});

const submit = async (jobId: string, args: string[], extra: Record<string, unknown> = {}) => {
  const res = await world.api.post('/tasks/report/jobs', { job_id: jobId, args, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
};
const rowsOf = (table: string) => world.dbs.pg(`SELECT tag, n::text, arg FROM "${table}" ORDER BY n`);
const runsNow = () => runs.count();

describe('max_age in a job request', () => {
  it.each([0, 604_801, 1.5, '10', -1])('refuses max_age = %j with 400', async (maxAge) => {
    const res = await world.api.post('/tasks/report/jobs', { args: ['x', '0'], max_age: maxAge });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^max_age: /);
  });
});

describe('reuse', () => {
  it('copies a recent identical result: SUCCESS with reused_from, the same rows in its own table, its own TTL, no query', async () => {
    await submit('ru-a', ['a', '1'], { ttl: 600 });
    const a = await world.api.waitFor('ru-a');
    expect(a.reused_from).toBeNull();
    const before = await runsNow();
    expect(before).toBe(1);
    await submit('ru-b', ['a', '1'], { max_age: 300, ttl: 120 });
    const b = await world.api.waitFor('ru-b');
    expect(b).toMatchObject({ status: 'SUCCESS', reused_from: 'ru-a', count: 5, results_table: 'results_ru-b', ttl: 120 });
    expect(await rowsOf('results_ru-b')).toEqual(await rowsOf('results_ru-a'));
    expect((await rowsOf('results_ru-b')).length).toBe(5);
    expect(Math.abs(Date.parse(b.expires_at) - Date.parse(b.finished_at) - 120_000)).toBeLessThan(1000);
    // Its table is its own: it stays when the original goes.
    expect((await world.api.del('/jobs/ru-a?purge=true')).status).toBe(200);
    expect((await rowsOf('results_ru-b')).length).toBe(5);
    expect(await runsNow()).toBe(before);
  });

  it("keys a tenant's result to its tenant: the tenant reuses it, the default tenant runs its own", async () => {
    const tenant = apiClient(world.stack.url, { 'x-tenant-id': 'reuse-tenant' });
    const start = await runsNow();
    expect((await tenant.post('/tasks/report/jobs', { job_id: 'ru-t1', args: ['t', '1'] })).status).toBe(200);
    expect(await tenant.waitFor('ru-t1')).toMatchObject({ status: 'SUCCESS', reused_from: null });
    expect((await tenant.post('/tasks/report/jobs', { job_id: 'ru-t2', args: ['t', '1'], max_age: 300 })).status).toBe(200);
    expect(await tenant.waitFor('ru-t2')).toMatchObject({ status: 'SUCCESS', reused_from: 'ru-t1' });
    await submit('ru-t3', ['t', '1'], { max_age: 300 });
    expect(await world.api.waitFor('ru-t3')).toMatchObject({ status: 'SUCCESS', reused_from: null });
    expect(await runsNow()).toBe(start + 2);
  });

  it('runs the query when the args differ, when the result is older than max_age, or when its table is gone', async () => {
    const start = await runsNow();
    await submit('ru-other', ['other', '1'], { max_age: 300 });
    expect((await world.api.waitFor('ru-other')).reused_from).toBeNull();
    expect(await runsNow()).toBe(start + 1);

    await submit('ru-c1', ['c', '1']);
    await world.api.waitFor('ru-c1');
    await sleep(2_100);
    await submit('ru-c2', ['c', '1'], { max_age: 1 });
    expect((await world.api.waitFor('ru-c2')).reused_from).toBeNull();
    expect(await runsNow()).toBe(start + 3);

    await world.dbs.pg('DROP TABLE "results_ru-c2"');
    await submit('ru-c3', ['c', '1'], { max_age: 300 });
    const c3 = await world.api.waitFor('ru-c3');
    expect(c3).toMatchObject({ status: 'SUCCESS', reused_from: null, count: 5 });
    expect(await runsNow()).toBe(start + 4);
  });
});

describe('coalescing', () => {
  it('runs the query once for identical jobs asked at the same moment; the others reuse its result', async () => {
    const start = await runsNow();
    const ids = ['co-1', 'co-2', 'co-3', 'co-4'];
    await Promise.all(ids.map((id) => submit(id, ['co', '3'], { max_age: 300 })));
    const jobs = await Promise.all(ids.map((id) => world.api.waitFor(id, undefined, 60_000)));
    expect(jobs.every((j) => j.status === 'SUCCESS' && j.count === 5)).toBe(true);
    const leaders = jobs.filter((j) => j.reused_from === null);
    expect(leaders.length).toBe(1);
    expect(jobs.filter((j) => j.reused_from === leaders[0].job_id).length).toBe(3);
    expect(await runsNow()).toBe(start + 1);
    for (const id of ids) expect((await rowsOf(`results_${id}`)).length).toBe(5);
  });

  it('a twin that is cancelled leaves the waiting job to run on its own', async () => {
    const start = await runsNow();
    await submit('cx-lead', ['cx', '10'], { max_age: 300 });
    await world.api.waitFor('cx-lead', ['STARTED']);
    await submit('cx-wait', ['cx', '10'], { max_age: 300 });
    await sleep(1_500);
    expect((await world.api.get('/jobs/cx-wait')).body.data.status).toBe('PENDING');
    expect((await world.api.del('/jobs/cx-lead')).status).toBe(200);
    const w = await world.api.waitFor('cx-wait', undefined, 60_000);
    expect(w).toMatchObject({ status: 'SUCCESS', reused_from: null, count: 5 });
    expect(await runsNow()).toBe(start + 2);
  });
});

describe('groups', () => {
  it('accept max_age per member', async () => {
    const start = await runsNow();
    const res = await world.api.post('/groups', {
      group_id: 'ru-group',
      concurrency: 2,
      jobs: [
        { task: 'report', job_id: 'rg-1', args: ['g', '2'], max_age: 300 },
        { task: 'report', job_id: 'rg-2', args: ['g', '2'], max_age: 300 },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const jobs = await Promise.all(['rg-1', 'rg-2'].map((id) => world.api.waitFor(id, undefined, 60_000)));
    expect(jobs.map((j) => j.reused_from).sort()).toEqual([null, jobs.find((j) => j.reused_from === null)!.job_id].sort());
    expect(await runsNow()).toBe(start + 1);
    expect((await world.api.get('/groups/ru-group?wait=5')).body.data.status).toBe('SUCCESS');
  });
});
