/**
 * The job and group state store's world: DynamoDB Local and fauxqs (real
 * services, no databases), the product's JobStore, GroupStore and JobQueue on
 * them, and SDK-level fault injection for what cannot be caused for real
 * (TransactionConflict, throttling, a failed SQS send). A "worker" here is the
 * real worker's state path without a database: it receives a real message,
 * claims, and writes the outcome.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteMessageCommand, PurgeQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parseConfig } from '../../lib/config/loadConfig.js';
import type { Config } from '../../lib/config/types.js';
import { GroupStore } from '../../lib/groups/groupStore.js';
import { handOverSlot } from '../../lib/lifecycle/handOverSlot.js';
import { JobQueue } from '../../lib/jobs/jobQueue.js';
import { JobStore } from '../../lib/jobs/jobStore.js';
import { jobTableDefinition } from '../../lib/jobs/jobTable.js';
import { parseJobMessage } from '../../lib/jobs/parseJobMessage.js';
import type { JobItem, JobMessage } from '../../lib/jobs/types.js';
import { loadTasks } from '../../lib/tasks/loadTasks.js';
import type { TaskRegistry } from '../../lib/tasks/types.js';
import { localClientConfig } from '../../scripts/stack/awsLocal.js';
import { ensureTable, type LocalDynamo } from '../../scripts/stack/startDynamo.js';
import { testDynamo, uniqueTable } from './testDynamo.js';
import { ensureQueues, queueUrl, startSqs, type LocalSqs } from '../../scripts/stack/startSqs.js';
import { endJob } from '../../lib/lifecycle/endJob.js';
import { failed, succeeded } from '../../lib/jobs/jobEndings.js';

/** A fault to inject: which call (by SDK command name), which input, how many times, what error. */
export interface Fault {
  command: string;
  match?: (input: Record<string, unknown>) => boolean;
  times: number;
  error: () => Error;
}

export const transactionConflict = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
    $metadata: {},
    CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
  });

export const transactionThrottled = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled [ThrottlingError, None]',
    $metadata: {},
    CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }],
  });

/** A named AWS error (what the SDK throws for a service error of that name). */
export const awsError = (name: string) => Object.assign(new Error(`injected ${name}`), { name, $fault: 'client', $metadata: {} });

/** Faults for one client: a middleware that throws the next matching fault before the request is sent. */
export function faultInjector() {
  const faults: Fault[] = [];
  const hits: string[] = [];
  return {
    faults,
    hits,
    add(f: Fault) {
      faults.push(f);
    },
    clear() {
      faults.length = 0;
    },
    install(client: { middlewareStack: { add: (mw: never, opts: never) => void } }) {
      const mw = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
        const f = faults.find((x) => x.times > 0 && x.command === context.commandName && (!x.match || x.match(args.input)));
        if (f) {
          f.times--;
          hits.push(context.commandName ?? '?');
          throw f.error();
        }
        return next(args);
      };
      client.middlewareStack.add(mw as never, { step: 'initialize', name: 'faultInjector' } as never);
    },
  };
}

export interface StateWorld {
  config: Config;
  tasks: TaskRegistry;
  store: JobStore;
  groups: GroupStore;
  queue: JobQueue;
  ddb: DynamoDBDocumentClient;
  sqs: SQSClient;
  ddbFaults: ReturnType<typeof faultInjector>;
  sqsFaults: ReturnType<typeof faultInjector>;
  log: { warn: (...a: unknown[]) => void; info: (...a: unknown[]) => void };
  table: string;
  urlOf(queue: string): string;
  /** Receives every message visible on a queue now (deleting them), parsed. */
  receive(queue: string, waitMs?: number): Promise<JobMessage[]>;
  /** Drops every message of a queue (a purged queue: lost messages). */
  purgeQueue(queue: string): Promise<void>;
  /** What a worker does with a message, minus the database: claim, then end as told. */
  work(message: JobMessage, outcome: 'success' | 'failure' | 'none'): Promise<JobItem | undefined>;
  /** Every job item of the table (a scan: test tables are small). */
  jobs(): Promise<JobItem[]>;
  stop(): Promise<void>;
}

