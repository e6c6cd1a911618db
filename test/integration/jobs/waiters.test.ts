/**
 * Coalesced waiters, the reuse copy and early messages, against DynamoDB Local,
 * fauxqs and a real PostgreSQL source and results database, through the real
 * worker path (runJob) and the real handlers:
 * - a waiter parks on its leader's run and costs no invocation until the leader's
 *   end releases it; `max_age` rides on every resend;
 * - the reuse copy runs under the lease and within the attempt's time, and a copy
 *   that is cancelled never touches a newer run's table (the reproduced defects);
 * - an early message of a cancelled or purged job stops instead of hopping.
 */
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { messageOf } from '../../../lib/jobs/jobMessage.js';
import { parseEta } from '../../../lib/jobs/parseEta.js';
import type { JobItem, JobMessage } from '../../../lib/jobs/types.js';
import { runJob, type RunOutcome } from '../../../lib/lifecycle/runJob.js';
import { sweepLeases } from '../../../lib/lifecycle/sweepLeases.js';
import { sweepOrphans } from '../../../lib/lifecycle/sweepOrphans.js';
import { sweepWaiting } from '../../../lib/lifecycle/sweepWaiting.js';
import { configToml, onePostgres, queue } from '../../support/configToml.js';
import { startHandlerWorld, type HandlerWorld } from '../../support/handlerWorld.js';
import { createTestDatabase, PG_ADMIN, type TestDatabase } from '../../support/testDatabases.js';
import { sleep, until } from '../../support/until.js';

const LEASE = { intervalMs: 500, leaseMs: 3_000 };

let db: TestDatabase;
let world: HandlerWorld;
let pools: DbPools;
/** Every message the product sent since the test began (the real sends still happen). */
const sent: JobMessage[] = [];

beforeAll(async () => {
  db = await createTestDatabase('postgres');
  const dsn = db.db().dsn;
  world = await startHandlerWorld({
    config: configToml({
      ...onePostgres(dsn, { resend_after: '2s' }),
      queues: { wq: queue(4, 60) },
    }),
    tasks: `
-- name: report
-- db: main
-- results: res
-- queue: wq
SELECT $1::text AS arg, g AS n FROM generate_series(1, 5) g, pg_sleep($2::float);

-- name: abandoned
-- db: main
-- results: res
-- queue: wq
-- orphan_after: 3s
SELECT $1::text AS arg, 'orphan-probe' AS probe, pg_sleep($2::float)::text AS slept;
`,
  });
  pools = createDbPools();
  const queueSend = world.app.queue.send.bind(world.app.queue);
  world.app.queue.send = (q, message, notBefore) => {
    sent.push(message);
    return queueSend(q, message, notBefore);
  };
}, 120_000);

afterAll(async () => {
  await pools?.end();
  await world?.stop();
  await db?.drop();
});

beforeEach(() => {
  sent.length = 0;
});

const deps = () => ({ ...world.app, pools, lease: LEASE, log: world.app.log });
const run = (message: JobMessage, remainingMs = 60_000): Promise<RunOutcome> => runJob(deps(), message, remainingMs);
let seq = 0;
const uid = (p: string) => `${p}-${++seq}-${Date.now().toString(36)}`;

async function submit(body: Record<string, unknown>, taskName = 'report'): Promise<JobItem> {
  const res = await world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName }, body: JSON.stringify(body) });
  expect(res.statusCode, res.body).toBe(200);
  return (await world.app.store.get((res.json?.data as { job_id: string }).job_id))!;
}
const job = async (id: string) => (await world.app.store.get(id))!;
const firstMessage = (item: JobItem): JobMessage => messageOf({ ...item, attempt: 0 });
/** A finished job whose result others may reuse. */
async function finishedTwin(args: string[]): Promise<JobItem> {
  const t = await submit({ job_id: uid('twin'), args });
  expect(await run(firstMessage(t))).toBe('success');
  return job(t.job_id);
}
/** Holds every other session off `table` (ACCESS EXCLUSIVE) until the returned function is called. */
async function lockTable(table: string): Promise<() => Promise<void>> {
  const c = new pg.Client({ ...PG_ADMIN, database: db.database });
  await c.connect();
  await c.query(`BEGIN; LOCK TABLE "${table}" IN ACCESS EXCLUSIVE MODE`);
  return async () => {
    await c.query('COMMIT');
    await c.end();
  };
}
const catalogOwner = async (table: string) => (await db.query('SELECT owner FROM sqljobber_catalog WHERE table_name = $1', [table]))[0]?.[0];
const tableExists = async (table: string) => (await db.query('SELECT to_regclass($1)::text', [`"${table}"`]))[0]?.[0] !== null;

