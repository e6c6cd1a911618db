import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../../scripts/stack/awsLocal.js';
import { sleep, until } from '../../support/until.js';
import { freePort, isPortOpen, waitPortClosed } from '../../../scripts/stack/freePort.js';
import { ensureTable, startDynamo, type LocalDynamo } from '../../../scripts/stack/startDynamo.js';
import {
  RESULTS_DB,
  SAMPLE_DB,
  startEmbeddedPostgres,
  type LocalPostgres,
} from '../../../scripts/stack/startEmbeddedPostgres.js';
import { ensureQueues, queueArn, queueUrl, startSqs, type LocalSqs } from '../../../scripts/stack/startSqs.js';
import { settleBatch, startSqsBridge, type SqsBridge } from '../../../scripts/stack/sqsBridge.js';
import { jobTableDefinition, TTL_ATTRIBUTE } from '../../../lib/jobs/jobTable.js';
import { bindTask } from '../../../lib/tasks/params/bindTask.js';
import { resolveParams } from '../../../lib/tasks/params/resolveParams.js';
import { taskArgsSchema } from '../../../lib/tasks/params/taskArgsSchema.js';
import { parseTaskFile } from '../../../lib/tasks/parseTaskFile.js';
import { listenAddresses } from '../../support/listenAddresses.js';

const ms = (since: number) => Math.round(performance.now() - since);


describe('freePort', () => {
  it('returns distinct ports nothing listens on', async () => {
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    for (const port of ports) {
      expect(port).toBeGreaterThan(1023);
      expect(await isPortOpen(port)).toBe(false);
    }
  });
});

describe('startSqs + ensureQueues', () => {
  let sqs: LocalSqs | undefined;
  let client: SQSClient | undefined;
  afterAll(async () => {
    client?.destroy();
    await sqs?.stop();
  });

  it('serves queues at 127.0.0.1 URLs and updates attributes of existing queues', async () => {
    const t0 = performance.now();
    sqs = await startSqs();
    console.log(`startSqs: ${ms(t0)} ms`);
    expect(sqs.endpoint).toBe(`http://127.0.0.1:${sqs.port}`);
    expect(listenAddresses(sqs.port)).toEqual(['127.0.0.1']);

    const redrive = JSON.stringify({ deadLetterTargetArn: queueArn('jobs_dlq'), maxReceiveCount: '3' });
    const urls = await ensureQueues(sqs.endpoint, [
      { name: 'jobs_dlq' },
      { name: 'jobs', attributes: { VisibilityTimeout: '30', RedrivePolicy: redrive } },
    ]);
    expect(urls).toEqual({ jobs_dlq: queueUrl(sqs.endpoint, 'jobs_dlq'), jobs: queueUrl(sqs.endpoint, 'jobs') });
    expect(urls.jobs).toBe(`http://127.0.0.1:${sqs.port}/000000000000/jobs`);

    client = new SQSClient(localClientConfig(sqs.endpoint));
    await client.send(new SendMessageCommand({ QueueUrl: urls.jobs, MessageBody: 'kept' }));

    // Again, with another visibility timeout: no error, same queue, messages kept.
    await ensureQueues(sqs.endpoint, [{ name: 'jobs', attributes: { VisibilityTimeout: '60' } }]);
    const attrs = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: urls.jobs, AttributeNames: ['All'] }),
    );
    expect(attrs.Attributes?.VisibilityTimeout).toBe('60');
    expect(attrs.Attributes?.QueueArn).toBe(queueArn('jobs'));
    expect(JSON.parse(attrs.Attributes?.RedrivePolicy ?? '{}').deadLetterTargetArn).toBe(queueArn('jobs_dlq'));
    const got = await client.send(new ReceiveMessageCommand({ QueueUrl: urls.jobs, WaitTimeSeconds: 1 }));
    expect(got.Messages?.[0]?.Body).toBe('kept');

    const port = sqs.port;
    client.destroy();
    client = undefined;
    await sqs.stop();
    sqs = undefined;
    await waitPortClosed(port);
  });
});

