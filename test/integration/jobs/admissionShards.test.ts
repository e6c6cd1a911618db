/**
 * Admission with AWS's 32 index shards (DynamoDB Local's 2 let every round read the
 * whole roster, which hid this): an admission round reads its caller's roster shard
 * and a sample of the others first, and the rest when those hold no tenant ready. A
 * free slot must never stay empty while a job waits in a shard the sample missed:
 * before, a submit to an idle queue was admitted only when the random sample of 4
 * shards happened to hold its tenant (1 in 8), and an end's hand-over likewise, so
 * jobs waited for the next end or the sweeper (once a minute in AWS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopeId } from '../../../lib/identity/tenantScope.js';
import { INDEX_SHARDS } from '../../../lib/jobs/shardKey.js';
import { startAdmissionWorld, type AdmissionWorld } from '../../support/admissionWorld.js';
import { sleep, until } from '../../support/until.js';

const QUEUES = `
[queues.wide]
concurrency = 10
tenant_concurrency = 2

[queues.narrow]
concurrency = 2
tenant_concurrency = 1
`;
const TASKS = `
-- name: wide_nap
-- queue: wide
SELECT pg_sleep($1::float8) AS slept;

-- name: narrow_nap
-- queue: narrow
SELECT pg_sleep($1::float8) AS slept;
`;

let w: AdmissionWorld;
beforeAll(async () => {
  w = await startAdmissionWorld({ queues: QUEUES, tasks: TASKS, indexShards: INDEX_SHARDS });
}, 120_000);
afterAll(async () => {
  await w?.stop();
});

const tenants = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('admission with 32 roster shards', () => {
  it("admits each tenant's first job at its submit into an idle queue", async () => {
    const ids = tenants(10, 'idle');
    // One after another: each submit's own admission round must find its own tenant.
    for (const t of ids) expect((await w.submit(t, 'wide_nap', { job_id: `${t}-job`, args: ['2'] })).statusCode).toBe(200);
    const jobs = ids.map((t) => scopeId(t, `${t}-job`));
    const items = await w.app.store.getMany(jobs);
    expect(items.filter((j) => j.admitted !== true).map((j) => j.job_id), 'jobs left waiting with free slots').toEqual([]);
    await until('all ten ran', async () => (await w.app.store.getMany(jobs)).every((j) => j.status === 'SUCCESS'), { timeoutMs: 30_000 });
  }, 60_000);

  it('fills each slot an end frees while jobs of other tenants wait, whatever shard they are in', async () => {
    const ids = tenants(8, 'queued');
    for (const t of ids) expect((await w.submit(t, 'narrow_nap', { job_id: `${t}-job`, args: ['0.3'] })).statusCode).toBe(200);
    const jobs = ids.map((t) => scopeId(t, `${t}-job`));
    let most = 0;
    const sampling = (async () => {
      for (let done = false; !done; await sleep(50)) {
        const items = await w.app.store.getMany(jobs);
        most = Math.max(most, (await w.running()).filter((r) => r.jobId.startsWith('queued-')).length);
        done = items.every((j) => j.status === 'SUCCESS');
      }
    })();
    // Four rounds of two 0.3 s jobs; no sweeper runs here, so a slot left empty would leave jobs waiting for good.
    await until('all eight ran', async () => (await w.app.store.getMany(jobs)).every((j) => j.status === 'SUCCESS'), { timeoutMs: 20_000 });
    await sampling;
    expect(most, 'the queue runs at most its concurrency').toBeLessThanOrEqual(2);
  }, 60_000);
});
