/**
 * The local SQS -> Lambda bridge: AWS's event source mapping, for fauxqs and
 * serverless-offline. It replaces serverless-offline-sqs, which runs one batch at a
 * time per function, waits to fill batches and ignores batchItemFailures.
 *
 * Per route it runs `concurrency` independent loops (AWS's `maximumConcurrency`):
 * receive a batch -> invoke the function (RequestResponse, through the Lambda Invoke
 * API that serverless-offline serves on its lambdaPort) -> settle the batch the way
 * an event source mapping with ReportBatchItemFailures does:
 *
 * - the function failed (FunctionError): keep every message; SQS redelivers each
 *   after its visibility timeout (and a RedrivePolicy moves it to the DLQ in the end);
 * - it answered `{ batchItemFailures: [{ itemIdentifier: messageId }, ...] }`: delete
 *   every message not listed, keep the listed ones;
 * - it answered nothing, null, `{}` or an empty/null list: delete the whole batch;
 * - it answered something unusable (not JSON, an empty/unknown itemIdentifier):
 *   keep the whole batch, as AWS does.
 *
 * When the invocation itself fails (the Lambda endpoint is down, the function is
 * unknown), the batch is made visible again at once and the loop backs off.
 */
import { Agent } from 'node:http';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { LOCAL_REGION, localClientConfig } from './awsLocal.js';
import { queueArn, queueNameFromUrl } from './startSqs.js';

export interface SqsBridgeRoute {
  queueUrl: string;
  /** The name the Lambda endpoint knows (serverless-offline: `<service>-<stage>-<function>`). */
  functionName: string;
  /** Loops, i.e. batches in flight at once (AWS: maximumConcurrency). At least 1. */
  concurrency: number;
  /** Messages per invocation, 1..10 (default 1). */
  batchSize?: number;
  /** Seconds a received message stays hidden; default: the queue's VisibilityTimeout. */
  visibilityTimeout?: number;
}

export interface SqsBridgeOptions {
  sqsEndpoint: string;
  /** serverless-offline's Lambda endpoint, e.g. http://127.0.0.1:3002 */
  lambdaEndpoint: string;
  routes: SqsBridgeRoute[];
  /** Errors and notable events; default: console.error with a `[sqs-bridge]` prefix. */
  log?: (message: string) => void;
  /** Long-poll wait per receive, 0..20 s (default 1: stop() returns within about a second). */
  waitTimeSeconds?: number;
}

export interface SqsBridgeStats {
  received: number;
  invocations: number;
  /** Messages deleted after their invocation succeeded for them. */
  deleted: number;
  /** Messages left on the queue for redelivery (function error or listed in batchItemFailures). */
  retried: number;
  /** Receive/invoke/delete calls that threw. */
  errors: number;
}

export interface SqsBridge {
  /** Ends the loops after their in-flight invocations finish and settle. */
  stop(): Promise<void>;
  stats(): SqsBridgeStats;
}

