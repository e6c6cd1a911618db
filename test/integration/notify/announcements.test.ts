/**
 * At least once: each final write is announced on the notify queue just before it
 * is made, and the delivery function sends the event once the write is there.
 * Against DynamoDB Local, fauxqs and a local receiver, through handleNotifyMessage:
 * an announcement that comes before its write is delivered when the write lands;
 * one whose write never happens (a refused write, a writer that died, an attempt
 * taken back) sends nothing, and one still undecided is looked at again later.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryRecords } from '../../../lib/notify/deliveryRecords.js';
import { NotifyQueue } from '../../../lib/notify/notifyQueue.js';
import { parseConfig } from '../../../lib/config/loadConfig.js';
import { GroupStore } from '../../../lib/groups/groupStore.js';
import { JobStore } from '../../../lib/jobs/jobStore.js';
import { jobKey, jobTableDefinition } from '../../../lib/jobs/jobTable.js';
import { handleNotifyMessage, type NotifyDeps } from '../../../lib/notify/handleNotifyMessage.js';
import type { JobAnnouncement } from '../../../lib/notify/types.js';
import { localClientConfig } from '../../../scripts/stack/awsLocal.js';
import { sleep } from '../../support/until.js';
import { ensureTable, type LocalDynamo } from '../../../scripts/stack/startDynamo.js';
import { testDynamo, uniqueTable } from '../../support/testDynamo.js';
import { ensureQueues, startSqs, type LocalSqs } from '../../../scripts/stack/startSqs.js';
import { startWebhookReceiver } from '../../support/webhookReceiver.js';

const TABLE = uniqueTable('announce-test-jobs');
let dynamo: LocalDynamo;
let sqsServer: LocalSqs;
let ddb: DynamoDBDocumentClient;
let sqs: SQSClient;
let urls: Record<string, string>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let deps: NotifyDeps;

beforeAll(async () => {
  [dynamo, sqsServer, receiver] = await Promise.all([testDynamo(), startSqs(), startWebhookReceiver()]);
  await ensureTable(dynamo.endpoint, jobTableDefinition(TABLE));
  urls = await ensureQueues(sqsServer.endpoint, [{ name: 'n-dlq' }, { name: 'n' }]);
  ddb = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(dynamo.endpoint)));
  sqs = new SQSClient(localClientConfig(sqsServer.endpoint));
  const config = parseConfig(`[notify]\nwebhooks = ["${receiver.url}/h"]\nwebhook_secret = "s"\nretry_for = "1m"\n`, 'test', {});
  const silent = { info: () => undefined, warn: () => undefined };
  deps = {
    config,
    store: new JobStore(ddb, TABLE),
    groups: new GroupStore(ddb, TABLE),
    notifyQueue: new NotifyQueue(sqs, urls.n!, urls['n-dlq']!),
    sinks: {},
    deliveries: new DeliveryRecords(ddb, TABLE),
    webhookSecret: async () => 's',
    log: silent,
  };
}, 120_000);

afterAll(async () => {
  ddb?.destroy();
  sqs?.destroy();
  await Promise.all([dynamo?.stop(), sqsServer?.stop(), receiver?.stop()]);
});

async function startedJob() {
  const job_id = `an-${randomUUID().slice(0, 8)}`;
  const run_id = randomUUID();
  await ddb.send(
    new PutCommand({
      TableName: TABLE,
      Item: { pk: jobKey(job_id), job_id, run_id, task: 't', queue: 'q', db: 'd', results_db: 'r', args: [], status: 'STARTED', retries: 1, attempt: 1, ttl: 60, eta: null, created_at: new Date().toISOString() },
    }),
  );
  return { job_id, run_id };
}

const setStatus = (jobId: string, status: string, extra = '') =>
  ddb.send(
    new UpdateCommand({
      TableName: TABLE,
      Key: { pk: jobKey(jobId) },
      UpdateExpression: `SET #s = :s, finished_at = :now${extra}`,
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': status, ':now': new Date().toISOString(), ...(extra ? { ':one': 1 } : {}) },
    }),
  );

const announcement = (j: { job_id: string; run_id: string }, at = Date.now()): JobAnnouncement => ({ kind: 'job', ...j, attempt: 1, announced_at: at });
const hooksOf = (jobId: string) => receiver.events().filter((e) => e.event.job?.job_id === jobId);

describe('an announcement', () => {
  it('that comes before its write is delivered once the write lands', async () => {
    const job = await startedJob();
    const a = announcement(job);
    const writing = sleep(300).then(() => setStatus(job.job_id, 'SUCCESS'));
    expect(await handleNotifyMessage(deps, a)).toBe('sent');
    await writing;
    expect(hooksOf(job.job_id).map((h) => h.event.job.status)).toEqual(['SUCCESS']);
  });

  it('whose write was refused (the job was already final before it) sends nothing', async () => {
    const job = await startedJob();
    await setStatus(job.job_id, 'CANCELLED');
    await sleep(20);
    expect(await handleNotifyMessage(deps, announcement(job))).toBe('dropped');
    expect(hooksOf(job.job_id)).toEqual([]);
  });

  it('whose attempt was taken back and retried sends nothing', async () => {
    const job = await startedJob();
    await setStatus(job.job_id, 'STARTED', ', attempt = attempt + :one');
    expect(await handleNotifyMessage(deps, announcement(job))).toBe('dropped');
    expect(hooksOf(job.job_id)).toEqual([]);
  });

  it('of another run of the job ID sends nothing', async () => {
    const job = await startedJob();
    await setStatus(job.job_id, 'SUCCESS');
    expect(await handleNotifyMessage(deps, announcement({ ...job, run_id: randomUUID() }, Date.now() - 60_000))).toBe('dropped');
  });

  it('whose writer died before writing is looked at again later (the lease sweeper then writes, and announces, the end)', async () => {
    const job = await startedJob();
    const a = announcement(job);
    expect(await handleNotifyMessage(deps, a)).toBe('later');
    expect(hooksOf(job.job_id)).toEqual([]);
    // Re-sent with a delay: not visible at once, then visible.
    const mine = (out: { Messages?: { Body?: string }[] }) => (out.Messages ?? []).map((m) => JSON.parse(m.Body!)).filter((m) => m.job_id === job.job_id);
    expect(mine(await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.n!, WaitTimeSeconds: 0, MaxNumberOfMessages: 10 })))).toEqual([]);
    let later: unknown[] = [];
    for (let i = 0; i < 5 && later.length === 0; i++) later = mine(await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.n!, WaitTimeSeconds: 5, MaxNumberOfMessages: 10 })));
    expect(later).toEqual([a]);
    // The sweeper fails the job (no retries left) and announces its own write: that one is delivered.
    const sweeper = announcement(job);
    await setStatus(job.job_id, 'FAILURE');
    expect(await handleNotifyMessage(deps, sweeper)).toBe('sent');
    // The stale first one, looked at again, finds that newer end: the same event, which the receiver already took, so it is not sent again.
    expect(await handleNotifyMessage(deps, a)).toBe('sent');
    expect(hooksOf(job.job_id).map((h) => h.event.job.status)).toEqual(['FAILURE']);
  }, 30_000);

  it('of a cancel (no run or attempt known) waits for the cancel write', async () => {
    const job = await startedJob();
    const a: JobAnnouncement = { kind: 'job', job_id: job.job_id, announced_at: Date.now() };
    const writing = sleep(500).then(() => setStatus(job.job_id, 'CANCELLED'));
    expect(await handleNotifyMessage(deps, a)).toBe('sent');
    await writing;
    expect(hooksOf(job.job_id).map((h) => h.event.job.status)).toEqual(['CANCELLED']);
  });
});
