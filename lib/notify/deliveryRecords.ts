import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { retryConflicts } from '../retryConflicts.js';

/** How long a record of an event's deliveries is kept: longer than any redelivery of its notify message (retry_for is at most 24 h). */
const KEEP_SECONDS = 2 * 24 * 3600;

export const deliveryKey = (eventId: string) => `delivery#${eventId}`;

/**
 * Which sinks already took an event (`sns`, `eventbridge`, `webhook:<n>`), in the
 * jobs table: a notify message that comes back (its function failed after some
 * sinks took the event) sends only to the others. One item per event, gone after two days.
 */
export class DeliveryRecords {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The sinks that took the event. */
  async delivered(eventId: string): Promise<Set<string>> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.table, Key: { pk: deliveryKey(eventId) }, ConsistentRead: true }));
    return new Set((out.Item?.sinks as Set<string> | undefined) ?? []);
  }

  /** Records that `sink` took the event. */
  async record(eventId: string, sink: string): Promise<void> {
    await retryConflicts(() =>
      this.ddb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: deliveryKey(eventId) },
          UpdateExpression: 'ADD sinks :s SET expires_at = :exp',
          ExpressionAttributeValues: { ':s': new Set([sink]), ':exp': Math.floor(Date.now() / 1000) + KEEP_SECONDS },
        }),
      ),
    );
  }
}