export function startSqsBridge(options: SqsBridgeOptions): SqsBridge {
  const log = options.log ?? ((message: string) => console.error(`[sqs-bridge] ${message}`));
  const waitTimeSeconds = options.waitTimeSeconds ?? 1;
  for (const route of options.routes) validateRoute(route);

  // Every loop may hold one receive or one invoke: size the sockets pools for all of them.
  const sockets = options.routes.reduce((sum, r) => sum + r.concurrency, 0) + 4;
  const sqsAgent = new Agent({ keepAlive: true, maxSockets: sockets });
  const lambdaAgent = new Agent({ keepAlive: true, maxSockets: sockets });
  const sqs = new SQSClient({ ...localClientConfig(options.sqsEndpoint), requestHandler: { httpAgent: sqsAgent } });
  const lambda = new LambdaClient({
    ...localClientConfig(options.lambdaEndpoint),
    maxAttempts: 1, // a retried invoke would run the function twice
    requestHandler: { httpAgent: lambdaAgent, requestTimeout: 0 },
  });

  const stats: SqsBridgeStats = { received: 0, invocations: 0, deleted: 0, retried: 0, errors: 0 };
  let stopping = false;
  /** Deletes under way: stop() waits for them. */
  const deletes = new Set<Promise<void>>();
  const sleepers = new Set<() => void>();
  /** Sleeps ms, or less if stop() is called. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });

  async function loop(route: SqsBridgeRoute, worker: number): Promise<void> {
    const where = `${queueNameFromUrl(route.queueUrl)} -> ${route.functionName} #${worker}`;
    let failures = 0;
    while (!stopping) {
      let messages: Message[] = [];
      try {
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: route.queueUrl,
            MaxNumberOfMessages: route.batchSize ?? 1,
            WaitTimeSeconds: waitTimeSeconds,
            VisibilityTimeout: route.visibilityTimeout,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: AbortSignal.timeout((waitTimeSeconds + 30) * 1000) },
        );
        messages = received.Messages ?? [];
        if (messages.length === 0) {
          failures = 0;
          continue;
        }
        stats.received += messages.length;
        if (stopping) {
          // Received while stopping: hand the messages back rather than run them.
          await release(route, messages);
          break;
        }
        await deliver(route, messages, where);
        failures = 0;
      } catch (err) {
        stats.errors++;
        failures++;
        log(`${where}: ${describeError(err)}`);
        if (messages.length > 0) {
          // The function was not reached (or we could not settle): let the messages go round again.
          await release(route, messages).catch((e: unknown) => log(`${where}: releasing messages: ${describeError(e)}`));
        }
        await pause(Math.min(5_000, 250 * 2 ** Math.min(failures, 5)));
      }
    }
  }

  async function deliver(route: SqsBridgeRoute, messages: Message[], where: string): Promise<void> {
    const event = toSqsEvent(route.queueUrl, messages);
    stats.invocations++;
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: route.functionName,
        InvocationType: 'RequestResponse',
        Payload: Buffer.from(JSON.stringify(event)),
      }),
    );
    const payload = result.Payload ? Buffer.from(result.Payload).toString('utf8') : '';
    if (result.FunctionError) {
      stats.retried += messages.length;
      log(`${where}: function error (${result.FunctionError}), ${messages.length} message(s) left for redelivery: ${summarise(payload)}`);
      return;
    }
    const verdict = settleBatch(payload, event.Records.map((r) => r.messageId));
    if (verdict.invalid) {
      log(`${where}: unusable batch response, ${messages.length} message(s) left for redelivery: ${verdict.invalid}`);
    }
    const keep = new Set(verdict.failed);
    stats.retried += keep.size;
    const done = messages.filter((m) => !keep.has(m.MessageId ?? ''));
    if (done.length > 0) {
      // In the background, as an event source mapping does: the loop's next receive need not wait for it.
      // A delete that fails leaves the message to come back after its visibility timeout, and a duplicate claims nothing.
      const deleting = deleteMessages(route, done, where).then(
        () => {
          stats.deleted += done.length;
        },
        (err: unknown) => {
          stats.errors++;
          log(`${where}: could not delete ${done.length} message(s): ${describeError(err)}`);
        },
      );
      deletes.add(deleting);
      void deleting.finally(() => deletes.delete(deleting));
    }
  }

  async function deleteMessages(route: SqsBridgeRoute, messages: Message[], where: string): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      const out = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: route.queueUrl,
          Entries: chunk.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      for (const failed of out.Failed ?? []) {
        stats.errors++;
        log(`${where}: could not delete a message: ${failed.Code ?? ''} ${failed.Message ?? ''}`);
      }
    }
  }

  async function release(route: SqsBridgeRoute, messages: Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: route.queueUrl,
          Entries: chunk.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
        }),
      );
    }
  }

  const loops = options.routes.flatMap((route) =>
    Array.from({ length: route.concurrency }, (_, worker) =>
      loop(route, worker + 1).catch((err: unknown) => log(`loop ended: ${describeError(err)}`)),
    ),
  );

  let stopping$: Promise<void> | undefined;
  return {
    stats: () => ({ ...stats }),
    stop: () =>
      (stopping$ ??= (async () => {
        stopping = true;
        for (const wake of [...sleepers]) wake();
        await Promise.all(loops);
        await Promise.all([...deletes]);
        sqs.destroy();
        lambda.destroy();
        sqsAgent.destroy();
        lambdaAgent.destroy();
      })()),
  };
}

function validateRoute(route: SqsBridgeRoute): void {
  if (!Number.isInteger(route.concurrency) || route.concurrency < 1) {
    throw new Error(`sqs bridge: concurrency for ${route.functionName} must be a whole number >= 1`);
  }
  const batchSize = route.batchSize ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    throw new Error(`sqs bridge: batchSize for ${route.functionName} must be 1..10`);
  }
  queueNameFromUrl(route.queueUrl);
}

/** The event AWS's event source mapping hands a function for these messages. */
export function toSqsEvent(queueUrl: string, messages: Message[]): SQSEvent {
  const arn = queueArn(queueNameFromUrl(queueUrl));
  return {
    Records: messages.map(
      (m): SQSRecord => ({
        messageId: m.MessageId ?? '',
        receiptHandle: m.ReceiptHandle ?? '',
        body: m.Body ?? '',
        attributes: (m.Attributes ?? {}) as unknown as SQSRecordAttributes,
        messageAttributes: toLambdaAttributes(m.MessageAttributes),
        md5OfBody: m.MD5OfBody ?? '',
        ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
        eventSource: 'aws:sqs',
        eventSourceARN: arn,
        awsRegion: LOCAL_REGION,
      }),
    ),
  };
}

/** SDK message attributes (StringValue, BinaryValue: bytes) -> Lambda's (stringValue, binaryValue: base64). */
function toLambdaAttributes(attributes: Record<string, MessageAttributeValue> | undefined): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    out[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      dataType: value.DataType ?? 'String',
    };
  }
  return out;
}

/**
 * Which messages of a batch to keep, from a successful invocation's payload, by
 * the rules of ReportBatchItemFailures. `invalid` says why the whole batch is kept.
 */
export function settleBatch(payload: string, messageIds: string[]): { failed: string[]; invalid?: string } {
  const all = { failed: messageIds };
  if (payload.trim() === '') return { failed: [] };
  let answer: unknown;
  try {
    answer = JSON.parse(payload);
  } catch {
    return { ...all, invalid: `not JSON: ${summarise(payload)}` };
  }
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return { failed: [] };
  const list = (answer as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return { failed: [] };
  if (!Array.isArray(list)) return { ...all, invalid: 'batchItemFailures is not a list' };
  const known = new Set(messageIds);
  const failed = new Set<string>();
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '') return { ...all, invalid: `bad itemIdentifier in ${summarise(JSON.stringify(item))}` };
    if (!known.has(id)) return { ...all, invalid: `itemIdentifier ${id} is not in the batch` };
    failed.add(id);
  }
  return { failed: [...failed] };
}

function summarise(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}...` : flat;
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return `${err.name}: ${err.message}${typeof code === 'string' && !err.message.includes(code) ? ` (${code})` : ''}`;
  }
  return String(err);
}
