/**
 * Lost messages (the resender), dead letters and ETAs against DynamoDB Local and
 * fauxqs: no waiting job waits forever, every dead-lettered message's job fails,
 * and a job never starts before its ETA.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbPools } from '../../../lib/db/createDbPools.js';
import { submitGroup } from '../../../lib/lifecycle/submitGroup.js';
import { newJobItem } from '../../../lib/jobs/newJobItem.js';
import { parseJobRequest } from '../../../lib/jobs/parseJobRequest.js';
import { runJob } from '../../../lib/lifecycle/runJob.js';
import { submitJob } from '../../../lib/jobs/submitJob.js';
import { sweepDeadLetters } from '../../../lib/lifecycle/sweepDeadLetters.js';
import { sweepLeases } from '../../../lib/lifecycle/sweepLeases.js';
import { sweepWaiting } from '../../../lib/lifecycle/sweepWaiting.js';
import type { JobItem, JobMessage } from '../../../lib/jobs/types.js';
import { awsError, startStateWorld, type StateWorld } from '../../support/stateWorld.js';
import { endJob } from '../../../lib/lifecycle/endJob.js';
import { cancelRecord } from '../../../lib/lifecycle/cancelRecord.js';
import { cancelledByRequest, succeeded } from '../../../lib/jobs/jobEndings.js';
import { GROUP_SUBMIT_WINDOW_MS } from '../../../lib/groups/types.js';

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
  for (const j of await w.jobs()) if (['PENDING', 'RETRY', 'STARTED'].includes(j.status) && !j.purged) await cancelRecord(w, j.job_id);
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
    await endJob(w, job, succeeded(job, 1, 'results_a'));
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

describe('a cancel that meets a claim', () => {
  it('writes nothing over the claim from what it read before; read again, it says STARTED', async () => {
    const id = uid('cancel-claim');
    await submitJob(deps(), 't', { job_id: id, args: ['1'] });
    const stale = (await w.store.get(id))!;
    expect(stale.status).toBe('PENDING');
    const [m] = await w.receive('q');
    await w.store.claim(m!, Date.now() + 30_000);
    // The cancel's write from its PENDING read is refused: it must not answer "was PENDING" (and skip the kill) over a running query.
    expect(await endJob(deps(), stale, cancelledByRequest(stale), { fresh: true })).toBeUndefined();
    expect((await w.store.get(id))!.status).toBe('STARTED');
    const { before, after } = await cancelRecord(w, id);
    expect(before).toMatchObject({ status: 'STARTED', attempt: 1 });
    expect(after).toMatchObject({ status: 'CANCELLED', error: 'cancelled by request' });
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
    const listed = (await w.store.listPending('q', ['job_id'])).map((j) => j.job_id).filter((id) => mine.includes(id));
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
    const ended: JobItem[] = [];
    const out = await sweepDeadLetters({ ...deps(), observe: { finished: (j) => void ended.push(j) } });
    expect(out.failed).toBe(150);
    // Each one counts in the metrics as a failed job.
    expect(ended.map((j) => j.job_id).sort()).toEqual(jobs.map((j) => j.job_id).sort());
    expect(new Set(ended.map((j) => j.status))).toEqual(new Set(['FAILURE']));
    const states = (await w.store.getMany(jobs.map((j) => j.job_id))).map((j) => j.status);
    expect(states.filter((s) => s !== 'FAILURE')).toEqual([]);
    // They stay in the dead-letter queue, visible again at once.
    const left = await w.queue.peekDeadLetters('q');
    expect(left.length).toBeGreaterThan(0);
    await w.queue.showDeadLetters('q', left.map((l) => l.receipt));
  });
});

describe('5: lost leases', () => {
  it('a job whose worker stopped renewing is retried, or failed when no retry is left, and each ending is observed (the metrics)', async () => {
    const [again, last] = [uid('lease-retry'), uid('lease-fail')];
    await submitJob(deps(), 't', { job_id: again, args: ['1'], retries: 1 });
    await submitJob(deps(), 't', { job_id: last, args: ['1'], retries: 0 });
    for (const m of (await w.receive('q')).filter((x) => [again, last].includes(x.job_id))) {
      const job = (await w.store.claim(m, Date.now() + 30_000))!;
      // The worker renews once more, then dies: its lease runs out.
      await w.store.renewLease(job, Date.now() - 1);
    }
    const seen: string[] = [];
    const observe = { retried: (j: JobItem) => void seen.push(`${j.job_id} ${j.status}`), finished: (j: JobItem) => void seen.push(`${j.job_id} ${j.status}`) };
    expect(await sweepLeases({ ...deps(), observe }, Date.now() + 10)).toEqual({ retried: 1, failed: 1 });
    expect(seen.sort()).toEqual([`${again} RETRY`, `${last} FAILURE`].sort());
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
    // This job's hop (the queue is shared with the file's other tests, whose delayed messages may come meanwhile).
    const hopped = (await w.receive('q', 8000)).filter((h) => h.job_id === id);
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

describe('9: a group submit that dies part-way leaves no half group', () => {
  const members = (n: number) => Array.from({ length: n }, () => uid('m'));
  /** Every write from the kill point on fails: the function died there, so nothing it would do next happens. */
  const dieAt = (first: { command: string; match: (input: Record<string, unknown>) => boolean }) => {
    w.ddbFaults.add({ ...first, times: 1, error: () => awsError('FunctionTimedOut') });
    w.ddbFaults.add({ command: 'DeleteItemCommand', times: 10_000, error: () => awsError('FunctionTimedOut') });
    w.sqsFaults.add({ command: 'SendMessageCommand', times: 10_000, error: () => awsError('FunctionTimedOut') });
  };
  const writes = (key: string) => ({ command: 'TransactWriteItemsCommand', match: (i: Record<string, unknown>) => JSON.stringify(i).includes(`"${key}"`) });

  it('after the group\'s record, before its first messages: the sweeper sends them, and the group runs to its end', async () => {
    const [g, jobIds] = [uid('g'), members(4)];
    w.sqsFaults.add({ command: 'SendMessageCommand', times: 10_000, error: () => awsError('FunctionTimedOut') });
    await submitGroup(deps(), { group_id: g, concurrency: 2, jobs: jobIds.map((job_id) => ({ task: 't', job_id, args: ['1'] })) });
    w.sqsFaults.clear();
    expect(await w.receive('q')).toEqual([]);
    expect(await sweepIn(5)).toMatchObject({ resent: 2, removed: 0 });
    for (let m = await w.receive('q'); m.length > 0; m = await w.receive('q')) for (const msg of m) await w.work(msg, 'success');
    expect((await w.store.getMany(jobIds)).map((j) => j.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(await w.groups.get(g)).toMatchObject({ total: 4, finished: 4 });
  });

  // The last test of the file: its retried group's 120 waiting members are left for no other test to clear.
  it.each([
    ['between the member chunks (the second chunk never written)', (jobIds: string[]) => writes(`job#${jobIds[110]}`), false],
    ['after every member, before the group\'s record', (_: string[], g: string) => writes(`group#${g}`), true],
  ])('%s: the group is never visible; the sweeper removes its members after the submit window', async (_, kill, retry) => {
    const [g, jobIds] = [uid('g'), members(120)];
    dieAt(kill(jobIds, g));
    const body = { group_id: g, concurrency: 3, jobs: jobIds.map((job_id) => ({ task: 't', job_id, args: ['1'] })) };
    await expect(submitGroup(deps(), body)).rejects.toThrow('FunctionTimedOut');
    w.ddbFaults.clear();
    w.sqsFaults.clear();
    expect(await w.groups.get(g)).toBeUndefined();
    const left = await w.store.getMany(jobIds);
    expect(left.length).toBeGreaterThanOrEqual(100);
    expect(left.every((j) => j.status === 'PENDING')).toBe(true);
    expect(await w.receive('q')).toEqual([]);
    // Within the window its submit may still be writing: nothing is touched, nothing is sent.
    expect(await sweepIn(60)).toMatchObject({ resent: 0, removed: 0, cancelled: 0 });
    expect(await w.store.getMany(jobIds)).toHaveLength(left.length);
    // Past it: removed, never run.
    expect(await sweepWaiting(deps(), Date.now() + GROUP_SUBMIT_WINDOW_MS + 5000)).toMatchObject({ resent: 0, removed: left.length, dispatched: 0 });
    expect(await w.store.getMany(jobIds)).toEqual([]);
    expect(await w.receive('q')).toEqual([]);
    if (!retry) return;
    // The client's retry of the same group goes through.
    await submitGroup(deps(), body);
    expect(await w.groups.get(g)).toMatchObject({ total: 120, next_index: 3 });
    expect(ids(await w.receive('q'))).toEqual(jobIds.slice(0, 3).sort());
  });
});
