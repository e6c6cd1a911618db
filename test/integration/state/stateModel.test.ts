/**
 * Model-based test of the job and group state store against DynamoDB Local and
 * fauxqs. fast-check drives random sequences of submits (reused IDs), group
 * submits and cancels, claims, renewals, successes, failures with retries,
 * crashed workers, duplicate and dropped messages and sweeper runs, with
 * injected TransactionConflict, throttling and SQS send failures. After every
 * step it checks:
 * - at most `concurrency` members of a group are STARTED, and its free slots plus
 *   the slots its members hold are exactly `concurrency`;
 * - no member is dispatched twice in one run (dispatched members <= positions taken);
 * - no attempt is claimed twice, and no finished job runs again;
 * and at the end of each sequence, once the sweeper settles (workers finish what
 * they get), every job is final.
 */
import fc from 'fast-check';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbPools } from '../../../lib/db/createDbPools.js';
import { SqlJobberError } from '../../../lib/errors.js';
import { cancelGroup } from '../../../lib/lifecycle/cancelGroup.js';
import { handOverSlot } from '../../../lib/lifecycle/handOverSlot.js';
import { submitGroup } from '../../../lib/lifecycle/submitGroup.js';
import type { GroupItem } from '../../../lib/groups/types.js';
import { cancelJob } from '../../../lib/lifecycle/cancelJob.js';
import { retryPolicy } from '../../../lib/jobs/retryPolicy.js';
import { submitJob } from '../../../lib/jobs/submitJob.js';
import { sweepLeases } from '../../../lib/lifecycle/sweepLeases.js';
import { sweepWaiting } from '../../../lib/lifecycle/sweepWaiting.js';
import { FINAL_STATES, type JobItem, type JobMessage } from '../../../lib/jobs/types.js';
import { awsError, startStateWorld, transactionConflict, transactionThrottled, type StateWorld } from '../../support/stateWorld.js';
import { endJob } from '../../../lib/lifecycle/endJob.js';
import { failed, succeeded } from '../../../lib/jobs/jobEndings.js';

let w: StateWorld;
beforeAll(async () => {
  // Four index shards: the same code as AWS's 32, with fewer queries per sweep on DynamoDB Local.
  w = await startStateWorld({ app: 'resend_after = "1s"', queues: ['q'], shards: 4 });
}, 120_000);
afterAll(async () => {
  await w?.stop();
});

const RESEND_MS = 1000;
const JOB_IDS = 5;
const GROUP_IDS = 2;

interface Real {
  prefix: string;
  running: JobItem[];
  seen: JobMessage[];
  claims: Set<string>;
  finalRuns: Set<string>;
  /** Every step's name, for the failure message. */
  log: string[];
}
type Model = Record<string, never>;

const deps = () => ({ config: w.config, tasks: w.tasks, store: w.store, groups: w.groups, queue: w.queue, log: w.log, pools: {} as DbPools });
const jobId = (r: Real, i: number) => `${r.prefix}-j${i}`;
const groupId = (r: Real, i: number) => `${r.prefix}-g${i}`;

/** What a step may answer without it being a defect: a domain refusal, or an injected SQS failure on a submit. */
function expected(err: unknown): boolean {
  if (err instanceof SqlJobberError && err.statusCode < 500) return true;
  return err instanceof Error && err.name === 'InternalError';
}
async function tolerate(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!expected(err)) throw err;
  }
}

/** A claim by "a worker": checks that no attempt runs twice and no finished job runs again. */
async function claim(r: Real, m: JobMessage): Promise<JobItem | undefined> {
  let job: JobItem | undefined;
  try {
    job = await w.store.claim(m, Date.now() + 30_000);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('poison message')) return undefined;
    throw err;
  }
  if (!job) return undefined;
  const key = `${job.job_id}|${job.run_id}|${job.attempt}`;
  if (r.claims.has(key)) throw new Error(`attempt claimed twice: ${key}`);
  if (r.finalRuns.has(job.run_id)) throw new Error(`a finished job runs again: ${job.job_id} run ${job.run_id}`);
  r.claims.add(key);
  r.running.push(job);
  return job;
}

