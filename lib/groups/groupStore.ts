import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { retryConflicts } from '../retryConflicts.js';
import { GroupActiveError } from '../errors.js';
import { GROUP_PAGE_SIZE, groupKey, groupPageKey, type GroupItem, type GroupPage } from './types.js';

const epochSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Group records in DynamoDB: a small header (counters, conditional updates) and
 * the member IDs in pages of 100, so no item nears DynamoDB's 400 KB limit and
 * the counters stay cheap to update however large the group. Every counter change
 * names the group's run (`group_run`), so nothing of an earlier group under the
 * same ID lands in a later one. A slot's take and give-back change a member
 * with the header, so they are written by lib/lifecycle (slotChanges.ts).
 */
export class GroupStore {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Records a group unless a group with its ID is still active (GroupActiveError, 409). */
  async create(header: GroupItem, jobIds: string[]): Promise<void> {
    const pages: GroupPage[] = [];
    for (let i = 0; i < jobIds.length; i += GROUP_PAGE_SIZE) {
      pages.push({
        pk: groupPageKey(header.group_id, pages.length),
        group_id: header.group_id,
        group_run: header.group_run,
        job_ids: jobIds.slice(i, i + GROUP_PAGE_SIZE),
        expires_at: header.expires_at,
      });
    }
    try {
      // Two submissions of one ID at once: the loser's transaction conflicts, is retried, and then fails its condition (409).
      await retryConflicts(() =>
        this.ddb.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.table,
                  Item: header,
                  ConditionExpression: 'attribute_not_exists(pk) OR cancelled = :t OR finished >= #total OR expires_at < :now',
                  ExpressionAttributeNames: { '#total': 'total' },
                  ExpressionAttributeValues: { ':t': true, ':now': epochSeconds() },
                },
              },
              ...pages.map((page) => ({ Put: { TableName: this.table, Item: page } })),
            ],
          }),
        ),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException && err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
        throw new GroupActiveError(header.group_id, 'wait for it to finish or cancel it first');
      }
      throw err;
    }
  }

  /** The group's header; an expired one is gone. */
  async get(groupId: string): Promise<GroupItem | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.table, Key: { pk: groupKey(groupId) }, ConsistentRead: true }));
    const item = out.Item as GroupItem | undefined;
    return item && item.expires_at > epochSeconds() ? item : undefined;
  }

  /** Every member's job ID, in submission order. */
  async jobIds(group: GroupItem): Promise<string[]> {
    const pages = Math.ceil(group.total / GROUP_PAGE_SIZE);
    const keys = Array.from({ length: pages }, (_, n) => ({ pk: groupPageKey(group.group_id, n) }));
    const found = new Map<string, string[]>();
    const chunks: Record<string, unknown>[][] = [];
    for (let i = 0; i < keys.length; i += 100) chunks.push(keys.slice(i, i + 100));
    await Promise.all(
      chunks.map(async (chunk) => {
        let batch: Record<string, unknown>[] | undefined = chunk;
        while (batch && batch.length) {
          const res: BatchGetCommandOutput = await this.ddb.send(
            new BatchGetCommand({ RequestItems: { [this.table]: { Keys: batch, ConsistentRead: true } } }),
          );
          for (const p of (res.Responses?.[this.table] ?? []) as GroupPage[]) {
            if (p.group_run === undefined || p.group_run === group.group_run) found.set(p.pk, p.job_ids);
          }
          batch = res.UnprocessedKeys?.[this.table]?.Keys;
        }
      }),
    );
    return keys.flatMap((k) => found.get(k.pk) ?? []);
  }

  /** The page holding position `index` of this group's run, or undefined. */
  async pageAt(group: GroupItem, index: number): Promise<GroupPage | undefined> {
    const out = await this.ddb.send(
      new GetCommand({ TableName: this.table, Key: { pk: groupPageKey(group.group_id, Math.floor(index / GROUP_PAGE_SIZE)) }, ConsistentRead: true }),
    );
    const page = out.Item as GroupPage | undefined;
    return page && (page.group_run === undefined || page.group_run === group.group_run) ? page : undefined;
  }

  /**
   * Skips position `index` (its member ended before its turn, or is not this
   * group's any more): counted as finished, no slot taken. False: the header moved.
   */
  async skip(group: GroupItem, index: number): Promise<boolean> {
    try {
      await retryConflicts(() =>
        this.ddb.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: groupKey(group.group_id) },
            ConditionExpression: 'group_run = :grun AND next_index = :i',
            UpdateExpression: 'SET next_index = :next, finished = finished + :one',
            ExpressionAttributeValues: { ':grun': group.group_run, ':i': index, ':next': index + 1, ':one': 1 },
          }),
        ),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Keeps a page at least until `expiresAt` (epoch s): a page must not expire while its group runs. */
  async extendPage(group: GroupItem, page: number, expiresAt: number): Promise<void> {
    try {
      await retryConflicts(() =>
        this.ddb.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: groupPageKey(group.group_id, page) },
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(group_run) OR group_run = :grun) AND (attribute_not_exists(expires_at) OR expires_at < :exp)',
            UpdateExpression: 'SET expires_at = :exp',
            ExpressionAttributeValues: { ':grun': group.group_run, ':exp': expiresAt },
          }),
        ),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  /**
   * Marks the group's run cancelled: no further member is dispatched. Idempotent
   * (a repeated cancel finishes what a failed one left); false when there is no such run.
   */
  async markCancelled(group: GroupItem): Promise<boolean> {
    try {
      await retryConflicts(() =>
        this.ddb.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: groupKey(group.group_id) },
            ConditionExpression: 'group_run = :grun',
            UpdateExpression: 'SET cancelled = :t',
            ExpressionAttributeValues: { ':grun': group.group_run, ':t': true },
          }),
        ),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Deletes the header and its pages. */
  async delete(group: GroupItem): Promise<void> {
    const keys = [groupKey(group.group_id), ...Array.from({ length: Math.ceil(group.total / GROUP_PAGE_SIZE) }, (_, n) => groupPageKey(group.group_id, n))];
    for (let i = 0; i < keys.length; i += 100) {
      await retryConflicts(() =>
        this.ddb.send(new TransactWriteCommand({ TransactItems: keys.slice(i, i + 100).map((pk) => ({ Delete: { TableName: this.table, Key: { pk } } })) })),
      );
    }
  }
}
