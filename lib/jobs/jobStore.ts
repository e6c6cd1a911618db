import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isTransient, retryConflicts } from '../retryConflicts.js';
import { queryPages } from '../queryPages.js';
import { TENANT_SEPARATOR, scopePrefix } from '../identity/tenantScope.js';
import type { RunningQuery } from '../db/port/types.js';
import { JobActiveError, TenantQueueFullError } from '../errors.js';
import { ADMISSION_INDEX, admissionRelease, waitListKey } from './admission.js';
import { epochSeconds, isGone } from './isGone.js';
import type { JobEnding } from './jobEndings.js';
import { LEASE_INDEX, ORPHANS_INDEX, PENDING_INDEX, RECENT_INDEX, WAITERS_INDEX, jobKey } from './jobTable.js';
import { ADMISSION_WRITES, JOB_TRANSITIONS, SLOT_WRITES, transitionExpressions, type JobTransitionName } from './jobTransitions.js';
import { INDEX_SHARDS, allShardKeys, shardKey } from './shardKey.js';
import { ACTIVE_STATES, WAITING_STATES, type JobItem, type JobMessage, type JobProgress, type JobState } from './types.js';

/** How many jobs ahead `queuePosition` counts at most (GET /jobs/{id} of a waiting job pays for what it reads). */
export const QUEUE_POSITION_CAP = 1_000;

/** A job ID is free when unused, finished, or expired (DynamoDB deletes expired items late). */
const CREATE_CONDITION = `attribute_not_exists(pk) OR NOT (#s IN (${ACTIVE_STATES.map((_, i) => `:active${i}`).join(', ')})) OR expires_at < :now`;
const ACTIVE_VALUES = Object.fromEntries(ACTIVE_STATES.map((s, i) => [`:active${i}`, s]));

/** The sparse index keys of a job: its queue, sharded by job ID (lib/jobs/shardKey.ts). */
export const pendingShard = (job: Pick<JobItem, 'queue' | 'job_id'>, shards = INDEX_SHARDS) => shardKey(job.queue, job.job_id, shards);
export const leaseShard = (job: Pick<JobItem, 'queue' | 'job_id'>, shards = INDEX_SHARDS) => shardKey(job.queue, job.job_id, shards);

/** The old item a failed condition returned, when DynamoDB sent one. */
function oldItem(err: unknown): JobItem | undefined {
  if (err instanceof ConditionalCheckFailedException && err.Item) return unmarshall(err.Item) as JobItem;
  return undefined;
}

/**
 * A conditional update of another item of the job table (a group's header), written
 * in one transaction with a job's transition. The store adds the table's name.
 */
export interface PairedUpdate {
  Key: Record<string, unknown>;
  ConditionExpression?: string;
  UpdateExpression: string;
  ExpressionAttributeValues: Record<string, unknown>;
}

/** What became of a transition written with a PairedUpdate: written, refused (by which condition), or busy (not retried). */
export type PairedOutcome = 'written' | 'busy' | { jobRefused: boolean; headerRefused: boolean };

/** The slot part of an ending write (SLOT_WRITES): 'release' carries the header's change written with it. */
export type EndSlot = { write: 'none' | 'orphan' } | { write: 'release'; header: PairedUpdate };

/** A tenant's waiting count taken in one write with new jobs (`createMany`): which queue, its limit. */
export interface QueuedCount {
  queue: string;
  maxQueued: number | undefined;
  update: PairedUpdate;
}

/** What became of an ending write: `item` the job after it; else refused (for 'release': by which condition). */
export interface EndOutcome {
  item?: JobItem;
  jobRefused?: boolean;
  headerRefused?: boolean;
}

/**
 * Job records in DynamoDB: get, put, transition, query. Every state change is one
 * entry of JOB_TRANSITIONS, executed as one conditional write (or one transaction
 * with the one other item it must change with, which the caller gives). A refused
 * change returns `undefined` or says so; conflicts and throttling are retried,
 * never taken for a refusal. What to do about a refusal (look again, give up) is
 * the callers' (lib/lifecycle).
 */
export class JobStore {
  private readonly shards: number;

