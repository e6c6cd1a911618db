/**
 * Job groups end to end: the local stack against the real PostgreSQL server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../scripts/localStack.js';
import { apiClient } from '../support/api.js';
import { startE2eStack, type E2eStack } from '../support/e2eStack.js';
import { e2eConfig, queue } from '../support/configToml.js';
import type { TestDatabases } from '../support/testDatabases.js';

const TASKS = `
-- name: sleepy
-- Sleeps $1 seconds; the comment marks it in pg_stat_activity.
SELECT 'group-e2e-marker' AS marker, pg_sleep($1::float) AS slept;

-- name: quick
SELECT $1::text AS v;

-- name: failing
SELECT 1 / (SELECT count(*) FROM pg_class WHERE false)::int AS boom;
`;

let world: E2eStack;
let stack: LocalStack;
let dbs: TestDatabases;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  world = await startE2eStack({
    prefix: 'groups',
    tasks: TASKS,
    config: (dbs) =>
      e2eConfig(dbs, { db: { pg: { on: 'pg', max_active: 30 } }, results: { res: { on: 'pg', max_active: 30 } }, queues: { sqljob_queue: queue(8) } }),
  });
  ({ stack, dbs, api } = world);
}, 180_000);

afterAll(async () => {
  await world?.stop();
});

/** Sleep queries of this test running on the server right now. */
async function runningOnServer(): Promise<number> {
  const [row] = await dbs.pg(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%group-e2e-marker%' AND query NOT LIKE '%pg_stat_activity%' AND state = 'active'`,
  );
  return row!.n as number;
}

/** Task queries past their start-up (describe, type lookup) and in their sleep: those a cancel must kill. */
async function sleepingOnServer(): Promise<number> {
  const [row] = await dbs.pg(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%group-e2e-marker%' AND query NOT LIKE '%pg_stat_activity%' AND state = 'active' AND wait_event = 'PgSleep'`,
  );
  return row!.n as number;
}

async function waitForGroup(id: string, states: string[], timeoutMs = 60_000, onPoll?: (data: any) => void, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    const res = await api.get(`/groups/${id}`);
    // A 200 without data is serverless offline's answer to a function that ran out its time: noted, and polled again.
    if (res.status === 200 && res.body?.data === undefined) console.warn(`GET /groups/${id} answered 200 without data: ${JSON.stringify(res.body)?.slice(0, 300)}`);
    else last = res.body?.data;
    if (res.status === 200 && last) onPoll?.(last);
    if (res.status === 200 && states.includes(last?.status)) return last;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`group ${id} did not reach ${states.join('/')}; last: ${JSON.stringify(last)?.slice(0, 2000)}`);
}

