/**
 * The whole product on one machine: DynamoDB Local, fauxqs (SQS), an embedded
 * PostgreSQL when config.toml names no databases, the API and the workers under
 * serverless offline, and a local SQS→Lambda bridge with real concurrency.
 * Used by `npm start` and by the end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import path from 'node:path';
import { loadConfig } from '../lib/config/loadConfig.js';
import { localSecretsError } from '../lib/config/resolveSecretRefs.js';
import type { Config } from '../lib/config/types.js';
import { eventSourcePollers, localQueues, MAX_RECEIVE_COUNT, workerFunctionName } from '../lib/deploy/serviceDefinition.js';
import { physicalQueueName, tableName } from '../lib/deploy/serviceNames.js';
import { TTL_ATTRIBUTE, jobTableDefinition } from '../lib/jobs/jobTable.js';
import { joinSqlDirs } from '../lib/settings.js';
import { withTaskFiles } from '../lib/tasks/loadConfigAndTasks.js';
import type { TaskRegistry } from '../lib/tasks/types.js';
import { claimDataDir, isAlive } from './stack/dataDirLock.js';
import { embeddedDataDir, embeddedSections, hasDbSection } from './stack/embeddedConfig.js';
import { startDynamo, ensureTable } from './stack/startDynamo.js';
import { startEmbeddedPostgres } from './stack/startEmbeddedPostgres.js';
import { freePort } from './stack/freePort.js';
import { startSqs, ensureQueues, queueUrl } from './stack/startSqs.js';
import { startSqsBridge } from './stack/sqsBridge.js';
import { ensureBucket } from './stack/ensureBucket.js';
import { exportLifecycleDays } from '../lib/deploy/exportResources.js';
import { startNotifyResources } from './stack/startNotifyResources.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
const SERVICE = 'sql-jobber';

export interface LocalStackOptions {
  /** config.toml to use; default $SQL_JOBBER_CONFIG or ./config.toml (may be absent). */
  configPath?: string;
  /** Task directory, or several (default ./sql of the project). */
  sqlDir?: string | readonly string[];
  port?: number;
  /** Where local state lives (the embedded PostgreSQL's data directory, per port); default ./.sqljobber. */
  dataDir?: string;
  /** The embedded PostgreSQL's data directory; default `<dataDir>/postgres-<port>`. */
  postgresDataDir?: string;
  /**
   * Aborts the start (Ctrl-C while starting): what has started is stopped, nothing is
   * left behind, and the promise rejects with the signal's reason.
   */
  signal?: AbortSignal;
  stage?: string;
  log?: (line: string) => void;
  /** Extra environment for the functions. */
  env?: Record<string, string>;
  /** How often the sweeper runs (AWS: every minute); default 5 s. */
  sweepIntervalMs?: number;
  /** How often the scheduler evaluates the schedules (AWS: every minute); default 2 s, so a schedule's ticks start within seconds. */
  scheduleIntervalMs?: number;
  /** Queue visibility timeout override in seconds (tests of redelivery); default 6x the queue timeout. */
  visibilityTimeout?: number;
  /**
   * Rebuild the functions when a .js/.ts file of the project is added, changed or
   * removed (serverless-esbuild's watch). Default false: each rebuild terminates every
   * function, jobs in flight included, and tests and benchmarks must not lose jobs
   * because someone saved a file.
   */
  watch?: boolean;
  /**
   * A folder of function bundles built beforehand (scripts/stack/prebuildBundles.ts):
   * serverless offline runs them instead of building its own, which saves most of a
   * stack's start. Default $SQL_JOBBER_TEST_BUNDLES (the test kit's, built once per
   * run); never with `watch`.
   */
  prebuiltBundles?: string;
  /**
   * A DynamoDB Local that is already running (the test kit's, shared by a test run):
   * the stack makes its table there, named after its stage, instead of starting one
   * of its own (a JVM). Give each stack on it a stage of its own.
   */
  dynamodbEndpoint?: string;
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
  /** The embedded PostgreSQL, when the config names no databases. */
  postgres?: { port: number; sourceUrl: string; resultsUrl: string; dataDir: string };
  queueUrl(queue: string): string;
  /**
   * Resolves when a part the stack started dies on its own (not through stop()):
   * which part, and how it ended.
   */
  died: Promise<PartDeath>;
  /** The completion events' queues and SNS topic, when config.toml has `[notify]`. */
  notify?: { queueUrl: string; deadLetterUrl: string; topicArn?: string };
  stop(): Promise<void>;
}

