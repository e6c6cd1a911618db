import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReusePointer } from './types.js';

/** A pointer outlives the longest `max_age` (a week) by a day; DynamoDB's TTL deletes it later. */
const POINTER_SECONDS = 8 * 24 * 3600;

/**
 * Result reuse pointers in the jobs table: one item per task + args
 * (`reuse#<hash>`) naming the job that last ran that query, or runs it now.
 */
export class ReusePointers {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The pointer of a query (consistent read). */
  async get(pk: string): Promise<ReusePointer | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.table, Key: { pk }, ConsistentRead: true }));
    return out.Item as ReusePointer | undefined;
  }

  /** Points the query at a job that just succeeded (the freshest result wins). */
  async put(p: Omit<ReusePointer, 'expires_at'>): Promise<void> {
    await this.ddb.send(new PutCommand({ TableName: this.table, Item: { ...p, expires_at: Math.floor(Date.now() / 1000) + POINTER_SECONDS } }));
  }

  /**
   * Takes the query for a job that is about to run it, only over `previous` (the
   * pointer as read: its job failed, was cancelled, or is too old) or none: of
   * identical jobs starting at once, exactly one wins and the others wait for it.
   */
  async take(p: Omit<ReusePointer, 'expires_at'>, previous: ReusePointer | undefined): Promise<boolean> {
    try {
      await this.ddb.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...p, expires_at: Math.floor(Date.now() / 1000) + POINTER_SECONDS },
          ...(previous
            ? { ConditionExpression: 'job_id = :j AND run_id = :r', ExpressionAttributeValues: { ':j': previous.job_id, ':r': previous.run_id } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
