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
import type { RunningQuery } from '../db/types.js';
import { ConflictError, JobActiveError, JobNotFoundError } from '../errors.js';
import { LEASE_INDEX, PENDING_INDEX, RECENT_INDEX, jobKey } from './jobTable.js';
import { parseEta } from './parseEta.js';
import type { JobItem, JobMessage, JobState } from './types.js';

/** A job ID is free when unused, finished, or expired (DynamoDB deletes expired items late). */
const CREATE_CONDITION = 'attribute_not_exists(pk) OR NOT (#s IN (:p, :r, :st)) OR expires_at < :now';

/** Expired (DynamoDB deletes late) or purged (a tombstone kept for stray messages): reads as gone. */
const isGone = (item: JobItem, now = epochSeconds()) => item.purged === true || (item.expires_at !== undefined && item.expires_at <= now);

/** How long a purged job's tombstone outlives its ETA, so messages still in flight claim nothing. */
const TOMBSTONE_SECONDS = 24 * 3600;

const nowIso = () => new Date().toISOString();
const epochSeconds = (ms = Date.now()) => Math.floor(ms / 1000);

/** The old item a failed condition returned, when DynamoDB sent one. */
function oldItem(err: unknown): JobItem | undefined {
  if (err instanceof ConditionalCheckFailedException && err.Item) return unmarshall(err.Item) as JobItem;
  return undefined;
}

/**
 * Job records in DynamoDB. Every state change is a conditional write; a refused
 * change returns `undefined` (or throws a domain error) instead of overwriting.
 */
export class JobStore {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Records a new job, unless a job with its ID is still PENDING, RETRY or STARTED
   * (then JobActiveError carrying the current item). A finished ID is replaced.
   */
  async create(item: JobItem): Promise<void> {
    try {
      await this.ddb.send(new PutCommand(this.createPut(item)));
    } catch (err) {
      const old = oldItem(err);
      if (err instanceof ConditionalCheckFailedException) {
        throw new JobActiveError(item.job_id, old?.status ?? 'active', old ? { job_id: old.job_id, status: old.status } : null);
      }
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
      await this.ddb.send(
        new TransactWriteCommand({
          TransactItems: items.map((item) => ({ Put: this.createPut(item) })),
        }),
      );
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const i = err.CancellationReasons?.findIndex((r) => r.Code === 'ConditionalCheckFailed') ?? -1;
      const item = items[i];
      if (!item) throw err;
      const old = err.CancellationReasons?.[i]?.Item;
      const status = old ? String((unmarshall(old) as JobItem).status) : 'active';
      throw new JobActiveError(item.job_id, status, { job_id: item.job_id, status });
    }
  }