describe('startDynamo + ensureTable', () => {
  let dynamo: LocalDynamo | undefined;
  afterAll(async () => {
    await dynamo?.stop();
  });

  it('runs DynamoDB Local and creates the job table once', async () => {
    const t0 = performance.now();
    dynamo = await startDynamo();
    console.log(`startDynamo: ${ms(t0)} ms`);
    expect(listenAddresses(dynamo.port)).toEqual(['127.0.0.1']);

    const t1 = performance.now();
    const table = await ensureTable(dynamo.endpoint, jobTableDefinition('sqljobber-jobs'), { ttlAttribute: TTL_ATTRIBUTE });
    console.log(`ensureTable (create): ${ms(t1)} ms`);
    expect(table.TableStatus).toBe('ACTIVE');
    expect(table.GlobalSecondaryIndexes?.[0]?.IndexStatus).toBe('ACTIVE');
    // Idempotent.
    const again = await ensureTable(dynamo.endpoint, jobTableDefinition('sqljobber-jobs'), { ttlAttribute: TTL_ATTRIBUTE });
    expect(again.TableName).toBe('sqljobber-jobs');

    // sharedDb: any region/credentials see the same table.
    const writer = new DynamoDBClient(localClientConfig(dynamo.endpoint));
    const reader = new DynamoDBClient({
      ...localClientConfig(dynamo.endpoint),
      region: 'eu-west-1',
      credentials: { accessKeyId: 'other', secretAccessKey: 'other' },
    });
    try {
      await writer.send(
        new PutItemCommand({
          TableName: 'sqljobber-jobs',
          Item: { pk: { S: 'job#1' }, status: { S: 'PENDING' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      const item = await reader.send(new GetItemCommand({ TableName: 'sqljobber-jobs', Key: { pk: { S: 'job#1' } } }));
      expect(item.Item?.status?.S).toBe('PENDING');
    } finally {
      writer.destroy();
      reader.destroy();
    }

    const port = dynamo.port;
    const t2 = performance.now();
    await dynamo.stop();
    console.log(`startDynamo stop: ${ms(t2)} ms`);
    dynamo = undefined;
    await waitPortClosed(port);
  });
});

describe('startEmbeddedPostgres', () => {
  const base = mkdtempSync(join(tmpdir(), 'sqljobber-stack-'));
  chmodSync(base, 0o755); // as root the server runs as `postgres`, which must reach the data dir
  const dataDir = join(base, 'pg');
  let server: LocalPostgres | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it('initialises a cluster, loads the sample data, and every sample task runs on it', async () => {
    const t0 = performance.now();
    server = await startEmbeddedPostgres({ dataDir });
    console.log(`startEmbeddedPostgres (initdb + sample load): ${ms(t0)} ms`);
    expect(server.sourceUrl).toBe(`postgres://postgres:postgres@127.0.0.1:${server.port}/${SAMPLE_DB}`);
    expect(server.resultsUrl).toBe(`postgres://postgres:postgres@127.0.0.1:${server.port}/${RESULTS_DB}`);

    const source = new pg.Client({ connectionString: server.sourceUrl });
    await source.connect();
    try {
      const counts = await source.query<Record<string, string>>(`
        SELECT (SELECT count(*) FROM customers) AS customers,
               (SELECT count(*) FROM products) AS products,
               (SELECT count(*) FROM orders) AS orders,
               (SELECT count(*) FROM order_items) AS order_items,
               (SELECT max(tracking_no)::text FROM orders) AS max_tracking`);
      expect(counts.rows[0]).toMatchObject({ customers: '2000', products: '200', orders: '10000' });
      expect(Number(counts.rows[0]?.order_items)).toBeGreaterThan(20_000);
      expect(BigInt(counts.rows[0]?.max_tracking ?? 0)).toBeGreaterThan(2n ** 53n);

      // Every task in sql/sample.sql runs, read-only, with sample arguments.
      const file = resolve('sql/sample.sql');
      const tasks = parseTaskFile(readFileSync(file, 'utf8'), file);
      const args: Record<string, unknown[]> = {
        get_orders_by_customer: [42],
        get_sales_by_day: ['2024-03-01', '2024-03-31'],
        get_customers_by_country: ['GB'],
        slow_query: [0.05],
      };
      expect(tasks.map((t) => t.name).sort()).toEqual(
        ['get_customers_by_country', 'get_order_items', 'get_orders_by_customer', 'get_profit_summary', 'get_sales_by_day', 'slow_query'],
      );
      for (const task of tasks) {
        expect(task.tags).toMatchObject({ db: 'sample', results: 'sample_results', queue: 'sqljob_queue' });
        // Declared parameters checked and placed as a job's run does (lib/tasks/params).
        const params = resolveParams(task.params, task, 'postgres', (line, message) => expect.fail(`${task.name}:${line}: ${message}`))!;
        const typed = { name: task.name, query: task.query, dialect: 'postgres' as const, params };
        const run = bindTask(typed, params.length > 0 ? taskArgsSchema(typed).parse(args[task.name] ?? []) : []);
        await source.query('BEGIN READ ONLY');
        const result = await source.query(run.query, run.args);
        await source.query('COMMIT');
        expect(result.rows.length, task.name).toBeGreaterThan(0);
      }
      expect(tasks.find((t) => t.name === 'get_customers_by_country')?.tags.raw).toBe('1');
    } finally {
      await source.end();
    }

    const results = new pg.Client({ connectionString: server.resultsUrl });
    await results.connect();
    await results.query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)');
    await results.end();

    const port = server.port;
    const t1 = performance.now();
    await server.stop();
    console.log(`startEmbeddedPostgres stop: ${ms(t1)} ms`);
    server = undefined;
    await waitPortClosed(port);
  });

  it('reuses an initialised data directory: no initdb, no reload, data kept', async () => {
    const t0 = performance.now();
    server = await startEmbeddedPostgres({ dataDir });
    const took = ms(t0);
    console.log(`startEmbeddedPostgres (reuse): ${took} ms`);
    expect(took).toBeLessThan(3_000);
    // A second server on the same directory is refused with a plain reason.
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/still running on .*left by a local stack that is gone.*kill -INT/);
    const results = new pg.Client({ connectionString: server.resultsUrl });
    await results.connect();
    try {
      expect((await results.query('SELECT n FROM kept')).rows).toEqual([{ n: 7 }]);
    } finally {
      await results.end();
    }
    const port = server.port;
    await server.stop();
    server = undefined;
    await waitPortClosed(port);
  });
});

/** A stand-in for serverless-offline's Lambda Invoke API. */
interface FakeLambda {
  endpoint: string;
  port: number;
  events: Map<string, SQSEvent[]>;
  peak: Map<string, number>;
  close(): Promise<void>;
}

type FakeAnswer = { payload?: unknown; functionError?: string };

async function startFakeLambda(handlers: Record<string, (event: SQSEvent) => Promise<FakeAnswer>>): Promise<FakeLambda> {
  const events = new Map<string, SQSEvent[]>();
  const peak = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? '');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const name = decodeURIComponent(match?.[1] ?? '');
      const handler = handlers[name];
      if (req.method !== 'POST' || !handler) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'ResourceNotFoundException' });
        res.end(JSON.stringify({ Type: 'User', Message: `Function not found: ${name}` }));
        return;
      }
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SQSEvent;
      events.set(name, [...(events.get(name) ?? []), event]);
      const now = (inFlight.get(name) ?? 0) + 1;
      inFlight.set(name, now);
      peak.set(name, Math.max(peak.get(name) ?? 0, now));
      handler(event).then(
        (answer) => {
          inFlight.set(name, (inFlight.get(name) ?? 1) - 1);
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (answer.functionError) headers['X-Amz-Function-Error'] = answer.functionError;
          res.writeHead(200, headers);
          res.end(answer.payload === undefined ? '' : JSON.stringify(answer.payload));
        },
        (err: unknown) => {
          inFlight.set(name, (inFlight.get(name) ?? 1) - 1);
          res.writeHead(500);
          res.end(String(err));
        },
      );
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    events,
    peak,
    close: () =>
      new Promise<void>((ok, fail) => {
        server.close((err) => (err ? fail(err) : ok()));
        server.closeAllConnections();
      }),
  };
}