/** A part of the local stack that ended while the stack was up. */
export interface PartDeath {
  part: string;
  reason: string;
}

/** The API port is taken: by another local stack, or any other program. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`127.0.0.1:${port} is already in use (another npm start, or another program)`);
    this.name = 'PortInUseError';
  }
}

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

/** Resolves when nothing listens on 127.0.0.1:port (bound and released at once). */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(port) : err));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve()));
  });
}

/**
 * The embedded PostgreSQL's port: the API port + 10000 (16060 for 6060), so its URL
 * stays the same from run to run, as the README's psql line shows it; a free one
 * when that is taken or out of range.
 */
async function embeddedPort(apiPort: number): Promise<{ port: number } | undefined> {
  const port = apiPort + EMBEDDED_PORT_OFFSET;
  if (port > 65535) return undefined;
  return assertPortFree(port).then(
    () => ({ port }),
    () => undefined,
  );
}

/** The embedded PostgreSQL listens on the API port plus this, when it can. */
export const EMBEDDED_PORT_OFFSET = 10000;

/** The line of a child's output that says why it failed: the last that looks like an error, or the last. */
function failureLine(output: string[]): string {
  const lines = output.join('').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  return lines.findLast((l) => /error|EADDRINUSE|cannot|failed/i.test(l)) ?? lines.at(-1) ?? 'no output';
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number, output: string[], signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`serverless offline exited (${child.signalCode ?? `code ${child.exitCode}`}) before the API answered: ${failureLine(output)}`);
    }
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