describe('early messages (ETAs beyond SQS\'s delay)', () => {
  it.each(['cancel', 'purge'])('a job far in the future, %s: its next hop reads the job and stops', async (how) => {
    const item = await submit({ job_id: uid('eta'), args: ['eta', '0'], eta: '2999-12-31 23:59:59' });
    const early = { ...firstMessage(item), not_before: parseEta('2999-12-31 23:59:59') };
    sent.length = 0;
    // Waiting, it hops (a message that arrives later), as before.
    expect(await run(early)).toBe('hop');
    expect(sent).toHaveLength(1);
    const del = await world.request('DELETE /jobs/{jobID}', { pathParameters: { jobID: item.job_id }, ...(how === 'purge' ? { queryStringParameters: { purge: 'true' } } : {}) });
    expect(del.statusCode, del.body).toBe(200);
    if (how === 'purge') {
      // A purge of a finished job: cancel first, then purge the finished record.
      const again = await world.request('DELETE /jobs/{jobID}', { pathParameters: { jobID: item.job_id }, queryStringParameters: { purge: 'true' } });
      expect([200, 404]).toContain(again.statusCode);
    }
    sent.length = 0;
    expect(await run(early)).toBe('skipped');
    expect(sent).toEqual([]);
  });
});

describe('coalesced waiters', () => {
  it('park on the leader and cost no invocation until its end releases them; each then reuses its result', async () => {
    const args = [uid('co'), '2'];
    const leader = await submit({ job_id: uid('lead'), args, max_age: 300 });
    const leading = run(firstMessage(leader));
    await sleep(300);
    const waiters = await Promise.all([1, 2, 3].map((i) => submit({ job_id: uid(`w${i}`), args, max_age: 300 })));
    sent.length = 0;
    // Each waiter's message parks it: no message of its own comes back while the leader runs.
    expect(await Promise.all(waiters.map((w) => run(firstMessage(w))))).toEqual(['wait', 'wait', 'wait']);
    for (const w of waiters) expect(await job(w.job_id)).toMatchObject({ status: 'PENDING', waits_for: `${leader.job_id}#${leader.run_id}` });
    expect(sent).toEqual([]);
    // The sweeper leaves a parked waiter alone (its backstop is the leader's timeout).
    expect(await sweepWaiting(deps(), Date.now() + 10_000)).toMatchObject({ resent: 0 });
    expect(await leading).toBe('success');
    // The leader's end released each waiter once, carrying max_age.
    expect(sent.map((m) => m.job_id).sort()).toEqual(waiters.map((w) => w.job_id).sort());
    expect(sent.every((m) => m.max_age === 300)).toBe(true);
    const outcomes = await Promise.all(sent.map((m) => run(m)));
    expect(outcomes).toEqual(['success', 'success', 'success']);
    for (const w of waiters) {
      const done = await job(w.job_id);
      expect(done).toMatchObject({ status: 'SUCCESS', reused_from: leader.job_id, count: 5, attempt: 1 });
      expect(done.waits_for).toBeUndefined();
    }
  });

  it('a waiter whose leader is cancelled is released and runs on its own', async () => {
    const args = [uid('cx'), '30'];
    const leader = await submit({ job_id: uid('lead'), args, max_age: 300 });
    const leading = run(firstMessage(leader));
    await sleep(500);
    const w = await submit({ job_id: uid('w'), args: [args[0]!, '30'], max_age: 300 });
    expect(await run(firstMessage(w))).toBe('wait');
    sent.length = 0;
    expect((await world.request('DELETE /jobs/{jobID}', { pathParameters: { jobID: leader.job_id } })).statusCode).toBe(200);
    expect(sent.map((m) => m.job_id)).toEqual([w.job_id]);
    expect(await leading).toBe('lost');
    // Released, it takes the query over (and is itself cancelled here, to keep the test short).
    expect((await job(w.job_id)).waits_for).toBeUndefined();
    expect((await world.request('DELETE /jobs/{jobID}', { pathParameters: { jobID: w.job_id } })).statusCode).toBe(200);
  });

  it('max_age survives the lost-message resend and the lease takeover: the resent message still looks for a twin', async () => {
    const a = await submit({ job_id: uid('lost'), args: [uid('rs'), '0'], max_age: 300, retries: 2 });
    sent.length = 0;
    // Its first message was lost: the sweeper resends it once overdue.
    await sweepWaiting(deps(), Date.now() + 5_000);
    const mine = () => sent.filter((m) => m.job_id === a.job_id);
    expect(mine()).toEqual([expect.objectContaining({ job_id: a.job_id, max_age: 300 })]);
    // Its worker dies holding the lease: the sweeper takes it back and sends it again.
    const claimed = (await world.app.store.claim(mine()[0]!, Date.now() + 100))!;
    sent.length = 0;
    await sleep(200);
    await sweepLeases(deps());
    expect(mine()).toEqual([expect.objectContaining({ job_id: a.job_id, attempt: claimed.attempt, max_age: 300 })]);
    expect((await world.request('DELETE /jobs/{jobID}', { pathParameters: { jobID: a.job_id } })).statusCode).toBe(200);
  });
});

