/**
 * Chaos benchmark (not a test): `npx tsx bench/chaos.ts [jobs] [submitSeconds]`.
 *
 * Runs N jobs (default 1,000, spread over `submitSeconds`, default 60) through the
 * local stack on private PostgreSQL and MariaDB servers (never the shared
 * 5432/3306), across four tasks (PostgreSQL and MariaDB sources, each into both
 * kinds of results database), every job with retries. While jobs are submitted
 * it cycles through faults: PostgreSQL restarted (immediate shutdown) and killed
 * (SIGKILL of every process, down a few seconds), MariaDB killed and restarted,
 * DynamoDB Local frozen (SIGSTOP, SIGCONT seconds later), and SQS messages
 * dropped (received and deleted behind the workers' back; `CHAOS_DROP`, default
 * 20 in all). A probe asks `GET /tasks` every 2 s throughout. Then it waits for the
 * jobs to settle and prints:
 *
 * - submitted: jobs with a record (a submit that fails or times out is checked by
 *   reading the record before it is tried again);
 * - succeeded / failed / cancelled: final records (every SUCCESS is checked
 *   against its results table's row count);
 * - lost: submitted jobs still waiting (PENDING/RETRY) at the end, split by whether
 *   the benchmark dropped one of their messages;
 * - run twice: jobs whose workers recorded a final outcome more than once (from the
 *   workers' own log lines), or whose results do not match;
 * - stuck: jobs still STARTED at the end.
 *
 * With `[app] resend_after` supported by this build, it is set to 10 s, so dropped
 * messages are sent again by the sweeper; without it, each dropped first message
 * leaves a lost job. Stops everything it started, also on Ctrl-C.
 */
import { stopOnInterrupt } from './stopOnInterrupt.js';
import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { loadConfig } from '../lib/config/loadConfig.js';
import { FINAL_STATES, type JobItem } from '../lib/jobs/types.js';
import { startLocalStack, type LocalStack } from '../scripts/localStack.js';
import { sleep } from '../scripts/stack/awsLocal.js';
import { freePort } from '../scripts/stack/freePort.js';
import { startPrivateMariadb, type PrivateMariadb } from '../test/support/privateMariadb.js';
import { startPrivatePostgres, type PrivatePostgres } from '../test/support/privatePostgres.js';
import { stackClients, type StackClients } from '../test/support/stackClients.js';

const JOBS = Number(process.argv[2] ?? 1000);
const SUBMIT_S = Number(process.argv[3] ?? 60);
const QUEUE = 'chaos';
const CONCURRENCY = 8;
const RETRIES = 8;
/** Messages dropped in all. */
const DROP_MESSAGES = Number(process.env.CHAOS_DROP ?? 20);
/** Submits in flight at most (the machine, not the product, is the limit here). */
const SUBMITS_IN_FLIGHT = 6;
/** Give up waiting once nothing has changed for this long after the last fault. */
const SETTLE_IDLE_MS = 90_000;

const TASKS = [
  { name: 'pg_to_pg', db: 'pg', results: 'pg_res', sql: 'SELECT g AS n, pg_sleep(0.1) AS s FROM generate_series(1, $1::int) g' },
  { name: 'my_to_my', db: 'my', results: 'my_res', sql: 'SELECT seq AS n, SLEEP(0.1) AS s FROM seq_1_to_10 WHERE seq <= ?' },
  { name: 'pg_to_my', db: 'pg', results: 'my_res', sql: 'SELECT g AS n, pg_sleep(0.1) AS s FROM generate_series(1, $1::int) g' },
  { name: 'my_to_pg', db: 'my', results: 'pg_res', sql: 'SELECT seq AS n, SLEEP(0.1) AS s FROM seq_1_to_10 WHERE seq <= ?' },
] as const;

const jobIdOf = (i: number) => `chaos-${i}`;
const rowsOf = (i: number) => (i % 5) + 1;
const taskOf = (i: number) => TASKS[i % TASKS.length]!;