/**
 * Starts the local stack and resolves once the API answers. Nothing it starts listens
 * beyond 127.0.0.1 and nothing calls AWS: a config whose dsns read SSM / Secrets
 * Manager is refused. On any failure, or an abort, it stops what it started.
 *
 * @throws PortInUseError when the API port is taken, DataDirBusyError when another
 *   stack owns the embedded PostgreSQL's data directory, ConfigError for config and
 *   task file problems, or an Error naming the part that failed to start.
 */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const stage = opts.stage ?? 'local';
  const port = opts.port ?? 6060;
  // SQL_JOBBER_STACK_LOGS: a folder that keeps each stack's log and serverless offline output, a file per API port.
  const logFile = process.env.SQL_JOBBER_STACK_LOGS ? path.join(process.env.SQL_JOBBER_STACK_LOGS, `stack-${port}.log`) : undefined;
  const show = opts.log ?? ((line: string) => console.log(line));
  const log = (line: string) => {
    show(line);
    if (logFile) appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  };
  const dataDir = path.resolve(opts.dataDir ?? path.join(ROOT, '.sqljobber'));
  const sqlDirs = (typeof opts.sqlDir === 'string' ? [opts.sqlDir] : (opts.sqlDir ?? [path.join(ROOT, 'sql')])).map((dir) => path.resolve(dir));
  const userConfig = path.resolve(opts.configPath ?? path.join(ROOT, 'config.toml'));
  const signal = opts.signal;
  const stops: [string, () => Promise<void>][] = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    for (const [name, s] of stops.reverse()) {
      const t = Date.now();
      await s().catch((err: unknown) => log(`stop ${name}: ${(err as Error).message}`));
      if (process.env.SQL_JOBBER_VERBOSE) log(`stopped ${name} in ${Date.now() - t} ms`);
    }
    stops.length = 0;
  };
  // What the bridge and the schedules see go wrong, unless the stack is stopping: a Ctrl-C
  // reaches every part at once, and a call in flight then meets parts already gone.
  const partLog = (line: string) => {
    if (!stopping) log(line);
  };
  // Each part's end, reported only when it was not asked to stop.
  let reportDeath: (death: PartDeath) => void = () => undefined;
  const died = new Promise<PartDeath>((resolve) => (reportDeath = resolve));
  const watch = (part: string, ended: Promise<string>) =>
    void ended.then((reason) => {
      // A terminal's Ctrl-C reaches the children too: give our own stop a moment to begin.
      setTimeout(() => {
        if (!stopping) reportDeath({ part, reason });
      }, 300).unref();
    });

  try {
    signal?.throwIfAborted();
    await assertPortFree(port);
    // Config: the user's file, completed by an embedded PostgreSQL when it names no databases.
    let configText = existsSync(userConfig) ? readFileSync(userConfig, 'utf8') : '';
    let configPath = userConfig;
    let postgres: LocalStack['postgres'];
    if (!hasDbSection(configText)) {
      const pgDataDir = path.resolve(opts.postgresDataDir ?? embeddedDataDir(dataDir, port));
      mkdirSync(path.dirname(pgDataDir), { recursive: true });
      const lock = claimDataDir(pgDataDir, { pid: process.pid, port });
      stops.push(['data directory lock', async () => lock.release()]);
      signal?.throwIfAborted();
      const pg = await startEmbeddedPostgres({ dataDir: pgDataDir, ...((await embeddedPort(port)) ?? {}) });
      stops.push(['embedded PostgreSQL', () => pg.stop()]);
      watch('embedded PostgreSQL', pg.exited);
      lock.update({ pgPort: pg.port });
      postgres = { port: pg.port, sourceUrl: pg.sourceUrl, resultsUrl: pg.resultsUrl, dataDir: pgDataDir };
      log(`embedded PostgreSQL   127.0.0.1:${pg.port}  (source ${pg.sourceUrl}, results ${pg.resultsUrl})`);
      configText += embeddedSections(pg.sourceUrl, pg.resultsUrl);
      // Outside the data directory, so that no kill of this process leaves it behind there.
      const generatedDir = mkdtempSync(path.join(tmpdir(), 'sqljobber-local-config-'));
      stops.push(['generated config', async () => rmSync(generatedDir, { recursive: true, force: true })]);
      configPath = path.join(generatedDir, 'config.toml');
      writeFileSync(configPath, configText);
    }
    const loaded = loadConfig(configPath, process.env);
    if (loaded.secretRefs.length > 0) throw localSecretsError(userConfig, loaded.secretRefs);
    const { config, tasks } = withTaskFiles(loaded, sqlDirs);

    signal?.throwIfAborted();
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
    // Completion events ([notify]): their queue and dead-letter queue, and the SNS topic (fauxqs emulates SNS too).
    const notify = await startNotifyResources(sqs.endpoint, config, names);
    if (notify) log(`completion events     queue ${notify.queueName}${notify.topicArn ? `, SNS topic ${notify.topicArn}` : ''}`);
    // Exports ([export]): the bucket on fauxqs's S3, the same endpoint.
    if (config.export) {
      await ensureBucket(sqs.endpoint, config.export, exportLifecycleDays(config));
      log(`S3 exports (fauxqs)   ${sqs.endpoint}/${config.export.bucket}/${config.export.prefix}`);
    }

    // DynamoDB Local (a JVM) starts while serverless offline boots: both take seconds, and
    // offline needs only the endpoint, not an answer, until the first function runs, which
    // is after both are up. Its port is picked here, as the Lambda port is, for offline's env.
    signal?.throwIfAborted();
    const table = tableName({ service: SERVICE, stage });
    const shared = opts.dynamodbEndpoint;
    const dynamoPort = shared ? Number(new URL(shared).port) : await freePort();
    const dynamoEndpoint = shared ?? `http://127.0.0.1:${dynamoPort}`;
    const dynamoStarted = shared
      ? Promise.resolve({ endpoint: shared, port: dynamoPort, stop: async () => undefined, exited: new Promise<string>(() => undefined) })
      : startDynamo({ port: dynamoPort });
    // Registered at once, so that a failure of either start still stops DynamoDB Local.
    stops.push([
      'DynamoDB Local',
      async () => {
        const dynamo = await dynamoStarted.catch(() => undefined);
        await dynamo?.stop();
      },
    ]);
    const dynamoReady = dynamoStarted.then(async (dynamo) => {
      watch('DynamoDB Local', dynamo.exited);
      await ensureTable(dynamo.endpoint, jobTableDefinition(table), { ttlAttribute: TTL_ATTRIBUTE });
      log(`DynamoDB Local        ${dynamo.endpoint}  (table ${table}${shared ? ', on a running DynamoDB Local' : ''})`);
      return dynamo;
    });
    // Awaited below; until then a failure must not count as unhandled.
    dynamoReady.catch(() => undefined);
    const lambdaPort = await freePort();
    const prebuilt = opts.watch ? undefined : (opts.prebuiltBundles ?? (process.env.SQL_JOBBER_TEST_BUNDLES || undefined));
    const bundles = ownBundleFolder();
    stops.push([
      'function bundles',
      async () => {
        rmSync(path.join(ROOT, bundles), { recursive: true, force: true });
        removeIfEmpty(path.dirname(path.join(ROOT, bundles)));
      },
    ]);
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      // The framework's own telemetry and update notices would leave the machine.
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      SQL_JOBBER_CONFIG: configPath,
      SQL_JOBBER_SQL_DIR: joinSqlDirs(sqlDirs),
      SQL_JOBBER_PORT: String(port),
      SQL_JOBBER_LAMBDA_PORT: String(lambdaPort),
      SQL_JOBBER_QUEUE_URL_PREFIX: `${sqs.endpoint}/000000000000/`,
      SQL_JOBBER_DYNAMODB_ENDPOINT: dynamoEndpoint,
      SQL_JOBBER_SQS_ENDPOINT: sqs.endpoint,
      SQL_JOBBER_ESBUILD_DIR: bundles,
      ...(notify?.topicArn ? { SQL_JOBBER_NOTIFY_TOPIC_ARN: notify.topicArn } : {}),
      // A glob that matches no file: nothing to watch (serverless.yml custom.esbuild.watch).
      ...(opts.watch ? {} : { SQL_JOBBER_ESBUILD_WATCH: '.sqljobber-no-watch/**/*.none' }),
      ...(prebuilt ? { SQL_JOBBER_PREBUILT_BUNDLES: prebuilt } : {}),
      ...opts.env,
    };
    // The shell's AWS credentials must not reach the functions: they only talk to the emulators.
    delete env.AWS_SESSION_TOKEN;
    delete env.AWS_PROFILE;
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
      if (logFile) appendFileSync(logFile, text);
    };
    offline.stdout!.on('data', keep);
    offline.stderr!.on('data', keep);
    watch(
      'serverless offline',
      new Promise<string>((resolve) =>
        offline.once('exit', (code, sig) => resolve(`exited (${sig ?? `code ${code}`}): ${failureLine(output)}`)),
      ),
    );
    const url = `http://127.0.0.1:${port}`;
    const [dynamo] = await Promise.all([dynamoReady, waitForHttp(`${url}/tasks`, offline, 120_000, output, signal)]);
    const lambdaEndpoint = `http://127.0.0.1:${lambdaPort}`;
    log(`API                   ${url}  (Lambda invoke API ${lambdaEndpoint})`);

    const bridge = startSqsBridge({
      sqsEndpoint: sqs.endpoint,
      lambdaEndpoint,
      routes: [
        ...queues.map((q) => ({
          queueUrl: queueUrl(sqs.endpoint, q.name),
          functionName: `${SERVICE}-${stage}-${workerFunctionName(q.queue)}`,
          // As many pollers as AWS's event source runs (2 at least); admission keeps a queue at its own limit.
          concurrency: eventSourcePollers(q),
        })),
        ...(notify ? [{ queueUrl: notify.queueUrl, functionName: `${SERVICE}-${stage}-${notify.functionKey}`, concurrency: 2, batchSize: 10 }] : []),
      ],
      log: (line: string) => partLog(`bridge: ${line}`),
    });
    stops.push(['SQS bridge', () => bridge.stop()]);

    // serverless offline does not run `schedule` events: invoke the sweeper as AWS would.
    const sweeper = startSchedule(lambdaEndpoint, `${SERVICE}-${stage}-sweeper`, opts.sweepIntervalMs ?? 5000, partLog);
    stops.push(['sweeper schedule', () => sweeper.stop()]);
    // The same for the scheduler, more often than AWS's minute: a tick's job starts within seconds of it.
    const scheduler = startSchedule(lambdaEndpoint, `${SERVICE}-${stage}-scheduler`, opts.scheduleIntervalMs ?? 2000, partLog);
    stops.push(['scheduler schedule', () => scheduler.stop()]);
    signal?.throwIfAborted();

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
      ...(postgres ? { postgres } : {}),
      queueUrl: (queue: string) => queueUrl(sqs.endpoint, physicalQueueName(names, queue)),
      died,
      ...(notify ? { notify: { queueUrl: notify.queueUrl, deadLetterUrl: notify.deadLetterUrl, ...(notify.topicArn ? { topicArn: notify.topicArn } : {}) } } : {}),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (another stack's bundles), or gone
  }
}
