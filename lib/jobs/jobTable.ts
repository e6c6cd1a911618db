import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Name of the sparse index listing waiting jobs per queue. */
export const PENDING_INDEX = 'pending';
/** Name of the sparse index of running attempts per queue, by lease expiry. */
export const LEASE_INDEX = 'leases';

/**
 * The DynamoDB table definition. serverless.yml's resources and the local stack
 * both build the table from this, so they cannot drift apart.
 */
export function jobTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'pending_queue', AttributeType: 'S' },
      { AttributeName: 'created_at', AttributeType: 'S' },
      { AttributeName: 'lease_queue', AttributeType: 'S' },
      { AttributeName: 'lease_until', AttributeType: 'N' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: PENDING_INDEX,
        KeySchema: [
          { AttributeName: 'pending_queue', KeyType: 'HASH' },
          { AttributeName: 'created_at', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: LEASE_INDEX,
        KeySchema: [
          { AttributeName: 'lease_queue', KeyType: 'HASH' },
          { AttributeName: 'lease_until', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/** The TTL attribute (epoch seconds). */
export const TTL_ATTRIBUTE = 'expires_at';

export const jobKey = (jobId: string) => `job#${jobId}`;