  /** `shards`: index shards per queue; fixed for the life of a table (the default in AWS; tests may use fewer). */
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly table: string,
    options: { shards?: number } = {},
  ) {
    this.shards = options.shards ?? INDEX_SHARDS;
  }

  /** Index shards per queue (and admission roster shards): the table's, fixed for its life. */
  indexShardCount(): number {
    return this.shards;
  }

  /**
   * Records a new job, unless a job with its ID is still PENDING, RETRY or STARTED
   * (then JobActiveError carrying the current item). A finished ID is replaced.
   */
  async create(item: JobItem): Promise<void> {
    try {
      await retryConflicts(() => this.ddb.send(new PutCommand(this.createPut(item))));
    } catch (err) {
      const old = oldItem(err);
      if (err instanceof ConditionalCheckFailedException) throw new JobActiveError(item.job_id, old?.status ?? 'PENDING');
      throw err;
    }
  }

  /**
   * Records a new job of a queue with admission in one transaction with its
   * tenant's counter (`counter`: lib/jobs/admission.ts, `queueOne`). JobActiveError
   * as `create`; TenantQueueFullError when the counter refused (past
   * `tenant_max_queued`): then nothing is written.
   */
  async createQueued(item: JobItem, counter: PairedUpdate, maxQueued: number | undefined): Promise<void> {
    try {
      await retryConflicts(() =>
        this.ddb.send(new TransactWriteCommand({ TransactItems: [{ Put: this.createPut(item) }, { Update: { TableName: this.table, ...counter } }] })),
      );
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [job, tenant] = err.CancellationReasons ?? [];
      if (job?.Code === 'ConditionalCheckFailed') throw new JobActiveError(item.job_id, job.Item ? String((unmarshall(job.Item) as JobItem).status) : 'PENDING');
      if (tenant?.Code === 'ConditionalCheckFailed') throw new TenantQueueFullError(item.queue, maxQueued ?? 0);
      throw err;
    }
  }

  /**
   * Records up to 100 jobs in one transaction, each under the same condition as
   * `create`, with `counters` (admission: their tenant's waiting count per queue,
   * lib/jobs/admission.ts `queueMany`) counting as items. When any ID is active,
   * nothing is written and JobActiveError names it; when a counter refuses (past
   * `tenant_max_queued`), nothing is written and TenantQueueFullError says so.
   */
  async createMany(items: JobItem[], counters: QueuedCount[] = []): Promise<void> {
    if (items.length + counters.length > 100) throw new Error('createMany: at most 100 items per transaction');
    try {
      await retryConflicts(() =>
        this.ddb.send(
          new TransactWriteCommand({
            TransactItems: [...items.map((item) => ({ Put: this.createPut(item) })), ...counters.map((c) => ({ Update: { TableName: this.table, ...c.update } }))],
          }),
        ),
      );
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const i = err.CancellationReasons?.findIndex((r) => r.Code === 'ConditionalCheckFailed') ?? -1;
      const item = items[i];
      const counter = counters[i - items.length];
      if (!item && counter) throw new TenantQueueFullError(counter.queue, counter.maxQueued ?? 0);
      if (!item) throw err;
      const old = err.CancellationReasons?.[i]?.Item;
      throw new JobActiveError(item.job_id, old ? String((unmarshall(old) as JobItem).status) : 'PENDING');
    }
  }

  /**
   * Takes back what one `createMany` wrote, in one transaction: each job (only while
   * it is still that run, PENDING and not admitted) and the waiting places its
   * counters took (`counters`: admission.ts `unqueueMany`). The sweeper removes a
   * never-recorded group's counted members the same way, one at a time. False when
   * anything refused: then nothing changed, and a later sweep looks again.
   */
  async discardMany(jobs: Pick<JobItem, 'job_id' | 'run_id'>[], counters: PairedUpdate[]): Promise<boolean> {
    try {
      await retryConflicts(() =>
        this.ddb.send(
          new TransactWriteCommand({
            TransactItems: [
              ...jobs.map((j) => ({
                Delete: {
                  TableName: this.table,
                  Key: { pk: jobKey(j.job_id) },
                  // Never one admitted meanwhile: its slot would leak with it.
                  ConditionExpression: 'run_id = :run AND #s = :pending AND attribute_not_exists(admitted)',
                  ExpressionAttributeNames: { '#s': 'status' },
                  ExpressionAttributeValues: { ':run': j.run_id, ':pending': 'PENDING' },
                },
              })),
              ...counters.map((c) => ({ Update: { TableName: this.table, ...c } })),
            ],
          }),
        ),
      );
      return true;
    } catch (err) {
      if (err instanceof TransactionCanceledException) return false;
      throw err;
    }
  }

  /**
   * Records up to 99 new jobs (each under `create`'s condition) in one transaction
   * with a conditional update of another item (a schedule moving on from its
   * ticks, lib/schedules): all of it or nothing. 'written'; or which condition
   * refused it: the other item's (`otherRefused`), or the job at `jobRefused`
   * (its ID is still active). Conflicts and throttling are retried.
   */
  async createWith(items: JobItem[], other: PairedUpdate): Promise<'written' | { otherRefused: boolean; jobRefused?: number }> {
    if (items.length > 99) throw new Error('createWith: at most 99 jobs per transaction');
    try {
      await retryConflicts(() =>
        this.ddb.send(
          new TransactWriteCommand({
            TransactItems: [{ Update: { TableName: this.table, ...other } }, ...items.map((item) => ({ Put: this.createPut(item) }))],
          }),
        ),
      );
      return 'written';
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = err.CancellationReasons ?? [];
      const otherRefused = reasons[0]?.Code === 'ConditionalCheckFailed';
      const job = reasons.slice(1).findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (!otherRefused && job < 0) throw err;
      return { otherRefused, ...(job >= 0 ? { jobRefused: job } : {}) };
    }
  }

  /** The conditional Put of a new job: only over a free ID. */
  private createPut(item: JobItem) {
    return {
      TableName: this.table,
      // The store owns the index keys: a waiting job is listed under its queue's shard, one that may become an orphan by when.
      Item: this.indexed(item),
      ConditionExpression: CREATE_CONDITION,
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ...ACTIVE_VALUES, ':now': epochSeconds() },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
  }

  /** A new item with its index keys (`pending_shard` when it has one; the orphans index's when it has `orphan_after`). */
  private indexed(item: JobItem): JobItem {
    const keyed = item.pending_shard === undefined ? item : { ...item, pending_shard: pendingShard(item, this.shards) };
    if (item.orphan_after === undefined) return keyed;
    const asked = item.asked_at ?? Date.parse(item.created_at);
    return { ...keyed, orphan_shard: shardKey(item.queue, item.job_id, this.shards), orphan_at: Math.floor(asked / 1000) + item.orphan_after };
  }

  /**
   * The traceparent a job's submit recorded (tracing on), read alone (eventually
   * consistent: it is written once, at submit); undefined when it has none.
   */
  async traceparentOf(jobId: string): Promise<string | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.table, Key: { pk: jobKey(jobId) }, ProjectionExpression: 'traceparent' }));
    const value = (out.Item as Pick<JobItem, 'traceparent'> | undefined)?.traceparent;
    return typeof value === 'string' ? value : undefined;
  }

  /** Jobs by ID (consistent reads), in any order; missing and expired ones are left out. */
  async getMany(jobIds: string[]): Promise<JobItem[]> {
    const chunks: string[][] = [];
    for (let i = 0; i < jobIds.length; i += 100) chunks.push(jobIds.slice(i, i + 100));
    const found = (await Promise.all(chunks.map((ids) => this.batchGet(ids)))).flat();
    const now = epochSeconds();
    return found.filter((j) => !isGone(j, now));
  }

  /** One BatchGetItem of up to 100 jobs, retrying what DynamoDB leaves unprocessed. */
  private async batchGet(jobIds: string[]): Promise<JobItem[]> {
    const out: JobItem[] = [];
    let keys: Record<string, unknown>[] | undefined = jobIds.map((id) => ({ pk: jobKey(id) }));
    for (let round = 0; keys && keys.length > 0; round++) {
      if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** round)));
      const res: BatchGetCommandOutput = await this.ddb.send(
        new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }),
      );
      out.push(...((res.Responses?.[this.table] ?? []) as JobItem[]));
      keys = res.UnprocessedKeys?.[this.table]?.Keys;
    }
    return out;
  }

  /**
   * Removes a waiting job record of one run that was never announced: a submission
   * that could not be enqueued, a group member whose group was never recorded.
   * False when the record is not that run's, or was claimed or ended meanwhile.
   */
  async discard(jobId: string, runId: string): Promise<boolean> {
    try {
      await retryConflicts(() =>
        this.ddb.send(
          new DeleteCommand({
            TableName: this.table,
            Key: { pk: jobKey(jobId) },
            ConditionExpression: 'run_id = :run AND #s = :pending',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':run': runId, ':pending': 'PENDING' },
          }),
        ),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /**
   * A job by ID; expired records (DynamoDB deletes late) are treated as gone.
   * `consistent: false`: an eventually consistent read, at half the cost, which may
   * not show the latest write yet (nor a job just created).
   */
  async get(jobId: string, opts: { consistent?: boolean } = {}): Promise<JobItem | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.table, Key: { pk: jobKey(jobId) }, ConsistentRead: opts.consistent ?? true }));
    const item = out.Item as JobItem | undefined;
    return item && !isGone(item) ? item : undefined;
  }

  /**
   * Waiting (PENDING or RETRY) jobs of a queue, oldest first, read from every shard
   * of the sparse index: only `fields` of each (never its args, whatever their
   * size; the items hold only those), so a listing's memory is bounded by `limit` per shard. `dueBeforeMs`:
   * only those whose message was due before then; since a job is never due
   * before it was created, the index is read only up to that creation time.
   */
  async listPending(queue: string, fields: readonly (keyof JobItem)[], limit = 1000, dueBeforeMs?: number, tenant?: string): Promise<JobItem[]> {
    const perShard = await Promise.all(allShardKeys(queue, this.shards).map((key) => this.queryShard(key, [...new Set([...fields, 'created_at' as const, 'job_id' as const])], limit, dueBeforeMs, tenant)));
    return perShard
      .flat()
      .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0))
      .slice(0, limit);
  }

  /**
   * A waiting job's place in line on its queue (1: next to start), an estimate: 1 +
   * the waiting jobs of its queue created before it that may run (not held group
   * members) and are due no later than it. COUNT queries on every shard of the
   * pending index, reading only what was created before it. SQS standard queues
   * deliver roughly, not strictly, in order, and a retry or a resend keeps its
   * first `created_at`: the figure can be off by those. Past `cap` jobs ahead,
   * counting stops (`cap + 1` means "further back"). Undefined for a job not in line.
   */
  async queuePosition(job: JobItem, cap = QUEUE_POSITION_CAP): Promise<number | undefined> {
    if (!WAITING_STATES.includes(job.status) || job.due_at === undefined || (job.group_id !== undefined && !job.dispatched)) return undefined;
    const counts = await Promise.all(
      allShardKeys(job.queue, this.shards).map(async (key) => {
        let count = 0;
        const pages = queryPages(
          this.ddb,
          {
            TableName: this.table,
            IndexName: PENDING_INDEX,
            Select: 'COUNT',
            KeyConditionExpression: 'pending_shard = :k AND created_at < :c',
            FilterExpression: 'due_at <= :due AND (attribute_not_exists(group_id) OR dispatched = :yes)',
            ExpressionAttributeValues: { ':k': key, ':c': job.created_at, ':due': job.due_at, ':yes': true },
          },
          () => cap + 1,
        );
        for await (const page of pages) {
          count += page.Count ?? 0;
          if (count > cap) break;
        }
        return count;
      }),
    );
    return Math.min(cap, counts.reduce((a, b) => a + b, 0)) + 1;
  }

  /** One shard of the pending index, oldest first, up to `limit` items, only `fields` of each. */
  private async queryShard(key: string, fields: readonly (keyof JobItem)[], limit: number, dueBeforeMs?: number, tenant?: string): Promise<JobItem[]> {
    const items: JobItem[] = [];
    const filters: string[] = [];
    const values: Record<string, unknown> = { ':k': key };
    // Every projected name by an alias: some attribute names are reserved words.
    const names = Object.fromEntries(fields.map((f, i) => [`#p${i}`, f]));
    let keyCondition = 'pending_shard = :k';
    if (dueBeforeMs !== undefined) {
      keyCondition = 'pending_shard = :k AND created_at < :created';
      values[':created'] = new Date(dueBeforeMs).toISOString();
      filters.push('due_at < :due');
      values[':due'] = dueBeforeMs;
    }
    if (tenant !== undefined) Object.assign(values, tenantCondition(tenant, filters));
    const pages = queryPages(
      this.ddb,
      {
        TableName: this.table,
        IndexName: PENDING_INDEX,
        KeyConditionExpression: keyCondition,
        ...(filters.length === 0 ? {} : { FilterExpression: filters.join(' AND ') }),
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
      // With a filter, a limit would count the items read, not those kept.
      () => (filters.length === 0 ? limit - items.length : undefined),
    );
    for await (const page of pages) {
      items.push(...((page.Items ?? []) as JobItem[]));
      if (items.length >= limit) break;
    }
    return items;
  }

  /**
   * Claims one attempt of one run: succeeds only while the job is waiting with
   * exactly this run and attempt, so a duplicate or stale message claims nothing.
   * A message for a job that does not exist is a poison message (it throws).
   */
  async claim(message: Pick<JobMessage, 'job_id' | 'run_id' | 'attempt' | 'queue'>, leaseUntilMs: number): Promise<JobItem | undefined> {
    const { item, refused } = await this.apply('claim', message.job_id, {
      ':run': message.run_id,
      ':a': message.attempt,
      ':one': 1,
      ':yes': true,
      ':lease': leaseUntilMs,
      ':lease_shard': leaseShard(message, this.shards),
      ':queue': message.queue,
    });
    if (!item && !refused) throw new Error(`poison message: no job "${message.job_id}"`);
    return item;
  }

  /**
   * Renews the lease of a running attempt, recording where its query runs when
   * known. `undefined` means the attempt no longer owns the job (cancelled, or its
   * lease expired and the job moved on): the worker must stop. `abortSignal` bounds
   * the request: a renewal must not hang behind a dead connection. `progress`, when
   * known, rides on the same write (progress never costs a write of its own).
   */
  async renewLease(job: JobItem, leaseUntilMs: number, running?: RunningQuery, abortSignal?: AbortSignal, progress?: JobProgress): Promise<JobItem | undefined> {
    const values = {
      ':run': job.run_id,
      ':a': job.attempt,
      ':lease': leaseUntilMs,
      ':db': running?.db,
      ':cid': running?.connectionId,
      ':tag': running?.tag,
      ':rows': progress?.rows,
      ':bytes': progress?.bytes,
      ':est': progress?.estRows,
    };
    return (await this.apply('renew', job.job_id, values, abortSignal ? { abortSignal } : {})).item;
  }

  /** STARTED → RETRY: waiting again on its queue for the attempt due at `dueMs`. */
  async retry(job: JobItem, error: string, dueMs: number): Promise<JobItem | undefined> {
    return (await this.apply('retry', job.job_id, { ':run': job.run_id, ':a': job.attempt, ':error': error, ':pending_shard': pendingShard(job, this.shards), ':due': dueMs })).item;
  }

  /** STARTED with a lease that ran out before `nowMs` (its worker died) → RETRY due at `dueMs`. */
  async expireToRetry(job: JobItem, nowMs: number, reason: string, dueMs: number): Promise<JobItem | undefined> {
    const values = { ':run': job.run_id, ':a': job.attempt, ':nowms': nowMs, ':error': reason, ':pending_shard': pendingShard(job, this.shards), ':due': dueMs };
    return (await this.apply('expireToRetry', job.job_id, values)).item;
  }

  /**
   * A waiting job's message is overdue (lost): moves its due time to now, so that
   * exactly one resender sends it again. `undefined`: it was claimed or changed meanwhile.
   */
  async markResent(job: Pick<JobItem, 'job_id' | 'run_id' | 'attempt' | 'due_at'>, nowMs: number): Promise<JobItem | undefined> {
    return (await this.apply('resend', job.job_id, { ':run': job.run_id, ':a': job.attempt, ':due': job.due_at, ':yes': true, ':nowms': nowMs })).item;
  }

  /**
   * Someone asked about a job (orphan cancel, lib/jobs/orphanAfter.ts): moves its
   * `asked_at` to `nowMs`, only when it has `orphan_after`, is still active, and
   * was last asked about before `cutMs` (so reads cost at most one write per job
   * every few seconds). Whether it wrote.
   */
  async touch(jobId: string, nowMs: number, cutMs: number): Promise<boolean> {
    try {
      await this.ddb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: jobKey(jobId) },
          ConditionExpression: `attribute_exists(orphan_after) AND asked_at < :cut AND #s IN (${ACTIVE_STATES.map((_, i) => `:active${i}`).join(', ')})`,
          // Its place in the orphans index moves with it (an ending removed both, and the condition wants it active).
          UpdateExpression: 'SET asked_at = :now, orphan_at = :nows + orphan_after',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ...ACTIVE_VALUES, ':cut': cutMs, ':now': nowMs, ':nows': Math.floor(nowMs / 1000) },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /**
   * A coalesced waiter parks on its leader run (`leader`, `<job_id>#<run_id>`):
   * due again only at `dueMs` (a backstop), unless the leader's end releases it
   * first. `undefined`: the job no longer waits for this attempt.
   */
  async park(job: Pick<JobItem, 'job_id' | 'run_id' | 'attempt'>, leader: string, dueMs: number): Promise<JobItem | undefined> {
    return (await this.apply('park', job.job_id, { ':run': job.run_id, ':a': job.attempt, ':leader': leader, ':due': dueMs })).item;
  }

  /**
   * An admitted waiter parks as `park` does and gives its slot back
   * (`parkAdmitted`), with its counters' changes (`counters`: admission.ts
   * `parkGivesBack`) in one transaction. `undefined`: refused (it no longer waits
   * for this attempt, or holds no slot).
   */
  async parkAdmitted(job: Pick<JobItem, 'job_id' | 'run_id' | 'attempt' | 'adm_slot'>, leader: string, dueMs: number, counters: PairedUpdate[]): Promise<JobItem | undefined> {
    const e = transitionExpressions(JOB_TRANSITIONS.parkAdmitted, { ':run': job.run_id, ':a': job.attempt, ':leader': leader, ':due': dueMs, ':yes': true, ':slot': job.adm_slot });
    const out = await this.writePaired(job.job_id, e, counters, true);
    return out === 'written' ? this.get(job.job_id) : undefined;
  }

  /** Releases a waiter parked on `leader`: due now. `undefined`: it is not parked there (released already, cancelled, ...). */
  async unpark(waiter: Pick<JobItem, 'job_id' | 'run_id'>, leader: string): Promise<JobItem | undefined> {
    return (await this.apply('unpark', waiter.job_id, { ':run': waiter.run_id, ':leader': leader })).item;
  }

  /** The waiters parked on a leader run, as the waiters index has them (eventually consistent: a park just written may be missing). */
  async listWaiters(leader: string): Promise<Pick<JobItem, 'job_id' | 'run_id'>[]> {
    const out: Pick<JobItem, 'job_id' | 'run_id'>[] = [];
    const pages = queryPages(this.ddb, {
      TableName: this.table,
      IndexName: WAITERS_INDEX,
      KeyConditionExpression: 'waits_for = :l',
      ExpressionAttributeValues: { ':l': leader },
      ProjectionExpression: 'job_id, run_id',
    });
    for await (const page of pages) out.push(...((page.Items ?? []) as Pick<JobItem, 'job_id' | 'run_id'>[]));
    return out;
  }

  /**
   * Writes one way a job ends (lib/jobs/jobEndings.ts) with one of SLOT_WRITES and
   * what admission gives back (ADMISSION_WRITES, lib/jobs/admission.ts): the job and
   * every counter it changes in one transaction, retried on conflicts.
   * 'release' adds `slot.header` (its group's header); `jobRefused` /
   * `headerRefused` say which condition failed. `item`: the job after the write.
   */
  async end(job: JobItem, ending: JobEnding, slot: EndSlot): Promise<EndOutcome> {
    const values = { ...ending.values, ':yes': true, ':grun': job.group_run };
    const admission = admissionRelease(job);
    const admit = ADMISSION_WRITES[admission.write];
    const extra = SLOT_WRITES[slot.write];
    const merged = { guard: [...extra.guard, ...admit.guard], set: { ...extra.set, ...admit.set } };
    const others = [...(slot.write === 'release' ? [slot.header] : []), ...admission.updates];
    if (others.length === 0) return { item: (await this.apply(ending.transition, job.job_id, values, merged)).item };
    const e = transitionExpressions(JOB_TRANSITIONS[ending.transition], values, merged);
    const out = await this.writePaired(job.job_id, e, others, true);
    if (out !== 'written') return out === 'busy' ? {} : { jobRefused: out.jobRefused, headerRefused: slot.write === 'release' && out.refused[0] === true };
    return { item: await this.get(job.job_id) };
  }

  /**
   * A held group member gets its slot: its `dispatch` transition (this run, still
   * waiting, never dispatched, of `group`'s run) written in one transaction with
   * `header` (its group's header taking the slot). Not retried: `busy` (a conflict)
   * means another dispatch or release of this group is under way.
   */
  async dispatch(member: JobItem, group: { group_id: string; group_run: string }, dueMs: number, header: PairedUpdate): Promise<PairedOutcome> {
    const e = transitionExpressions(JOB_TRANSITIONS.dispatch, {
      ':run': member.run_id,
      ':zero': 0,
      ':g': group.group_id,
      ':grun': group.group_run,
      ':yes': true,
      ':due': dueMs,
    });
    const out = await this.writePaired(member.job_id, e, [header], false);
    return typeof out === 'string' ? out : { jobRefused: out.jobRefused, headerRefused: out.refused[0] === true };
  }

  /**
   * Admission: a waiting job joins its tenant's waiting list (the `join`
   * transition), with its tenant counter's change (`counter`) in one transaction.
   * False: refused (admitted, joined, cancelled or replaced meanwhile).
   */
  async joinWaitingList(job: JobItem, akey: string, aorder: string, counter: PairedUpdate, counted: boolean): Promise<boolean> {
    const e = transitionExpressions(JOB_TRANSITIONS.join, { ':run': job.run_id, ':yes': true, ':akey': akey, ':aorder': aorder }, {
      guard: [counted ? 'adm_queued = :yes' : 'attribute_not_exists(adm_queued)'],
    });
    const out = await this.writePaired(job.job_id, e, [counter], true);
    return out === 'written';
  }

  /**
   * Admission: the job at `entry` (the head of a waiting list) takes a slot: its
   * `admit` transition with its tenant's and its slot shard's counters (`counters`)
   * in one transaction. Not retried: `busy` means another admission raced it.
   * `refused[i]`: whether `counters[i]`'s condition failed.
   */
  async admit(entry: AdmissionEntry, slot: number, dueMs: number, counters: PairedUpdate[]): Promise<'written' | 'busy' | { jobRefused: boolean; refused: boolean[] }> {
    const e = transitionExpressions(JOB_TRANSITIONS.admit, { ':run': entry.run_id, ':yes': true, ':akey': entry.adm_key, ':aorder': entry.adm_order, ':slot': slot, ':due': dueMs });
    return this.writePaired(entry.job_id, e, counters, false);
  }

  /** Admission: the head of one tenant's waiting list, best first (priority, then age), from the index (eventually consistent). */
  async waitingList(queue: string, tag: string, limit: number): Promise<AdmissionEntry[]> {
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: ADMISSION_INDEX,
        KeyConditionExpression: 'adm_key = :k',
        ExpressionAttributeValues: { ':k': waitListKey(queue, tag) },
        Limit: limit,
      }),
    );
    return (out.Items ?? []) as AdmissionEntry[];
  }

  /** Admission: one roster shard's tenants, least recently admitted first. */
  async roster(key: string, limit: number): Promise<RosterEntry[]> {
    const out = await this.ddb.send(
      new QueryCommand({ TableName: this.table, IndexName: ADMISSION_INDEX, KeyConditionExpression: 'adm_key = :k', ExpressionAttributeValues: { ':k': key }, Limit: limit }),
    );
    return (out.Items ?? []) as RosterEntry[];
  }

  /** Admission: a tenant with no waiting job leaves the roster (a submit puts it back); nothing when it has one again. */
  async leaveRoster(pk: string): Promise<void> {
    await this.ddb
      .send(new UpdateCommand({ TableName: this.table, Key: { pk }, ConditionExpression: 'waiting <= :zero', UpdateExpression: 'REMOVE adm_key', ExpressionAttributeValues: { ':zero': 0 } }))
      .catch((err: unknown) => {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
  }

  /**
   * Purges a finished job: a tombstone (purged, no args or results) that expires
   * at `expiresAt` (epoch s). `item`: the job as it was; `refused`: the item
   * that refused (still active, purged or expired); neither: no such job.
   */
  async purge(jobId: string, expiresAt: number): Promise<{ item?: JobItem; refused?: JobItem }> {
    return this.apply('purge', jobId, { ':yes': true, ':exp': expiresAt }, { returnValues: 'ALL_OLD' });
  }

  /** Keeps a purged job's tombstone at least until `untilEpochS`; nothing when it is not a tombstone or lasts longer already. */
  async extendTombstone(jobId: string, untilEpochS: number): Promise<void> {
    await this.ddb
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: jobKey(jobId) },
          ConditionExpression: 'purged = :t AND expires_at < :until',
          UpdateExpression: 'SET expires_at = :until',
          ExpressionAttributeValues: { ':t': true, ':until': untilEpochS },
        }),
      )
      .catch((err: unknown) => {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
  }

  /**
   * Active jobs of a queue that nobody asked about by `nowMs` for their
   * `orphan_after` (to the second), from every shard of the sparse orphans index:
   * only those, up to `limit` per shard, oldest first, as IDs (the caller reads
   * each one it cancels). Waiting ones have no worker to notice them.
   */
  async listOrphans(queue: string, nowMs: number, limit = 100): Promise<string[]> {
    const perShard = await Promise.all(
      allShardKeys(queue, this.shards).map(async (key) => {
        const out = await this.ddb.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: ORPHANS_INDEX,
            KeyConditionExpression: 'orphan_shard = :k AND orphan_at < :now',
            ExpressionAttributeValues: { ':k': key, ':now': Math.floor(nowMs / 1000) },
            ProjectionExpression: 'job_id',
            Limit: limit,
          }),
        );
        return ((out.Items ?? []) as Pick<JobItem, 'job_id'>[]).map((i) => i.job_id);
      }),
    );
    return perShard.flat();
  }

  /** Running attempts of a queue whose lease ran out before `nowMs` (their worker died), from every shard. */
  async listExpiredLeases(queue: string, nowMs: number): Promise<JobItem[]> {
    const perShard = await Promise.all(
      allShardKeys(queue, this.shards).map(async (key) => {
        const out = await this.ddb.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: LEASE_INDEX,
            KeyConditionExpression: 'lease_shard = :k AND lease_until < :now',
            ExpressionAttributeValues: { ':k': key, ':now': nowMs },
            Limit: 100,
          }),
        );
        return (out.Items ?? []) as JobItem[];
      }),
    );
    return perShard.flat();
  }

  /**
   * One transaction: a job's transition (`e`) and updates of other items of this
   * table. `jobRefused` / `refused[i]`: whose condition failed (several may have).
   * `retry`: conflicts and throttling are retried; else they come back as 'busy'.
   */
  private async writePaired(jobId: string, e: ReturnType<typeof transitionExpressions>, others: PairedUpdate[], retry: boolean): Promise<'written' | 'busy' | { jobRefused: boolean; refused: boolean[] }> {
    const write = () =>
      this.ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: { pk: jobKey(jobId) },
                ConditionExpression: e.condition,
                UpdateExpression: e.update,
                ExpressionAttributeNames: e.names,
                ExpressionAttributeValues: e.values,
              },
            },
            ...others.map((other) => ({ Update: { TableName: this.table, ...other } })),
          ],
        }),
      );
    try {
      await (retry ? retryConflicts(write) : write());
      return 'written';
    } catch (err) {
      if (!retry && isTransient(err)) return 'busy';
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [jobReason, ...otherReasons] = err.CancellationReasons ?? [];
      const jobRefused = jobReason?.Code === 'ConditionalCheckFailed';
      const refused = others.map((_, i) => otherReasons[i]?.Code === 'ConditionalCheckFailed');
      if (!jobRefused && !refused.some(Boolean)) throw err;
      return { jobRefused, refused };
    }
  }

  /**
   * Executes one transition as a conditional UpdateItem. Returns the new item (the
   * old one with `returnValues: 'ALL_OLD'`), or `refused` holding the item as it was
   * (a failed guard), or neither (no item). `guard`/`set` add to the transition's.
   */
  private async apply(
    name: JobTransitionName,
    jobId: string,
    values: Record<string, unknown>,
    opts: { abortSignal?: AbortSignal; returnValues?: 'ALL_NEW' | 'ALL_OLD'; guard?: readonly string[]; set?: Readonly<Record<string, string>> } = {},
  ): Promise<{ item?: JobItem; refused?: JobItem }> {
    const e = transitionExpressions(JOB_TRANSITIONS[name], values, opts);
    try {
      const out = await retryConflicts(() =>
        this.ddb.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: jobKey(jobId) },
            ConditionExpression: `attribute_exists(pk) AND ${e.condition}`,
            UpdateExpression: e.update,
            ExpressionAttributeNames: e.names,
            ExpressionAttributeValues: e.values,
            ReturnValues: opts.returnValues ?? 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
          opts.abortSignal ? { abortSignal: opts.abortSignal } : {},
        ),
      );
      return { item: out.Attributes as JobItem };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const old = oldItem(err);
      return old ? { refused: old } : {};
    }
  }

  /**
   * One shard of the recent index, newest first, from just below `before` (a
   * `recent_at` key): jobs matching `filter` that are neither expired nor purged.
   * Reads at most `maxReads` pages of the index, the first of `limit` entries and
   * the later ones (a filter skipped most) of `readLimit`; `next` is the last key
   * read when the shard holds more (every job of it below `next` is unread).
   */
  async listRecent(
    shard: string,
    opts: { before?: string; limit: number; filter: RecentFilter; maxReads: number; readLimit: number },
  ): Promise<{ items: JobItem[]; next?: string }> {
    const conditions = ['attribute_not_exists(purged)', '(attribute_not_exists(expires_at) OR expires_at > :nows)'];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':shard': shard, ':nows': epochSeconds() };
    for (const [field, value] of Object.entries(opts.filter)) {
      if (value === undefined) continue;
      if (field === 'tenant') {
        Object.assign(values, tenantCondition(value, conditions));
        continue;
      }
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      conditions.push(`#${field} = :${field}`);
    }
    if (opts.before !== undefined) values[':before'] = opts.before;
    const items: JobItem[] = [];
    let start: Record<string, unknown> | undefined;
    let read = 0;
    const pages = queryPages(
      this.ddb,
      {
        TableName: this.table,
        IndexName: RECENT_INDEX,
        KeyConditionExpression: opts.before === undefined ? 'recent_shard = :shard' : 'recent_shard = :shard AND recent_at < :before',
        FilterExpression: conditions.join(' AND '),
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
      },
      (n) => (n === 0 ? opts.limit : Math.max(opts.limit, opts.readLimit)),
    );
    for await (const page of pages) {
      items.push(...((page.Items ?? []) as JobItem[]));
      start = page.LastEvaluatedKey;
      if (!start) return { items };
      if (++read >= opts.maxReads || items.length >= opts.limit) break;
    }
    const next = start?.recent_at;
    return typeof next === 'string' ? { items, next } : { items };
  }
}

