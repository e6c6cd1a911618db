/**
 * GET /jobs's listing against DynamoDB Local: the recent index spreads jobs over
 * its shards, and the merged keyset pages give every live job exactly once,
 * newest first, with or without filters that match little.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config/loadConfig.js';
import { InvalidRequestError } from '../../../lib/errors.js';
import { JobStore } from '../../../lib/jobs/jobStore.js';
import { RECENT_SHARDS, jobKey, jobTableDefinition, recentAt, recentShard } from '../../../lib/jobs/jobTable.js';
import { listRecentJobs } from '../../../lib/jobs/listRecentJobs.js';
import { parseRecentJobsQuery } from '../../../lib/jobs/recentJobsQuery.js';
import type { JobItem, JobState } from '../../../lib/jobs/types.js';
import { localClientConfig } from '../../../scripts/stack/awsLocal.js';
import { ensureTable, type LocalDynamo } from '../../../scripts/stack/startDynamo.js';
import { testDynamo, uniqueTable } from '../../support/testDynamo.js';

const TABLE = uniqueTable('recent-test-jobs');
const config = parseConfig('[queues.alpha]\n[queues.beta]\n', 'test', {});
const T0 = Date.parse('2026-01-01T00:00:00Z');

let dynamo: LocalDynamo;
let store: JobStore;
const live: JobItem[] = [];

/** Job n: every 50th FAILURE, every 3rd on queue beta, tasks t0..t4; some share a timestamp. */
function job(n: number, extra: Partial<JobItem> = {}): JobItem {
  const id = `job-${String(n).padStart(4, '0')}`;
  const created = new Date(T0 + Math.floor(n / 2) * 1000).toISOString();
  const status: JobState = n % 50 === 7 ? 'FAILURE' : n % 4 === 0 ? 'PENDING' : 'SUCCESS';
  return {
    pk: jobKey(id), job_id: id, run_id: `run-${n}`, task: `t${n % 5}`, queue: n % 3 === 0 ? 'beta' : 'alpha',
    db: 'db', results_db: 'res', args: [], status, retries: 0, attempt: 1, ttl: 3600, eta: null, created_at: created,
    recent_shard: recentShard(id), recent_at: recentAt(created, id), ...extra,
  };
}

const newestFirst = (a: JobItem, b: JobItem) => (a.recent_at! < b.recent_at! ? 1 : -1);

/** Every page of a listing, following next_cursor to the end. */
async function allPages(query: Record<string, string>, reads?: { perShard: number; readLimit: number }) {
  const pages: { ids: string[]; next: string | null }[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRecentJobs({ store }, parseRecentJobsQuery({ ...query, ...(cursor ? { cursor } : {}) }, config), reads);
    pages.push({ ids: page.jobs.map((j) => j.job_id), next: page.next_cursor });
    cursor = page.next_cursor ?? undefined;
    if (pages.length > 500) throw new Error('paging does not end');
  } while (cursor);
  return pages;
}

beforeAll(async () => {
  dynamo = await testDynamo();
  await ensureTable(dynamo.endpoint, jobTableDefinition(TABLE));
  const ddb = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(dynamo.endpoint)));
  store = new JobStore(ddb, TABLE);
  const items: JobItem[] = [];
  for (let n = 0; n < 400; n++) items.push(job(n));
  // Gone jobs: expired (DynamoDB deletes late) and purged tombstones are never listed.
  items.push(job(1000, { expires_at: Math.floor(Date.now() / 1000) - 10, status: 'SUCCESS' }));
  items.push(job(1001, { purged: true, status: 'SUCCESS' }));
  live.push(...items.slice(0, 400).sort(newestFirst));
  for (let i = 0; i < items.length; i += 25) {
    await ddb.send(new BatchWriteCommand({ RequestItems: { [TABLE]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
});

afterAll(async () => {
  await dynamo?.stop();
});

describe('GET /jobs listing', () => {
  it('spreads jobs over every shard of the recent index (no hot key)', () => {
    const perShard = new Map<string, number>();
    for (const j of live) perShard.set(j.recent_shard!, (perShard.get(j.recent_shard!) ?? 0) + 1);
    expect(perShard.size).toBe(RECENT_SHARDS);
    expect(Math.max(...perShard.values())).toBeLessThan((live.length / RECENT_SHARDS) * 2);
  });

  it('pages through every live job exactly once, newest first', async () => {
    const pages = await allPages({ limit: '30' });
    const ids = pages.flatMap((p) => p.ids);
    expect(ids).toEqual(live.map((j) => j.job_id));
    expect(pages.slice(0, -1).every((p) => p.ids.length === 30)).toBe(true);
    expect(pages.at(-1)!.next).toBeNull();
  });

  it('the first page is the newest jobs', async () => {
    const page = await listRecentJobs({ store }, parseRecentJobsQuery({}, config));
    expect(page.jobs.map((j) => j.job_id)).toEqual(live.slice(0, 20).map((j) => j.job_id));
    expect(page.jobs[0]).toMatchObject({ job_id: live[0]!.job_id, status: live[0]!.status, task: live[0]!.task, queue: live[0]!.queue, created_at: live[0]!.created_at });
    expect(page.next_cursor).toEqual(expect.any(String));
  });

  it('a filter that matches little still finds every match, in order, across short pages', async () => {
    const want = live.filter((j) => j.status === 'FAILURE').map((j) => j.job_id);
    expect(want.length).toBe(8);
    const pages = await allPages({ state: 'FAILURE', limit: '3' });
    expect(pages.flatMap((p) => p.ids)).toEqual(want);
  });

  it('a listing cut short by its read budget resumes where every shard left off', async () => {
    // One read of 10 entries per shard and page: pages stop inside shards, most of them short.
    const want = live.filter((j) => j.status === 'FAILURE').map((j) => j.job_id);
    const pages = await allPages({ state: 'FAILURE', limit: '10' }, { perShard: 1, readLimit: 10 });
    expect(pages.flatMap((p) => p.ids)).toEqual(want);
    expect(pages.some((p) => p.ids.length < 10 && p.next !== null), 'some page was cut short').toBe(true);
  });

  it('combines queue, task and state filters', async () => {
    const want = live.filter((j) => j.queue === 'beta' && j.task === 't2' && j.status === 'SUCCESS').map((j) => j.job_id);
    expect(want.length).toBeGreaterThan(5);
    const pages = await allPages({ queue: 'beta', task: 't2', state: 'SUCCESS', limit: '4' });
    expect(pages.flatMap((p) => p.ids)).toEqual(want);
  });

  it('refuses bad parameters with a 400 naming them', () => {
    const bad = (q: Record<string, string>, what: RegExp) => {
      expect(() => parseRecentJobsQuery(q, config)).toThrow(InvalidRequestError);
      expect(() => parseRecentJobsQuery(q, config)).toThrow(what);
    };
    bad({ limit: '0' }, /limit/);
    bad({ limit: '101' }, /limit/);
    bad({ limit: 'ten' }, /limit/);
    bad({ state: 'DONE' }, /state/);
    bad({ queue: 'gamma' }, /queue: unknown queue "gamma"/);
    bad({ queue: 'constructor' }, /queue: unknown queue/);
    bad({ queue: '__proto__' }, /queue: unknown queue/);
    bad({ cursor: 'not-a-cursor' }, /cursor/);
    bad({ cursor: Buffer.from('{"b":1}').toString('base64url') }, /cursor/);
    bad({ sort: 'asc' }, /unknown query parameter\(s\): sort/);
  });
});
