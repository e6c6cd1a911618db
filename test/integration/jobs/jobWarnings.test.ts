/**
 * A job's warnings (values its results database could not hold, stored as NULL)
 * on its record in DynamoDB Local: written by the SUCCESS write, capped, answered
 * as a list by the job status, its completion event, a group's member view and
 * the recent-jobs listing, read from its index (an empty list when there are
 * none), as the answer schemas say.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { groupStatus } from '../../../lib/groups/groupStatus.js';
import { submitGroup } from '../../../lib/lifecycle/submitGroup.js';
import { jobStatus } from '../../../lib/jobs/jobStatus.js';
import { listRecentJobs } from '../../../lib/jobs/listRecentJobs.js';
import { jobEvent } from '../../../lib/notify/completionEvent.js';
import { submitJob } from '../../../lib/jobs/submitJob.js';
import { MAX_WARNING_CHARS, MAX_WARNINGS } from '../../../lib/limits.js';
import * as answers from '../../../lib/openapi/responseSchemas.js';
import { startStateWorld, type StateWorld } from '../../support/stateWorld.js';
import { endJob } from '../../../lib/lifecycle/endJob.js';
import { failed, succeeded } from '../../../lib/jobs/jobEndings.js';

let w: StateWorld;
beforeAll(async () => {
  w = await startStateWorld();
}, 120_000);
afterAll(async () => {
  await w?.stop();
});

const deps = () => ({ config: w.config, tasks: w.tasks, store: w.store, groups: w.groups, queue: w.queue, log: w.log });
const strictJobStatus = z.strictObject(answers.jobStatus.shape);
const strictRecentJob = z.strictObject(answers.recentJob.shape);

/** A job as GET /jobs lists it, read from the recent index (which projects only the listed fields). */
async function listed(jobId: string) {
  const page = await listRecentJobs({ store: w.store }, { filter: { task: 't' }, limit: 100 });
  return strictRecentJob.parse(page.jobs.find((j) => j.job_id === jobId));
}

/** Submits a job of task `t`, claims its message as a worker would, and returns the claimed attempt. */
async function claimed(jobId: string) {
  await submitJob(deps(), 't', { job_id: jobId, args: ['1'] });
  const [message] = (await w.receive('q')).filter((m) => m.job_id === jobId);
  return (await w.store.claim(message!, Date.now() + 30_000))!;
}

describe('warnings on the SUCCESS write', () => {
  it('are recorded on the item and answered by the job status and the listing', async () => {
    const job = await claimed('warn-1');
    const after = await endJob(w, job, succeeded(job, 3, 'results_warn-1', { warnings: ['column "v": 2 NaN value(s) stored as NULL'] }));
    expect(after).toMatchObject({ status: 'SUCCESS', warnings: ['column "v": 2 NaN value(s) stored as NULL'] });
    const stored = await w.store.get('warn-1');
    expect(stored?.warnings).toEqual(['column "v": 2 NaN value(s) stored as NULL']);
    expect(strictJobStatus.parse(jobStatus(stored!)).warnings).toEqual(['column "v": 2 NaN value(s) stored as NULL']);
    expect((await listed('warn-1')).warnings).toEqual(['column "v": 2 NaN value(s) stored as NULL']);
    // The completion event (webhook, SNS, EventBridge) carries the job's status as GET /jobs/{jobID} answers it.
    expect(jobEvent(stored!).job).toMatchObject({ job_id: 'warn-1', warnings: ['column "v": 2 NaN value(s) stored as NULL'] });
  });

  it('none: no attribute on the item, an empty list in every answer', async () => {
    const job = await claimed('warn-none');
    await endJob(w, job, succeeded(job, 1, 'results_warn-none', { warnings: [] }));
    const stored = await w.store.get('warn-none');
    expect(stored).toMatchObject({ status: 'SUCCESS' });
    expect(stored).not.toHaveProperty('warnings');
    expect(strictJobStatus.parse(jobStatus(stored!)).warnings).toEqual([]);
    expect((await listed('warn-none')).warnings).toEqual([]);
    // A failure records none either.
    const failing = await claimed('warn-failed');
    expect(jobStatus((await endJob(w, failing, failed(failing, 'boom')))!).warnings).toEqual([]);
  });

  it(`are capped at ${MAX_WARNINGS} lines of ${MAX_WARNING_CHARS} characters on the item`, async () => {
    const job = await claimed('warn-many');
    const many = Array.from({ length: 500 }, (_, i) => `column "c${i}": ${'NaN '.repeat(1000)}`);
    await endJob(w, job, succeeded(job, 1, 'results_warn-many', { warnings: many }));
    const stored = (await w.store.get('warn-many'))!;
    expect(stored.warnings).toHaveLength(MAX_WARNINGS);
    for (const line of stored.warnings!) expect([...line].length).toBeLessThanOrEqual(MAX_WARNING_CHARS);
    expect(stored.warnings![0]!.startsWith('column "c0": NaN')).toBe(true);
    expect(stored.warnings!.at(-1)).toBe(`… and ${500 - MAX_WARNINGS + 1} more warning(s)`);
  });

  it("a group member's view carries its warnings; a member without any has an empty list", async () => {
    await submitGroup(deps(), { group_id: 'warn-g', concurrency: 2, jobs: [{ task: 't', job_id: 'warn-g1', args: ['1'] }, { task: 't', job_id: 'warn-g2', args: ['1'] }] });
    const messages = (await w.receive('q')).filter((m) => m.job_id.startsWith('warn-g'));
    expect(messages).toHaveLength(2);
    for (const m of messages) {
      const job = (await w.store.claim(m, Date.now() + 30_000))!;
      await endJob(w, job, succeeded(job, 1, `results_${m.job_id}`, { warnings: m.job_id === 'warn-g1' ? ['column "x": 1 Infinity value(s) stored as NULL'] : [] }));
    }
    const status = z.strictObject(answers.groupStatus.shape).parse(await groupStatus(deps(), 'warn-g'));
    expect(status.jobs.map((j) => [j.job_id, j.warnings])).toEqual([
      ['warn-g1', ['column "x": 1 Infinity value(s) stored as NULL']],
      ['warn-g2', []],
    ]);
  });
});
