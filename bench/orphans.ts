/**
 * Orphan cancel at full size (not a test): `npx tsx bench/orphans.ts [jobs=50] [orphanAfterSeconds=10] [waiters=100]`.
 *
 * 1. `jobs` pg_sleep(120) jobs of a task with `orphan_after`, whose clients read
 *    their status every second for 5 s and then leave: all must be CANCELLED with
 *    `orphaned: ...` by 5 s + orphan_after + 5 s, with no backend left on the source.
 * 2. `waiters` identical jobs with max_age on a leader that runs 3 x orphan_after:
 *    one client keeps asking about its waiter, the others leave at 5 s. The
 *    leader's query must complete and the kept waiter get its result; the others
 *    are cancelled.
 * Real PostgreSQL, DynamoDB Local and fauxqs; the product's worker path on the real messages.
 */
import { createDbPools } from '../lib/db/createDbPools.js';
import type { JobItem } from '../lib/jobs/types.js';
import { configToml, queue } from '../test/support/configToml.js';
import { startHandlerWorld } from '../test/support/handlerWorld.js';
import { createTestDatabase } from '../test/support/testDatabases.js';
import { startWorkers } from './workerLoop.js';

const JOBS = Number(process.argv[2] ?? 50);
const ORPHAN_S = Number(process.argv[3] ?? 10);
const WAITERS = Number(process.argv[4] ?? 100);
const LEAVE_MS = 5_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const db = await createTestDatabase('postgres', 'sqljobber_bench');
const dsn = db.db().dsn;
// Each running job holds a results connection while its query runs: with source and results on one
// PostgreSQL, JOBS of each pass its max_connections (100 here). The results go to MariaDB instead.
const resDb = await createTestDatabase('mysql', 'sqljobber_bench_res');
const world = await startHandlerWorld({
  config: configToml({
    app: { default_job_ttl: '1h' },
    db: { main: { type: 'postgres', dsn, max_active: JOBS + 5 } },
    results: { res: { type: 'mysql', dsn: resDb.db().dsn, max_active: JOBS + 5 } },
    queues: { gone: queue(JOBS, 300) },
  }),
  tasks: `
-- name: abandoned
-- db: main
-- results: res
-- queue: gone
-- orphan_after: ${ORPHAN_S}s
SELECT $1::text AS arg, 'orphan-probe' AS probe, pg_sleep($2::float)::text AS slept;
`,
});
const pools = createDbPools();
const workers = startWorkers(world, pools, 'gone', JOBS);
const backends = async () => Number((await db.query(`SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%orphan-probe%' AND state = 'active' AND pid <> pg_backend_pid()`))[0]![0]);
const submit = async (body: Record<string, unknown>) => {
  const res = await world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName: 'abandoned' }, body: JSON.stringify(body) });
  if (res.statusCode !== 200) throw new Error(res.body);
};
const ask = (id: string) => world.request('GET /jobs/{jobID}', { pathParameters: { jobID: id } });
const final = (j: JobItem) => ['SUCCESS', 'FAILURE', 'CANCELLED'].includes(j.status);
let ok = true;
try {
  // 1. Abandoned jobs.
  const ids = Array.from({ length: JOBS }, (_, i) => `gone-${i}-${Date.now()}`);
  const t0 = Date.now();
  for (let i = 0; i < ids.length; i += 10) await Promise.all(ids.slice(i, i + 10).map((id) => submit({ job_id: id, args: ['gone', '120'] })));
  let peak = 0;
  while (Date.now() - t0 < LEAVE_MS) {
    for (let i = 0; i < ids.length; i += 10) await Promise.all(ids.slice(i, i + 10).map(ask));
    peak = Math.max(peak, await backends());
    await sleep(1000);
  }
  let lastEnd = 0;
  for (;;) {
    const jobs = await world.app.store.getMany(ids);
    if (jobs.every(final)) {
      lastEnd = Math.max(...jobs.map((j) => Date.parse(j.finished_at!))) - t0;
      const orphaned = jobs.filter((j) => j.status === 'CANCELLED' && j.error === `orphaned: nobody asked for it in ${ORPHAN_S}s`).length;
      await sleep(2000);
      const left = await backends();
      const bound = LEAVE_MS + ORPHAN_S * 1000 + 5000;
      console.log(`abandoned: ${JOBS} jobs (up to ${peak} queries seen running), ${orphaned} CANCELLED as orphans, the last at ${(lastEnd / 1000).toFixed(1)} s (bound ${bound / 1000} s), ${left} backend(s) left 2 s later`);
      ok &&= orphaned === JOBS && lastEnd <= bound && left === 0;
      break;
    }
    if (Date.now() - t0 > 120_000) throw new Error('abandoned jobs not final after 120 s');
    await sleep(500);
  }

  // 2. A herd of waiters, one still asked about.
  const key = `herd-${Date.now()}`;
  const leader = `${key}-lead`;
  const t1 = Date.now();
  await submit({ job_id: leader, args: [key, String(3 * ORPHAN_S)], max_age: 600 });
  await sleep(1000);
  const herd = Array.from({ length: WAITERS }, (_, i) => `${key}-${i}`);
  for (let i = 0; i < herd.length; i += 10) await Promise.all(herd.slice(i, i + 10).map((id) => submit({ job_id: id, args: [key, String(3 * ORPHAN_S)], max_age: 600 })));
  for (;;) {
    const polled = Date.now() - t1 < LEAVE_MS ? herd : herd.slice(0, 1);
    for (let i = 0; i < polled.length; i += 20) await Promise.all(polled.slice(i, i + 20).map(ask));
    const jobs = await world.app.store.getMany([leader, ...herd]);
    if (jobs.length === WAITERS + 1 && jobs.every(final)) {
      const lead = jobs.find((j) => j.job_id === leader)!;
      const kept = jobs.find((j) => j.job_id === herd[0])!;
      const cancelled = jobs.filter((j) => j.status === 'CANCELLED').length;
      console.log(`herd: leader ${lead.status} after ${((Date.parse(lead.finished_at!) - t1) / 1000).toFixed(1)} s, the polled waiter ${kept.status}${kept.reused_from ? ' (its result reused)' : ''}, ${cancelled} of the ${WAITERS - 1} others CANCELLED`);
      ok &&= lead.status === 'SUCCESS' && kept.status === 'SUCCESS' && cancelled === WAITERS - 1;
      break;
    }
    if (Date.now() - t1 > 180_000) throw new Error('the herd is not final after 180 s');
    await sleep(1000);
  }
  console.log(`worker invocations: ${workers.invocations()} (${[...workers.outcomes].map(([k, v]) => `${k} ${v}`).join(', ')})`);
  console.log(ok ? 'orphans: every figure within its bound' : 'orphans: a figure out of bounds (above)');
} finally {
  await workers.stop();
  await pools.end();
  await world.stop();
  await Promise.all([db.drop(), resDb.drop()]);
}
if (!ok) process.exitCode = 1;
