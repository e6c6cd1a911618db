/**
 * The whole product on one machine: DynamoDB Local, fauxqs (SQS), an embedded
 * PostgreSQL when config.toml names no databases, the API and the workers under
 * serverless offline, and a local SQS→Lambda bridge with real concurrency.
 * Used by `npm start` and by the end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import path from 'node:path';
import { loadConfig } from '../lib/config/loadConfig.js';
import type { Config } from '../lib/config/types.js';
import { localQueues, MAX_RECEIVE_COUNT, physicalQueueName, tableName, workerFunctionName } from '../lib/deploy/serviceDefinition.js';
import { TTL_ATTRIBUTE, jobTableDefinition } from '../lib/jobs/jobTable.js';
import { loadTasks } from '../lib/tasks/loadTasks.js';
import type { TaskRegistry } from '../lib/tasks/types.js';
import { startDynamo, ensureTable } from './stack/startDynamo.js';
import { startEmbeddedPostgres } from './stack/startEmbeddedPostgres.js';
import { freePort } from './stack/freePort.js';
import { startSqs, ensureQueues, queueUrl } from './stack/startSqs.js';
import { startSqsBridge } from './stack/sqsBridge.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
const SERVICE = 'sql-jobber';

export interface LocalStackOptions {
  /** config.toml to use; default $SQL_JOBBER_CONFIG or ./config.toml (may be absent). */
  configPath?: string;
  sqlDir?: string;
  port?: number;
  /** Where local state lives (embedded PostgreSQL data, generated config). */
  dataDir?: string;
  stage?: string;
  log?: (line: string) => void;
  /** Extra environment for the functions. */
  env?: Record<string, string>;
  /** How often the sweeper runs (AWS: every minute); default 5 s. */
  sweepIntervalMs?: number;
  /** Queue visibility timeout override in seconds (tests of redelivery); default 6x the queue timeout. */
  visibilityTimeout?: number;
  /**
   * Rebuild the functions when a .js/.ts file of the project is added, changed or
   * removed (serverless-esbuild's watch). Default false: each rebuild terminates every
   * function, jobs in flight included, and tests and benchmarks must not lose jobs
   * because someone saved a file.
   */
  watch?: boolean;
}

export interface LocalStack {
  url: string;
  config: Config;
  tasks: TaskRegistry;
  configPath: string;
  sqsEndpoint: string;
  dynamodbEndpoint: string;
  lambdaEndpoint: string;
  table: string;
  stage: string;
  queueUrl(queue: string): string;
  stop(): Promise<void>;
}

const EMBEDDED_SECTIONS = (sourceUrl: string, resultsUrl: string) => `
# Added by the local stack: config.toml names no databases, so an embedded
# PostgreSQL with sample data serves as both source and results database.
[db.sample]
type = "postgres"
dsn = "${sourceUrl}"

[results.sample_results]
type = "postgres"
dsn = "${resultsUrl}"
`;

/** Where each stack's function bundles go, relative to ROOT (serverless.yml custom.esbuild.outputWorkFolder). */
const BUNDLES_DIR = path.join('.sqljobber', 'esbuild');

/**
 * A bundle folder of this stack's own, named `<pid>-<random>`; folders left by
 * processes that are gone (killed before they could stop their stack) are removed.
 */
