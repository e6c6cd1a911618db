import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../errors.js';
import { GROUP_PAGE_SIZE, groupKey, groupPageKey, type GroupItem, type GroupPage } from './types.js';

const epochSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Group records in DynamoDB: a small header (counters, conditional updates) and
 * the member IDs in pages of 100, so no item nears DynamoDB's 400 KB limit and
 * the counters stay cheap to update however large the group.
 */
export class GroupStore {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Records a group unless a group with its ID is still active (409). */
  async create(header: GroupItem, jobIds: string[]): Promise<void> {
    const pages: GroupPage[] = [];
    for (let i = 0; i < jobIds.length; i += GROUP_PAGE_SIZE) {
      pages.push({ pk: groupPageKey(header.group_id, pages.length), group_id: header.group_id, job_ids: jobIds.slice(i, i + GROUP_PAGE_SIZE) });
    }
    try {
      await this.ddb.send(
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
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException && err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
        throw new ConflictError(`group "${header.group_id}" is still running; wait for it to finish or cancel it first`, {
          group_id: header.group_id,
        });
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
          for (const p of (res.Responses?.[this.table] ?? []) as GroupPage[]) found.set(p.pk, p.job_ids);
          batch = res.UnprocessedKeys?.[this.table]?.Keys;
        }
      }),
    );
    return keys.flatMap((k) => found.get(k.pk) ?? []);
  }

  /** The job ID at one position. */
  async jobIdAt(groupId: string, index: number): Promise<string | undefined> {
    const out = await this.ddb.send(
      new GetCommand({ TableName: this.table, Key: { pk: groupPageKey(groupId, Math.floor(index / GROUP_PAGE_SIZE)) }, ConsistentRead: true }),
    );
    return (out.Item as GroupPage | undefined)?.job_ids[index % GROUP_PAGE_SIZE];
  }

  /** Takes the next member position for dispatch; `undefined` when none is left or the group is cancelled. */
  async takeNextIndex(groupId: string): Promise<number | undefined> {
    try {
      const out = await this.ddb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: groupKey(groupId) },
          ConditionExpression: 'next_index < #total AND cancelled = :f',
          UpdateExpression: 'SET next_index = next_index + :one',
          ExpressionAttributeNames: { '#total': 'total' },
          ExpressionAttributeValues: { ':one': 1, ':f': false },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return (out.Attributes?.next_index as number) - 1;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }

  /** Counts one member as ended (or skipped). */
  async addFinished(groupId: string): Promise<void> {
    await this.ddb.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: groupKey(groupId) },
        ConditionExpression: 'attribute_exists(pk)',
        UpdateExpression: 'SET finished = finished + :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }

  /** Marks the group cancelled: no further member is dispatched. Returns false if it already was. */
  async markCancelled(groupId: string): Promise<boolean> {
    try {
      await this.ddb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: groupKey(groupId) },
          ConditionExpression: 'attribute_exists(pk) AND cancelled = :f',
          UpdateExpression: 'SET cancelled = :t',
          ExpressionAttributeValues: { ':f': false, ':t': true },
        }),
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
      await this.ddb.send(
        new TransactWriteCommand({ TransactItems: keys.slice(i, i + 100).map((pk) => ({ Delete: { TableName: this.table, Key: { pk } } })) }),
      );
    }
  }
}
