/**
 * Admission against the real parts: DynamoDB Local, fauxqs, the local SQS bridge
 * (scripts/stack/sqsBridge.ts) with as many pollers as AWS's event source runs,
 * the worker handler in this process behind a Lambda Invoke endpoint, and
 * PostgreSQL running the jobs' queries. `sample` watches pg_stat_activity, where
 * each run's application_name carries its job ID (with its tenant's tag).
 */
import { JobStore } from '../../lib/jobs/jobStore.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIGatewayProxyEventV2, Context, SQSEvent } from 'aws-lambda';
import pg from 'pg';
import { createApp, type App } from '../../lib/app.js';
import { createAwsClients } from '../../lib/awsClients.js';
import { createDbPools, type DbPools } from '../../lib/db/createDbPools.js';
import { eventSourcePollers } from '../../lib/deploy/serviceDefinition.js';
import { DEAD_LETTER_SUFFIX } from '../../lib/jobs/jobQueue.js';
import { jobTableDefinition } from '../../lib/jobs/jobTable.js';
import { readSettings } from '../../lib/settings.js';
import { makeHandler as workerHandler } from '../../handlers/worker.js';
import { makeHandler as submitHandler } from '../../handlers/http/submitJob.js';
import { makeHandler as cancelHandler } from '../../handlers/http/cancelJob.js';
import { makeHandler as submitGroupHandler } from '../../handlers/http/submitGroup.js';
import { ensureTable, type LocalDynamo } from '../../scripts/stack/startDynamo.js';
import { testDynamo, uniqueTable } from './testDynamo.js';
import { ensureQueues, queueUrl, startSqs, type LocalSqs } from '../../scripts/stack/startSqs.js';
import { startSqsBridge, type SqsBridge } from '../../scripts/stack/sqsBridge.js';
import { RUN_TAG_PREFIX } from '../../lib/db/port/dialect.js';
import { PG_ADMIN, createTestDatabase, type TestDatabase } from './testDatabases.js';

const PREFIX = 'adm-';

/** One running query as pg_stat_activity shows it: the job's ID as submitted (no tenant tag), and when it was first seen. */
export interface Running {
  jobId: string;
  /** The tenant's tag in the scoped ID (lib/identity/tenantScope.ts). */
  tag: string;
}

export interface AdmissionWorld {
  app: App;
  pools: DbPools;
  results: TestDatabase;
  /** POST /tasks/{task}/jobs as `tenant` (X-Tenant-Id): status, headers and parsed body. */
  submit(tenant: string, task: string, body: Record<string, unknown>): Promise<{ statusCode: number; headers: Record<string, string>; body: { code?: string; data?: unknown } }>;
  /** POST /groups as `tenant` (X-Tenant-Id): status, headers and parsed body. */
  submitGroup(tenant: string, body: Record<string, unknown>): Promise<{ statusCode: number; headers: Record<string, string>; body: { code?: string; data?: unknown } }>;
  /** DELETE /jobs/{id} as `tenant`. */
  cancel(tenant: string, jobId: string): Promise<number>;
  /** The task queries running now on the source. */
  running(): Promise<Running[]>;
  /** Invocations of the worker so far (the bridge's figure). */
  invocations(): number;
  stop(): Promise<void>;
}

/**
 * Starts the world; `config` holds the `[queues]` sections, `tasks` the task file (db `src`, results `res`).
 * `indexShards`: the job store's index shards, as in AWS (32) rather than DynamoDB Local's 2.
 */
