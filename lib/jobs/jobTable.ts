import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Name of the sparse index listing waiting jobs per queue shard (`pending_shard`, lib/jobs/shardKey.ts). */
export const PENDING_INDEX = 'pending';
/** Name of the sparse index of running attempts per queue shard (`lease_shard`), by lease expiry. */
export const LEASE_INDEX = 'leases';
/** Name of the index of every job, newest first, spread over RECENT_SHARDS keys (GET /jobs). */
export const RECENT_INDEX = 'recent';

/**
 * How many partition keys the recent index spreads jobs over. Each key takes about
 * 1,000 writes/s, and a job writes the index about four times (submit, claim,
 * finish, a purge): 16 keys carry some 4,000 new jobs a second. A listing reads
 * every shard, so more shards cost more reads per page.
 */
export const RECENT_SHARDS = 16;

/**
 * Attributes the recent index carries besides its keys: what a listing shows and
 * filters on. Kept short on purpose: an update that touches none of them (a
 * lease renewal every 2 s) does not write the index.
 */
export const RECENT_ATTRIBUTES = [
  'job_id', 'task', 'queue', 'status', 'created_at', 'started_at', 'finished_at', 'count', 'error',
  'group_id', 'attempt', 'retries', 'eta', 'expires_at', 'purged', 'warnings',
] as const;

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
      { AttributeName: 'pending_shard', AttributeType: 'S' },
      { AttributeName: 'created_at', AttributeType: 'S' },
      { AttributeName: 'lease_shard', AttributeType: 'S' },
      { AttributeName: 'lease_until', AttributeType: 'N' },
      { AttributeName: 'recent_shard', AttributeType: 'S' },
      { AttributeName: 'recent_at', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: PENDING_INDEX,
        KeySchema: [
          { AttributeName: 'pending_shard', KeyType: 'HASH' },
          { AttributeName: 'created_at', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: LEASE_INDEX,
        KeySchema: [
          { AttributeName: 'lease_shard', KeyType: 'HASH' },
          { AttributeName: 'lease_until', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: RECENT_INDEX,
        KeySchema: [
          { AttributeName: 'recent_shard', KeyType: 'HASH' },
          { AttributeName: 'recent_at', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...RECENT_ATTRIBUTES] },
      },
    ],
  };
}

/** The TTL attribute (epoch seconds). */
export const TTL_ATTRIBUTE = 'expires_at';

export const jobKey = (jobId: string) => `job#${jobId}`;

/** The recent index's shard of a job: a hash of its ID, so one job always lands on one key. */
export function recentShard(jobId: string): string {
  let hash = 2166136261;
  for (let i = 0; i < jobId.length; i++) hash = Math.imul(hash ^ jobId.charCodeAt(i), 16777619) >>> 0;
  return recentShardKey(hash % RECENT_SHARDS);
}

/** The partition key of shard `n` of the recent index. */
export const recentShardKey = (n: number) => `recent#${n}`;

/** The recent index's sort key: creation time, then the ID, so every key is unique and keyset paging exact. */
export const recentAt = (createdAt: string, jobId: string) => `${createdAt}#${jobId}`;
