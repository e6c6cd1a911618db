/**
 * Direct clients for a running local stack's DynamoDB, SQS and Lambda endpoints:
 * what fault tests and the load benchmark use to reach behind the HTTP API
 * (read a job's item, forge or duplicate a message, invoke a worker directly).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { JobStore } from '../../lib/jobs/jobStore.js';
import { jobKey } from '../../lib/jobs/jobTable.js';
import { LOCAL_INDEX_SHARDS } from '../../lib/jobs/shardKey.js';
import type { JobItem, JobMessage } from '../../lib/jobs/types.js';
import { localClientConfig } from '../../scripts/stack/awsLocal.js';
import type { LocalStack } from '../../scripts/localStack.js';
import { toSqsEvent } from '../../scripts/stack/sqsBridge.js';

export interface StackClients {
  ddb: DynamoDBDocumentClient;
  sqs: SQSClient;
  lambda: LambdaClient;
  /** The product's own JobStore on the stack's table (to claim like a worker would). */
  store: JobStore;
  /** A job's item as stored (no expiry filtering), or undefined. */
  item(jobId: string): Promise<JobItem | undefined>;
  /** Every item whose status is `status` (a scan: test tables are small). */
  itemsWithStatus(status: string): Promise<JobItem[]>;
  /** The message body that may claim the given attempt of the job's current run. */
  messageFor(job: Pick<JobItem, 'job_id' | 'run_id' | 'queue'>, attempt: number): JobMessage;
  /** Sends raw bodies to a queue URL, all in one SendMessageBatch call (up to 10). */
  sendRaw(queueUrl: string, bodies: string[]): Promise<void>;
  /** Messages in a queue: visible + in flight + delayed (approximate, as SQS counts). */
  queueDepth(queueUrl: string): Promise<number>;
  /** Receives (and deletes) what a queue holds within `waitMs`; returns the bodies. */
  drain(queueUrl: string, waitMs: number, until?: (bodies: string[]) => boolean): Promise<string[]>;
  /** Invokes a worker function with a one-record SQS event, as the event source mapping would. */
  invokeWorker(functionName: string, queueUrl: string, body: string, messageId: string): Promise<{ functionError?: string; payload: string }>;
  destroy(): void;
}

export function stackClients(stack: Pick<LocalStack, 'dynamodbEndpoint' | 'sqsEndpoint' | 'lambdaEndpoint' | 'table'>): StackClients {
  const ddb = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(stack.dynamodbEndpoint)), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const sqs = new SQSClient(localClientConfig(stack.sqsEndpoint));
  // One attempt: a retried invoke would run the function twice.
  const lambda = new LambdaClient({ ...localClientConfig(stack.lambdaEndpoint), maxAttempts: 1 });
  // The stack's functions talk to DynamoDB Local: the same shard count as theirs.
  const store = new JobStore(ddb, stack.table, { shards: LOCAL_INDEX_SHARDS });
  return {
    ddb,
    sqs,
    lambda,
    store,
    async item(jobId) {
      const out = await ddb.send(new GetCommand({ TableName: stack.table, Key: { pk: jobKey(jobId) }, ConsistentRead: true }));
      return out.Item as JobItem | undefined;
    },
    async itemsWithStatus(status) {
      const items: JobItem[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await ddb.send(
          new ScanCommand({
            TableName: stack.table,
            FilterExpression: '#s = :s',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': status },
            ExclusiveStartKey: start,
            ConsistentRead: true,
          }),
        );
        items.push(...((out.Items ?? []) as JobItem[]));
        start = out.LastEvaluatedKey;
      } while (start);
      return items;
    },
    messageFor(job, attempt) {
      return { job_id: job.job_id, run_id: job.run_id, queue: job.queue, attempt };
    },
    async sendRaw(queueUrl, bodies) {
      const out = await sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody })) }),
      );
      if (out.Failed?.length) throw new Error(`could not send ${out.Failed.length} message(s): ${JSON.stringify(out.Failed)}`);
    },
    async queueDepth(queueUrl) {
      const out = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
        }),
      );
      const a = out.Attributes ?? {};
      return (
        Number(a.ApproximateNumberOfMessages ?? 0) +
        Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) +
        Number(a.ApproximateNumberOfMessagesDelayed ?? 0)
      );
    },
    async drain(queueUrl, waitMs, until) {
      const bodies: string[] = [];
      const deadline = Date.now() + waitMs;
      while (Date.now() < deadline && !until?.(bodies)) {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        const messages: Message[] = out.Messages ?? [];
        if (messages.length === 0) continue;
        bodies.push(...messages.map((m) => m.Body ?? ''));
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
      return bodies;
    },
    async invokeWorker(functionName, queueUrl, body, messageId) {
      const event: SQSEvent = toSqsEvent(queueUrl, [{ MessageId: messageId, ReceiptHandle: `${messageId}-receipt`, Body: body }]);
      const out = await lambda.send(
        new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(event)) }),
      );
      return { functionError: out.FunctionError, payload: out.Payload ? Buffer.from(out.Payload).toString('utf8') : '' };
    },
    destroy() {
      ddb.destroy();
      sqs.destroy();
      lambda.destroy();
    },
  };
}