/** Fault counters, printed at the end. */
const faults = { pgRestarts: 0, pgKills: 0, mariadbKills: 0, mariadbRestarts: 0, dynamoFreezes: 0, messagesDropped: 0 };
/** Jobs whose message the benchmark dropped. */
const dropped = new Set<string>();
/** GET /tasks probes during the faults. */
const api = { probes: 0, failures: 0, slowestMs: 0 };
/** Final outcomes ('success' | 'failure') the workers logged, per job. */
const outcomes = new Map<string, string[]>();

function config(pgServer: PrivatePostgres, myServer: PrivateMariadb, resendAfter: boolean): string {
  return `
[app]
default_job_ttl = 3600
${resendAfter ? 'resend_after = "10s"' : ''}

[db.pg]
type = "postgres"
dsn = "${pgServer.url('src')}"
max_active = 8
connect_timeout = "3s"

[db.my]
type = "mysql"
dsn = "${myServer.url('src')}"
max_active = 8
connect_timeout = "3s"

[results.pg_res]
type = "postgres"
dsn = "${pgServer.url('res')}"
max_active = 8
connect_timeout = "3s"

[results.my_res]
type = "mysql"
dsn = "${myServer.url('res')}"
max_active = 8
connect_timeout = "3s"

[queues.${QUEUE}]
concurrency = ${CONCURRENCY}
timeout = 120
`;
}

/** The pid of this process's DynamoDB Local (a java child listening on `port`). */
function dynamoPid(port: number): number {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const at = args.indexOf('-port');
      if (args.some((a) => a.includes('DynamoDB')) && at >= 0 && args[at + 1] === String(port)) {
        const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1]);
        if (ppid === process.pid) return Number(name);
      }
    } catch {}
  }
  throw new Error(`no DynamoDB Local of this process on port ${port}`);
}

/** Reads the workers' JSON log lines (SQL_JOBBER_VERBOSE output) for final outcomes; keeps the rest in a file. */
function captureFunctionLogs(file: string): () => void {
  const out = createWriteStream(file);
  const original = process.stderr.write.bind(process.stderr);
  let partial = '';
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = partial + (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      out.write(`${line}\n`);
      if (!line.includes('job message done')) continue;
      try {
        const entry = JSON.parse(line.slice(line.indexOf('{'))) as { job_id?: string; outcome?: string };
        if (entry.job_id && (entry.outcome === 'success' || entry.outcome === 'failure')) {
          outcomes.set(entry.job_id, [...(outcomes.get(entry.job_id) ?? []), entry.outcome]);
        }
      } catch {}
    }
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stderr.write;
  return () => {
    process.stderr.write = original;
    out.end();
  };
}

/**
 * Submits job i until it has a record: a try that fails or times out may still
 * have created the job, so the record is read before trying again (a second POST
 * of a job that already finished would start a new run of its ID).
 */
