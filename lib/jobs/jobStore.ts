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
import { retryConflicts } from '../aws/retryConflicts.js';
import type { RunningQuery } from '../db/types.js';
import { JobActiveError, JobFinishedError, JobNotFoundError } from '../errors.js';
import { GROUP_GRACE_SECONDS, groupKey } from '../groups/types.js';
import { LEASE_INDEX, PENDING_INDEX, RECENT_INDEX, jobKey } from './jobTable.js';
import { capWarnings } from './capWarnings.js';
import { JOB_TRANSITIONS, transitionExpressions, type JobTransition, type JobTransitionName } from './jobTransitions.js';
import { parseEta } from './parseEta.js';
import { INDEX_SHARDS, allShardKeys, shardKey } from './shardKey.js';
import { ACTIVE_STATES, type JobItem, type JobMessage, type JobState } from './types.js';

/** A job ID is free when unused, finished, or expired (DynamoDB deletes expired items late). */
const CREATE_CONDITION = `attribute_not_exists(pk) OR NOT (#s IN (${ACTIVE_STATES.map((_, i) => `:active${i}`).join(', ')})) OR expires_at < :now`;
const ACTIVE_VALUES = Object.fromEntries(ACTIVE_STATES.map((s, i) => [`:active${i}`, s]));

/** Expired (DynamoDB deletes late) or purged (a tombstone kept for stray messages): reads as gone. */
const isGone = (item: JobItem, now = epochSeconds()) => item.purged === true || (item.expires_at !== undefined && item.expires_at <= now);

/** How long a purged job's tombstone outlives its ETA, so messages still in flight claim nothing. */
const TOMBSTONE_SECONDS = 24 * 3600;

const epochSeconds = (ms = Date.now()) => Math.floor(ms / 1000);

/** The sparse index keys of a job: its queue, sharded by job ID (lib/jobs/shardKey.ts). */
export const pendingShard = (job: Pick<JobItem, 'queue' | 'job_id'>, shards = INDEX_SHARDS) => shardKey(job.queue, job.job_id, shards);
export const leaseShard = (job: Pick<JobItem, 'queue' | 'job_id'>, shards = INDEX_SHARDS) => shardKey(job.queue, job.job_id, shards);

/** The old item a failed condition returned, when DynamoDB sent one. */
function oldItem(err: unknown): JobItem | undefined {
  if (err instanceof ConditionalCheckFailedException && err.Item) return unmarshall(err.Item) as JobItem;
  return undefined;
}

/** Whether a member's end must release a slot of its group, as far as the item says. */
const holdsSlot = (job: JobItem) => job.group_id !== undefined && job.dispatched === true && job.released !== true;

