/**
 * Sharded keys for the sparse indexes. A key that grows with traffic (every
 * waiting job of a queue, every running job's lease) written under one value
 * lands in one index partition, which takes about 1,000 writes/s before DynamoDB
 * throttles it, and a throttled index throttles writes to the table. Spreading
 * the key over `shards` values, picked from the item's ID, spreads those writes
 * over as many partitions; a reader queries every shard (see docs/operations.md, "Capacity").
 */

/** Shards per queue and index: 32 × 1,000 writes/s, see docs/operations.md, "Capacity". */
export const INDEX_SHARDS = 32;

/**
 * Shards against DynamoDB Local (the local stack, tests): it has no partitions to
 * spread over and serves one request at a time, so 32 shards would only make every
 * listing and sweep 32 queries long. The same code, a smaller number.
 */
export const LOCAL_INDEX_SHARDS = 2;

/** The shard count of a table: the AWS one, or the local one when the store talks to DynamoDB Local. */
export const indexShards = (dynamodbEndpoint: string | undefined) => (dynamodbEndpoint ? LOCAL_INDEX_SHARDS : INDEX_SHARDS);

/** FNV-1a over the UTF-16 code units: stable across processes and runtimes, and cheap. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The shard (0..shards-1) of an ID: the same ID always gets the same shard. */
export function shardOf(id: string, shards: number = INDEX_SHARDS): number {
  return fnv1a(id) % shards;
}

/**
 * The sharded index key of an item: `prefix#NN`, e.g. `reports#07`. Reuse it for
 * any index whose key would otherwise be one hot value (queue, state, day).
 */
export function shardKey(prefix: string, id: string, shards: number = INDEX_SHARDS): string {
  return `${prefix}#${String(shardOf(id, shards)).padStart(2, '0')}`;
}

/** Every key of a prefix, for a reader that must see all shards. */
export function allShardKeys(prefix: string, shards: number = INDEX_SHARDS): string[] {
  return Array.from({ length: shards }, (_, n) => `${prefix}#${String(n).padStart(2, '0')}`);
}