describe('the reuse copy', () => {
  it('runs under the lease: a copy longer than the lease keeps its job, and the sweeper does not take it back', async () => {
    const args = [uid('long'), '0'];
    const twin = await finishedTwin(args);
    const j = await submit({ job_id: uid('copy'), args, max_age: 300 });
    const unlock = await lockTable(twin.results_table!);
    const copying = run(firstMessage(j));
    // The copy waits on the lock for three leases' worth; the sweeper looks meanwhile.
    for (let i = 0; i < 10; i++) {
      await sleep(450);
      expect(await sweepLeases(deps())).toMatchObject({ retried: 0, failed: 0 });
    }
    await unlock();
    expect(await copying).toBe('success');
    expect(await job(j.job_id)).toMatchObject({ status: 'SUCCESS', reused_from: twin.job_id, attempt: 1, count: 5 });
    expect(await catalogOwner(`results_${j.job_id}`)).toBe(`${j.run_id}#1`);
  });

  it('stays within the attempt\'s time: a copy that cannot finish in it is stopped and the attempt fails with the reason', async () => {
    const args = [uid('slow'), '0'];
    const twin = await finishedTwin(args);
    const j = await submit({ job_id: uid('copy'), args, max_age: 300, retries: 0 });
    const unlock = await lockTable(twin.results_table!);
    const started = Date.now();
    // 7 s left in the function: 2 s for the attempt once the safety margin is kept.
    expect(await run(firstMessage(j), 7_000)).toBe('failure');
    expect(Date.now() - started).toBeLessThan(5_000);
    await unlock();
    expect((await job(j.job_id)).error).toMatch(/^timed out after 2 s copying the result of job/);
    expect(await tableExists(`results_${j.job_id}`)).toBe(false);
  });

  it('cancelled during its copy, then resubmitted under the same ID: the stale copy never touches the new run, and a purge leaves nothing', async () => {
    const args = [uid('stale'), '0'];
    const twin = await finishedTwin(args);
    const id = uid('same');
    const first = await submit({ job_id: id, args, max_age: 300 });
    const unlock = await lockTable(twin.results_table!);
    const copying = run(firstMessage(first));
    await sleep(500);
    expect((await world.request('DELETE /jobs/{jobID}', { pathParameters: { jobID: id } })).statusCode).toBe(200);
    // The same ID again, other args: it runs its own query while the old copy would still wait on the lock.
    const second = await submit({ job_id: id, args: ['new run', '0'] });
    expect(await run(firstMessage(second))).toBe('success');
    await unlock();
    expect(await copying).toBe('lost');
    await sleep(300);
    const table = `results_${id}`;
    const now = await job(id);
    expect(now).toMatchObject({ status: 'SUCCESS', run_id: second.run_id });
    expect(now.reused_from).toBeUndefined();
    expect(await catalogOwner(table)).toBe(`${second.run_id}#1`);
    expect(await db.query(`SELECT DISTINCT arg FROM "${table}"`)).toEqual([['new run']]);
    const purged = await world.request('DELETE /jobs/{jobID}', { pathParameters: { jobID: id }, queryStringParameters: { purge: 'true' } });
    expect(purged.json?.data).toMatchObject({ status: 'PURGED' });
    expect(await tableExists(table)).toBe(false);
    expect(await catalogOwner(table)).toBeUndefined();
  });
});

