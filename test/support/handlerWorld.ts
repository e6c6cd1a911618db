/**
 * Every HTTP route's handler, wired as in Lambda, against a DynamoDB Local and a
 * fauxqs of their own: what the hostile-input tests and bench/fuzz.ts send their
 * requests through. The world records every AWS call the handlers make, counts
 * what the table holds and what the queues hold, so a test can say that a refused
 * request changed nothing and, for some, that it made no call at all.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createApp, type App } from '../../lib/app.js';
import { createAwsClients, type AwsClients } from '../../lib/awsClients.js';
import { createDbPools, type DbPools } from '../../lib/db/createDbPools.js';
import { DEAD_LETTER_SUFFIX } from '../../lib/jobs/jobQueue.js';
import { jobTableDefinition } from '../../lib/jobs/jobTable.js';
import { readSettings } from '../../lib/settings.js';
import { makeHandler as cancelGroup } from '../../handlers/http/cancelGroup.js';
import { makeHandler as cancelJob } from '../../handlers/http/cancelJob.js';
import { makeHandler as getGroup } from '../../handlers/http/getGroup.js';
import { makeHandler as getJob } from '../../handlers/http/getJob.js';
import { makeHandler as getQueueJobs } from '../../handlers/http/getQueueJobs.js';
import { makeHandler as getResults } from '../../handlers/http/getResults.js';
import { makeHandler as getExport } from '../../handlers/http/getExport.js';
import { ensureBucket } from '../../scripts/stack/ensureBucket.js';
import { exportLifecycleDays } from '../../lib/deploy/exportResources.js';
import { makeHandler as getOpenApi } from '../../handlers/http/getOpenApi.js';
import { makeHandler as getQueues } from '../../handlers/http/getQueues.js';
import { makeHandler as getQueueStats } from '../../handlers/http/getQueueStats.js';
import { makeHandler as getTasks } from '../../handlers/http/getTasks.js';
import { makeHandler as listJobs } from '../../handlers/http/listJobs.js';
import { makeHandler as submitGroup } from '../../handlers/http/submitGroup.js';
import { makeHandler as submitJob } from '../../handlers/http/submitJob.js';
import { makeHandler as dryRun } from '../../handlers/http/dryRun.js';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ensureTable, type LocalDynamo } from '../../scripts/stack/startDynamo.js';
import { testDynamo, uniqueTable } from './testDynamo.js';
import { ensureQueues, queueUrl, startSqs, type LocalSqs } from '../../scripts/stack/startSqs.js';

/** The routes, as API Gateway names them. */
export const ROUTES = [
  'GET /tasks',
  'POST /tasks/{taskName}/jobs',
  'POST /tasks/{taskName}/dry-run',
  'GET /jobs/{jobID}',
  'GET /jobs/queue/{queue}',
  'DELETE /jobs/{jobID}',
  'POST /groups',
  'GET /groups/{groupID}',
  'DELETE /groups/{groupID}',
  'GET /jobs/{jobID}/results',
  'GET /jobs/{jobID}/export',
  'GET /jobs',
  'GET /queues',
  'GET /queues/stats',
  'GET /openapi.json',
] as const;
export type Route = (typeof ROUTES)[number];

/** What a request carries besides its route; path parameters as API Gateway hands them over. */
export interface RequestParts {
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

export interface Answer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** The parsed body when it is JSON, else undefined. */
  json: { status?: string; code?: string; message?: string; data?: unknown } | undefined;
}

/** Names of the AWS commands sent since the last `calls.splice(0)`, e.g. `DynamoDB:GetItem`, `SQS:SendMessage`. */
export type CallLog = string[];

export interface HandlerWorld {
  app: App;
  calls: CallLog;
  /** The DynamoDB client the app's stores use (a test may add middleware to count what they write). */
  ddb: AwsClients['ddb'];
  request(route: Route, parts?: RequestParts): Promise<Answer>;
  /** Items in the table (a scan: the table of a hostile-input test stays empty). */
  itemCount(): Promise<number>;
  /** Messages in every queue and dead-letter queue: visible, in flight and delayed. */
  messageCount(): Promise<number>;
  stop(): Promise<void>;
}

/** The tasks of the world: PostgreSQL ones with 2 and 0 arguments, a MySQL one with 2. */
export const WORLD_TASKS = `
-- name: two_args
-- db: main
-- queue: fuzz_q
SELECT $1::text AS a, $2::text AS b;

-- name: no_args
-- db: main
-- queue: fuzz_q
SELECT 1 AS one;

-- name: my_two
-- db: legacy
-- queue: other_q
SELECT ?, ?;
`;

/** Databases nobody listens on: a refused request must never reach one. */
export const WORLD_CONFIG = `
[app]
default_job_ttl = "1h"

[db.main]
type = "postgres"
dsn = "postgres://nobody@127.0.0.1:9/none"

[db.other]
type = "postgres"
dsn = "postgres://nobody@127.0.0.1:9/none"

[db.legacy]
type = "mysql"
dsn = "mysql://nobody@127.0.0.1:9/none"

[results.res]
type = "postgres"
dsn = "postgres://nobody@127.0.0.1:9/none"

[queues.fuzz_q]
concurrency = 2

[queues.other_q]
concurrency = 1
`;

const QUEUE_PREFIX = 'hostile-';

