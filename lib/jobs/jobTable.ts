import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { ADMISSION_ATTRIBUTES, ADMISSION_INDEX } from './admission.js';

/** Name of the sparse index listing waiting jobs per queue shard (`pending_shard`, lib/jobs/shardKey.ts). */
export const PENDING_INDEX = 'pending';
/** Name of the sparse index of running attempts per queue shard (`lease_shard`), by lease expiry. */
export const LEASE_INDEX = 'leases';
/** Name of the sparse index of coalesced waiters by the leader run they wait on (`waits_for`, lib/reuse). */
export const WAITERS_INDEX = 'waiters';
/**
 * Name of the sparse index of jobs that may become orphans (`orphan_shard`, the
 * job's queue sharded by its ID), by the epoch second they become one unless
 * someone asks (`orphan_at`). An ending removes both: it lists active jobs only.
 */
export const ORPHANS_INDEX = 'orphans';
/** Name of the index of every job, newest first, spread over RECENT_SHARDS keys (GET /jobs). */
export const RECENT_INDEX = 'recent';
/** Name of the sparse index of schedules (lib/schedules), by their next tick, spread over SCHEDULE_SHARDS keys. */
export const SCHEDULE_INDEX = 'schedules';

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
      { AttributeName: 'adm_key', AttributeType: 'S' },
      { AttributeName: 'adm_order', AttributeType: 'S' },
      { AttributeName: 'schedule_shard', AttributeType: 'S' },
      { AttributeName: 'next_at', AttributeType: 'N' },
      { AttributeName: 'waits_for', AttributeType: 'S' },
      { AttributeName: 'orphan_shard', AttributeType: 'S' },
      { AttributeName: 'orphan_at', AttributeType: 'N' },
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
      {
        // Admission (lib/jobs/admission.ts): tenants' rosters and waiting lists, sparse.
        IndexName: ADMISSION_INDEX,
        KeySchema: [
          { AttributeName: 'adm_key', KeyType: 'HASH' },
          { AttributeName: 'adm_order', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...ADMISSION_ATTRIBUTES] },
      },
      {
        IndexName: SCHEDULE_INDEX,
        KeySchema: [
          { AttributeName: 'schedule_shard', KeyType: 'HASH' },
          { AttributeName: 'next_at', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        // One key per leader run: its waiters (at most the jobs asking for one query at once), written once each.
        IndexName: WAITERS_INDEX,
        KeySchema: [{ AttributeName: 'waits_for', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['job_id', 'run_id'] },
      },
      {
        // Orphan cancel (lib/jobs/orphanAfter.ts): the sweeper reads only the jobs past their time, whatever waits.
        IndexName: ORPHANS_INDEX,
        KeySchema: [
          { AttributeName: 'orphan_shard', KeyType: 'HASH' },
          { AttributeName: 'orphan_at', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['job_id'] },
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
