import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ScheduleExistsError } from '../errors.js';
import type { PairedUpdate } from '../jobs/jobStore.js';
import { SCHEDULE_INDEX } from '../jobs/jobTable.js';
import { queryPages } from '../queryPages.js';
import { retryConflicts } from '../retryConflicts.js';
import type { ScheduleItem } from './types.js';

/** How many partition keys the schedule index spreads schedules over; an evaluation reads them all. */
export const SCHEDULE_SHARDS = 4;

export const scheduleKey = (scheduleId: string) => `schedule#${scheduleId}`;

/** The schedule index's shard of a schedule: a hash of its ID. */
export function scheduleShard(scheduleId: string, shards = SCHEDULE_SHARDS): string {
  let hash = 2166136261;
  for (let i = 0; i < scheduleId.length; i++) hash = Math.imul(hash ^ scheduleId.charCodeAt(i), 16777619) >>> 0;
  return `schedules#${hash % shards}`;
}

/** What an evaluation writes on the schedule as it handles ticks (see ScheduleStore.advance). */
export interface ScheduleAdvance {
  /** The new first unhandled tick. */
  next: number;
  /** The last tick a job is made for, with the job's ID. */
  lastTick?: { tick: string; jobId: string };
  /** Why a handled tick made no job; undefined clears an earlier one. */
  error?: string;
  /** Ticks skipped by this write. */
  skipped: number;
}

/**
 * The conditional update that moves a schedule on from `item.next_at`: refused when
 * another evaluator moved it first, or it was paused or deleted. Written alone
 * (ScheduleStore.advance), or in one transaction with the jobs it makes (JobStore.createWith).
 */
export function advanceUpdate(item: Pick<ScheduleItem, 'schedule_id' | 'next_at'>, change: ScheduleAdvance): PairedUpdate {
  const set = ['next_at = :next', 'skipped = if_not_exists(skipped, :zero) + :skipped'];
  const values: Record<string, unknown> = { ':was': item.next_at, ':next': change.next, ':zero': 0, ':skipped': change.skipped, ':yes': true };
  if (change.lastTick) {
    set.push('last_tick = :tick', 'last_job_id = :job');
    values[':tick'] = change.lastTick.tick;
    values[':job'] = change.lastTick.jobId;
  }
  if (change.error !== undefined) {
    set.push('last_error = :error');
    values[':error'] = change.error;
  }
  return {
    Key: { pk: scheduleKey(item.schedule_id) },
    ConditionExpression: 'next_at = :was AND (attribute_not_exists(paused) OR paused <> :yes)',
    UpdateExpression: `SET ${set.join(', ')}${change.error === undefined && change.lastTick ? ' REMOVE last_error' : ''}`,
    ExpressionAttributeValues: values,
  };
}

/**
 * Schedules in DynamoDB (the jobs table): create, get, list, the due ones, pause,
 * resume, delete, and the conditional write that moves one on. Conflicts and
 * throttling are retried; a refused condition is an answer.
 */
export class ScheduleStore {
  private readonly shards: number;

  /** `shards`: the index's shards; fixed for the life of a table (the default in AWS; tests may use fewer). */
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly table: string,
    options: { shards?: number } = {},
  ) {
    this.shards = options.shards ?? SCHEDULE_SHARDS;
  }

  /** Records a new schedule; ScheduleExistsError when its ID is taken. */
  async create(item: ScheduleItem): Promise<void> {
    try {
      await retryConflicts(() =>
        // The store owns the index key: a schedule is listed under its shard.
        this.ddb.send(
          new PutCommand({ TableName: this.table, Item: { ...item, schedule_shard: scheduleShard(item.schedule_id, this.shards) }, ConditionExpression: 'attribute_not_exists(pk)' }),
        ),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new ScheduleExistsError(item.schedule_id);
      throw err;
    }
  }

  /** A schedule by its stored ID. */
  async get(scheduleId: string): Promise<ScheduleItem | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.table, Key: { pk: scheduleKey(scheduleId) }, ConsistentRead: true }));
    return out.Item as ScheduleItem | undefined;
  }

  /** Every schedule (of `tenant`'s IDs, when `owned` is given), by next tick. */
  async list(owned?: (scheduleId: string) => boolean): Promise<ScheduleItem[]> {
    const all = (await Promise.all(Array.from({ length: this.shards }, (_, n) => this.queryShard(`schedules#${n}`)))).flat();
    return all.filter((s) => owned === undefined || owned(s.schedule_id)).sort((a, b) => a.next_at - b.next_at || (a.schedule_id < b.schedule_id ? -1 : 1));
  }

  /** Schedules with a tick due at `nowMs` that are not paused (eventually consistent: the conditional write decides). */
  async listDue(nowMs: number): Promise<ScheduleItem[]> {
    const all = await Promise.all(Array.from({ length: this.shards }, (_, n) => this.queryShard(`schedules#${n}`, nowMs)));
    return all.flat().filter((s) => s.paused !== true);
  }

  private async queryShard(key: string, dueBy?: number): Promise<ScheduleItem[]> {
    const items: ScheduleItem[] = [];
    const pages = queryPages(this.ddb, {
      TableName: this.table,
      IndexName: SCHEDULE_INDEX,
      KeyConditionExpression: dueBy === undefined ? 'schedule_shard = :k' : 'schedule_shard = :k AND next_at <= :now',
      ExpressionAttributeValues: dueBy === undefined ? { ':k': key } : { ':k': key, ':now': dueBy },
    });
    for await (const page of pages) items.push(...((page.Items ?? []) as ScheduleItem[]));
    return items;
  }

  /** Moves a schedule on without making a job (ticks skipped, or none could be made); false when refused (see advanceUpdate). */
  async advance(item: Pick<ScheduleItem, 'schedule_id' | 'next_at'>, change: ScheduleAdvance): Promise<boolean> {
    try {
      await retryConflicts(() => this.ddb.send(new UpdateCommand({ TableName: this.table, ...advanceUpdate(item, change) })));
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /**
   * Pauses (`nextAt` undefined) or resumes a schedule; a resumed one starts at
   * `nextAt`, the first tick after the resume (a pause is not an outage: its
   * ticks are not caught up). The schedule after the write, or undefined when there is none.
   */
  async setPaused(scheduleId: string, paused: boolean, nextAt?: number): Promise<ScheduleItem | undefined> {
    try {
      const out = await retryConflicts(() =>
        this.ddb.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: scheduleKey(scheduleId) },
            ConditionExpression: 'attribute_exists(pk)',
            UpdateExpression: paused ? 'SET paused = :yes' : 'SET next_at = :next REMOVE paused',
            ExpressionAttributeValues: paused ? { ':yes': true } : { ':next': nextAt },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return out.Attributes as ScheduleItem;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }

  /** Deletes a schedule (its jobs stay); false when there was none. */
  async delete(scheduleId: string): Promise<boolean> {
    try {
      await retryConflicts(() =>
        this.ddb.send(new DeleteCommand({ TableName: this.table, Key: { pk: scheduleKey(scheduleId) }, ConditionExpression: 'attribute_exists(pk)' })),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