  /** The conditional Put of a new job: only over a free ID. */
  private createPut(item: JobItem) {
    return {
      TableName: this.table,
      Item: item,
      ConditionExpression: CREATE_CONDITION,
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':p': 'PENDING', ':r': 'RETRY', ':st': 'STARTED', ':now': epochSeconds() },
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

  /**
   * Marks a held group member as dispatched (its message is about to be sent).
   * Refused when it is no longer waiting (cancelled meanwhile): then it must be skipped.
   */
  async markDispatched(jobId: string): Promise<JobItem | undefined> {
    return this.transition(jobId, {
      condition: '#s = :p AND attempt = :zero AND attribute_not_exists(dispatched)',
      update: 'SET dispatched = :yes',
      values: { ':p': 'PENDING', ':zero': 0, ':yes': true },
    });
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

  /** Waiting (PENDING or RETRY) jobs of a queue, oldest first, read from the sparse index. */
  async listPending(queue: string, limit = 1000): Promise<JobItem[]> {
    const items: JobItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.ddb.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: PENDING_INDEX,
          KeyConditionExpression: 'pending_queue = :q',
          ExpressionAttributeValues: { ':q': queue },
          ExclusiveStartKey: start,
          Limit: limit - items.length,
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
   */
  async claim(
    jobId: string,
    runId: string,
    attempt: number,
    leaseUntilMs: number,
    onRefused?: (current: JobItem) => void,
  ): Promise<JobItem | undefined> {
    return this.transition(
      jobId,
      {
        condition: 'run_id = :run AND attempt = :a AND #s IN (:p, :r)',
        update:
          'SET #s = :started, started_at = :now, attempt = attempt + :one, lease_until = :lease, lease_queue = queue REMOVE pending_queue, finished_at, #e, running_db, connection_id, running_tag',
        values: {
          ':run': runId,
          ':a': attempt,
          ':p': 'PENDING',
          ':r': 'RETRY',
          ':started': 'STARTED',
          ':one': 1,
          ':lease': leaseUntilMs,
        },
      },
      (current) => {
        // A message for a job that does not exist: a poison message (dead-letter queue).
        if (!current) throw new Error(`poison message: no job "${jobId}"`);
        onRefused?.(current);
      },
    );
  }

  /**
   * Marks a finished group member's slot as handed on and counts it in its group,
   * in one transaction, exactly once: false when it was already done.
   */
  async markReleased(job: JobItem, groupKey: string): Promise<boolean> {
    try {
      await this.ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: { pk: jobKey(job.job_id) },
                ConditionExpression: 'run_id = :run AND dispatched = :yes AND attribute_not_exists(released) AND #s IN (:ok, :fail, :cancelled)',
                UpdateExpression: 'SET released = :yes',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':run': job.run_id, ':yes': true, ':ok': 'SUCCESS', ':fail': 'FAILURE', ':cancelled': 'CANCELLED' },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: { pk: groupKey },
                ConditionExpression: 'attribute_exists(pk)',
                UpdateExpression: 'SET finished = finished + :one',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof TransactionCanceledException) return false;
      throw err;
    }
  }

  /**
   * STARTED → SUCCESS with the row count and the results table; the record expires after `ttl`.
   * `reusedFrom`: the table is a copy of that job's (result reuse, lib/reuse).
   */
  async succeed(job: JobItem, count: number, resultsTable: string, reusedFrom?: string): Promise<JobItem | undefined> {
    const reuse = reusedFrom === undefined ? {} : { ':from': reusedFrom };
    return this.finish(job, 'SUCCESS', ['#c = :count', 'results_table = :table', ...(reusedFrom === undefined ? [] : ['reused_from = :from'])], ['#e'], {
      ':count': count,
      ':table': resultsTable,
      ...reuse,
    });
  }

  /** STARTED → FAILURE with the reason. */
  async fail(job: JobItem, error: string): Promise<JobItem | undefined> {
    return this.finish(job, 'FAILURE', ['#e = :error'], [], { ':error': error });
  }

  /** STARTED → RETRY: waiting again on its queue for the next attempt. */
  async retry(job: JobItem, error: string): Promise<JobItem | undefined> {
    return this.transition(job.job_id, {
      condition: 'run_id = :run AND attempt = :a AND #s = :started',
      update: 'SET #s = :retry, #e = :error, pending_queue = :q REMOVE lease_until, lease_queue, running_db, connection_id, running_tag',
      values: { ':run': job.run_id, ':a': job.attempt, ':started': 'STARTED', ':retry': 'RETRY', ':error': error, ':q': job.queue },
    });
  }

  /**
   * Renews the lease of a running attempt, recording where its query runs when
   * known. `undefined` means the attempt no longer owns the job (cancelled, or its
   * lease expired and the job moved on): the worker must stop. `abortSignal` bounds
   * the request: a renewal must not hang behind a dead connection.
   */
  async renewLease(job: JobItem, leaseUntilMs: number, running?: RunningQuery, abortSignal?: AbortSignal): Promise<JobItem | undefined> {
    const sets = [
      'lease_until = :lease',
      ...(running ? ['running_db = :db', 'connection_id = :cid'] : []),
      ...(running?.tag !== undefined ? ['running_tag = :tag'] : []),
    ];
    return this.transition(
      job.job_id,
      {
        condition: 'run_id = :run AND attempt = :a AND #s = :started',
        update: `SET ${sets.join(', ')}`,
        values: {
          ':run': job.run_id,
          ':a': job.attempt,
          ':started': 'STARTED',
          ':lease': leaseUntilMs,
          ...(running ? { ':db': running.db, ':cid': running.connectionId } : {}),
          ...(running?.tag !== undefined ? { ':tag': running.tag } : {}),
        },
      },
      undefined,
      abortSignal,
    );
  }

  /**
   * Cancels a waiting or running job. Returns the job as it was before (its
   * running query, if any, is for the caller to kill); throws JobNotFoundError,
   * or ConflictError for a finished job.
   */
  async cancel(jobId: string): Promise<JobItem> {
    try {
      const out = await this.ddb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: jobKey(jobId) },
          ConditionExpression: '#s IN (:p, :r, :st) AND (attribute_not_exists(expires_at) OR expires_at > :nows)',
          UpdateExpression:
            'SET #s = :cancelled, finished_at = :now, #e = :why, expires_at = :nows + #ttl REMOVE pending_queue, lease_until, lease_queue',
          ExpressionAttributeNames: { '#s': 'status', '#e': 'error', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':p': 'PENDING',
            ':r': 'RETRY',
            ':st': 'STARTED',
            ':cancelled': 'CANCELLED',
            ':why': 'cancelled by request',
            ':now': nowIso(),
            ':nows': epochSeconds(),
          },
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return out.Attributes as JobItem;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const old = oldItem(err);
      if (!old || isGone(old)) throw new JobNotFoundError(jobId);
      throw new ConflictError(`job "${jobId}" is already ${old.status}; add ?purge=true to delete it and its results`, {
        job_id: jobId,
        status: old.status,
      });
    }
  }

