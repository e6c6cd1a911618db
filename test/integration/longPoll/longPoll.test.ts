/**
 * Long-poll (`?wait=N`) of GET /jobs/{id} and GET /groups/{id}, through the route
 * handlers against DynamoDB Local: it answers as soon as the job or group is final,
 * else after N seconds with the state of that moment, and stays cheap (the
 * DynamoDB reads it makes are counted).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as makeGetGroup } from '../../../handlers/http/getGroup.js';
import { makeHandler as makeGetJob } from '../../../handlers/http/getJob.js';
import type { App } from '../../../lib/app.js';
import { SERVICE_CALLER } from '../../../lib/identity/caller.js';
import { GroupStore } from '../../../lib/groups/groupStore.js';
import { groupKey, groupPageKey } from '../../../lib/groups/types.js';
import { JobStore } from '../../../lib/jobs/jobStore.js';
import { POLL_FAST_FOR_MS, POLL_FAST_MS, POLL_STEADY_MS } from '../../../lib/longPoll/pollUntil.js';
import { jobKey, jobTableDefinition } from '../../../lib/jobs/jobTable.js';
import { localClientConfig } from '../../../scripts/stack/awsLocal.js';
import { sleep } from '../../support/until.js';
import { ensureTable, type LocalDynamo } from '../../../scripts/stack/startDynamo.js';
import { testDynamo, uniqueTable } from '../../support/testDynamo.js';

const TABLE = uniqueTable('longpoll-test-jobs');
let dynamo: LocalDynamo;
let ddb: DynamoDBDocumentClient;
/** DynamoDB requests made through `ddb`, by command name. */
const calls: string[] = [];
/** Per GetItem through `ddb`: whether it was a consistent read. */
const consistency: boolean[] = [];
let getJob: ReturnType<typeof makeGetJob>;
let getGroup: ReturnType<typeof makeGetGroup>;

beforeAll(async () => {
  dynamo = await testDynamo();
  await ensureTable(dynamo.endpoint, jobTableDefinition(TABLE));
  ddb = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(dynamo.endpoint)));
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      if (context.commandName === 'GetItemCommand') consistency.push((args.input as { ConsistentRead?: boolean }).ConsistentRead !== false);
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  const app = { store: new JobStore(ddb, TABLE), groups: new GroupStore(ddb, TABLE), identify: async () => SERVICE_CALLER } as unknown as App;
  getJob = makeGetJob(() => app);
  getGroup = makeGetGroup(() => app);
}, 120_000);

afterAll(async () => {
  ddb?.destroy();
  await dynamo?.stop();
});

const event = (param: 'jobID' | 'groupID', id: string, wait?: string) =>
  ({ pathParameters: { [param]: id }, queryStringParameters: wait === undefined ? undefined : { wait } }) as unknown as APIGatewayProxyEventV2;

async function call(handler: typeof getJob, e: APIGatewayProxyEventV2) {
  const started = Date.now();
  const out = (await handler(e, {} as never)) as { statusCode: number; body: string };
  return { status: out.statusCode, body: JSON.parse(out.body), ms: Date.now() - started };
}

async function putJob(status: string, extra: Record<string, unknown> = {}) {
  const jobId = `lp-${randomUUID().slice(0, 8)}`;
  await ddb.send(
    new PutCommand({
      TableName: TABLE,
      Item: { pk: jobKey(jobId), job_id: jobId, run_id: randomUUID(), task: 't', queue: 'q', db: 'd', results_db: 'r', args: [], status, retries: 0, attempt: 0, ttl: 60, eta: null, created_at: new Date().toISOString(), ...extra },
    }),
  );
  return jobId;
}

const finish = (jobId: string, status = 'SUCCESS') =>
  ddb.send(
    new UpdateCommand({
      TableName: TABLE,
      Key: { pk: jobKey(jobId) },
      UpdateExpression: 'SET #s = :s, finished_at = :now, #c = :c',
      ExpressionAttributeNames: { '#s': 'status', '#c': 'count' },
      ExpressionAttributeValues: { ':s': status, ':now': new Date().toISOString(), ':c': 3 },
    }),
  );

