/**
 * Coalescing under a herd (not a test): `npx tsx bench/coalescing.ts [jobs=100] [leaderSeconds=30] [rounds=1]`.
 *
 * `jobs` identical jobs with `max_age` arrive while the first of them (the leader)
 * runs a `leaderSeconds` query on a real PostgreSQL; the queue's workers run the
 * product's worker path on the real messages (DynamoDB Local, fauxqs). Waiters
 * park on the leader and its end releases them, so the whole herd costs one
 * source query and about two worker invocations per job (target: 1 query, at
 * most 300 invocations for 100 jobs). Prints the counts of each round, then the
 * median and spread over the rounds.
 */
import { createDbPools } from '../lib/db/createDbPools.js';
import { configToml, queue } from '../test/support/configToml.js';
import { startHandlerWorld } from '../test/support/handlerWorld.js';
import { createTestDatabase } from '../test/support/testDatabases.js';
import { median, startWorkers } from './workerLoop.js';

const JOBS = Number(process.argv[2] ?? 100);
const LEADER_S = Number(process.argv[3] ?? 30);
const ROUNDS = Number(process.argv[4] ?? 1);

const db = await createTestDatabase('postgres', 'sqljobber_bench');
const dsn = db.db().dsn;
const world = await startHandlerWorld({
  config: configToml({
    app: { default_job_ttl: '1h' },
    db: { main: { type: 'postgres', dsn, max_active: 12 } },
    results: { res: { type: 'postgres', dsn, max_active: 12 } },
    queues: { herd: queue(10, 120) },
  }),
  tasks: `
-- name: report
-- db: main
-- results: res
-- queue: herd
SELECT $1::text AS arg, g AS n, 'herd-probe' AS probe FROM generate_series(1, 100) g, pg_sleep($2::float);
`,
});
const pools = createDbPools();
const invocations: number[] = [];
const queries: number[] = [];
const seconds: number[] = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const workers = startWorkers(world, pools, 'herd', 10);
    const key = `herd-${round}-${Date.now()}`;
    const started = Date.now();
    const ids: string[] = [];
    const submit = async (i: number) => {
      const res = await world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName: 'report' }, body: JSON.stringify({ job_id: `${key}-${i}`, args: [key, String(LEADER_S)], max_age: 600 }) });
      if (res.statusCode !== 200) throw new Error(res.body);
      ids.push(`${key}-${i}`);
    };
    await submit(0);
    // The herd arrives over the first seconds of the leader's run.
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 1; i < JOBS; i += 10) await Promise.all(Array.from({ length: Math.min(10, JOBS - i) }, (_, k) => submit(i + k)));
    for (;;) {
      const jobs = await world.app.store.getMany(ids);
      if (jobs.length === JOBS && jobs.every((j) => ['SUCCESS', 'FAILURE', 'CANCELLED'].includes(j.status))) {
        const ran = jobs.filter((j) => j.status === 'SUCCESS' && j.reused_from === undefined).length;
        const bad = jobs.filter((j) => j.status !== 'SUCCESS').length;
        await workers.stop();
        const n = workers.invocations();
        invocations.push(n);
        queries.push(ran);
        seconds.push((Date.now() - started) / 1000);
        console.log(
          `round ${round}: ${JOBS} jobs, ${ran} source query(ies), ${n} worker invocations (${[...workers.outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}), ${bad} not SUCCESS, ${seconds.at(-1)!.toFixed(1)} s`,
        );
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const inv = median(invocations);
  const q = median(queries);
  console.log(`coalescing: ${JOBS} identical jobs, leader ${LEADER_S} s, ${ROUNDS} round(s)`);
  console.log(`  source queries: median ${q.median} (${q.min}..${q.max}); target 1`);
  console.log(`  worker invocations: median ${inv.median} (${inv.min}..${inv.max}); target at most ${3 * JOBS}`);
} finally {
  await pools.end();
  await world.stop();
  await db.drop();
}
