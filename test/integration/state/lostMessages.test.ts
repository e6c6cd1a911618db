/**
 * Lost messages (the resender), dead letters and ETAs against DynamoDB Local and
 * fauxqs: no waiting job waits forever, every dead-lettered message's job fails,
 * and a job never starts before its ETA.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbPools } from '../../../lib/db/createDbPools.js';
import { submitGroup } from '../../../lib/groups/submitGroup.js';
import { newJobItem } from '../../../lib/jobs/newJobItem.js';
import { parseJobRequest } from '../../../lib/jobs/parseJobRequest.js';
import { runJob } from '../../../lib/jobs/runJob.js';
import { submitJob } from '../../../lib/jobs/submitJob.js';
import { sweepDeadLetters } from '../../../lib/jobs/sweepDeadLetters.js';
import { sweepWaiting } from '../../../lib/jobs/sweepWaiting.js';
import type { JobItem, JobMessage } from '../../../lib/jobs/types.js';
import { awsError, startStateWorld, type StateWorld } from '../../support/stateWorld.js';

let w: StateWorld;
beforeAll(async () => {
  w = await startStateWorld({ app: 'resend_after = "2s"' });
}, 120_000);
afterAll(async () => {
  await w?.stop();
});
beforeEach(async () => {
  w.ddbFaults.clear();
  w.sqsFaults.clear();
  // Each test counts only its own jobs: what earlier tests left waiting is cancelled.
  for (const j of await w.jobs()) if (['PENDING', 'RETRY', 'STARTED'].includes(j.status) && !j.purged) await w.store.cancel(j.job_id);
  await w.receive('q');
});

const deps = () => ({ config: w.config, tasks: w.tasks, store: w.store, groups: w.groups, queue: w.queue, log: w.log });
let seq = 0;
const uid = (p: string) => `${p}-${++seq}-${Date.now().toString(36)}`;
const ids = (ms: JobMessage[]) => ms.map((m) => m.job_id).sort();
/** A sweep as if `s` seconds from now (past every due time + resend_after that matters here). */
const sweepIn = (s: number) => sweepWaiting(deps(), Date.now() + s * 1000);
const sendFails = () => w.sqsFaults.add({ command: 'SendMessageCommand', times: 1, error: () => awsError('InternalError') });