/** Starts DynamoDB Local and fauxqs, creates the table and the queues, and wires every route. */
export async function startHandlerWorld(opts: { config?: string; tasks?: string } = {}): Promise<HandlerWorld> {
  // A table of this world's own: the run's DynamoDB Local is shared (test/support/testDynamo.ts).
  const TABLE = uniqueTable('hostile-jobs');
  const dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-hostile-'));
  let dynamo: LocalDynamo | undefined;
  let sqs: LocalSqs | undefined;
  let pools: DbPools | undefined;
  const stop = async () => {
    await pools?.end();
    await sqs?.stop();
    await dynamo?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    writeFileSync(path.join(dir, 'config.toml'), opts.config ?? WORLD_CONFIG);
    writeFileSync(path.join(dir, 'tasks.sql'), opts.tasks ?? WORLD_TASKS);
    [dynamo, sqs] = await Promise.all([testDynamo(), startSqs()]);
    await ensureTable(dynamo.endpoint, jobTableDefinition(TABLE));
    const settings = readSettings({
      SQL_JOBBER_CONFIG: path.join(dir, 'config.toml'),
      SQL_JOBBER_SQL_DIR: dir,
      SQL_JOBBER_TABLE: TABLE,
      SQL_JOBBER_QUEUE_URL_PREFIX: queueUrl(sqs.endpoint, ''),
      SQL_JOBBER_QUEUE_NAME_PREFIX: QUEUE_PREFIX,
      SQL_JOBBER_DYNAMODB_ENDPOINT: dynamo.endpoint,
      SQL_JOBBER_SQS_ENDPOINT: sqs.endpoint,
      AWS_REGION: 'us-east-1',
    });
    const aws = createAwsClients(settings);
    const calls: CallLog = [];
    // Only the handlers' own calls count, not the world's scans and queue counts.
    let recording = false;
    const record = (service: string) => (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
      if (recording) calls.push(`${service}:${String(context.commandName).replace(/Command$/, '')}`);
      return next(args);
    };
    aws.ddb.middlewareStack.add(record('DynamoDB') as never, { step: 'initialize', name: 'recordCalls' });
    aws.sqs.middlewareStack.add(record('SQS') as never, { step: 'initialize', name: 'recordCalls' });
    const app = createApp(settings, aws);
    if (app.config.export) await ensureBucket(sqs.endpoint, app.config.export, exportLifecycleDays(app.config));
    const queueNames = Object.keys(app.config.queues).flatMap((q) => [QUEUE_PREFIX + q, QUEUE_PREFIX + q + DEAD_LETTER_SUFFIX]);
    const queueUrls = Object.values(await ensureQueues(sqs.endpoint, queueNames.map((name) => ({ name }))));
    pools = createDbPools();
    const dbPools = pools;
    const the = () => app;
    const handlers: Record<Route, (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>> = {
      'GET /tasks': getTasks(the),
      'POST /tasks/{taskName}/jobs': submitJob(the),
      'POST /tasks/{taskName}/dry-run': dryRun(the, () => dbPools),
      'GET /jobs/{jobID}': getJob(the),
      'GET /jobs/queue/{queue}': getQueueJobs(the),
      'DELETE /jobs/{jobID}': cancelJob(the, () => dbPools),
      'POST /groups': submitGroup(the),
      'GET /groups/{groupID}': getGroup(the),
      'DELETE /groups/{groupID}': cancelGroup(the, () => dbPools),
      'GET /jobs/{jobID}/results': getResults(the, () => dbPools),
      'GET /jobs/{jobID}/export': getExport(the),
      'GET /jobs': listJobs(the),
      'GET /queues': getQueues(the),
      'GET /queues/stats': getQueueStats(the),
      'GET /openapi.json': getOpenApi(the),
    };
    return {
      app,
      calls,
      ddb: aws.ddb,
      async request(route, parts = {}) {
        const [method, rawPath] = route.split(' ') as [string, string];
        const event = {
          version: '2.0',
          routeKey: route,
          rawPath,
          rawQueryString: '',
          headers: { 'content-type': 'application/json', ...parts.headers },
          ...(parts.queryStringParameters ? { queryStringParameters: parts.queryStringParameters } : {}),
          ...(parts.pathParameters ? { pathParameters: parts.pathParameters } : {}),
          ...(parts.body !== undefined ? { body: parts.body } : {}),
          isBase64Encoded: parts.isBase64Encoded ?? false,
          requestContext: { http: { method, path: rawPath } },
        } as unknown as APIGatewayProxyEventV2;
        recording = true;
        let out: Answer;
        try {
          out = (await handlers[route](event, { awsRequestId: 'test' } as Context)) as Answer;
        } finally {
          recording = false;
        }
        let json: Answer['json'];
        try {
          json = JSON.parse(out.body);
        } catch {
          json = undefined;
        }
        return { statusCode: out.statusCode, headers: out.headers ?? {}, body: out.body, json };
      },
      async itemCount() {
        let count = 0;
        let start: Record<string, unknown> | undefined;
        do {
          const out = await aws.ddb.send(new ScanCommand({ TableName: TABLE, Select: 'COUNT', ExclusiveStartKey: start, ConsistentRead: true }));
          count += out.Count ?? 0;
          start = out.LastEvaluatedKey;
        } while (start);
        return count;
      },
      async messageCount() {
        let count = 0;
        for (const url of queueUrls) {
          const out = await aws.sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: url,
              AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
            }),
          );
          const a = out.Attributes ?? {};
          count += Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(a.ApproximateNumberOfMessagesDelayed ?? 0);
        }
        return count;
      },
      async stop() {
        aws.ddb.destroy();
        aws.sqs.destroy();
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
