/**
 * Progress at full size (not a test): `npm run bench -- progress [-- rows=10000000 rounds=5]`.
 *
 * A PostgreSQL -> PostgreSQL job of `rows` rows, its status read every 500 ms
 * (GET /jobs/{id}) while it runs, and every DynamoDB write that sets
 * `rows_written` counted at the SDK. Per round it prints how long the run took,
 * whether `rows_written` ever fell, the longest time between two reads that saw
 * it change (and the honest bound: the 2 s renewal interval, plus one poll and
 * the slowest read and write), whether it ended equal to `count`, and the
 * progress writes (in all against `floor(span / 2 s) + 1`, the renewals' per 2 s
 * beside the final write, and the most within any 2 s). Then medians
 * and spreads over the rounds. test/integration/jobs/jobProgress.test.ts runs 2M
 * rows with the same checks.
 * Real PostgreSQL and DynamoDB Local; the product's worker path (runJob) and API handler.
 */
import { createDbPools } from '../lib/db/createDbPools.js';
import { LEASE, runJob } from '../lib/lifecycle/runJob.js';
import { countProgressWrites, pollProgress, progressFigures, startProgressWorld } from '../test/support/progressWatch.js';
import { createTestDatabase } from '../test/support/testDatabases.js';
import { spread } from './spread.js';

const ROWS = Number(process.argv[2] ?? 10_000_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const POLL_MS = 500;

const db = await createTestDatabase('postgres', 'sqljobber_bench');
const dsn = db.db().dsn;
const world = await startProgressWorld(dsn, ROWS, 900);
const pools = createDbPools();
let ok = true;
const gaps: number[] = [];
const perTwo: number[] = [];
const writeGaps: number[] = [];
const seconds: number[] = [];
try {
  console.log(`progress: ${ROWS.toLocaleString('en')} rows PostgreSQL -> PostgreSQL, status read every ${POLL_MS} ms, lease renewed every ${LEASE.intervalMs} ms, ${ROUNDS} rounds`);
  for (let round = 1; round <= ROUNDS; round++) {
    const submitted = await world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName: 'many_rows' }, body: '{}' });
    if (submitted.statusCode !== 200) throw new Error(submitted.body);
    const jobId = (submitted.json?.data as { job_id: string }).job_id;
    const job = (await world.app.store.get(jobId))!;
    const statusOf = async () => (await world.request('GET /jobs/{jobID}', { pathParameters: { jobID: jobId } })).json?.data as Record<string, unknown>;
    const counted = countProgressWrites(world.ddb);
    const started = Date.now();
    const run = runJob({ ...world.app, pools, log: world.app.log }, { job_id: jobId, run_id: job.run_id, queue: job.queue, attempt: job.attempt }, 900_000);
    let done = false;
    void run.finally(() => (done = true));
    const seen = await pollProgress(statusOf, () => done, POLL_MS);
    const outcome = await run;
    const final = await statusOf();
    seen.push({ at: Date.now(), ms: 0, status: String(final.status), rows: final.rows_written as number, progress: final.progress as number, est: final.est_rows as number });
    counted.stop();
    const f = progressFigures(seen, counted.writes, started, LEASE.intervalMs, POLL_MS);
    const span = (counted.writes.at(-1)?.at ?? started) - started;
    // The renewals' writes per 2 s; the final write (it sets the count) comes on top.
    const rate = (f.writes - 1) / (span / 2000);
    const endsAtCount = outcome === 'success' && final.count === ROWS && final.rows_written === ROWS;
    const roundOk = !f.decreased && f.longestGapMs <= f.gapBoundMs && endsAtCount && f.writes <= f.writeBound;
    ok &&= roundOk;
    gaps.push(f.longestGapMs);
    writeGaps.push(f.longestWriteGapMs);
    perTwo.push(rate);
    seconds.push((Date.now() - started) / 1000);
    console.log(
      `round ${round}: ${seconds.at(-1)!.toFixed(1)} s, ${seen.length} reads; rows_written ${f.decreased ? 'FELL' : 'never fell'}; ` +
        `longest gap between changes ${f.longestGapMs} ms from ${(f.longestGapFromMs / 1000).toFixed(1)} s (bound ${f.gapBoundMs} ms); ended ${endsAtCount ? 'equal to' : 'NOT equal to'} count; ` +
        `${f.writes} progress writes in ${(span / 1000).toFixed(1)} s (bound ${f.writeBound}): the renewals' ${rate.toFixed(2)} per 2 s, and the final one; at most ${f.mostRenewalsPerInterval} renewal(s) within any 2 s (${f.mostWritesPerInterval} with the final); longest time between two writes ${f.longestWriteGapMs} ms${roundOk ? '' : '  <- out of bounds'}`,
    );
    if (!roundOk) console.log(`  writes (s, rows_written): ${counted.writes.map((x) => `${((x.at - started) / 1000).toFixed(1)} ${x.rows}`).join(', ')}`);
    // The next round's table takes the space of this one's.
    await world.request('DELETE /jobs/{jobID}', { pathParameters: { jobID: jobId }, queryStringParameters: { purge: 'true' } });
  }
  console.log(`run time: ${spread(seconds)}`);
  console.log(`longest gap between changes, as read every ${POLL_MS} ms: ${spread(gaps, 'ms')}`);
  console.log(`longest time between two progress writes: ${spread(writeGaps, 'ms')}`);
  const sorted = [...perTwo].sort((a, b) => a - b);
  const mid = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  console.log(`renewals' progress writes per 2 s: median ${mid.toFixed(2)} (min ${sorted[0]!.toFixed(2)}, max ${sorted.at(-1)!.toFixed(2)}, n ${sorted.length})`);
  console.log(ok ? 'progress: every figure within its bound' : 'progress: a figure out of bounds (above)');
} finally {
  await pools.end();
  await world.stop();
  await db.drop();
}
if (!ok) process.exitCode = 1;
