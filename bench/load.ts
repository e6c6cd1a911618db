/**
 * Load benchmark (not a test): `npx tsx bench/load.ts [jobs] [clientConcurrency]`.
 *
 * Starts the local stack on its own PostgreSQL database (one [db], one [results],
 * one queue of concurrency 8), submits N trivial jobs through the HTTP API with a
 * bounded number of requests in flight, injects duplicate deliveries (a copy of
 * ~10 % of the jobs' first message, built from the run_id stored in DynamoDB, sent
 * straight to SQS), waits until every job is final and the queue is empty, then
 * checks that each job ended SUCCESS, attempt 1, with the right row count (in its
 * record and in its results table). Prints throughput, submit→SUCCESS latency
 * percentiles (from the records' created_at/finished_at), the duplicates injected,
 * and the lost / run-twice counts. Stops everything it started, also on Ctrl-C.
 */
import pg from 'pg';
import { FINAL_STATES, type JobItem } from '../lib/jobs/types.js';
import { sleep } from '../scripts/stack/awsLocal.js';
import { BENCH_PG_ADMIN, startBenchStack } from './benchStack.js';

const JOBS = Number(process.argv[2] ?? 1000);
const IN_FLIGHT = Number(process.argv[3] ?? 50);
const QUEUE_CONCURRENCY = 8;
const DUPLICATE_EVERY = 10;