/**
 * A filter to one tenant's jobs, by their stored IDs (lib/identity/tenantScope.ts):
 * the indexes carry `job_id`, so existing tables need no new index attribute.
 * Pushes the condition onto `conditions` and returns its values.
 */
function tenantCondition(tenant: string, conditions: string[]): Record<string, unknown> {
  const prefix = scopePrefix(tenant);
  if (prefix === '') {
    conditions.push('NOT contains(job_id, :tenant_sep)');
    return { ':tenant_sep': TENANT_SEPARATOR };
  }
  conditions.push('begins_with(job_id, :tenant_prefix)');
  return { ':tenant_prefix': prefix };
}

/** A waiting job as the admission index shows it (lib/jobs/admission.ts, ADMISSION_ATTRIBUTES). */
export interface AdmissionEntry {
  pk: string;
  job_id: string;
  run_id: string;
  attempt: number;
  queue: string;
  eta?: string | null;
  max_age?: number;
  adm_key: string;
  adm_order: string;
}

/** A tenant counter as the roster shows it. */
export interface RosterEntry {
  pk: string;
  tenant_tag: string;
  waiting: number;
  running: number;
  adm_key: string;
  adm_order: string;
}

/** Equality filters of a recent-jobs listing (unset: any); `tenant`: only that tenant's jobs. */
export interface RecentFilter {
  tenant?: string;
  queue?: string;
  status?: JobState;
  task?: string;
}