describe('orphan cancel (orphan_after = 3s)', () => {
  const status = (id: string) => world.request('GET /jobs/{jobID}', { pathParameters: { jobID: id } });
  const probes = async () => Number((await db.query(`SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%orphan-probe%' AND state = 'active' AND pid <> pg_backend_pid()`))[0]![0]);

  it('running jobs whose clients stop asking are cancelled, with the reason, and their queries killed', async () => {
    const jobs = await Promise.all([1, 2, 3, 4, 5].map((i) => submit({ job_id: uid(`gone${i}`), args: ['gone', '60'] }, 'abandoned')));
    const runs = jobs.map((j) => run(firstMessage(j)));
    // The clients ask until every query runs, and a moment more, then leave.
    const ask = () => Promise.all(jobs.map(async (j) => expect((await status(j.job_id)).json?.data).toMatchObject({ status: expect.stringMatching(/^(PENDING|STARTED)$/) })));
    await until('every job running', async () => (await ask(), (await Promise.all(jobs.map((j) => job(j.job_id)))).every((x) => x.status === 'STARTED') && (await probes()) >= 1), { everyMs: 300, timeoutMs: 15_000 });
    await ask();
    const left = Date.now();
    expect(await Promise.all(runs)).toEqual(['lost', 'lost', 'lost', 'lost', 'lost']);
    expect(Date.now() - left).toBeLessThan(6_000);
    for (const j of jobs) expect(await job(j.job_id)).toMatchObject({ status: 'CANCELLED', error: 'orphaned: nobody asked for it in 3s' });
    await until('no query left on the source', async () => (await probes()) === 0, { timeoutMs: 3_000 });
  });

  it('coalesced waiters: the one still asked about keeps the leader alive and gets its result; the others are cancelled', async () => {
    const args = [uid('herd'), '3'];
    const leader = await submit({ job_id: uid('lead'), args, max_age: 300 }, 'abandoned');
    const leading = run(firstMessage(leader));
    await sleep(200);
    const [kept, ...left] = await Promise.all([1, 2, 3].map((i) => submit({ job_id: uid(`h${i}`), args, max_age: 300 }, 'abandoned')));
    expect(await Promise.all([kept!, ...left].map((w) => run(firstMessage(w))))).toEqual(['wait', 'wait', 'wait']);
    sent.length = 0;
    // Only one client keeps asking, about its waiter: the leader lives past its own orphan_after.
    let done = false;
    void leading.finally(() => (done = true));
    while (!done) {
      expect((await status(kept!.job_id)).statusCode).toBe(200);
      await sleep(300);
    }
    expect(await leading).toBe('success');
    expect(await Promise.all(sent.map((m) => run(m)))).toHaveLength(3);
    expect(await job(kept!.job_id)).toMatchObject({ status: 'SUCCESS', reused_from: leader.job_id });
    for (const w of left) expect(await job(w.job_id)).toMatchObject({ status: 'CANCELLED', error: 'orphaned: nobody asked for it in 3s' });
  });

  it('the sweeper cancels waiting orphans: a job in its queue and parked waiters, never the leader or a waiter still asked about; then the leader once its last asker is gone', async () => {
    const args = [uid('park'), '60'];
    const leader = await submit({ job_id: uid('lead'), args, max_age: 300 }, 'abandoned');
    const leading = run(firstMessage(leader));
    await sleep(200);
    const [kept, ...left] = await Promise.all([1, 2, 3].map((i) => submit({ job_id: uid(`p${i}`), args, max_age: 300 }, 'abandoned')));
    expect(await Promise.all([kept!, ...left].map((w) => run(firstMessage(w))))).toEqual(['wait', 'wait', 'wait']);
    // A job whose message nobody runs yet (a busy queue): no worker ever looks at it.
    const queued = await submit({ job_id: uid('queued'), args: ['q', '0'] }, 'abandoned');
    expect(await sweepOrphans(deps())).toEqual({ cancelled: 0 });
    sent.length = 0;
    // One client asks about its waiter (and so about the leader); the others left.
    let asking = true;
    const asker = (async () => {
      while (asking) {
        expect((await status(kept!.job_id)).statusCode).toBe(200);
        await sleep(300);
      }
    })();
    let swept = 0;
    await until('the forgotten waiters and the queued job cancelled', async () => (swept += (await sweepOrphans(deps())).cancelled) >= 3, { everyMs: 300, timeoutMs: 10_000 });
    expect(swept).toBe(3);
    for (const j of [...left, queued]) expect(await job(j.job_id)).toMatchObject({ status: 'CANCELLED', error: 'orphaned: nobody asked for it in 3s' });
    for (const j of [...left, queued]) expect((await job(j.job_id)).orphan_shard).toBeUndefined();
    // The leader runs on, and the waiter still asked about stays parked on it.
    expect(await job(leader.job_id)).toMatchObject({ status: 'STARTED' });
    expect(await job(kept!.job_id)).toMatchObject({ status: 'PENDING', waits_for: `${leader.job_id}#${leader.run_id}` });
    // Asking moved its place in the orphans index: the sweeper does not read it again and again.
    expect((await job(kept!.job_id)).orphan_at).toBeGreaterThan(kept!.orphan_at!);
    expect(await probes()).toBe(1);
    // The last asker leaves: the leader is an orphan too, its query killed; the sweeper takes its last waiter.
    asking = false;
    await asker;
    expect(await leading).toBe('lost');
    expect(await job(leader.job_id)).toMatchObject({ status: 'CANCELLED', error: 'orphaned: nobody asked for it in 3s' });
    await until('the last waiter cancelled', async () => (await sweepOrphans(deps()), (await job(kept!.job_id)).status === 'CANCELLED'), { everyMs: 300, timeoutMs: 6_000 });
    await until('no query left on the source', async () => (await probes()) === 0, { timeoutMs: 3_000 });
    // Nothing was sent for a waiter cancelled while parked.
    expect(sent.filter((m) => left.some((w) => w.job_id === m.job_id))).toEqual([]);
  });
});