/**
 * Job records in DynamoDB. Every state change is one entry of JOB_TRANSITIONS,
 * executed as one conditional write (or, for a group member that ends holding a
 * slot, one transaction with the slot's release). A refused change returns
 * `undefined` or throws a domain error; conflicts and throttling are retried,
 * never taken for a refusal.
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
   * Records up to 100 jobs in one transaction, each under the same condition as
   * `create`. When any ID is active, nothing is written and JobActiveError names it.
   */
  async createMany(items: JobItem[]): Promise<void> {
    if (items.length > 100) throw new Error('createMany: at most 100 items per transaction');
    try {
      await retryConflicts(() => this.ddb.send(new TransactWriteCommand({ TransactItems: items.map((item) => ({ Put: this.createPut(item) })) })));
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const i = err.CancellationReasons?.findIndex((r) => r.Code === 'ConditionalCheckFailed') ?? -1;
      const item = items[i];
      if (!item) throw err;
      const old = err.CancellationReasons?.[i]?.Item;
      throw new JobActiveError(item.job_id, old ? String((unmarshall(old) as JobItem).status) : 'PENDING');
    }
  }

  /** The conditional Put of a new job: only over a free ID. */
  private createPut(item: JobItem) {
    return {
      TableName: this.table,
      // The store owns the index keys: a waiting job is listed under its queue's shard.
      Item: item.pending_shard === undefined ? item : { ...item, pending_shard: pendingShard(item, this.shards) },
      ConditionExpression: CREATE_CONDITION,
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ...ACTIVE_VALUES, ':now': epochSeconds() },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
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

  /** Removes a job record of one run (a submission that could not be enqueued). */
  async discard(jobId: string, runId: string): Promise<void> {
    await this.ddb.send(
      new DeleteCommand({
        TableName: this.table,
        Key: { pk: jobKey(jobId) },
        ConditionExpression: 'run_id = :run',
        ExpressionAttributeValues: { ':run': runId },
      }),
    );
  }

  /** A job by ID; expired records (DynamoDB deletes late) are treated as gone. */
  async get(jobId: string): Promise<JobItem | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.table, Key: { pk: jobKey(jobId) }, ConsistentRead: true }));
    const item = out.Item as JobItem | undefined;
    return item && !isGone(item) ? item : undefined;
  }

  /**
   * Waiting (PENDING or RETRY) jobs of a queue, oldest first, read from every shard
   * of the sparse index. `dueBeforeMs`: only those whose message was due before then.
   */
  async listPending(queue: string, limit = 1000, dueBeforeMs?: number): Promise<JobItem[]> {
    const perShard = await Promise.all(allShardKeys(queue, this.shards).map((key) => this.queryShard(key, limit, dueBeforeMs)));
    return perShard
      .flat()
      .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0))
      .slice(0, limit);
  }

  /** One shard of the pending index, oldest first, up to `limit` items. */
  private async queryShard(key: string, limit: number, dueBeforeMs?: number): Promise<JobItem[]> {
    const items: JobItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.ddb.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: PENDING_INDEX,
          KeyConditionExpression: 'pending_shard = :k',
          ...(dueBeforeMs === undefined ? {} : { FilterExpression: 'due_at < :due' }),
          ExpressionAttributeValues: { ':k': key, ...(dueBeforeMs === undefined ? {} : { ':due': dueBeforeMs }) },
          ExclusiveStartKey: start,
          ...(dueBeforeMs === undefined ? { Limit: limit - items.length } : {}),
        }),
      );
      items.push(...((out.Items ?? []) as JobItem[]));
      start = out.LastEvaluatedKey;
    } while (start && items.length < limit);
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
   * the request: a renewal must not hang behind a dead connection.
   */
  async renewLease(job: JobItem, leaseUntilMs: number, running?: RunningQuery, abortSignal?: AbortSignal): Promise<JobItem | undefined> {
    const values = {
      ':run': job.run_id,
      ':a': job.attempt,
      ':lease': leaseUntilMs,
      ':db': running?.db,
      ':cid': running?.connectionId,
      ':tag': running?.tag,
    };
    return (await this.apply('renew', job.job_id, values, abortSignal)).item;
  }

  /** STARTED → RETRY: waiting again on its queue for the attempt due at `dueMs`. */
  async retry(job: JobItem, error: string, dueMs: number): Promise<JobItem | undefined> {
    return (await this.apply('retry', job.job_id, { ':run': job.run_id, ':a': job.attempt, ':error': error, ':pending_shard': pendingShard(job, this.shards), ':due': dueMs })).item;
  }

  /**
   * STARTED → SUCCESS with the row count and the results table; the record expires after `ttl`.
   * `reusedFrom`: the table is a copy of that job's (result reuse, lib/reuse).
   * `warnings`: values the results database could not hold (kept capped; none: not recorded).
   */
  async succeed(job: JobItem, count: number, resultsTable: string, extra: { reusedFrom?: string; warnings?: readonly string[] } = {}): Promise<JobItem | undefined> {
    const warnings = capWarnings(extra.warnings ?? []);
    return this.end('succeed', job, {
      ':run': job.run_id,
      ':a': job.attempt,
      ':count': count,
      ':table': resultsTable,
      ':exp': epochSeconds() + job.ttl,
      ':from': extra.reusedFrom,
      ':warnings': warnings.length ? warnings : undefined,
    });
  }

  /** STARTED → FAILURE with the reason. */
  async fail(job: JobItem, error: string): Promise<JobItem | undefined> {
    return this.end('fail', job, { ':run': job.run_id, ':a': job.attempt, ':error': error, ':exp': epochSeconds() + job.ttl });
  }

  /**
   * Cancels a waiting or running job. Returns the job as it was before (its
   * running query, if any, is for the caller to kill); a member holding a slot
   * releases it in the same write. Throws JobNotFoundError, or JobFinishedError.
   */
  async cancel(jobId: string): Promise<{ before: JobItem; after: JobItem }> {
    for (let tries = 1; ; tries++) {
      const current = await this.get(jobId);
      if (!current) throw new JobNotFoundError(jobId);
      if (!ACTIVE_STATES.includes(current.status)) throw new JobFinishedError(jobId, current.status);
      const after = await this.end('cancel', current, { ':why': 'cancelled by request' }, true);
      if (after) return { before: current, after };
      // Changed under us (claimed, finished, slot released): look again, a few times.
      if (tries >= 10) throw new Error(`cancel of job "${jobId}": it kept changing; try again`);
    }
  }

  /** Deletes a finished job's record (purge): a tombstone; refuses while it is active. */
  async purge(jobId: string): Promise<JobItem> {
    // A tombstone rather than a delete: a message still on its way (an ETA hop, a
    // duplicate) then claims nothing instead of landing in the DLQ as "unknown job".
    const { item, refused } = await this.apply('purge', jobId, { ':yes': true, ':exp': epochSeconds() + TOMBSTONE_SECONDS }, undefined, 'ALL_OLD');
    if (!item) {
      if (!refused || isGone(refused)) throw new JobNotFoundError(jobId);
      throw new JobActiveError(jobId, refused.status);
    }
    // An ETA far ahead keeps its message hopping until then: keep the tombstone past it.
    if (item.eta) await this.extendTombstone(jobId, Math.floor(parseEta(item.eta) / 1000) + TOMBSTONE_SECONDS);
    return item;
  }

  private async extendTombstone(jobId: string, untilEpochS: number): Promise<void> {
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
   * A waiting job whose message ended in the dead-letter queue → FAILURE with the
   * reason, only for the attempt that message could start (so a stale copy does nothing).
   */
  async failDeadLettered(message: JobMessage, reason: string): Promise<JobItem | undefined> {
    // A refusal can be a race (the item changed since it was read): read it again, a few times.
    for (let tries = 0; tries < 10; tries++) {
      const current = await this.get(message.job_id);
      if (!current || current.run_id !== message.run_id || current.attempt !== message.attempt) return undefined;
      if (current.status !== 'PENDING' && current.status !== 'RETRY') return undefined;
      const after = await this.end('deadLetter', current, { ':run': message.run_id, ':a': message.attempt, ':error': reason }, true);
      if (after) return after;
    }
    throw new Error(`dead letter of job "${message.job_id}": it kept changing; the next sweep tries again`);
  }

  /**
   * A waiting job's message is overdue (lost): moves its due time to now, so that
   * exactly one resender sends it again. `undefined`: it was claimed or changed meanwhile.
   */
  async markResent(job: JobItem, nowMs: number): Promise<JobItem | undefined> {
    return (await this.apply('resend', job.job_id, { ':run': job.run_id, ':a': job.attempt, ':due': job.due_at, ':yes': true, ':nowms': nowMs })).item;
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

  /** STARTED with an expired lease → RETRY due at `retryDueMs`, or FAILURE when `retryDueMs` is undefined. */
  async expireLease(job: JobItem, nowMs: number, reason: string, retryDueMs: number | undefined): Promise<JobItem | undefined> {
    const base = { ':run': job.run_id, ':a': job.attempt, ':nowms': nowMs, ':error': reason };
    if (retryDueMs !== undefined) {
      return (await this.apply('expireToRetry', job.job_id, { ...base, ':pending_shard': pendingShard(job, this.shards), ':due': retryDueMs })).item;
    }
    return this.end('expireToFailure', job, { ...base, ':exp': epochSeconds() + job.ttl });
  }

  /**
   * A transition that ends the job. A group member that holds a slot releases it in
   * the same transaction: its `released` flag and the group's counters change
   * together or not at all. `fresh`: `job` was just read, so a refusal may be
   * a race the caller wants to see (undefined) rather than a final answer.
   */
  private async end(name: JobTransitionName, job: JobItem, values: Record<string, unknown>, fresh = false): Promise<JobItem | undefined> {
    const t: JobTransition = JOB_TRANSITIONS[name];
    if (!holdsSlot(job)) {
      // The same guard as the transaction would have, the other way round: never end a slot holder without releasing it.
      return (await this.apply(name, job.job_id, values, undefined, 'ALL_NEW', { guard: ['(attribute_not_exists(dispatched) OR released = :yes)'], values: { ':yes': true } })).item;
    }
    const now = epochSeconds();
    const all = { ...values, ':yes': true, ':grun': job.group_run, ':g': job.group_id };
    const e = transitionExpressions(t, all, { guard: ['dispatched = :yes', 'attribute_not_exists(released)', 'group_run = :grun'], set: { released: ':yes' } });
    try {
      await retryConflicts(() =>
        this.ddb.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.table,
                  Key: { pk: jobKey(job.job_id) },
                  ConditionExpression: e.condition,
                  UpdateExpression: e.update,
                  ExpressionAttributeNames: e.names,
                  ExpressionAttributeValues: e.values,
                },
              },
              {
                Update: {
                  TableName: this.table,
                  Key: { pk: groupKey(job.group_id!) },
                  ConditionExpression: 'group_run = :grun',
                  UpdateExpression: 'SET free_slots = free_slots + :one, finished = finished + :one, expires_at = :gexp',
                  ExpressionAttributeValues: { ':grun': job.group_run, ':one': 1, ':gexp': now + (job.group_ttl ?? job.ttl) + GROUP_GRACE_SECONDS },
                },
              },
            ],
          }),
        ),
      );
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [jobReason, groupReason] = err.CancellationReasons ?? [];
      if (jobReason?.Code === 'ConditionalCheckFailed') {
        if (fresh) return undefined;
        // Refused. Only if the slot's facts changed since the caller read the item (released meanwhile)
        // may the same transition still apply, without the release: try that once.
        const current = await this.get(job.job_id);
        if (!current || current.run_id !== job.run_id || current.attempt !== job.attempt || holdsSlot(current)) return undefined;
        return this.end(name, current, values);
      }
      if (groupReason?.Code === 'ConditionalCheckFailed') {
        // The group is gone (purged) or replaced by a new one under its ID: nothing to release there.
        const orphan = { ...values, ':yes': true };
        return (await this.apply(name, job.job_id, orphan, undefined, 'ALL_NEW', { guard: ['dispatched = :yes', 'attribute_not_exists(released)'], set: { released: ':yes' }, values: {} })).item;
      }
      throw err;
    }
    return this.get(job.job_id);
  }

  /**
   * Executes one transition as a conditional UpdateItem. Returns the new item, or
   * `refused` holding the item as it was (a failed guard), or neither (no item).
   */
  private async apply(
    name: JobTransitionName,
    jobId: string,
    values: Record<string, unknown>,
    abortSignal?: AbortSignal,
    returnValues: 'ALL_NEW' | 'ALL_OLD' = 'ALL_NEW',
    extra: { guard?: string[]; set?: Record<string, string>; values?: Record<string, unknown> } = {},
  ): Promise<{ item?: JobItem; refused?: JobItem }> {
    const e = transitionExpressions(JOB_TRANSITIONS[name], { ...values, ...(extra.values ?? {}) }, extra);
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
            ReturnValues: returnValues,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
          abortSignal ? { abortSignal } : {},
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
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      conditions.push(`#${field} = :${field}`);
    }
    if (opts.before !== undefined) values[':before'] = opts.before;
    const items: JobItem[] = [];
    let start: Record<string, unknown> | undefined;
    for (let read = 0; read < opts.maxReads && items.length < opts.limit; read++) {
      const out = await this.ddb.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: RECENT_INDEX,
          KeyConditionExpression: opts.before === undefined ? 'recent_shard = :shard' : 'recent_shard = :shard AND recent_at < :before',
          FilterExpression: conditions.join(' AND '),
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: read === 0 ? opts.limit : Math.max(opts.limit, opts.readLimit),
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((out.Items ?? []) as JobItem[]));
      start = out.LastEvaluatedKey;
      if (!start) return { items };
    }
    const next = start?.recent_at;
    return typeof next === 'string' ? { items, next } : { items };
  }
}

/** Equality filters of a recent-jobs listing (unset: any). */
export interface RecentFilter {
  queue?: string;
  status?: JobState;
  task?: string;
}
