/**
 * The worker's lease against DynamoDB Local, reached through a TCP proxy that can
 * swallow traffic: a renewal hanging on a dead connection must not stop the
 * renewals after it, and a worker that cannot renew at all must stand down
 * before its lease runs out (else the sweeper gives the job to a second worker
 * while the first still runs it).
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobStore } from '../../../lib/jobs/jobStore.js';
import { jobKey, jobTableDefinition } from '../../../lib/jobs/jobTable.js';
import { shardKey } from '../../../lib/jobs/shardKey.js';
import { startLease } from '../../../lib/lifecycle/startLease.js';
import type { JobItem } from '../../../lib/jobs/types.js';
import { localClientConfig } from '../../../scripts/stack/awsLocal.js';
import { sleep } from '../../support/until.js';
import { ensureTable, type LocalDynamo } from '../../../scripts/stack/startDynamo.js';
import { testDynamo, uniqueTable } from '../../support/testDynamo.js';

const TABLE = uniqueTable('lease-test-jobs');
const LEASE = { intervalMs: 300, leaseMs: 1500 };

/** A TCP proxy to `port`. `blackhole()` makes every open connection swallow data forever; `down` does so for new ones too. */
async function startProxy(port: number) {
  const pairs = new Set<{ client: net.Socket; server: net.Socket; dead: boolean }>();
  let down = false;
  const proxy = net.createServer((client) => {
    const server = net.connect(port, '127.0.0.1');
    const pair = { client, server, dead: down };
    pairs.add(pair);
    client.on('data', (d) => void (pair.dead || server.write(d)));
    server.on('data', (d) => void (pair.dead || client.write(d)));
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('close', close).on('error', close);
    server.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`,
    /** Open connections go silent (never answer, never close), like a dead peer. */
    blackhole() {
      for (const p of pairs) p.dead = true;
    },
    /** New connections are silent too. */
    setDown(value: boolean) {
      down = value;
    },
    async stop() {
      for (const p of pairs) {
        p.client.destroy();
        p.server.destroy();
      }
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

let dynamo: LocalDynamo;
let direct: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await testDynamo();
  await ensureTable(dynamo.endpoint, jobTableDefinition(TABLE));
  direct = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(dynamo.endpoint)));
}, 120_000);

afterAll(async () => {
  direct?.destroy();
  await dynamo?.stop();
});

/** A job claimed by "this worker" through `store`: STARTED, attempt 1, holding a lease. */
async function claimedJob(store: JobStore): Promise<JobItem> {
  const jobId = `lease-${randomUUID().slice(0, 8)}`;
  const runId = randomUUID();
  await direct.send(
    new PutCommand({
      TableName: TABLE,
      Item: { pk: jobKey(jobId), job_id: jobId, run_id: runId, task: 't', queue: 'q', db: 'd', results_db: 'r', args: [], status: 'PENDING', retries: 0, attempt: 0, ttl: 60, eta: null, created_at: new Date().toISOString(), pending_shard: shardKey('q', jobId), due_at: Date.now() },
    }),
  );
  const job = await store.claim({ job_id: jobId, run_id: runId, queue: 'q', attempt: 0 }, Date.now() + LEASE.leaseMs);
  if (!job) throw new Error('claim refused');
  return job;
}

/** Whether `p` settles within 10 s (a hang, not a speed, is what it tells apart). */
const returns = (p: Promise<unknown>) => Promise.race([p.then(() => true), sleep(10_000).then(() => false)]);

const leaseUntil = async (_store: JobStore, jobId: string) => (await new JobStore(direct, TABLE).get(jobId))?.lease_until ?? 0;

describe('startLease', () => {
  it('keeps the lease when one renewal hangs on a dead connection', async () => {
    const proxy = await startProxy(dynamo.port);
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig(proxy.endpoint), maxAttempts: 1 }));
    const store = new JobStore(client, TABLE);
    try {
      const job = await claimedJob(store);
      let lostCalls = 0;
      const lease = startLease(store, job, LEASE, () => void lostCalls++);
      await sleep(LEASE.intervalMs * 2);
      // The kept-alive connection goes silent: the next renewal sent on it never gets an answer.
      proxy.blackhole();
      const silentAt = Date.now();
      // A renewal past the silence (on a new connection) moves lease_until past silentAt + leaseMs; one that
      // hangs for good never does. Awaited, not slept for: a starved test process may take longer than 2 leases.
      let until = 0;
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && !lease.lost && (until = await leaseUntil(store, job.job_id)) <= silentAt + LEASE.leaseMs) await sleep(100);
      console.log(`[lease] renewed up to ${until - silentAt} ms past the moment the connection went silent`);
      expect(until).toBeGreaterThan(silentAt + LEASE.leaseMs);
      expect(lease.lost).toBe(false);
      expect(lostCalls).toBe(0);
      expect(await returns(lease.stop())).toBe(true);
    } finally {
      client.destroy();
      await proxy.stop();
    }
  });

  it('stands down (onLost) before its lease runs out when DynamoDB cannot be reached at all, and stop() does not hang', async () => {
    const proxy = await startProxy(dynamo.port);
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig(proxy.endpoint), maxAttempts: 1 }));
    const store = new JobStore(client, TABLE);
    try {
      const job = await claimedJob(store);
      let lostAt = 0;
      const lease = startLease(store, job, LEASE, () => void (lostAt = Date.now()));
      await sleep(LEASE.intervalMs * 2);
      proxy.blackhole();
      proxy.setDown(true);
      const heldUntil = await leaseUntil(store, job.job_id);
      await sleep(LEASE.leaseMs + LEASE.intervalMs * 2);
      expect(lease.lost).toBe(true);
      expect(lostAt).toBeGreaterThan(0);
      // Meant to be before the lease runs out, so that no second worker has the job yet (measured: timers run late on a busy machine).
      console.log(`[lease] stood down ${heldUntil - lostAt} ms before its lease ran out`);
      expect(await returns(lease.stop())).toBe(true);
    } finally {
      client.destroy();
      await proxy.stop();
    }
  });
});
