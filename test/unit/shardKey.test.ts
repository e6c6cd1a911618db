import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { allShardKeys, INDEX_SHARDS, shardKey, shardOf } from '../../lib/jobs/shardKey.js';
import { leaseShard, pendingShard } from '../../lib/jobs/jobStore.js';

describe('shardKey (8: no hot index key)', () => {
  it('is stable per ID and one of the queue\'s keys', () => {
    const keys = new Set(allShardKeys('reports'));
    expect(keys.size).toBe(INDEX_SHARDS);
    for (const id of ['a', 'orders-42', randomUUID()]) {
      expect(shardKey('reports', id)).toBe(shardKey('reports', id));
      expect(keys.has(shardKey('reports', id))).toBe(true);
    }
    expect(shardKey('reports', 'x', 4)).toMatch(/^reports#0[0-3]$/);
  });

  it('spreads 100,000 IDs (random and sequential) evenly: each shard within 10 % of its share', () => {
    for (const make of [() => randomUUID(), (i: number) => `job-${i}`]) {
      const counts = new Array<number>(INDEX_SHARDS).fill(0);
      for (let i = 0; i < 100_000; i++) counts[shardOf(make(i))]!++;
      const share = 100_000 / INDEX_SHARDS;
      expect(Math.min(...counts)).toBeGreaterThan(share * 0.9);
      expect(Math.max(...counts)).toBeLessThan(share * 1.1);
    }
  });

  it('keys both sparse indexes of a job by its queue\'s shard, never by the queue alone', () => {
    const job = { queue: 'q', job_id: 'orders-42' };
    expect(pendingShard(job)).toMatch(/^q#\d\d$/);
    expect(leaseShard(job)).toMatch(/^q#\d\d$/);
  });
});
