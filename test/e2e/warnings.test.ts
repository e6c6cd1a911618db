/**
 * End to end on the local stack: a value the results database cannot hold (NaN
 * or ±Infinity into a MySQL DOUBLE) is stored as NULL and reported in the job's
 * `warnings`; the job still succeeds. Its status, the recent-jobs listing and a
 * job that reuses its result (max_age) answer the warnings; a PostgreSQL
 * results database keeps the same values and answers none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import * as answers from '../../lib/openapi/responseSchemas.js';
import { startE2eStack, type E2eStack } from '../support/e2eStack.js';
import { e2eConfig, queue } from '../support/configToml.js';

const QUERY = `SELECT 1 AS n, 'NaN'::real AS v, '-Infinity'::float8 AS w, 1.5::real AS ok;`;
const TASKS = `
-- name: nan_my
-- db: pg
-- results: my_res
-- queue: fast
${QUERY}

-- name: nan_pg
-- db: pg
-- results: pg_res
-- queue: fast
${QUERY}
`;

let world: E2eStack;

beforeAll(async () => {
  world = await startE2eStack({
    prefix: 'e2e_warn',
    tasks: TASKS,
    config: (dbs) => e2eConfig(dbs, { db: { pg: 'pg' }, results: { pg_res: 'pg', my_res: 'my' }, queues: { fast: queue(2) } }),
  });
}, 180_000);

afterAll(async () => {
  await world?.stop();
});

describe('values a MySQL results database cannot hold', () => {
  it('NaN and -Infinity into a MySQL DOUBLE: SUCCESS, stored as NULL, one warning per column', async () => {
    const { api, dbs } = world;
    expect((await api.post('/tasks/nan_my/jobs', { job_id: 'warn-my' })).status).toBe(200);
    const job = z.strictObject(answers.jobStatus.shape).parse(await api.waitFor('warn-my'));
    expect(job, job.error).toMatchObject({ status: 'SUCCESS', count: 1, error: '' });
    // One line per column and reason, naming the column.
    expect(job.warnings).toHaveLength(2);
    expect(job.warnings.filter((w) => w.includes('"v"'))).toHaveLength(1);
    expect(job.warnings.filter((w) => w.includes('"w"'))).toHaveLength(1);

    expect(await dbs.mysql('SELECT n, v, w, ok FROM `results_warn-my`')).toEqual([{ n: '1', v: null, w: null, ok: 1.5 }]);
    const page = await api.get('/jobs/warn-my/results');
    expect(page.status).toBe(200);
    expect(page.body.data.rows).toEqual([['1', null, null, 1.5]]);

    const listed = await api.get('/jobs?task=nan_my');
    expect(listed.body.data.jobs.find((j: { job_id: string }) => j.job_id === 'warn-my')?.warnings).toEqual(job.warnings);

    // A job that reuses this result holds the same NULLs: it carries the same warnings.
    expect((await api.post('/tasks/nan_my/jobs', { job_id: 'warn-my-reused', max_age: 600 })).status).toBe(200);
    const reused = await api.waitFor('warn-my-reused');
    expect(reused).toMatchObject({ status: 'SUCCESS', reused_from: 'warn-my', warnings: job.warnings });
  });

  it('a PostgreSQL results database keeps NaN and -Infinity: no warnings', async () => {
    const { api } = world;
    expect((await api.post('/tasks/nan_pg/jobs', { job_id: 'warn-pg' })).status).toBe(200);
    const job = await api.waitFor('warn-pg');
    expect(job).toMatchObject({ status: 'SUCCESS', count: 1, warnings: [] });
    expect((await api.get('/jobs/warn-pg/results')).body.data.rows).toEqual([['1', 'NaN', '-Infinity', 1.5]]);
  });
});
