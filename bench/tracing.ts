/**
 * What tracing costs a trivial job: POST to SUCCESS with tracing off (no
 * `otlp_endpoint`: `NO_TRACING`) and on (OpenTelemetry's SDK, spans batched and
 * exported as OTLP/HTTP to a local receiver, flushed before each invocation
 * returns, as in Lambda). The submit route and the worker run in this process, wired
 * as in Lambda, against DynamoDB Local, fauxqs and the PostgreSQL on 127.0.0.1:5432;
 * the message goes through SQS for real. Off and on alternate within each round
 * (which goes first alternates too), so drift hits both alike.
 *
 *   npx tsx bench/tracing.ts [rounds=7] [jobsPerRound=20]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { makeHandler as worker } from '../handlers/worker.js';
import { queueUrl } from '../lib/app.js';
import { createAwsClients } from '../lib/awsClients.js';
import { createDbPools } from '../lib/db/createDbPools.js';
import { createOtlpTracing } from '../lib/observability/otlpTracing.js';
import { NO_TRACING, type Tracing } from '../lib/observability/tracing.js';
import { toSqsEvent } from '../scripts/stack/sqsBridge.js';
import { configToml, queue } from '../test/support/configToml.js';
import { startHandlerWorld } from '../test/support/handlerWorld.js';
import { createTestDatabase } from '../test/support/testDatabases.js';

const ROUNDS = Number(process.argv[2] ?? 7);
const JOBS = Number(process.argv[3] ?? 20);

// An OTLP/HTTP receiver that takes every export and counts what it got.
let exports = 0;
let exportedBytes = 0;
const receiver = createServer((req, res) => {
  let bytes = 0;
  req.on('data', (c: Buffer) => (bytes += c.length));
  req.on('end', () => {
    exports++;
    exportedBytes += bytes;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;

const db = await createTestDatabase('postgres');
const dsn = db.db().dsn;
const world = await startHandlerWorld({
  config: configToml({
    app: { default_job_ttl: '1h', log_level: 'ERROR' }, // the functions' log lines would drown the figures
    db: { main: { type: 'postgres', dsn } },
    results: { res: { type: 'postgres', dsn } },
    queues: { bench_q: queue(2, 60) },
  }),
  tasks: `
-- name: trivial
-- db: main
-- results: res
-- queue: bench_q
SELECT 1 AS one;
`,
});
const pools = createDbPools();
const sqs = createAwsClients(world.app.settings).sqs;
const url = queueUrl(world.app.settings, 'bench_q');
const run = worker(() => world.app, () => pools);
const context = { getRemainingTimeInMillis: () => 60_000 } as Context;
const tracings: Record<'off' | 'on', Tracing> = { off: NO_TRACING, on: createOtlpTracing(endpoint, 'sql-jobber-bench') };

let n = 0;
/** One trivial job, POST to SUCCESS: the submit route, SQS, the worker. */
async function oneJob(): Promise<number> {
  const jobId = `bench-${n++}`;
  const t0 = performance.now();
  const posted = await world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName: 'trivial' }, body: JSON.stringify({ job_id: jobId }) });
  if (posted.statusCode !== 200) throw new Error(posted.body);
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, WaitTimeSeconds: 5, MessageAttributeNames: ['All'] }));
  const message = out.Messages?.[0];
  if (!message) throw new Error('no message');
  const t1 = performance.now();
  await run(toSqsEvent(url, [message]), context);
  if (process.env.SQL_JOBBER_VERBOSE) console.error('submit+receive', (t1 - t0).toFixed(0), 'run', (performance.now() - t1).toFixed(0));
  await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle! }));
  const ms = performance.now() - t0;
  const job = await world.app.store.get(jobId);
  if (job?.status !== 'SUCCESS') throw new Error(`${jobId}: ${job?.status} ${job?.error ?? ''}`);
  return ms;
}

/** CPU time one job's spans cost (the eight spans of a job, started, ended, exported and flushed), in µs per job. */
async function spanCpuMicros(tracing: Tracing, jobs: number): Promise<number> {
  const attrs = { 'sqljobber.queue': 'bench_q', 'sqljobber.task': 'trivial', 'sqljobber.job_id': 'bench-x' };
  const before = process.cpuUsage();
  for (let i = 0; i < jobs; i++) {
    const submit = tracing.start('submit', attrs, { kind: 'server' });
    tracing.start('queue wait', attrs, { parent: submit.traceparent, startMs: Date.now() - 5 }).end();
    const run = tracing.start('run', attrs, { parent: submit.traceparent, kind: 'consumer' });
    for (const name of ['claim', 'source query', 'results write', 'index build and swap', 'notify delivery']) tracing.start(name, attrs, { parent: run.traceparent }).end();
    run.end();
    submit.end();
    if (i % 10 === 9) await tracing.flush();
  }
  await tracing.flush();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / jobs;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const log = console.log;
try {
  // Warm-up: both ways, so pools, clients and the SDK are loaded before anything is counted.
  for (const mode of ['off', 'on'] as const) {
    world.app.tracing = tracings[mode];
    for (let i = 0; i < 3; i++) await oneJob();
  }
  const rounds: Record<'off' | 'on', number[]> = { off: [], on: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
    for (const mode of order) {
      world.app.tracing = tracings[mode];
      const times: number[] = [];
      for (let i = 0; i < JOBS; i++) times.push(await oneJob());
      rounds[mode].push(median(times));
    }
    log(`round ${r + 1}: off ${rounds.off.at(-1)!.toFixed(1)} ms, on ${rounds.on.at(-1)!.toFixed(1)} ms (medians of ${JOBS} jobs)`);
  }
  const fmt = (xs: number[]) => `median ${median(xs).toFixed(1)} ms (rounds ${Math.min(...xs).toFixed(1)}..${Math.max(...xs).toFixed(1)})`;
  const diffs = rounds.on.map((on, i) => on - rounds.off[i]!);
  const cpu: Record<'off' | 'on', number[]> = { off: [], on: [] };
  for (let r = 0; r < ROUNDS; r++) for (const mode of ['off', 'on'] as const) cpu[mode].push(await spanCpuMicros(tracings[mode], 500));
  log(`spans of one job (8 spans, exported): CPU per job off median ${median(cpu.off).toFixed(1)} µs (${Math.min(...cpu.off).toFixed(1)}..${Math.max(...cpu.off).toFixed(1)}), on median ${median(cpu.on).toFixed(0)} µs (${Math.min(...cpu.on).toFixed(0)}..${Math.max(...cpu.on).toFixed(0)}), ${ROUNDS} rounds of 500 jobs`);
  log(`trivial job, POST -> SUCCESS in process, ${ROUNDS} rounds x ${JOBS} jobs each way:`);
  log(`  tracing off: ${fmt(rounds.off)}`);
  log(`  tracing on:  ${fmt(rounds.on)}`);
  log(`  on - off per round: median ${median(diffs).toFixed(1)} ms (${Math.min(...diffs).toFixed(1)}..${Math.max(...diffs).toFixed(1)}); ${exports} OTLP exports, ${(exportedBytes / 1024).toFixed(0)} KiB`);
} finally {
  sqs.destroy();
  await pools.end();
  await world.stop();
  await db.drop();
  receiver.close();
}