/** Rows job i returns: 1..5. */
const rowsOf = (i: number) => (i % 5) + 1;
const jobIdOf = (i: number) => `load-${i}`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs `fn` over 0..n-1 with at most `limit` calls in flight. */
async function pool(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

async function main() {
  const bench = await startBenchStack({
    name: 'load',
    tasks: `-- name: trivial\n-- queue: load\nSELECT g AS n FROM generate_series(1, $1::int) g;\n`,
    config: (dsn) =>
      `[db.pg]\ntype = "postgres"\ndsn = "${dsn}"\nmax_active = 2\n\n` +
      `[results.res]\ntype = "postgres"\ndsn = "${dsn}"\nmax_active = 2\n\n` +
      `[queues.load]\nconcurrency = ${QUEUE_CONCURRENCY}\ntimeout = 60\n`,
  });
  const { stack, aws } = bench;
  try {
    console.log(`stack up in ${bench.startMs} ms; ${JOBS} jobs, ${IN_FLIGHT} requests in flight, queue concurrency ${QUEUE_CONCURRENCY}`);

    // Submit, and send a copy of every 10th job's first message while the runs go on.
    const queueUrl = stack.queueUrl('load');
    const submitErrors: string[] = [];
    const duplicates: Promise<void>[] = [];
    let injected = 0;
    const tSubmit = performance.now();
    await pool(JOBS, IN_FLIGHT, async (i) => {
      const res = await fetch(`${stack.url}/tasks/trivial/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ job_id: jobIdOf(i), args: [String(rowsOf(i))] }),
      });
      const text = await res.text();
      if (res.status !== 200) {
        submitErrors.push(`${jobIdOf(i)}: ${res.status} ${text}`);
        return;
      }
      if (i % DUPLICATE_EVERY === 0) {
        duplicates.push(
          (async () => {
            const item = await aws.item(jobIdOf(i));
            if (!item) throw new Error(`${jobIdOf(i)}: no item right after its submission`);
            await aws.sendRaw(queueUrl, [JSON.stringify(aws.messageFor(item, 0))]);
            injected++;
          })(),
        );
      }
    });
    const submitMs = performance.now() - tSubmit;
    await Promise.all(duplicates);
    console.log(`submitted ${JOBS - submitErrors.length} in ${Math.round(submitMs)} ms (${(JOBS / (submitMs / 1000)).toFixed(1)} submits/s); ${injected} duplicates injected`);
    if (submitErrors.length) console.log(`submit errors:\n  ${submitErrors.slice(0, 10).join('\n  ')}`);

    // Wait until every job is final and every message (duplicates included) consumed.
    const ids = Array.from({ length: JOBS }, (_, i) => jobIdOf(i));
    let items: JobItem[] = [];
    const deadline = Date.now() + 15 * 60_000;
    for (let lastPrint = 0; ; ) {
      items = await aws.store.getMany(ids);
      const final = items.filter((j) => FINAL_STATES.includes(j.status)).length;
      const depth = await aws.queueDepth(queueUrl);
      if (performance.now() - lastPrint > 5000 || (final === JOBS && depth === 0)) {
        console.log(`  ${Math.round((performance.now() - tSubmit) / 1000)} s: ${final}/${JOBS} final, ${depth} message(s) queued`);
        lastPrint = performance.now();
      }
      if (final === JOBS && depth === 0) break;
      if (Date.now() > deadline) {
        console.log('gave up waiting after 15 min');
        break;
      }
      await sleep(1000);
    }
    const wallMs = performance.now() - tSubmit;
    items = await aws.store.getMany(ids);

    // Verify: SUCCESS, attempt 1, the right count in the record and in the table.
    const byId = new Map(items.map((j) => [j.job_id, j]));
    let lost = 0;
    let runTwice = 0;
    let wrong = 0;
    const problems: string[] = [];
    const reader = new pg.Client({ ...BENCH_PG_ADMIN, database: bench.database });
    await reader.connect();
    try {
      for (let i = 0; i < JOBS; i++) {
        const job = byId.get(jobIdOf(i));
        if (!job || !FINAL_STATES.includes(job.status)) {
          lost++;
          problems.push(`${jobIdOf(i)}: ${job?.status ?? 'missing'}`);
          continue;
        }
        if (job.attempt !== 1) {
          runTwice++;
          problems.push(`${job.job_id}: attempt ${job.attempt}`);
        }
        if (job.status !== 'SUCCESS' || job.count !== rowsOf(i)) {
          wrong++;
          problems.push(`${job.job_id}: ${job.status} count ${job.count} (want ${rowsOf(i)}) ${job.error ?? ''}`);
          continue;
        }
        const { rows } = await reader.query<{ c: number }>(`SELECT count(*)::int AS c FROM "results_${job.job_id}"`);
        if (rows[0]?.c !== rowsOf(i)) {
          wrong++;
          problems.push(`${job.job_id}: results table has ${rows[0]?.c} rows (want ${rowsOf(i)})`);
        }
      }
    } finally {
      await reader.end();
    }

    const done = items.filter((j) => j.status === 'SUCCESS' && j.finished_at);
    const latencies = done.map((j) => Date.parse(j.finished_at!) - Date.parse(j.created_at)).sort((a, b) => a - b);
    const first = Math.min(...done.map((j) => Date.parse(j.created_at)));
    const lastDone = Math.max(...done.map((j) => Date.parse(j.finished_at!)));
    const spanS = (lastDone - first) / 1000;
    // The workers' own pace, once every job was submitted (the submit flood competes for the same 2 cores).
    const submittedAt = Date.now() - (performance.now() - (tSubmit + submitMs));
    const afterSubmit = done.filter((j) => Date.parse(j.finished_at!) > submittedAt).length;
    const drainS = (lastDone - submittedAt) / 1000;
    console.log('');
    console.log(`jobs: ${JOBS} submitted, ${done.length} SUCCESS, ${wrong} wrong, ${lost} lost, ${runTwice} run twice; ${injected} duplicate deliveries injected`);
    console.log(`throughput: ${(done.length / spanS).toFixed(1)} jobs/s (first submit -> last SUCCESS: ${spanS.toFixed(1)} s; wall clock incl. queue drain ${(wallMs / 1000).toFixed(1)} s)`);
    console.log(`workers after the last submit: ${afterSubmit} jobs in ${drainS.toFixed(1)} s = ${(afterSubmit / drainS).toFixed(1)} jobs/s`);
    console.log(
      `submit -> SUCCESS: p50 ${percentile(latencies, 50)} ms, p90 ${percentile(latencies, 90)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms`,
    );
    if (problems.length) console.log(`problems (first 20):\n  ${problems.slice(0, 20).join('\n  ')}`);
    process.exitCode = lost || runTwice || wrong || submitErrors.length ? 1 : 0;
  } finally {
    await bench.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