async function submit(stack: LocalStack, aws: StackClients, i: number, errors: Map<string, number>): Promise<boolean> {
  const task = taskOf(i);
  const deadline = Date.now() + 5 * 60_000;
  for (let attempt = 1; Date.now() < deadline; attempt++) {
    let reason: string;
    try {
      const res = await fetch(`${stack.url}/tasks/${task.name}/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ job_id: jobIdOf(i), args: [String(rowsOf(i))], retries: RETRIES }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.status === 200) return true;
      reason = `${res.status} ${text.slice(0, 120)}`;
      if (res.status === 409) return true;
    } catch (err) {
      reason = (err as Error).name === 'TimeoutError' ? 'no answer in 30 s' : (err as Error).message;
    }
    errors.set(reason, (errors.get(reason) ?? 0) + 1);
    await sleep(Math.min(5_000, 500 * attempt));
    if (await aws.item(jobIdOf(i)).catch(() => undefined)) return true;
  }
  return false;
}

async function chaos(pgServer: PrivatePostgres, myServer: PrivateMariadb, stack: LocalStack, aws: StackClients, running: () => boolean) {
  const dynamo = dynamoPid(Number(new URL(stack.dynamodbEndpoint).port));
  const queueUrl = stack.queueUrl(QUEUE);
  const log = (what: string) => console.log(`  fault: ${what}`);
  const steps: [string, () => Promise<void>][] = [
    ['PostgreSQL restart (immediate)', async () => {
      await pgServer.restart();
      faults.pgRestarts++;
    }],
    ['DynamoDB Local frozen 5 s', async () => {
      process.kill(dynamo, 'SIGSTOP');
      faults.dynamoFreezes++;
      await sleep(5_000);
      process.kill(dynamo, 'SIGCONT');
    }],
    ['MariaDB killed, down 3 s', async () => {
      await myServer.kill();
      faults.mariadbKills++;
      await sleep(3_000);
      await myServer.start();
    }],
    ['PostgreSQL killed, down 3 s', async () => {
      await pgServer.kill();
      faults.pgKills++;
      await sleep(3_000);
      await pgServer.start();
    }],
    ['MariaDB restart', async () => {
      await myServer.restart();
      faults.mariadbRestarts++;
    }],
  ];
  const dropper = (async () => {
    // One message every 3 s, up to DROP_MESSAGES, received and deleted behind the workers' back.
    while (running() && faults.messagesDropped < DROP_MESSAGES) {
      await sleep(3_000);
      const got = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 })).catch(() => undefined);
      for (const m of got?.Messages ?? []) {
        await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! })).catch(() => undefined);
        faults.messagesDropped++;
        try {
          dropped.add((JSON.parse(m.Body ?? '') as { job_id: string }).job_id);
        } catch {}
      }
    }
  })();
  const prober = (async () => {
    // The API must keep answering through every fault.
    while (running()) {
      const t = performance.now();
      const ok = await fetch(`${stack.url}/tasks`, { signal: AbortSignal.timeout(60_000) }).then(
        (res) => res.text().then(() => res.status === 200),
        () => false,
      );
      api.slowestMs = Math.max(api.slowestMs, Math.round(performance.now() - t));
      if (!ok) api.failures++;
      api.probes++;
      await sleep(2_000);
    }
  })();
  for (let n = 0; running(); n++) {
    await sleep(7_000);
    if (!running()) break;
    const [what, fault] = steps[n % steps.length]!;
    log(what);
    await fault().catch((err: unknown) => log(`${what} failed: ${(err as Error).message}`));
  }
  await Promise.all([dropper, prober]);
  // Whatever the last step was, every part is up again at the end.
  await Promise.all([pgServer.start(), myServer.start()]);
  try {
    process.kill(dynamo, 'SIGCONT');
  } catch {}
}

async function resultsRows(pgServer: PrivatePostgres, myServer: PrivateMariadb, items: JobItem[]): Promise<Map<string, number>> {
  const rows = new Map<string, number>();
  const pgc = new pg.Client({ connectionString: pgServer.url('res') });
  await pgc.connect();
  const my = await mysql.createConnection({ uri: myServer.url('res') });
  try {
    for (const j of items) {
      if (j.status !== 'SUCCESS' || !j.results_table) continue;
      if (j.results_db === 'pg_res') {
        const r = await pgc.query<{ c: number }>(`SELECT count(*)::int AS c FROM "${j.results_table}"`).catch(() => undefined);
        if (r) rows.set(j.job_id, r.rows[0]!.c);
      } else {
        const [r] = (await my.query(`SELECT COUNT(*) AS c FROM \`${j.results_table}\``).catch(() => [undefined])) as [{ c: number }[] | undefined];
        if (r) rows.set(j.job_id, Number(r[0]!.c));
      }
    }
  } finally {
    await pgc.end();
    await my.end();
  }
  return rows;
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-chaos-'));
  let pgServer: PrivatePostgres | undefined;
  let myServer: PrivateMariadb | undefined;
  let stack: LocalStack | undefined;
  let aws: StackClients | undefined;
  let restoreLogs: (() => void) | undefined;
  let stopping: Promise<void> | undefined;
  const cleanup = () =>
    (stopping ??= (async () => {
      restoreLogs?.();
      aws?.destroy();
      await stack?.stop().catch((err: unknown) => console.error(`stopping the stack: ${(err as Error).message}`));
      await Promise.all([pgServer?.stop(), myServer?.stop()]);
      rmSync(dir, { recursive: true, force: true });
      offInterrupt();
    })());
  const offInterrupt = stopOnInterrupt(cleanup);

  try {
    [pgServer, myServer] = await Promise.all([startPrivatePostgres(), startPrivateMariadb()]);
    for (const db of ['src', 'res']) {
      await pgServer.sql(`CREATE DATABASE ${db}`);
      await myServer.sql(`CREATE DATABASE ${db}`);
    }
    writeFileSync(
      path.join(dir, 'tasks.sql'),
      TASKS.map((t) => `-- name: ${t.name}\n-- db: ${t.db}\n-- results: ${t.results}\n-- queue: ${QUEUE}\n${t.sql};\n`).join('\n'),
    );
    const configPath = path.join(dir, 'config.toml');
    writeFileSync(configPath, config(pgServer, myServer, true));
    let resendAfter = true;
    try {
      loadConfig(configPath, {});
    } catch (err) {
      if (!/resend_after/.test(String(err))) throw err;
      resendAfter = false;
      writeFileSync(configPath, config(pgServer, myServer, false));
    }
    console.log(`resend_after: ${resendAfter ? '10s' : 'not supported by this build (a dropped message stays lost)'}`);

    process.env.SQL_JOBBER_VERBOSE = '1';
    restoreLogs = captureFunctionLogs(path.join(tmpdir(), `sqljobber-chaos-${process.pid}.log`));
    const t0 = performance.now();
    stack = await startLocalStack({
      configPath,
      sqlDir: dir,
      dataDir: path.join(dir, 'state'),
      port: await freePort(),
      sweepIntervalMs: 1000,
      log: (line) => (line.startsWith('bridge:') || line.startsWith('stopped ') ? undefined : console.log(`  ${line}`)),
    });
    aws = stackClients(stack);
    console.log(`stack up in ${Math.round(performance.now() - t0)} ms; ${JOBS} jobs over ${SUBMIT_S} s, queue concurrency ${CONCURRENCY}, retries ${RETRIES}`);

    let submitting = true;
    const faultsDone = chaos(pgServer, myServer, stack, aws, () => submitting);
    // Awaited below; a failure meanwhile must reach the cleanup, not end the process as an unhandled rejection.
    faultsDone.catch(() => undefined);
    const submitErrors = new Map<string, number>();
    let notSubmitted = 0;
    const tSubmit = performance.now();
    const gapMs = (SUBMIT_S * 1000) / JOBS;
    let next = 0;
    await Promise.all(
      Array.from({ length: SUBMITS_IN_FLIGHT }, async () => {
        while (next < JOBS) {
          const i = next++;
          const due = tSubmit + i * gapMs;
          if (performance.now() < due) await sleep(due - performance.now());
          if (!(await submit(stack!, aws!, i, submitErrors))) notSubmitted++;
        }
      }),
    );
    submitting = false;
    await faultsDone;
    console.log(`submitted in ${Math.round((performance.now() - tSubmit) / 1000)} s; faults ${JSON.stringify(faults)}`);
    console.log(`API probes during the faults: ${api.probes}, ${api.failures} failed, slowest ${api.slowestMs} ms`);
    for (const [reason, n] of submitErrors) console.log(`  submit try failed x${n}: ${reason}`);
    if (notSubmitted) console.log(`  ${notSubmitted} job(s) could not be submitted within 5 min`);

    // Settle: until every job is final and the queue empty, or nothing changes for a while.
    const ids = Array.from({ length: JOBS }, (_, i) => jobIdOf(i));
    let items: JobItem[] = [];
    let lastChange = Date.now();
    let lastSignature = '';
    for (let lastPrint = 0; ; ) {
      items = await aws.store.getMany(ids);
      const final = items.filter((j) => FINAL_STATES.includes(j.status)).length;
      const depth = await aws.queueDepth(stack.queueUrl(QUEUE));
      const signature = items.map((j) => `${j.status}${j.attempt}`).join() + depth;
      if (signature !== lastSignature) {
        lastSignature = signature;
        lastChange = Date.now();
      }
      if (performance.now() - lastPrint > 10_000) {
        console.log(`  ${Math.round((performance.now() - tSubmit) / 1000)} s: ${final}/${items.length} final, ${depth} message(s) queued`);
        lastPrint = performance.now();
      }
      if (final === JOBS && depth === 0) break;
      if (Date.now() - lastChange > SETTLE_IDLE_MS) {
        console.log(`nothing changed for ${SETTLE_IDLE_MS / 1000} s: counting`);
        break;
      }
      await sleep(2000);
    }
    // The last log lines of the workers.
    await sleep(1000);

    const byId = new Map(items.map((j) => [j.job_id, j]));
    const rows = await resultsRows(pgServer, myServer, items);
    const counts = { submitted: 0, succeeded: 0, failed: 0, cancelled: 0, lost: 0, runTwice: 0, stuck: 0, retried: 0, lostDropped: 0 };
    const problems: string[] = [];
    const failures = new Map<string, number>();
    for (let i = 0; i < JOBS; i++) {
      const id = jobIdOf(i);
      const job = byId.get(id);
      if (!job) continue; // never submitted (counted above)
      counts.submitted++;
      if (job.attempt > 1) counts.retried++;
      const logged = outcomes.get(id) ?? [];
      if (logged.length > 1) {
        counts.runTwice++;
        problems.push(`${id}: final outcome recorded ${logged.length} times (${logged.join(', ')})`);
      }
      if (job.status === 'STARTED') {
        counts.stuck++;
        problems.push(`${id}: STARTED, attempt ${job.attempt}, lease until ${job.lease_until}`);
      } else if (!FINAL_STATES.includes(job.status)) {
        counts.lost++;
        if (dropped.has(id)) counts.lostDropped++;
        problems.push(`${id}: ${job.status}, attempt ${job.attempt}${dropped.has(id) ? ', its message dropped' : ''}${job.error ? `, ${job.error}` : ''}`);
      } else if (job.status === 'SUCCESS') {
        counts.succeeded++;
        if (job.count !== rowsOf(i) || rows.get(id) !== rowsOf(i)) {
          counts.runTwice++;
          problems.push(`${id}: SUCCESS with count ${job.count}, table rows ${rows.get(id)} (want ${rowsOf(i)})`);
        }
      } else if (job.status === 'FAILURE') {
        counts.failed++;
        const reason = (job.error ?? '').slice(0, 80);
        failures.set(reason, (failures.get(reason) ?? 0) + 1);
      } else counts.cancelled++;
    }
    console.log('');
    console.log(`submitted ${counts.submitted}  succeeded ${counts.succeeded}  failed ${counts.failed}  cancelled ${counts.cancelled}`);
    console.log(`lost ${counts.lost}  run twice ${counts.runTwice}  stuck ${counts.stuck}`);
    console.log(`lost with a dropped message ${counts.lostDropped} (of ${dropped.size} jobs whose message was dropped); other lost ${counts.lost - counts.lostDropped}`);
    console.log(`retried (attempt > 1) ${counts.retried}; final outcomes logged by workers for ${outcomes.size} jobs`);
    console.log(`faults: ${JSON.stringify(faults)}`);
    for (const [reason, n] of failures) console.log(`  FAILURE x${n}: ${reason}`);
    if (problems.length) console.log(`problems (first 20):\n  ${problems.slice(0, 20).join('\n  ')}`);
    process.exitCode = counts.lost + counts.runTwice + counts.stuck === 0 ? 0 : 1;
  } finally {
    await cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