describe('4: the sweeper resends lost messages', () => {
  it('a RETRY whose send failed: resent once overdue by resend_after, once only, and claimable', async () => {
    const id = uid('retry');
    await submitJob(deps(), 't', { job_id: id, args: ['1'], retries: 1 });
    const [m0] = await w.receive('q');
    const job = (await w.store.claim(m0!, Date.now() + 30_000))!;
    // The worker writes RETRY, then its send fails.
    await w.store.retry(job, 'boom', Date.now());
    expect(await sweepIn(1)).toMatchObject({ resent: 0 });
    expect(await sweepIn(3)).toMatchObject({ resent: 1 });
    const again = await w.receive('q');
    expect(again).toEqual([{ job_id: id, run_id: job.run_id, queue: 'q', attempt: 1 }]);
    // Another sweeper at (about) the same moment finds it already resent.
    expect(await sweepIn(2)).toMatchObject({ resent: 0 });
    expect(await w.work(again[0]!, 'success')).toMatchObject({ status: 'SUCCESS', attempt: 2 });
    expect(await sweepIn(60)).toMatchObject({ resent: 0 });
  });

  it('a purged queue: every waiting job gets its message again; a claimed one does not', async () => {
    const [a, b, c] = [uid('a'), uid('b'), uid('c')];
    for (const id of [a, b, c]) await submitJob(deps(), 't', { job_id: id, args: ['1'] });
    const [first] = await w.receive('q', 0).then((ms) => ms.filter((m) => m.job_id === c));
    await w.store.claim(first!, Date.now() + 30_000);
    await w.purgeQueue('q');
    const out = await sweepIn(5);
    expect(out.resent).toBe(2);
    expect(ids(await w.receive('q'))).toEqual([a, b].sort());
  });

  it('a group dispatch whose send failed: the member is resent; a held member is not', async () => {
    const [a, b, c] = [uid('a'), uid('b'), uid('c')];
    await submitGroup(deps(), { group_id: uid('g'), concurrency: 1, jobs: [a, b, c].map((job_id) => ({ task: 't', job_id, args: ['1'] })) });
    const [ma] = await w.receive('q');
    sendFails();
    await w.work(ma!, 'success');
    expect(await w.receive('q')).toEqual([]);
    expect(await w.store.get(b)).toMatchObject({ status: 'PENDING', dispatched: true });
    const t = Date.now() + 5000;
    expect(await sweepWaiting(deps(), t)).toMatchObject({ resent: 1, dispatched: 0 });
    // Only b: c is held until b ends, whatever the sweeper does.
    expect(ids(await w.receive('q'))).toEqual([b]);
    // A sweep within resend_after of that resend sends nothing, and still holds c.
    expect(await sweepWaiting(deps(), t + 1000)).toMatchObject({ resent: 0, dispatched: 0 });
    expect(await w.receive('q')).toEqual([]);
  });

  it('a worker that died between a member\'s end and the hand-over: the sweeper dispatches the next member', async () => {
    const [a, b] = [uid('a'), uid('b')];
    await submitGroup(deps(), { group_id: uid('g'), concurrency: 1, jobs: [a, b].map((job_id) => ({ task: 't', job_id, args: ['1'] })) });
    const [ma] = await w.receive('q');
    const job = (await w.store.claim(ma!, Date.now() + 30_000))!;
    await w.store.succeed(job, 1, 'results_a');
    expect(await w.receive('q')).toEqual([]);
    expect(await sweepIn(5)).toMatchObject({ dispatched: 1 });
    expect(ids(await w.receive('q'))).toEqual([b]);
  });

  it('a job waiting for its ETA is not resent before it is overdue', async () => {
    const id = uid('eta');
    const eta = new Date(Date.now() + 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    await submitJob(deps(), 't', { job_id: id, args: ['1'], eta });
    expect((await sweepIn(60)).resent).toBe(0);
    expect((await sweepIn(3600 + 3)).resent).toBe(1);
  });
});

describe('8: the sharded pending index', () => {
  it('lists the waiting jobs of a queue from every shard, oldest first, and not the claimed ones', async () => {
    const mine = Array.from({ length: 40 }, (_, i) => uid(`list${i}`));
    for (const id of mine) await submitJob(deps(), 't', { job_id: id, args: ['1'] });
    const shards = new Set((await w.store.getMany(mine)).map((j) => j.pending_shard));
    expect(shards.size).toBeGreaterThan(10);
    const [m] = await w.receive('q').then((ms) => ms.filter((x) => x.job_id === mine[0]));
    await w.store.claim(m!, Date.now() + 30_000);
    const listed = (await w.store.listPending('q')).map((j) => j.job_id).filter((id) => mine.includes(id));
    expect(listed).toEqual(mine.slice(1));
  });
});

describe('6: dead letters', () => {
  it('marks FAILURE every waiting job whose message is in the dead-letter queue, however many (here 150) in one sweep', async () => {
    const task = w.tasks.get('t')!;
    const jobs: JobItem[] = Array.from({ length: 150 }, () => newJobItem(task, parseJobRequest({ job_id: uid('dl'), args: ['1'] }, task, w.config)));
    for (let i = 0; i < jobs.length; i += 100) await w.store.createMany(jobs.slice(i, i + 100));
    const sqs = new SQSClient({ endpoint: new URL(w.urlOf('q')).origin, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    for (let i = 0; i < jobs.length; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: `${w.urlOf('q')}-dlq`,
          Entries: jobs.slice(i, i + 10).map((j, n) => ({ Id: String(n), MessageBody: JSON.stringify({ job_id: j.job_id, run_id: j.run_id, queue: 'q', attempt: 0 }) })),
        }),
      );
    }
    sqs.destroy();
    const out = await sweepDeadLetters(deps());
    expect(out.failed).toBe(150);
    const states = (await w.store.getMany(jobs.map((j) => j.job_id))).map((j) => j.status);
    expect(states.filter((s) => s !== 'FAILURE')).toEqual([]);
    // They stay in the dead-letter queue, visible again at once.
    const left = await w.queue.peekDeadLetters('q');
    expect(left.length).toBeGreaterThan(0);
    await w.queue.showDeadLetters('q', left.map((l) => l.receipt));
  });
});

describe('7: ETAs', () => {
  it('a message seen before its ETA (here 700 ms early) hops instead of starting', async () => {
    const id = uid('eta');
    await submitJob(deps(), 't', { job_id: id, args: ['1'] });
    const [m] = await w.receive('q');
    const early = { ...m!, not_before: Date.now() + 700 };
    const outcome = await runJob({ ...deps(), pools: {} as DbPools }, early, 60_000);
    expect(outcome).toBe('hop');
    expect(await w.store.get(id)).toMatchObject({ status: 'PENDING', attempt: 0 });
    const hopped = await w.receive('q', 3000);
    expect(hopped).toHaveLength(1);
    expect(hopped[0]!.not_before).toBe(early.not_before);
  });

  it('a delayed message always carries its not-before time, so a worker can tell it is early', async () => {
    const id = uid('eta');
    const notBefore = Date.now() + 1500;
    await w.queue.send('q', { job_id: id, run_id: 'r', queue: 'q', attempt: 0 }, notBefore);
    const [m] = await w.receive('q', 4000);
    expect(m).toMatchObject({ job_id: id, not_before: notBefore });
    expect(Date.now()).toBeGreaterThanOrEqual(notBefore - 1000);
  });
});