describe('startSqsBridge', () => {
  let sqs: LocalSqs;
  let client: SQSClient;
  let lambda: FakeLambda;
  const bridges: SqsBridge[] = [];
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);

  /** Per message body, how often it was delivered. */
  const deliveries = new Map<string, number>();
  const seen = (event: SQSEvent) => {
    for (const r of event.Records) deliveries.set(r.body, (deliveries.get(r.body) ?? 0) + 1);
  };

  const counts = async (url: string) => {
    const a = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(a.Attributes?.ApproximateNumberOfMessages) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible);
  };
  const send = async (url: string, bodies: string[]) => {
    for (let i = 0; i < bodies.length; i += 10) {
      await client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: bodies.slice(i, i + 10).map((body, n) => ({
            Id: String(n),
            MessageBody: body,
            MessageAttributes: {
              kind: { DataType: 'String', StringValue: 'test' },
              blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
            },
          })),
        }),
      );
    }
  };

  beforeAll(async () => {
    sqs = await startSqs();
    client = new SQSClient(localClientConfig(sqs.endpoint));
    await ensureQueues(sqs.endpoint, [
      { name: 'wide' },
      { name: 'narrow' },
      { name: 'partial' },
      { name: 'crashy' },
      { name: 'orphan' },
      { name: 'slow' },
    ]);
    lambda = await startFakeLambda({
      // 200 ms per message
      'svc-dev-wide': async (event) => {
        seen(event);
        await sleep(200);
        return { payload: null };
      },
      'svc-dev-narrow': async (event) => {
        seen(event);
        await sleep(100);
        return { payload: { batchItemFailures: [] } };
      },
      // The message with body "flaky" fails on its first delivery.
      'svc-dev-partial': async (event) => {
        seen(event);
        const failures = event.Records.filter(
          (r) => r.body === 'flaky' && r.attributes.ApproximateReceiveCount === '1',
        ).map((r) => ({ itemIdentifier: r.messageId }));
        return { payload: { batchItemFailures: failures } satisfies SQSBatchResponse };
      },
      // Throws on the first delivery.
      'svc-dev-crashy': async (event) => {
        seen(event);
        if (event.Records[0]?.attributes.ApproximateReceiveCount === '1') {
          return { functionError: 'Unhandled', payload: { errorMessage: 'boom', errorType: 'Error' } };
        }
        return { payload: {} };
      },
      'svc-dev-slow': async (event) => {
        seen(event);
        await sleep(700);
        return { payload: null };
      },
    });
  });

  afterAll(async () => {
    await Promise.all(bridges.map((b) => b.stop()));
    client?.destroy();
    const ports = [sqs?.port, lambda?.port];
    await lambda?.close();
    await sqs?.stop();
    for (const port of ports) if (port) await waitPortClosed(port);
  });

  it('runs each route with exactly its concurrency', async () => {
    const wide = queueUrl(sqs.endpoint, 'wide');
    const narrow = queueUrl(sqs.endpoint, 'narrow');
    await send(wide, Array.from({ length: 12 }, (_, i) => `wide-${i}`));
    await send(narrow, Array.from({ length: 4 }, (_, i) => `narrow-${i}`));

    const t0 = performance.now();
    const bridge = startSqsBridge({
      sqsEndpoint: sqs.endpoint,
      lambdaEndpoint: lambda.endpoint,
      routes: [
        { queueUrl: wide, functionName: 'svc-dev-wide', concurrency: 3 },
        { queueUrl: narrow, functionName: 'svc-dev-narrow', concurrency: 1 },
      ],
      log,
    });
    bridges.push(bridge);

    await until('all wide and narrow messages deleted', async () => (await counts(wide)) + (await counts(narrow)) === 0);
    console.log(`bridge: 12 x 200 ms over 3 loops + 4 x 100 ms over 1 loop drained in ${ms(t0)} ms`);
    expect(lambda.peak.get('svc-dev-wide')).toBe(3);
    expect(lambda.peak.get('svc-dev-narrow')).toBe(1);
    for (let i = 0; i < 12; i++) expect(deliveries.get(`wide-${i}`)).toBe(1);
    for (let i = 0; i < 4; i++) expect(deliveries.get(`narrow-${i}`)).toBe(1);
    // batchSize defaults to 1.
    expect(lambda.events.get('svc-dev-wide')?.every((e) => e.Records.length === 1)).toBe(true);

    // The record is what AWS's event source mapping sends.
    const record = lambda.events.get('svc-dev-wide')?.[0]?.Records[0];
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:wide',
      awsRegion: 'us-east-1',
      messageAttributes: {
        kind: { stringValue: 'test', dataType: 'String', stringListValues: [], binaryListValues: [] },
        blob: { binaryValue: Buffer.from([1, 2, 3]).toString('base64'), dataType: 'Binary' },
      },
      attributes: { ApproximateReceiveCount: '1', SenderId: expect.any(String), SentTimestamp: expect.any(String) },
    });
    expect(record?.messageId).toMatch(/\S/);
    expect(record?.receiptHandle).toMatch(/\S/);
    expect(record?.md5OfBody).toMatch(/^[0-9a-f]{32}$/);

    const stats = bridge.stats();
    expect(stats).toMatchObject({ received: 16, invocations: 16, deleted: 16, retried: 0, errors: 0 });
    await bridge.stop();
  });

  it('deletes what succeeded and redelivers what is listed in batchItemFailures', async () => {
    const url = queueUrl(sqs.endpoint, 'partial');
    await send(url, ['ok-1', 'flaky', 'ok-2', 'ok-3', 'ok-4']);
    const bridge = startSqsBridge({
      sqsEndpoint: sqs.endpoint,
      lambdaEndpoint: lambda.endpoint,
      routes: [{ queueUrl: url, functionName: 'svc-dev-partial', concurrency: 1, batchSize: 5, visibilityTimeout: 1 }],
      log,
    });
    bridges.push(bridge);
    await until('partial queue drained', async () => (await counts(url)) === 0);
    expect(deliveries.get('flaky')).toBe(2);
    for (const body of ['ok-1', 'ok-2', 'ok-3', 'ok-4']) expect(deliveries.get(body)).toBe(1);
    const first = lambda.events.get('svc-dev-partial')?.[0];
    expect(first?.Records.length).toBe(5);
    const last = lambda.events.get('svc-dev-partial')?.at(-1);
    expect(last?.Records.map((r) => [r.body, r.attributes.ApproximateReceiveCount])).toEqual([['flaky', '2']]);
    expect(bridge.stats()).toMatchObject({ deleted: 5, retried: 1 });
    await bridge.stop();
  });

  it('keeps the whole batch when the function errors', async () => {
    const url = queueUrl(sqs.endpoint, 'crashy');
    await send(url, ['crash-1']);
    const bridge = startSqsBridge({
      sqsEndpoint: sqs.endpoint,
      lambdaEndpoint: lambda.endpoint,
      routes: [{ queueUrl: url, functionName: 'svc-dev-crashy', concurrency: 2, visibilityTimeout: 1 }],
      log,
    });
    bridges.push(bridge);
    await until('crashy queue drained', async () => (await counts(url)) === 0);
    expect(deliveries.get('crash-1')).toBe(2);
    expect(logs.some((l) => l.includes('function error (Unhandled)') && l.includes('boom'))).toBe(true);
    await bridge.stop();
  });

  it('survives an invoke that fails (unknown function): logs, hands the message back, keeps going', async () => {
    const url = queueUrl(sqs.endpoint, 'orphan');
    await send(url, ['lost']);
    const bridge = startSqsBridge({
      sqsEndpoint: sqs.endpoint,
      lambdaEndpoint: lambda.endpoint,
      routes: [{ queueUrl: url, functionName: 'svc-dev-missing', concurrency: 1 }],
      log,
    });
    bridges.push(bridge);
    await until('an invoke error', () => bridge.stats().errors >= 2);
    expect(logs.some((l) => l.includes('svc-dev-missing') && l.includes('ResourceNotFound'))).toBe(true);
    await bridge.stop();
    expect(bridge.stats().deleted).toBe(0);
    // Handed back at once: visible again, not waiting out a visibility timeout.
    const got = await client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    expect(got.Messages?.[0]?.Body).toBe('lost');
  });

  it('stop() waits for in-flight invocations and settles them', async () => {
    const url = queueUrl(sqs.endpoint, 'slow');
    await send(url, ['slow-1', 'slow-2']);
    const bridge = startSqsBridge({
      sqsEndpoint: sqs.endpoint,
      lambdaEndpoint: lambda.endpoint,
      routes: [{ queueUrl: url, functionName: 'svc-dev-slow', concurrency: 2 }],
      log,
    });
    bridges.push(bridge);
    await until('both in flight', () => (lambda.events.get('svc-dev-slow')?.length ?? 0) >= 2);
    const t0 = performance.now();
    await bridge.stop();
    expect(ms(t0)).toBeGreaterThan(300);
    expect(bridge.stats()).toMatchObject({ invocations: 2, deleted: 2 });
    expect(await counts(url)).toBe(0);
  });
});

describe('settleBatch (ReportBatchItemFailures rules)', () => {
  const ids = ['a', 'b', 'c'];
  it.each([
    ['', []],
    ['null', []],
    ['{}', []],
    ['{"batchItemFailures":[]}', []],
    ['{"batchItemFailures":null}', []],
    ['{"batchItemFailures":[{"itemIdentifier":"b"}]}', ['b']],
  ])('%s -> keep %j', (payload, failed) => {
    expect(settleBatch(payload, ids)).toEqual({ failed });
  });
  it.each([
    'not json',
    '{"batchItemFailures":[{"itemIdentifier":""}]}',
    '{"batchItemFailures":[{"itemIdentifier":null}]}',
    '{"batchItemFailures":[{"id":"a"}]}',
    '{"batchItemFailures":[{"itemIdentifier":"zzz"}]}',
  ])('%s -> keep the whole batch', (payload) => {
    const verdict = settleBatch(payload, ids);
    expect(verdict.failed).toEqual(ids);
    expect(verdict.invalid).toBeTruthy();
  });
});
