/**
 * Events that always fit: a 2,000-member group whose members failed with 500-byte
 * errors, its events sent through a webhook, SNS (fauxqs, a subscribed queue) and
 * EventBridge (the real SDK client against a stand-in that takes PutEvents as AWS
 * does, 256 KB per entry). The group event is a summary that fits every sink; each
 * sink takes each event once, also when one of them refuses it for a while and the
 * notify message comes back.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand, DeleteMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config/loadConfig.js';
import { GroupStore } from '../../../lib/groups/groupStore.js';
import { GROUP_PAGE_SIZE, groupKey, groupPageKey } from '../../../lib/groups/types.js';
import { JobStore } from '../../../lib/jobs/jobStore.js';
import { jobKey, jobTableDefinition } from '../../../lib/jobs/jobTable.js';
import { DeliveryRecords } from '../../../lib/notify/deliveryRecords.js';
import { SINK_LIMIT_BYTES } from '../../../lib/notify/eventLimits.js';
import { createEventSinks } from '../../../lib/notify/eventSinks.js';
import { handleNotifyMessage, type NotifyDeps } from '../../../lib/notify/handleNotifyMessage.js';
import { NotifyQueue } from '../../../lib/notify/notifyQueue.js';
import { parseNotifyMessage } from '../../../lib/notify/parseNotifyMessage.js';
import type { Settings } from '../../../lib/settings.js';
import { localClientConfig } from '../../../scripts/stack/awsLocal.js';
import { ensureTable, type LocalDynamo } from '../../../scripts/stack/startDynamo.js';
import { testDynamo, uniqueTable } from '../../support/testDynamo.js';
import { ensureQueues, queueUrl, startSqs, type LocalSqs } from '../../../scripts/stack/startSqs.js';
import { startWebhookReceiver } from '../../support/webhookReceiver.js';

const TABLE = uniqueTable('group-events-jobs');
const MEMBERS = 2000;
let dynamo: LocalDynamo;
let sqsServer: LocalSqs;
let ddb: DynamoDBDocumentClient;
let sqs: SQSClient;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let eventBridge: Awaited<ReturnType<typeof startEventBridge>>;
let deps: NotifyDeps;
let notifyUrl: string;
let snsQueue: string;

/** A stand-in for EventBridge's PutEvents (AWS JSON 1.1): takes an entry of at most 256 KB, as AWS does; `refuse` refuses the next ones. */
async function startEventBridge() {
  const taken: { detailType: string; bytes: number; detail: string }[] = [];
  let refuse = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
      const { Entries } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries: { Source: string; DetailType: string; Detail: string }[] };
      const results = Entries.map((e) => {
        const bytes = Buffer.byteLength(e.Source) + Buffer.byteLength(e.DetailType) + Buffer.byteLength(e.Detail);
        if (bytes > 256 * 1024) return { ErrorCode: 'ValidationException', ErrorMessage: 'Total size of the entries in the request is over the limit.' };
        if (refuse > 0) {
          refuse--;
          return { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' };
        }
        taken.push({ detailType: e.DetailType, bytes, detail: e.Detail });
        return { EventId: randomUUID() };
      });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    taken,
    refuseNext: (n: number) => void (refuse = n),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  [dynamo, sqsServer, receiver, eventBridge] = await Promise.all([testDynamo(), startSqs(), startWebhookReceiver(), startEventBridge()]);
  await ensureTable(dynamo.endpoint, jobTableDefinition(TABLE));
  const urls = await ensureQueues(sqsServer.endpoint, [{ name: 'ge-dlq' }, { name: 'ge' }]);
  notifyUrl = urls.ge!;
  ddb = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(dynamo.endpoint)), { marshallOptions: { removeUndefinedValues: true } });
  sqs = new SQSClient(localClientConfig(sqsServer.endpoint));
  const sns = new SNSClient(localClientConfig(sqsServer.endpoint));
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'ge-events' }))).TopicArn!;
  await sqs.send(new CreateQueueCommand({ QueueName: 'ge-subscriber' }));
  snsQueue = queueUrl(sqsServer.endpoint, 'ge-subscriber');
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:ge-subscriber', Attributes: { RawMessageDelivery: 'true' } }));
  sns.destroy();
  const config = parseConfig(`[notify]\nwebhooks = ["${receiver.url}/h"]\nwebhook_secret = "s"\nsns = true\neventbridge = true\nretry_for = "1h"\n`, 'test', {});
  const settings = { region: 'us-east-1', service: 'sql-jobber-test', sqsEndpoint: sqsServer.endpoint, notifyTopicArn: topicArn } as Settings;
  const queue = new NotifyQueue(sqs, notifyUrl, urls['ge-dlq']!);
  deps = {
    config,
    store: new JobStore(ddb, TABLE),
    groups: new GroupStore(ddb, TABLE),
    // The real queue, with retries visible at once: the test does not wait out their backoff.
    notifyQueue: { send: (m) => queue.send(m, 0), deadLetter: (m) => queue.deadLetter(m) },
    sinks: createEventSinks(settings, { sns: true, eventbridge: true, eventbridgeEndpoint: eventBridge.url }),
    deliveries: new DeliveryRecords(ddb, TABLE),
    webhookSecret: async () => 's',
    log: { info: () => undefined, warn: () => undefined },
  };
}, 120_000);

