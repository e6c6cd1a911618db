/**
 * A running job's progress as GET /jobs/{id} shows it, against DynamoDB Local and a
 * real PostgreSQL source and results database: a bounded version of the 10M-row
 * run (2M rows, wide enough to take a few seconds; bench/progress.ts runs 10M).
 * Read every 500 ms, `rows_written` never falls, changes at least once per 2 s
 * (seen up to one poll late) and ends equal to `count`; the DynamoDB writes that
 * set it (counted at the SDK) are at most one per 2 s, plus the final one.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { runJob } from '../../../lib/lifecycle/runJob.js';
import type { HandlerWorld } from '../../support/handlerWorld.js';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabases.js';
import { countProgressWrites, pollProgress, progressFigures, startProgressWorld } from '../../support/progressWatch.js';

const ROWS = 2_000_000;
const LEASE = { intervalMs: 2_000, leaseMs: 30_000 };
const POLL_MS = 500;

let db: TestDatabase;
let world: HandlerWorld;
let pools: DbPools;

beforeAll(async () => {
  db = await createTestDatabase('postgres');
  const dsn = db.db().dsn;
  world = await startProgressWorld(dsn, ROWS, 120);
  pools = createDbPools();
}, 120_000);

afterAll(async () => {
  await pools?.end();
  await world?.stop();
  await db?.drop();
});

it('rows_written, read every 500 ms, never falls, changes at least every 2 s (allowing one poll of lateness) and ends at count; at most one progress write per 2 s, plus the final one', async () => {
  const submitted = await world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName: 'many_rows' }, body: '{}' });
  expect(submitted.statusCode).toBe(200);
  const jobId = (submitted.json?.data as { job_id: string }).job_id;
  const job = (await world.app.store.get(jobId))!;
  const statusOf = async () => (await world.request('GET /jobs/{jobID}', { pathParameters: { jobID: jobId } })).json?.data as Record<string, unknown>;
  const waiting = await statusOf();
  expect(waiting).toMatchObject({ status: 'PENDING', rows_written: null, progress: 0 });

  // Every DynamoDB write that sets rows_written, counted at the SDK.
  const counted = countProgressWrites(world.ddb);
  const started = Date.now();
  const run = runJob({ ...world.app, pools, lease: LEASE, log: world.app.log }, { job_id: jobId, run_id: job.run_id, queue: job.queue, attempt: job.attempt }, 300_000);
  let done = false;
  void run.finally(() => (done = true));
  const seen = await pollProgress(statusOf, () => done, POLL_MS);
  expect(await run).toBe('success');
  const final = await statusOf();
  seen.push({ at: Date.now(), ms: 0, status: String(final.status), rows: final.rows_written as number, progress: final.progress as number, est: final.est_rows as number });
  counted.stop();

  const running = seen.filter((s) => s.status === 'STARTED');
  const rows = running.map((s) => s.rows ?? 0);
  // It moved while running: more than one figure below the count.
  expect(new Set(rows.filter((r) => r > 0 && r < ROWS)).size).toBeGreaterThanOrEqual(1);
  expect(new Set(rows).size).toBeGreaterThanOrEqual(2);
  for (const s of running) {
    expect(s.progress === null || (s.progress >= 0 && s.progress < 1)).toBe(true);
  }
  // PostgreSQL plans generate_series with constant bounds exactly.
  expect(running.some((s) => s.est === ROWS)).toBe(true);
  expect(final).toMatchObject({ status: 'SUCCESS', count: ROWS, rows_written: ROWS, progress: 1, est_rows: ROWS });
  expect(final.bytes_written as number).toBeGreaterThan(ROWS * 32);

  const f = progressFigures(seen, counted.writes, started, LEASE.intervalMs, POLL_MS);
  const shown = JSON.stringify({ ...f, reads: seen.map((s) => [s.at - started, s.status, s.rows]), writes: counted.writes.map((w) => [w.at - started, w.rows]) });
  expect(f.decreased, shown).toBe(false);
  // A change every interval; a reader sees it up to one poll (and a write's own time) late.
  expect(f.longestGapMs, shown).toBeLessThanOrEqual(f.gapBoundMs);
  // Progress rides on the timer's lease renewals only; the final write sets the count.
  expect(f.writes, shown).toBeGreaterThanOrEqual(2);
  expect(f.writes, shown).toBeLessThanOrEqual(f.writeBound);
  expect(counted.writes.at(-1)!.rows, shown).toBe(ROWS);
}, 180_000);