  /** Deletes a finished job's record (purge); refuses while it is active. */
  async purge(jobId: string): Promise<JobItem> {
    // A tombstone rather than a delete: a message still on its way (an ETA hop, a
    // duplicate) then claims nothing instead of landing in the DLQ as "unknown job".
    const now = epochSeconds();
    try {
      const out = await this.ddb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: jobKey(jobId) },
          ConditionExpression: 'attribute_exists(pk) AND NOT (#s IN (:p, :r, :st)) AND attribute_not_exists(purged) AND (attribute_not_exists(expires_at) OR expires_at > :now)',
          UpdateExpression: 'SET purged = :t, expires_at = :exp REMOVE args, #e, results_table',
          ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
          ExpressionAttributeValues: { ':p': 'PENDING', ':r': 'RETRY', ':st': 'STARTED', ':t': true, ':now': now, ':exp': now + TOMBSTONE_SECONDS },
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const old = out.Attributes as JobItem;
      // An ETA far ahead keeps its message hopping until then: keep the tombstone past it.
      if (old.eta) await this.extendTombstone(jobId, Math.floor(parseEta(old.eta) / 1000) + TOMBSTONE_SECONDS);
      return old;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const old = oldItem(err);
      if (!old || isGone(old)) throw new JobNotFoundError(jobId);
      throw new JobActiveError(jobId, old.status, { job_id: jobId, status: old.status });
    }
  }

  private async extendTombstone(jobId: string, untilEpochS: number): Promise<void> {
    await this.ddb.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: jobKey(jobId) },
        ConditionExpression: 'purged = :t AND expires_at < :until',
        UpdateExpression: 'SET expires_at = :until',
        ExpressionAttributeValues: { ':t': true, ':until': untilEpochS },
      }),
    ).catch((err: unknown) => {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    });
  }

  /**
   * A waiting job whose message ended in the dead-letter queue → FAILURE with the
   * reason, only for the attempt that message could start (so a stale copy does nothing).
   */
  async failDeadLettered(message: JobMessage, reason: string): Promise<JobItem | undefined> {
    return this.transition(message.job_id, {
      condition: 'run_id = :run AND attempt = :a AND #s IN (:p, :r)',
      update: 'SET #s = :failure, #e = :error, finished_at = :now, expires_at = :nows + #ttl REMOVE pending_queue',
      values: { ':run': message.run_id, ':a': message.attempt, ':p': 'PENDING', ':r': 'RETRY', ':failure': 'FAILURE', ':error': reason, ':nows': epochSeconds() },
    });
  }

  /** Running attempts of a queue whose lease ran out before `nowMs` (their worker died). */
  async listExpiredLeases(queue: string, nowMs: number): Promise<JobItem[]> {
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: LEASE_INDEX,
        KeyConditionExpression: 'lease_queue = :q AND lease_until < :now',
        ExpressionAttributeValues: { ':q': queue, ':now': nowMs },
        Limit: 100,
      }),
    );
    return (out.Items ?? []) as JobItem[];
  }

  /** STARTED with an expired lease → RETRY (to be re-sent by the caller) or FAILURE. */
  async expireLease(job: JobItem, nowMs: number, reason: string): Promise<JobItem | undefined> {
    const retry = job.attempt <= job.retries;
    const base = {
      ':run': job.run_id,
      ':a': job.attempt,
      ':started': 'STARTED',
      ':nowms': nowMs,
      ':error': reason,
    };
    const condition = 'run_id = :run AND attempt = :a AND #s = :started AND lease_until < :nowms';
    if (retry) {
      return this.transition(job.job_id, {
        condition,
        update: 'SET #s = :retry, #e = :error, pending_queue = queue REMOVE lease_until, lease_queue, running_db, connection_id, running_tag',
        values: { ...base, ':retry': 'RETRY' },
      });
    }
    return this.transition(job.job_id, {
      condition,
      update:
        'SET #s = :failure, #e = :error, finished_at = :now, expires_at = :exp REMOVE lease_until, lease_queue, pending_queue, running_db, connection_id, running_tag',
      values: { ...base, ':failure': 'FAILURE', ':exp': epochSeconds() + job.ttl },
    });
  }

  /** STARTED → a final state, only for the attempt this worker claimed. */
  private async finish(job: JobItem, status: JobState, set: string[], remove: string[], values: Record<string, unknown>) {
    const sets = [...set, '#s = :status', 'finished_at = :now', 'expires_at = :exp'];
    const removes = ['lease_until', 'lease_queue', 'pending_queue', 'running_db', 'connection_id', 'running_tag', ...remove];
    return this.transition(job.job_id, {
      condition: 'run_id = :run AND attempt = :a AND #s = :started',
      update: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
      values: {
        ...values,
        ':run': job.run_id,
        ':a': job.attempt,
        ':started': 'STARTED',
        ':status': status,
        ':exp': epochSeconds() + job.ttl,
      },
    });
  }

  private async transition(
    jobId: string,
    t: { condition: string; update: string; values: Record<string, unknown> },
    onRefused?: (current: JobItem | undefined) => void,
    abortSignal?: AbortSignal,
  ): Promise<JobItem | undefined> {
    const names: Record<string, string> = { '#s': 'status' };
    if (t.update.includes('#e')) names['#e'] = 'error';
    if (t.update.includes('#c')) names['#c'] = 'count';
    if (t.update.includes('#ttl')) names['#ttl'] = 'ttl';
    try {
      const out = await this.ddb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: jobKey(jobId) },
          ConditionExpression: t.condition,
          UpdateExpression: t.update,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: t.update.includes(':now') ? { ...t.values, ':now': nowIso() } : t.values,
          ReturnValues: 'ALL_NEW',
          ...(onRefused ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
        }),
        abortSignal ? { abortSignal } : {},
      );
      return out.Attributes as JobItem;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      onRefused?.(err.Item ? (unmarshall(err.Item) as JobItem) : undefined);
      return undefined;
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