async function scanAll(prefix: string): Promise<{ jobs: JobItem[]; groups: GroupItem[] }> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await w.ddb.send(new ScanCommand({ TableName: w.table, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  const mine = items.filter((i) => String(i.pk).includes(`${prefix}-`));
  return {
    jobs: mine.filter((i) => String(i.pk).startsWith('job#')) as unknown as JobItem[],
    groups: mine.filter((i) => String(i.pk).startsWith('group#') && !String(i.pk).includes('#page#')) as unknown as GroupItem[],
  };
}

async function checkInvariants(r: Real): Promise<void> {
  const { jobs, groups } = await scanAll(r.prefix);
  for (const j of jobs) if (FINAL_STATES.includes(j.status) && !j.purged) r.finalRuns.add(j.run_id);
  for (const g of groups) {
    const members = jobs.filter((j) => j.group_run === g.group_run);
    const started = members.filter((j) => j.status === 'STARTED').length;
    const holders = members.filter((j) => j.dispatched && !j.released).length;
    const dispatched = members.filter((j) => j.dispatched).length;
    const where = `group ${g.group_id} (concurrency ${g.concurrency}) after: ${r.log.join(' → ')}`;
    expect(started, `STARTED members of ${where}`).toBeLessThanOrEqual(g.concurrency);
    expect(g.free_slots + holders, `free slots + held slots of ${where}`).toBe(g.concurrency);
    expect(dispatched, `dispatched members vs positions taken of ${where}`).toBeLessThanOrEqual(g.next_index);
  }
  for (const j of jobs) {
    if (j.group_id !== undefined && !j.dispatched) expect(j.status, `held member ${j.job_id} ran`).not.toBe('STARTED');
  }
}

/** One step: a name for the log, and what it does. */
class Step implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly name: string,
    private readonly act: (r: Real) => Promise<void>,
  ) {}
  check() {
    return true;
  }
  async run(_m: Model, r: Real) {
    r.log.push(this.name);
    await this.act(r);
    await checkInvariants(r);
  }
  toString() {
    return this.name;
  }
}

const finishOne = async (r: Real, k: number, how: 'success' | 'fail' | 'crash' | 'renew') => {
  if (r.running.length === 0) return;
  const job = r.running[k % r.running.length]!;
  if (how === 'renew') {
    if (!(await w.store.renewLease(job, Date.now() + 30_000))) r.running = r.running.filter((j) => j !== job);
    return;
  }
  r.running = r.running.filter((j) => j !== job);
  if (how === 'crash') {
    // The worker renews once more, then dies: its lease runs out.
    await w.store.renewLease(job, Date.now() - 1);
    return;
  }
  if (how === 'success') {
    await handOverSlot(deps(), await endJob(w, job, succeeded(job, 1, `results_${job.job_id}`)));
    return;
  }
  const next = retryPolicy(job, 'error');
  if (next.retry) {
    if (await w.store.retry(job, 'boom', next.dueMs)) await tolerate(w.queue.send(job.queue, { job_id: job.job_id, run_id: job.run_id, queue: job.queue, attempt: job.attempt }, next.dueMs));
  } else await handOverSlot(deps(), await endJob(w, job, failed(job, 'boom')));
};

const deliver = async (r: Real, drop: boolean) => {
  const [m] = await w.receive('q');
  if (!m) return;
  r.seen.push(m);
  if (!drop) await claim(r, m);
};

const sweep = async (aheadMs: number) => {
  const now = Date.now() + aheadMs;
  await sweepLeases({ ...deps(), log: w.log }, now);
  await sweepWaiting({ ...deps(), log: w.log }, now + RESEND_MS + 1000);
};