export async function startAdmissionWorld(opts: { queues: string; tasks: string; indexShards?: number }): Promise<AdmissionWorld> {
  // A table of this world's own: the run's DynamoDB Local is shared (test/support/testDynamo.ts).
  const TABLE = uniqueTable('admission-jobs');
  const dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-admission-'));
  const stops: (() => Promise<unknown>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const results = await createTestDatabase('postgres', 'sqljobber_adm');
    stops.push(() => results.drop());
    // The jobs' own database, source and results: the watcher sees only their runs, not other tests'.
    const src = `postgres://${PG_ADMIN.user}@${PG_ADMIN.host}:${PG_ADMIN.port}/${results.database}`;
    writeFileSync(
      path.join(dir, 'config.toml'),
      `[app]\nlog_level = "ERROR"\n[db.src]\ntype = "postgres"\ndsn = "${src}"\nmax_active = 20\n[results.res]\ntype = "postgres"\ndsn = "postgres://postgres@127.0.0.1:5432/${results.database}"\nmax_active = 20\n${opts.queues}`,
    );
    writeFileSync(path.join(dir, 'tasks.sql'), opts.tasks);
    const [dynamo, sqs]: [LocalDynamo, LocalSqs] = await Promise.all([testDynamo(), startSqs()]);
    stops.push(() => dynamo.stop(), () => sqs.stop());
    await ensureTable(dynamo.endpoint, jobTableDefinition(TABLE));
    const settings = readSettings({
      SQL_JOBBER_CONFIG: path.join(dir, 'config.toml'),
      SQL_JOBBER_SQL_DIR: dir,
      SQL_JOBBER_TABLE: TABLE,
      SQL_JOBBER_QUEUE_URL_PREFIX: queueUrl(sqs.endpoint, ''),
      SQL_JOBBER_QUEUE_NAME_PREFIX: PREFIX,
      SQL_JOBBER_DYNAMODB_ENDPOINT: dynamo.endpoint,
      SQL_JOBBER_SQS_ENDPOINT: sqs.endpoint,
      AWS_REGION: 'us-east-1',
    });
    const aws = createAwsClients(settings);
    const built = createApp(settings, aws);
    const app = opts.indexShards === undefined ? built : { ...built, store: new JobStore(aws.ddb, settings.table, { shards: opts.indexShards }) };
    const queues = Object.values(app.config.queues);
    await ensureQueues(sqs.endpoint, queues.flatMap((q) => [{ name: PREFIX + q.name + DEAD_LETTER_SUFFIX }, { name: PREFIX + q.name, attributes: { VisibilityTimeout: '60' } }]));
    const pools = createDbPools();
    stops.push(() => pools.end());
    const the = () => app;
    const worker = workerHandler(the, () => pools);
    const lambda = await invokeEndpoint(async (event) => worker(event, lambdaContext()));
    stops.push(() => new Promise((ok) => lambda.close(ok)));
    const address = lambda.address() as { port: number };
    const bridge: SqsBridge = startSqsBridge({
      sqsEndpoint: sqs.endpoint,
      lambdaEndpoint: `http://127.0.0.1:${address.port}`,
      routes: queues.map((q) => ({ queueUrl: queueUrl(sqs.endpoint, PREFIX + q.name), functionName: `worker-${q.name}`, concurrency: eventSourcePollers(q) })),
      log: () => undefined,
    });
    stops.push(() => bridge.stop());
    const watcher = new pg.Pool({ ...PG_ADMIN, database: results.database, max: 1 });
    watcher.on('error', () => undefined);
    stops.push(() => watcher.end());
    const submit = submitHandler(the);
    const submitGroup = submitGroupHandler(the);
    const cancel = cancelHandler(the, () => pools);
    const event = (tenant: string, extra: Partial<APIGatewayProxyEventV2>) =>
      ({ version: '2.0', rawQueryString: '', headers: { 'content-type': 'application/json', 'x-tenant-id': tenant }, isBase64Encoded: false, requestContext: { http: {} }, ...extra }) as unknown as APIGatewayProxyEventV2;
    return {
      app,
      pools,
      results,
      async submit(tenant, task, body) {
        const out = (await submit(event(tenant, { routeKey: 'POST /tasks/{taskName}/jobs', rawPath: `/tasks/${task}/jobs`, pathParameters: { taskName: task }, body: JSON.stringify(body) }), lambdaContext())) as {
          statusCode: number;
          headers: Record<string, string>;
          body: string;
        };
        return { statusCode: out.statusCode, headers: out.headers, body: JSON.parse(out.body) as { code?: string; data?: unknown } };
      },
      async submitGroup(tenant, body) {
        const out = (await submitGroup(event(tenant, { routeKey: 'POST /groups', rawPath: '/groups', body: JSON.stringify(body) }), lambdaContext())) as { statusCode: number; headers: Record<string, string>; body: string };
        return { statusCode: out.statusCode, headers: out.headers, body: JSON.parse(out.body) as { code?: string; data?: unknown } };
      },
      async cancel(tenant, jobId) {
        const out = (await cancel(event(tenant, { routeKey: 'DELETE /jobs/{jobID}', rawPath: `/jobs/${jobId}`, pathParameters: { jobID: jobId } }), lambdaContext())) as { statusCode: number };
        return out.statusCode;
      },
      async running() {
        const res = await watcher.query<{ application_name: string }>(
          `SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1 AND state = 'active' AND query LIKE '%pg_sleep%'`,
          [`${RUN_TAG_PREFIX}%`],
        );
        return res.rows.map((r) => {
          const scoped = r.application_name.slice(RUN_TAG_PREFIX.length).split(' ')[1] ?? '';
          const [tag, jobId] = scoped.includes('~') ? scoped.split('~') : ['', scoped];
          return { jobId: jobId!, tag: tag! };
        });
      },
      invocations: () => bridge.stats().invocations,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A Lambda Invoke API endpoint that runs `handler` in this process, as serverless-offline's does. */
function invokeEndpoint(handler: (event: SQSEvent) => Promise<unknown>): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handler(JSON.parse(Buffer.concat(chunks).toString('utf8')) as SQSEvent).then(
        (answer) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer ?? null));
        },
        (err: unknown) => {
          res.writeHead(200, { 'content-type': 'application/json', 'X-Amz-Function-Error': 'Unhandled' });
          res.end(JSON.stringify({ errorMessage: String(err) }));
        },
      );
    });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const lambdaContext = () =>
  ({ getRemainingTimeInMillis: () => 60_000, functionName: 'worker', awsRequestId: 'local', invokedFunctionArn: 'arn:local', memoryLimitInMB: '1024' }) as unknown as Context;
