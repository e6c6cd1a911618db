import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { JobActiveError } from '../errors.js';
import { PENDING_INDEX, jobKey } from './jobTable.js';
import type { JobItem, JobState } from './types.js';

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
      await this.ddb.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR NOT (#s IN (:p, :r, :st)) OR expires_at < :now',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':p': 'PENDING', ':r': 'RETRY', ':st': 'STARTED', ':now': epochSeconds() },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (err) {
      const old = oldItem(err);
      if (err instanceof ConditionalCheckFailedException) {
        throw new JobActiveError(item.job_id, old?.status ?? 'active', old ? { job_id: old.job_id, status: old.status } : null);
      }
      throw err;
    }
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
    if (!item || (item.expires_at !== undefined && item.expires_at <= epochSeconds())) return undefined;
    return item;
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
  async claim(jobId: string, runId: string, attempt: number, leaseUntilMs: number): Promise<JobItem | undefined> {
    return this.transition(jobId, {
      condition: 'run_id = :run AND attempt = :a AND #s IN (:p, :r)',
      update: 'SET #s = :started, started_at = :now, attempt = attempt + :one, lease_until = :lease REMOVE pending_queue, finished_at, #e',
      values: {
        ':run': runId,
        ':a': attempt,
        ':p': 'PENDING',
        ':r': 'RETRY',
        ':started': 'STARTED',
        ':one': 1,
        ':lease': leaseUntilMs,
      },
    });
  }

  /** STARTED → SUCCESS with the row count and the results table; the record expires after `ttl`. */
  async succeed(job: JobItem, count: number, resultsTable: string): Promise<JobItem | undefined> {
    return this.finish(job, 'SUCCESS', ['#c = :count', 'results_table = :table'], ['#e'], { ':count': count, ':table': resultsTable });
  }

  /** STARTED → FAILURE with the reason. */
  async fail(job: JobItem, error: string): Promise<JobItem | undefined> {
    return this.finish(job, 'FAILURE', ['#e = :error'], [], { ':error': error });
  }

  /** STARTED → RETRY: waiting again on its queue for the next attempt. */
  async retry(job: JobItem, error: string): Promise<JobItem | undefined> {
    return this.transition(job.job_id, {
      condition: 'run_id = :run AND attempt = :a AND #s = :started',
      update: 'SET #s = :retry, #e = :error, pending_queue = :q REMOVE lease_until',
      values: { ':run': job.run_id, ':a': job.attempt, ':started': 'STARTED', ':retry': 'RETRY', ':error': error, ':q': job.queue },
    });
  }

  /** STARTED → a final state, only for the attempt this worker claimed. */
  private async finish(job: JobItem, status: JobState, set: string[], remove: string[], values: Record<string, unknown>) {
    const sets = [...set, '#s = :status', 'finished_at = :now', 'expires_at = :exp'];
    const removes = ['lease_until', 'pending_queue', ...remove];
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
  ): Promise<JobItem | undefined> {
    const names: Record<string, string> = { '#s': 'status' };
    if (t.update.includes('#e')) names['#e'] = 'error';
    if (t.update.includes('#c')) names['#c'] = 'count';
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
        }),
      );
      return out.Attributes as JobItem;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }
}