const steps: fc.Arbitrary<fc.AsyncCommand<Model, Real>>[] = [
  fc.tuple(fc.nat(JOB_IDS - 1), fc.nat(2)).map(([i, retries]) => new Step(`submit j${i} retries ${retries}`, (r) => tolerate(submitJob(deps(), 't', { job_id: jobId(r, i), args: ['1'], retries })))),
  fc
    .tuple(fc.nat(GROUP_IDS - 1), fc.integer({ min: 1, max: 2 }), fc.uniqueArray(fc.nat(JOB_IDS - 1), { minLength: 1, maxLength: 4 }), fc.nat(1))
    .map(([g, concurrency, members, retries]) =>
      new Step(`group g${g} c${concurrency} [${members.join(',')}]`, (r) =>
        tolerate(submitGroup(deps(), { group_id: groupId(r, g), concurrency, jobs: members.map((i) => ({ task: 't', job_id: jobId(r, i), args: ['1'], retries })) })),
      ),
    ),
  fc.constant(new Step('deliver', (r) => deliver(r, false))),
  fc.constant(new Step('deliver', (r) => deliver(r, false))),
  fc.constant(new Step('drop a message', (r) => deliver(r, true))),
  fc.nat(20).map((k) => new Step(`duplicate #${k}`, async (r) => void (r.seen.length && (await claim(r, r.seen[k % r.seen.length]!))))),
  fc.tuple(fc.nat(20), fc.constantFrom('success', 'success', 'fail', 'crash', 'renew') as fc.Arbitrary<'success' | 'fail' | 'crash' | 'renew'>).map(
    ([k, how]) => new Step(`${how} #${k}`, (r) => finishOne(r, k, how)),
  ),
  fc.nat(JOB_IDS - 1).map((i) => new Step(`cancel j${i}`, (r) => tolerate(cancelJob(deps(), jobId(r, i))))),
  fc.nat(GROUP_IDS - 1).map((g) => new Step(`cancel g${g}`, (r) => tolerate(cancelGroup(deps(), groupId(r, g))))),
  fc.constant(new Step('sweep', () => sweep(0))),
  fc.tuple(fc.constantFrom('conflict', 'throttle', 'update-conflict', 'sqs'), fc.integer({ min: 1, max: 2 })).map(
    ([kind, times]) =>
      new Step(`fault ${kind} ×${times}`, async () => {
        if (kind === 'conflict') w.ddbFaults.add({ command: 'TransactWriteItemsCommand', times, error: transactionConflict });
        if (kind === 'throttle') w.ddbFaults.add({ command: 'TransactWriteItemsCommand', times, error: transactionThrottled });
        if (kind === 'update-conflict') w.ddbFaults.add({ command: 'UpdateItemCommand', times, error: () => awsError('TransactionConflictException') });
        if (kind === 'sqs') w.sqsFaults.add({ command: 'SendMessageCommand', times: 1, error: () => awsError('InternalError') });
      }),
  ),
];

/** Workers take every message and succeed; sweeps run later and later, until every job is final. */
async function settle(r: Real): Promise<void> {
  w.ddbFaults.clear();
  w.sqsFaults.clear();
  for (let round = 1; round <= 15; round++) {
    for (const job of r.running.splice(0)) await handOverSlot(deps(), await endJob(w, job, succeeded(job, 1, `results_${job.job_id}`)));
    for (let m = await w.receive('q'); m.length > 0; m = await w.receive('q')) {
      for (const msg of m) if (await claim(r, msg)) await finishOne(r, r.running.length - 1, 'success');
    }
    await checkInvariants(r);
    const { jobs } = await scanAll(r.prefix);
    const open = jobs.filter((j) => !FINAL_STATES.includes(j.status));
    if (open.length === 0) return;
    await sweep(round * 60_000);
  }
  const { jobs } = await scanAll(r.prefix);
  const open = jobs.filter((j) => !FINAL_STATES.includes(j.status)).map((j) => `${j.job_id} ${j.status} dispatched=${j.dispatched} due=${j.due_at}`);
  expect(open, `jobs not final after the sweeper settled; steps: ${r.log.join(' → ')}`).toEqual([]);
}

describe('the state store under random steps and faults', () => {
  it('keeps every invariant after every step, and leaves every job final once the sweeper settles', async () => {
    let run = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.commands(steps, { maxCommands: 25 }), async (cmds) => {
        const r: Real = { prefix: `m${++run}x${started.toString(36)}`, running: [], seen: [], claims: new Set(), finalRuns: new Set(), log: [] };
        await w.receive('q');
        await fc.asyncModelRun(() => ({ model: {} as Model, real: r }), cmds);
        await settle(r);
      }),
      { numRuns: Number(process.env.STATE_MODEL_RUNS ?? 10), endOnFailure: true },
    );
    console.log(`[state model] ${run} sequences in ${Math.round((Date.now() - started) / 1000)} s`);
  }, 240_000);
});