describe('GET /jobs/{jobID}?wait=N', () => {
  it.each(['0', '21', '1.5', 'abc', '', '-1', '05x', '1e1'])('refuses wait=%j with 400', async (wait) => {
    const jobId = await putJob('PENDING');
    const res = await call(getJob, event('jobID', jobId, wait));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^wait: expected whole seconds from 1 to 20/);
  });

  it('answers at once for a job that is already final', async () => {
    const jobId = await putJob('SUCCESS');
    const res = await call(getJob, event('jobID', jobId, '20'));
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('SUCCESS');
    console.log(`[long-poll] final job answered in ${res.ms} ms`);
    expect(res.ms).toBeLessThan(2000);
  });

  it('answers as soon as the job becomes final', async () => {
    const jobId = await putJob('STARTED');
    const finishing = sleep(1500).then(() => finish(jobId));
    const res = await call(getJob, event('jobID', jobId, '20'));
    await finishing;
    expect(res.body.data.status).toBe('SUCCESS');
    expect(res.body.data.count).toBe(3);
    console.log(`[long-poll] answered ${res.ms - 1500} ms after the final write`);
    expect(res.ms).toBeGreaterThanOrEqual(1500);
    // Within a read interval (1 s) of the write, plus a busy machine's slack: long before the 20 s wait is up.
    expect(res.ms).toBeLessThan(1500 + 1000 + 6000);
  });

  it('answers after N seconds with the state of that moment: consistent reads for 2 s, then eventually consistent ones every 40 ms, the last consistent', async () => {
    const jobId = await putJob('PENDING');
    calls.length = 0;
    consistency.length = 0;
    const res = await call(getJob, event('jobID', jobId, '3'));
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('PENDING');
    expect(res.ms).toBeGreaterThanOrEqual(3000);
    expect(res.ms).toBeLessThan(3000 + 1500);
    const reads = calls.filter((c) => c === 'GetItemCommand').length;
    console.log(`[long-poll] wait=3 on a waiting job: ${reads} GetItem calls, ${calls.length} calls in all`);
    expect(Object.keys(countBy(calls)), JSON.stringify(countBy(calls))).toEqual(['GetItemCommand']);
    // One read every POLL_FAST_MS for the first POLL_FAST_FOR_MS, then one every POLL_STEADY_MS for the last second.
    expect(reads).toBeLessThanOrEqual(1 + POLL_FAST_FOR_MS / POLL_FAST_MS + (3000 - POLL_FAST_FOR_MS) / POLL_STEADY_MS + 2);
    const eventual = consistency.filter((c) => !c).length;
    expect(eventual).toBeGreaterThanOrEqual(5);
    expect(consistency.at(-1), 'the state at the end of the wait is read consistently').toBe(true);
    expect(consistency.indexOf(false), 'the first 2 s read consistently').toBeGreaterThanOrEqual(POLL_FAST_FOR_MS / POLL_FAST_MS / 2);
  });

  it('answers 404 for an unknown job, at once', async () => {
    const res = await call(getJob, event('jobID', 'no-such-job', '5'));
    expect(res.status).toBe(404);
    expect(res.ms).toBeLessThan(2000);
  });

  it('without wait answers at once, as before', async () => {
    const jobId = await putJob('PENDING');
    const res = await call(getJob, event('jobID', jobId));
    expect(res.body.data.status).toBe('PENDING');
    expect(res.ms).toBeLessThan(2000);
  });
});

describe('GET /groups/{groupID}?wait=N', () => {
  /** A group of `n` members as submitGroup records it (header, one page), all waiting. */
  async function putGroup(n: number) {
    const groupId = `lpg-${randomUUID().slice(0, 8)}`;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await putJob('PENDING', { group_id: groupId, group_index: i, dispatched: true }));
    await ddb.send(
      new PutCommand({
        TableName: TABLE,
        Item: { pk: groupKey(groupId), group_id: groupId, concurrency: n, total: n, next_index: n, finished: 0, cancelled: false, created_at: new Date().toISOString(), expires_at: Math.floor(Date.now() / 1000) + 3600 },
      }),
    );
    await ddb.send(new PutCommand({ TableName: TABLE, Item: { pk: groupPageKey(groupId, 0), group_id: groupId, job_ids: ids } }));
    return { groupId, ids };
  }

  /** A member ends as a worker ends it: its final write, then its slot counted on the header. */
  async function endMember(groupId: string, jobId: string) {
    await finish(jobId);
    await ddb.send(
      new UpdateCommand({ TableName: TABLE, Key: { pk: groupKey(groupId) }, UpdateExpression: 'SET finished = finished + :one', ExpressionAttributeValues: { ':one': 1 } }),
    );
  }

  it('refuses a bad wait with 400', async () => {
    const { groupId } = await putGroup(1);
    expect((await call(getGroup, event('groupID', groupId, '30'))).status).toBe(400);
  });

  it('answers as soon as the last member ends, reading only the header while it waits', async () => {
    const { groupId, ids } = await putGroup(3);
    await endMember(groupId, ids[0]!);
    const ending = (async () => {
      await sleep(1000);
      await endMember(groupId, ids[1]!);
      await sleep(1000);
      await endMember(groupId, ids[2]!);
    })();
    calls.length = 0;
    const res = await call(getGroup, event('groupID', groupId, '20'));
    await ending;
    expect(res.body.data.status).toBe('SUCCESS');
    expect(res.body.data.counts).toEqual({ SUCCESS: 3 });
    expect(res.ms).toBeGreaterThanOrEqual(2000);
    expect(res.ms).toBeLessThan(2000 + 1000 + 6000);
    // Members are read twice: at the start and once the header says all ended.
    console.log(`[long-poll] group wait: ${JSON.stringify(countBy(calls))}`);
    expect(calls.filter((c) => c === 'BatchGetItemCommand').length).toBeLessThanOrEqual(4);
  });

  it('answers after N seconds with the group as it stands', async () => {
    const { groupId } = await putGroup(2);
    const res = await call(getGroup, event('groupID', groupId, '2'));
    expect(res.body.data.status).toBe('PENDING');
    expect(res.ms).toBeGreaterThanOrEqual(2000);
    expect(res.ms).toBeLessThan(2000 + 1500);
  });

  it('answers at once for a cancelled group', async () => {
    const { groupId } = await putGroup(2);
    await ddb.send(new UpdateCommand({ TableName: TABLE, Key: { pk: groupKey(groupId) }, UpdateExpression: 'SET cancelled = :t', ExpressionAttributeValues: { ':t': true } }));
    const res = await call(getGroup, event('groupID', groupId, '20'));
    expect(res.body.data.status).toBe('CANCELLED');
    expect(res.ms).toBeLessThan(2000);
  });

  it('answers 404 for an unknown group', async () => {
    expect((await call(getGroup, event('groupID', 'no-such-group', '3'))).status).toBe(404);
  });
});

function countBy(list: string[]) {
  const out: Record<string, number> = {};
  for (const x of list) out[x] = (out[x] ?? 0) + 1;
  return out;
}