afterAll(async () => {
  ddb?.destroy();
  sqs?.destroy();
  await Promise.all([dynamo?.stop(), sqsServer?.stop(), receiver?.stop(), eventBridge?.stop()]);
});

/** A finished group of `members` jobs that all failed with a 500-byte error, written as the product writes it. */
async function failedGroup(groupId: string, members = MEMBERS): Promise<string[]> {
  const now = new Date().toISOString();
  const expires = Math.floor(Date.now() / 1000) + 3600;
  const ids = Array.from({ length: members }, (_, i) => `${groupId}-${i}`);
  const jobs = ids.map((job_id, i) => ({
    pk: jobKey(job_id), job_id, run_id: randomUUID(), task: 't', queue: 'q', db: 'd', results_db: 'r', args: [], status: 'FAILURE', retries: 0, attempt: 1,
    ttl: 3600, eta: null, created_at: now, finished_at: now, expires_at: expires, error: `member ${i} failed: ${'e'.repeat(480)}`.slice(0, 500),
    group_id: groupId, group_run: 'run-1', group_index: i, dispatched: true, released: true,
  }));
  const pages = Array.from({ length: Math.ceil(members / GROUP_PAGE_SIZE) }, (_, n) => ({
    pk: groupPageKey(groupId, n), group_id: groupId, group_run: 'run-1', job_ids: ids.slice(n * GROUP_PAGE_SIZE, (n + 1) * GROUP_PAGE_SIZE), expires_at: expires,
  }));
  const items = [...jobs, ...pages];
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  for (let i = 0; i < batches.length; i += 8) {
    await Promise.all(batches.slice(i, i + 8).map((b) => ddb.send(new BatchWriteCommand({ RequestItems: { [TABLE]: b.map((Item) => ({ PutRequest: { Item } })) } }))));
  }
  await ddb.send(new PutCommand({
    TableName: TABLE,
    Item: { pk: groupKey(groupId), group_id: groupId, group_run: 'run-1', concurrency: 10, total: members, next_index: members, free_slots: 10, finished: members, cancelled: false, created_at: now, group_ttl: 3600, expires_at: expires },
  }));
  return ids;
}

/** Every body the SNS subscriber's queue holds now. */
async function snsBodies(): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: snsQueue, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    if (!res.Messages?.length) return out;
    for (const m of res.Messages) {
      out.push(m.Body!);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: snsQueue, ReceiptHandle: m.ReceiptHandle! }));
    }
  }
}