/**
 * Starts the world. `app` is extra TOML for `[app]` (e.g. `resend_after = "1s"`);
 * the queues are `q` and `r`, each with a dead-letter queue.
 */
export async function startStateWorld(opts: { app?: string; queues?: string[]; shards?: number } = {}): Promise<StateWorld> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-state-'));
  const queues = opts.queues ?? ['q', 'r'];
  writeFileSync(path.join(dir, 'tasks.sql'), queues.map((q) => `-- name: t${q === 'q' ? '' : `_${q}`}\n-- queue: ${q}\nSELECT $1::text AS v;\n`).join('\n'));
  const config = parseConfig(
    `[app]\n${opts.app ?? ''}\n[db.pg]\ntype = "postgres"\ndsn = "postgres://u@127.0.0.1:1/x"\n[results.res]\ntype = "postgres"\ndsn = "postgres://u@127.0.0.1:1/x"\n${(opts.queues ?? ['q', 'r']).map((q) => `[queues.${q}]\n`).join('')}`,
    'state.toml',
    {},
  );
  const tasks = loadTasks(dir, config);
  const dynamo: LocalDynamo = await testDynamo();
  const sqsServer: LocalSqs = await startSqs();
  const table = uniqueTable('state-jobs');
  await ensureTable(dynamo.endpoint, jobTableDefinition(table));
  const names = Object.keys(config.queues);
  await ensureQueues(sqsServer.endpoint, names.flatMap((n) => [{ name: `${n}-dlq` }, { name: n, attributes: { VisibilityTimeout: '30' } }]));
  const raw = new DynamoDBClient({ ...localClientConfig(dynamo.endpoint), maxAttempts: 1 });
  const ddbFaults = faultInjector();
  ddbFaults.install(raw as never);
  const ddb = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const sqs = new SQSClient({ ...localClientConfig(sqsServer.endpoint), maxAttempts: 1 });
  const sqsFaults = faultInjector();
  sqsFaults.install(sqs as never);
  const urlOf = (q: string) => queueUrl(sqsServer.endpoint, q);
  const store = new JobStore(ddb, table, opts.shards === undefined ? {} : { shards: opts.shards });
  const groups = new GroupStore(ddb, table);
  const queue = new JobQueue(sqs, urlOf);
  const log = { warn: () => undefined, info: () => undefined };
  const plain = new SQSClient(localClientConfig(sqsServer.endpoint));
  const world: StateWorld = {
    config,
    tasks,
    store,
    groups,
    queue,
    ddb,
    sqs,
    ddbFaults,
    sqsFaults,
    log,
    table,
    urlOf,
    async receive(q, waitMs = 0) {
      const out: JobMessage[] = [];
      const deadline = Date.now() + waitMs;
      for (;;) {
        const res = await plain.send(new ReceiveMessageCommand({ QueueUrl: urlOf(q), MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        for (const m of res.Messages ?? []) {
          out.push(parseJobMessage(m.Body ?? ''));
          await plain.send(new DeleteMessageCommand({ QueueUrl: urlOf(q), ReceiptHandle: m.ReceiptHandle }));
        }
        if ((res.Messages ?? []).length === 0) {
          if (Date.now() >= deadline) return out;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
    async purgeQueue(q) {
      await plain.send(new PurgeQueueCommand({ QueueUrl: urlOf(q) }));
    },
    async work(message, outcome) {
      const deps = { config, store, groups, queue, log };
      const job = await store.claim(message, Date.now() + 30_000);
      if (!job || outcome === 'none') return job;
      const after = outcome === 'success' ? await endJob({ store }, job, succeeded(job, 1, `results_${job.job_id}`)) : await endJob({ store }, job, failed(job, 'boom'));
      await handOverSlot(deps, after);
      return after;
    },
    async jobs() {
      const items: JobItem[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await ddb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true, FilterExpression: 'begins_with(pk, :j)', ExpressionAttributeValues: { ':j': 'job#' } }));
        items.push(...((out.Items ?? []) as JobItem[]));
        start = out.LastEvaluatedKey;
      } while (start);
      return items;
    },
    async stop() {
      ddb.destroy();
      sqs.destroy();
      plain.destroy();
      await Promise.allSettled([dynamo.stop(), sqsServer.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}