describe('groups', () => {
  it('never runs more than `concurrency` members at once, and reaches the limit', async () => {
    const jobs = Array.from({ length: 12 }, (_, i) => ({ job_id: `peak-${i}`, task: 'sleepy', args: ['0.7'] }));
    const res = await api.post('/groups', { group_id: 'peak', concurrency: 3, jobs });
    expect(res.status).toBe(200);
    expect(res.body.data.group_id).toBe('peak');
    expect(res.body.data.jobs).toHaveLength(12);
    expect(res.body.data.jobs[0]).toEqual({ job_id: 'peak-0', task_name: 'sleepy', task: 'sleepy', queue: 'sqljob_queue', eta: null, retries: 0 });
    let peakStatus = 0;
    let peakServer = 0;
    const sampler = setInterval(async () => {
      peakServer = Math.max(peakServer, await runningOnServer().catch(() => 0));
    }, 40);
    const done = await waitForGroup('peak', ['SUCCESS', 'FAILURE'], 60_000, (g) => {
      peakStatus = Math.max(peakStatus, g.jobs.filter((j: any) => j.status === 'STARTED').length);
    });
    clearInterval(sampler);
    console.log(`group peak: ${peakStatus} STARTED in the job records, ${peakServer} queries on the server (limit 3)`);
    expect(done.status, JSON.stringify(done.jobs.filter((j: any) => j.status !== 'SUCCESS'))).toBe('SUCCESS');
    expect(done.jobs.map((j: any) => j.job_id)).toEqual(jobs.map((j) => j.job_id));
    expect(done.jobs.every((j: any) => j.status === 'SUCCESS' && j.count === 1)).toBe(true);
    expect(peakStatus).toBe(3);
    expect(peakServer).toBeLessThanOrEqual(3);
    expect(peakServer).toBeGreaterThanOrEqual(2);
  });

  it('retries failing members inside the limit and ends in FAILURE', async () => {
    const jobs = [
      { job_id: 'mixed-ok-1', task: 'quick', args: ['a'] },
      { job_id: 'mixed-bad-1', task: 'failing', retries: 1 },
      { job_id: 'mixed-ok-2', task: 'quick', args: ['b'] },
      { job_id: 'mixed-bad-2', task: 'failing', retries: 1 },
    ];
    expect((await api.post('/groups', { group_id: 'mixed', concurrency: 1, jobs })).status).toBe(200);
    const done = await waitForGroup('mixed', ['SUCCESS', 'FAILURE', 'CANCELLED']);
    expect(done.status).toBe('FAILURE');
    const byId = Object.fromEntries(done.jobs.map((j: any) => [j.job_id, j]));
    expect(byId['mixed-ok-1']).toMatchObject({ status: 'SUCCESS', count: 1 });
    expect(byId['mixed-ok-2']).toMatchObject({ status: 'SUCCESS', count: 1 });
    expect(byId['mixed-bad-1']).toMatchObject({ status: 'FAILURE', attempt: 2 });
    expect(byId['mixed-bad-2'].error).toContain('division by zero');
    // With concurrency 1, members ran strictly one after another, retries included.
    const records = await Promise.all(jobs.map(async (j) => (await api.get(`/jobs/${j.job_id}`)).body.data));
    const spans = records.map((r) => [Date.parse(r.started_at), Date.parse(r.finished_at)]).sort((a, b) => a[0]! - b[0]!);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]! - 5);
  });

  it('cancels a group mid-run: running queries are killed, the rest never run', async () => {
    const jobs = Array.from({ length: 8 }, (_, i) => ({ job_id: `cancel-${i}`, task: 'sleepy', args: ['30'] }));
    expect((await api.post('/groups', { group_id: 'cancel-me', concurrency: 2, jobs })).status).toBe(200);
    await waitForGroup('cancel-me', ['STARTED']);
    const deadline = Date.now() + 10_000;
    // A query's start-up steps come and go from the server's list; its sleep stays until killed.
    while ((await sleepingOnServer()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await sleepingOnServer()).toBe(2);
    expect(await runningOnServer()).toBe(2);
    const cancelledAt = Date.now();
    const res = await api.del('/groups/cancel-me');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ group_id: 'cancel-me', status: 'CANCELLED', cancelled: 8 });
    while ((await runningOnServer()) > 0 && Date.now() - cancelledAt < 5000) await new Promise((r) => setTimeout(r, 50));
    expect(await runningOnServer()).toBe(0);
    console.log(`group cancel freed the server in ${Date.now() - cancelledAt} ms`);
    await new Promise((r) => setTimeout(r, 1000));
    const after = (await api.get('/groups/cancel-me')).body.data;
    expect(after.status).toBe('CANCELLED');
    expect(after.jobs.map((j: any) => j.status)).toEqual(Array(8).fill('CANCELLED'));
    expect(await dbs.pg(`SELECT tablename FROM pg_tables WHERE tablename LIKE 'results_cancel-%' OR tablename LIKE 'sqljobber_tmp_%'`)).toEqual([]);
    expect((await api.del('/groups/cancel-me')).status).toBe(409);
    const purge = await api.del('/groups/cancel-me?purge=true');
    expect(purge.status).toBe(200);
    expect((await api.get('/groups/cancel-me')).status).toBe(404);
    expect((await api.get('/jobs/cancel-0')).status).toBe(404);
  });

  it.each([
    ['an unknown task', [{ job_id: 'v-1', task: 'quick', args: ['x'] }, { job_id: 'v-2', task: 'nope' }], 'jobs[1] (job_id "v-2"): unknown task "nope"'],
    ['bad args', [{ job_id: 'v-1', task: 'quick', args: ['x'] }, { job_id: 'v-2', task: 'quick', args: [] }], 'jobs[1] (job_id "v-2"): args: task "quick" takes 1 argument(s), got 0'],
    ['two jobs with one ID', [{ job_id: 'v-1', task: 'quick', args: ['x'] }, { job_id: 'v-1', task: 'quick', args: ['y'] }], 'jobs[1] (job_id "v-1"): job_id "v-1" is also used by jobs[0]'],
    ['a job that is not an object', [{ job_id: 'v-1', task: 'quick', args: ['x'] }, 5], 'jobs[1]: expected a JSON object'],
    ['no jobs', [], 'jobs: a group needs at least one job'],
  ])('refuses a group with %s and records nothing', async (_what, jobs, message) => {
    const res = await api.post('/groups', { group_id: 'invalid', concurrency: 2, jobs });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(message);
    expect((await api.get('/groups/invalid')).status).toBe(404);
    expect((await api.get('/jobs/v-1')).status).toBe(404);
  });

  it('refuses a group with a job ID that is still running, and an active group ID', async () => {
    expect((await api.post('/tasks/sleepy/jobs', { job_id: 'busy', args: ['3'] })).status).toBe(200);
    const res = await api.post('/groups', { group_id: 'clash', jobs: [{ job_id: 'free-1', task: 'quick', args: ['x'] }, { job_id: 'busy', task: 'quick', args: ['y'] }] });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^jobs\[1\] \(job_id "busy"\): a job with this ID is still (PENDING|STARTED)$/);
    expect((await api.get('/jobs/free-1')).status).toBe(404);
    expect((await api.get('/groups/clash')).status).toBe(404);

    expect((await api.post('/groups', { group_id: 'twice', jobs: [{ job_id: 'twice-1', task: 'sleepy', args: ['2'] }] })).status).toBe(200);
    const again = await api.post('/groups', { group_id: 'twice', jobs: [{ job_id: 'twice-2', task: 'quick', args: ['x'] }] });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('group "twice" is still running');
    expect((await api.get('/jobs/twice-2')).status).toBe(404);
  });

  it('answers 404 for an unknown group', async () => {
    const res = await api.get('/groups/no-such-group');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ status: 'error', code: 'group_not_found', message: 'unknown group "no-such-group"', data: null });
  });

  // 150 members: two submit chunks and two member pages, and a group limit (6) below the queue's (8), so
  // the peak check can fail; larger groups are for bench/, not npm test.
  it('runs a 150-job group (two member pages) with concurrency 6 and accounts for every job', async () => {
    const jobs = Array.from({ length: 150 }, (_, i) => ({ job_id: `big-${i}`, task: 'quick', args: [String(i)] }));
    const started = Date.now();
    const res = await api.post('/groups', { group_id: 'big', concurrency: 6, jobs });
    expect(res.status).toBe(200);
    let peak = 0;
    const done = await waitForGroup(
      'big',
      ['SUCCESS', 'FAILURE'],
      240_000,
      (g) => {
        peak = Math.max(peak, g.counts.STARTED ?? 0);
      },
      250,
    );
    console.log(`150-job group: ${((Date.now() - started) / 1000).toFixed(1)} s, peak ${peak} STARTED (limit 6)`);
    expect(done.status).toBe('SUCCESS');
    expect(done.total).toBe(150);
    expect(done.counts).toEqual({ SUCCESS: 150 });
    expect(done.jobs.map((j: any) => j.job_id)).toEqual(jobs.map((j) => j.job_id));
    expect(peak).toBeLessThanOrEqual(6);
    expect(peak).toBeGreaterThanOrEqual(2);
  }, 300_000);
});