describe("a 2,000-member group's events", () => {
  it('fit every sink, and each sink takes each event once while EventBridge refuses and the message comes back', async () => {
    const ids = await failedGroup('big');

    eventBridge.refuseNext(1);
    expect(await handleNotifyMessage(deps, { kind: 'group', group_id: 'big' })).toBe('sent');
    const groupHooks = () => receiver.events().filter((e) => e.event.type === 'group.finished');
    expect(groupHooks()).toHaveLength(1);
    const [hook] = groupHooks();
    expect(hook!.event.group).toMatchObject({ group_id: 'big', status: 'FAILURE', total: MEMBERS, counts: { FAILURE: MEMBERS }, status_url: '/groups/big' });
    expect(hook!.event.group.jobs).toBeUndefined();
    const sns = await snsBodies();
    expect(sns).toEqual([hook!.hook.body]);
    expect(eventBridge.taken).toHaveLength(0);

    // The message comes back (its function died after the sends): only EventBridge, which has not taken it, gets it.
    expect(await handleNotifyMessage(deps, { kind: 'group', group_id: 'big' })).toBe('sent');
    // Then EventBridge's own retry: it has the event by now, so it sends nothing.
    const retries = await sqs.send(new ReceiveMessageCommand({ QueueUrl: notifyUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const retry = parseNotifyMessage(retries.Messages![0]!.Body!);
    expect(retry).toMatchObject({ kind: 'sink', sink: 'eventbridge', attempt: 2, last_error: expect.stringContaining('InternalFailure') });
    expect(await handleNotifyMessage(deps, retry)).toBe('dropped');
    expect(groupHooks()).toHaveLength(1);
    expect(await snsBodies()).toEqual([]);
    expect(eventBridge.taken.map((t) => t.detailType)).toEqual(['SQL Jobber Group State Change']);
    // The same event (its ID, its summary); `time` is when it was built, again for the message that came back.
    expect(JSON.parse(eventBridge.taken[0]!.detail)).toEqual({ ...hook!.event, time: expect.any(String) });

    // A member's event, with its 500-byte error: once to each sink, each body within its limit.
    await handleNotifyMessage(deps, { kind: 'job', job_id: ids[7]!, announced_at: Date.now() - 60_000 });
    const jobHooks = receiver.events().filter((e) => e.event.job?.job_id === ids[7]);
    expect(jobHooks).toHaveLength(1);
    expect(jobHooks[0]!.event.job.error).toMatch(/^member 7 failed: e+$/);
    expect(await snsBodies()).toHaveLength(1);
    expect(eventBridge.taken).toHaveLength(2);
    for (const body of [hook!.hook.body, jobHooks[0]!.hook.body, ...eventBridge.taken.map((t) => t.detail)]) {
      expect(Buffer.byteLength(body)).toBeLessThan(Math.min(SINK_LIMIT_BYTES.sns, SINK_LIMIT_BYTES.eventbridge));
    }
  }, 60_000);

  it('a webhook that refuses is retried alone: SNS and EventBridge do not take the event again', async () => {
    await failedGroup('hooked', 20);
    const before = eventBridge.taken.length;
    receiver.setAnswer(() => 503);
    expect(await handleNotifyMessage(deps, { kind: 'group', group_id: 'hooked' })).toBe('sent');
    receiver.setAnswer(() => 200);
    expect(await snsBodies()).toHaveLength(1);
    const retries = await sqs.send(new ReceiveMessageCommand({ QueueUrl: notifyUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const retry = parseNotifyMessage(retries.Messages![0]!.Body!);
    expect(retry).toMatchObject({ kind: 'webhook', attempt: 2, last_error: 'HTTP 503' });
    expect(await handleNotifyMessage(deps, retry)).toBe('delivered');
    expect(receiver.events().filter((e) => e.event.group?.group_id === 'hooked').map((e) => e.hook.answered)).toEqual([503, 200]);
    expect(await snsBodies()).toEqual([]);
    expect(eventBridge.taken.length).toBe(before + 1);
  }, 60_000);
});