function ownBundleFolder(): string {
  const parent = path.join(ROOT, BUNDLES_DIR);
  mkdirSync(parent, { recursive: true });
  for (const name of readdirSync(parent)) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  return path.join(BUNDLES_DIR, `${process.pid}-${randomBytes(4).toString('hex')}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function hasDbSection(text: string): boolean {
  return /^\s*\[\s*db\.[^\]]+\]/m.test(text);
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`serverless offline exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`the API did not answer on ${url} within ${timeoutMs / 1000} s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      resolve();
    }
  });
}

/** Invokes a function every `intervalMs`, one run at a time, like a schedule event. */
function startSchedule(lambdaEndpoint: string, functionName: string, intervalMs: number, log: (line: string) => void) {
  const lambda = new LambdaClient({ region: 'us-east-1', endpoint: lambdaEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(async () => {
      try {
        const out = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from('{}') }));
        if (out.FunctionError) log(`${functionName}: ${Buffer.from(out.Payload ?? []).toString()}`);
      } catch (err) {
        log(`${functionName}: ${(err as Error).message}`);
      }
    });
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
      lambda.destroy();
    },
  };
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const stage = opts.stage ?? 'local';
  const dataDir = path.resolve(opts.dataDir ?? path.join(ROOT, '.sqljobber'));
  mkdirSync(dataDir, { recursive: true });
  const sqlDir = path.resolve(opts.sqlDir ?? path.join(ROOT, 'sql'));
  const userConfig = path.resolve(opts.configPath ?? path.join(ROOT, 'config.toml'));
  const stops: [string, () => Promise<void>][] = [];
  const stop = async () => {
    for (const [name, s] of stops.reverse()) {
      const t = Date.now();
      await s().catch((err: unknown) => log(`stop ${name}: ${(err as Error).message}`));
      if (process.env.SQL_JOBBER_VERBOSE) log(`stopped ${name} in ${Date.now() - t} ms`);
    }
    stops.length = 0;
  };

  try {
    // Config: the user's file, completed by an embedded PostgreSQL when it names no databases.
    let configText = existsSync(userConfig) ? readFileSync(userConfig, 'utf8') : '';
    let configPath = userConfig;
    if (!hasDbSection(configText)) {
      const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres') });
      stops.push(['embedded PostgreSQL', () => pg.stop()]);
      log(`embedded PostgreSQL   127.0.0.1:${pg.port}  (source ${pg.sourceUrl}, results ${pg.resultsUrl})`);
      configText += EMBEDDED_SECTIONS(pg.sourceUrl, pg.resultsUrl);
      const generated = path.join(dataDir, `config.${process.pid}.${Date.now()}.toml`);
      writeFileSync(generated, configText);
      stops.push(['generated config', async () => rmSync(generated, { force: true })]);
      configPath = generated;
    }
    const config = loadConfig(configPath, process.env);
    const tasks = loadTasks(sqlDir, config);

    const dynamo = await startDynamo();
    stops.push(['DynamoDB Local', () => dynamo.stop()]);
    const table = tableName({ service: SERVICE, stage });
    await ensureTable(dynamo.endpoint, jobTableDefinition(table), { ttlAttribute: TTL_ATTRIBUTE });
    log(`DynamoDB Local        ${dynamo.endpoint}  (table ${table})`);

    const sqs = await startSqs();
    stops.push(['SQS', () => sqs.stop()]);
    const names = { service: SERVICE, stage };
    const queues = localQueues(config, names);
    await ensureQueues(
      sqs.endpoint,
      queues.map((q) => ({ name: `${q.name}-dlq` })),
    );
    await ensureQueues(
      sqs.endpoint,
      queues.map((q) => ({
        name: q.name,
        attributes: {
          ...q.attributes,
          ...(opts.visibilityTimeout !== undefined ? { VisibilityTimeout: String(opts.visibilityTimeout) } : {}),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${q.name}-dlq`,
            maxReceiveCount: MAX_RECEIVE_COUNT,
          }),
        },
      })),
    );
    log(`SQS (fauxqs)          ${sqs.endpoint}  (queues ${queues.map((q) => q.name).join(', ')})`);

    const port = opts.port ?? 6060;
    const lambdaPort = await freePort();
    const bundles = ownBundleFolder();
    stops.push(['function bundles', async () => rmSync(path.join(ROOT, bundles), { recursive: true, force: true })]);
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      SQL_JOBBER_CONFIG: configPath,
      SQL_JOBBER_SQL_DIR: sqlDir,
      SQL_JOBBER_PORT: String(port),
      SQL_JOBBER_LAMBDA_PORT: String(lambdaPort),
      SQL_JOBBER_QUEUE_URL_PREFIX: `${sqs.endpoint}/000000000000/`,
      SQL_JOBBER_DYNAMODB_ENDPOINT: dynamo.endpoint,
      SQL_JOBBER_SQS_ENDPOINT: sqs.endpoint,
      SQL_JOBBER_ESBUILD_DIR: bundles,
      // A glob that matches no file: nothing to watch (serverless.yml custom.esbuild.watch).
      ...(opts.watch ? {} : { SQL_JOBBER_ESBUILD_WATCH: '.sqljobber-no-watch/**/*.none' }),
      ...opts.env,
    };
    const offline = spawn(process.execPath, [path.join(ROOT, 'node_modules/serverless/bin/serverless.js'), 'offline', 'start', '--stage', stage], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // If this process dies without stopping the stack, take the API down with it.
    const killOffline = () => {
      try {
        process.kill(-offline.pid!, 'SIGKILL');
      } catch {}
    };
    process.once('exit', killOffline);
    stops.push([
      'serverless offline',
      async () => {
        await stopChild(offline);
        process.off('exit', killOffline);
      },
    ]);
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      if (output.length > 200) output.shift();
      if (process.env.SQL_JOBBER_VERBOSE) process.stderr.write(text);
    };
    offline.stdout!.on('data', keep);
    offline.stderr!.on('data', keep);
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${url}/tasks`, offline, 120_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- serverless offline output ---\n${output.join('')}`);
    }
    const lambdaEndpoint = `http://127.0.0.1:${lambdaPort}`;
    log(`API                   ${url}  (Lambda invoke API ${lambdaEndpoint})`);

    const bridge = startSqsBridge({
      sqsEndpoint: sqs.endpoint,
      lambdaEndpoint,
      routes: queues.map((q) => ({
        queueUrl: queueUrl(sqs.endpoint, q.name),
        functionName: `${SERVICE}-${stage}-${workerFunctionName(q.queue)}`,
        concurrency: q.concurrency,
      })),
      log: (line: string) => log(`bridge: ${line}`),
    });
    stops.push(['SQS bridge', () => bridge.stop()]);

    // serverless offline does not run `schedule` events: invoke the sweeper as AWS would.
    const sweeper = startSchedule(lambdaEndpoint, `${SERVICE}-${stage}-sweeper`, opts.sweepIntervalMs ?? 5000, log);
    stops.push(['sweeper schedule', () => sweeper.stop()]);

    return {
      url,
      config,
      tasks,
      configPath,
      sqsEndpoint: sqs.endpoint,
      dynamodbEndpoint: dynamo.endpoint,
      lambdaEndpoint,
      table,
      stage,
      queueUrl: (queue: string) => queueUrl(sqs.endpoint, physicalQueueName(names, queue)),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
