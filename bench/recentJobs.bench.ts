/**
 * GET /jobs's listing against DynamoDB Local: time and index reads of a first
 * page, of a filtered page, and of paging through every job, with jobs spread
 * over the recent index's shards as submissions spread them.
 *
 *   npx tsx bench/recentJobs.bench.ts [jobs=5000]
 * Local figures only: DynamoDB Local is not DynamoDB; the query counts carry over.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InitializeMiddleware } from '@smithy/types';
import { parseConfig } from '../lib/config/loadConfig.js';
import { JobStore } from '../lib/jobs/jobStore.js';
import { jobKey, jobTableDefinition, recentAt, recentShard } from '../lib/jobs/jobTable.js';
import { listRecentJobs } from '../lib/jobs/listRecentJobs.js';
import { parseRecentJobsQuery } from '../lib/jobs/recentJobsQuery.js';
import type { JobItem } from '../lib/jobs/types.js';
import { localClientConfig } from '../scripts/stack/awsLocal.js';
import { ensureTable, startDynamo } from '../scripts/stack/startDynamo.js';

const JOBS = Number(process.argv[2] ?? 5000);
const TABLE = 'bench-recent-jobs';
const config = parseConfig('[queues.alpha]\n[queues.beta]\n', 'bench', {});
const dynamo = await startDynamo();
try {
  await ensureTable(dynamo.endpoint, jobTableDefinition(TABLE));
  const client = new DynamoDBClient(localClientConfig(dynamo.endpoint));
  let queries = 0;
  const count: InitializeMiddleware<any, any> = (next, context) => async (args) => {
    if (context.commandName === 'QueryCommand') queries++;
    return next(args);
  };
  client.middlewareStack.add(count, { step: 'initialize', name: 'countQueries' });
  const ddb = DynamoDBDocumentClient.from(client);
  const store = new JobStore(ddb, TABLE);
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const items: JobItem[] = Array.from({ length: JOBS }, (_, n) => {
    const id = `job-${n}`;
    const created = new Date(t0 + n * 10).toISOString();
    return {
      pk: jobKey(id), job_id: id, run_id: 'r', task: `t${n % 10}`, queue: n % 2 ? 'alpha' : 'beta', db: 'db', results_db: 'res', args: [],
      status: n % 100 === 0 ? 'FAILURE' : 'SUCCESS', retries: 0, attempt: 1, ttl: 3600, eta: null, created_at: created,
      recent_shard: recentShard(id), recent_at: recentAt(created, id),
    };
  });
  for (let i = 0; i < items.length; i += 25 * 8) {
    await Promise.all(
      Array.from({ length: 8 }, (_, k) => items.slice(i + k * 25, i + (k + 1) * 25)).filter((c) => c.length > 0).map((chunk) =>
        ddb.send(new BatchWriteCommand({ RequestItems: { [TABLE]: chunk.map((Item) => ({ PutRequest: { Item } })) } })),
      ),
    );
  }

  const measure = async (label: string, query: Record<string, string>, runs: number) => {
    const times: number[] = [];
    let q = 0;
    for (let r = 0; r < runs; r++) {
      queries = 0;
      const start = performance.now();
      await listRecentJobs({ store }, parseRecentJobsQuery(query, config));
      times.push(performance.now() - start);
      q = queries;
    }
    times.sort((a, b) => a - b);
    console.log(`${label.padEnd(44)} median ${times[Math.floor(runs / 2)]!.toFixed(1).padStart(6)} ms  p90 ${times[Math.floor(runs * 0.9)]!.toFixed(1).padStart(6)} ms  ${q} index queries`);
  };
  console.log(`${JOBS} jobs in the recent index (DynamoDB Local)`);
  await measure('first page (limit 20)', {}, 30);
  await measure('first page (limit 100)', { limit: '100' }, 30);
  await measure('state=FAILURE (1 job in 100), limit 20', { state: 'FAILURE' }, 10);

  let pages = 0;
  let cursor: string | undefined;
  queries = 0;
  const start = performance.now();
  do {
    const page = await listRecentJobs({ store }, parseRecentJobsQuery({ limit: '100', ...(cursor ? { cursor } : {}) }, config));
    cursor = page.next_cursor ?? undefined;
    pages++;
  } while (cursor);
  console.log(`${'every job, limit 100'.padEnd(44)} ${pages} pages in ${(performance.now() - start).toFixed(0)} ms, ${queries} index queries`);
  client.destroy();
} finally {
  await dynamo.stop();
}
