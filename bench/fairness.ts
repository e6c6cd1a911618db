/**
 * Fairness benchmark (not a test): `npx tsx bench/fairness.ts [aJobs] [otherTenants] [perTenant]`.
 *
 * Starts the local stack with one queue of concurrency 10, tenant_concurrency 2 and
 * tenant_max_queued = aJobs, and a `pg_sleep(1)` task. Tenant A submits aJobs jobs
 * (default 1,000), the last at priority 9; one second later tenants B..J (default 9
 * tenants) submit 5 jobs each. pg_stat_activity is sampled every 100 ms: each run's
 * application_name carries its job ID, hence its tenant. Prints the most queries one
 * tenant ran at once (<= 2), the most in all (<= 10), every B..J job's start delay
 * and how many of A's jobs still waited then (> 900), whether A's priority-9 job
 * started before A's remaining priority-0 ones, what A's next submit past
 * tenant_max_queued got (429), then cancels the rest and checks that nothing was
 * lost: every job SUCCESS or CANCELLED, every admission counter back at zero.
 * Stops everything it started, also on Ctrl-C.
 */
import pg from 'pg';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { RUN_TAG_PREFIX } from '../lib/db/port/dialect.js';
import { scopeId, tenantTag } from '../lib/identity/tenantScope.js';
import { slotKey, tenantCounterKey } from '../lib/jobs/admission.js';
import { FINAL_STATES, type JobItem } from '../lib/jobs/types.js';
import { sleep } from '../scripts/stack/awsLocal.js';
import { BENCH_PG_ADMIN, startBenchStack } from './benchStack.js';

const A_JOBS = Number(process.argv[2] ?? 1000);
const OTHER_TENANTS = Number(process.argv[3] ?? 9);
const PER_TENANT = Number(process.argv[4] ?? 5);
const CONCURRENCY = 10;
const TENANT_CONCURRENCY = 2;
const IN_FLIGHT = 4;

const tenants = ['a', ...Array.from({ length: OTHER_TENANTS }, (_, i) => String.fromCharCode(98 + i))];
/** The warm-up's tenants (see main). */
const WARM_TENANTS = Array.from({ length: 5 }, (_, i) => `warm${i}`);
/** Every tenant the bench submits as: its per-tenant figures and counters cover each. */
const ALL_TENANTS = [...tenants, ...WARM_TENANTS];
const tenantName = (t: string) => `tenant-${t}`;
const aId = (i: number) => `a-${String(i).padStart(4, '0')}`;

async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)]!;
};

async function main() {
  const bench = await startBenchStack({
    name: 'fair',
    tasks: `-- name: nap\n-- queue: fair\nSELECT pg_sleep(1) AS slept;\n`,
    config: (dsn) =>
      `[app]\nlog_level = "ERROR"\n\n[db.pg]\ntype = "postgres"\ndsn = "${dsn}"\nmax_active = 12\n\n[results.res]\ntype = "postgres"\ndsn = "${dsn}"\nmax_active = 12\n\n` +
      `[queues.fair]\nconcurrency = ${CONCURRENCY}\ntenant_concurrency = ${TENANT_CONCURRENCY}\ntenant_max_queued = ${A_JOBS}\ntimeout = 60\n`,
  });
  const { stack, aws, database } = bench;
  const url = stack.url;
  const problems: string[] = [];
  try {
    console.log(`stack up in ${bench.startMs} ms; queue concurrency ${CONCURRENCY}, tenant_concurrency ${TENANT_CONCURRENCY}, tenant_max_queued ${A_JOBS}`);

    // Sample pg_stat_activity every 100 ms: the running task queries, by job (application_name: "sql-jobber <random> <tag>~<job id>").
    const watcher = new pg.Client({ ...BENCH_PG_ADMIN, database });
    await watcher.connect();
    bench.onStop(() => watcher.end());
    const tagToTenant = new Map(ALL_TENANTS.map((t) => [tenantTag(tenantName(t)), t]));
    const firstSeen = new Map<string, number>();
    let maxTotal = 0;
    const maxPerTenant = new Map<string, number>();
    let samples = 0;
    const series: [number, number][] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const res = await watcher.query<{ application_name: string }>(
          `SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1 AND state = 'active' AND query LIKE '%pg_sleep%'`,
          [`${RUN_TAG_PREFIX}%`],
        );
        const now = Date.now();
        series.push([now, res.rows.length]);
        samples++;
        maxTotal = Math.max(maxTotal, res.rows.length);
        const per = new Map<string, number>();
        for (const r of res.rows) {
          const scoped = r.application_name.slice(RUN_TAG_PREFIX.length).split(' ')[1] ?? '';
          const [tag, id] = scoped.split('~');
          const tenant = tagToTenant.get(tag ?? '') ?? '?';
          per.set(tenant, (per.get(tenant) ?? 0) + 1);
          if (id && !firstSeen.has(`${tenant}/${id}`)) firstSeen.set(`${tenant}/${id}`, now);
        }
        for (const [t, n] of per) maxPerTenant.set(t, Math.max(maxPerTenant.get(t) ?? 0, n));
        await sleep(100);
      }
    })();

    const submit = async (tenant: string, id: string, extra: Record<string, unknown> = {}) => {
      const res = await fetch(`${url}/tasks/nap/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tenant-id': tenantName(tenant) },
        body: JSON.stringify({ job_id: id, ...extra }),
      });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() };
    };

    // Warm-up: one job per slot (WARM_TENANTS, two each) first, so that each of the queue's ten worker instances
    // exists before the measure. A burst of cold starts is not what this bench measures: serverless offline starts an
    // instance per concurrent run, a worker thread that takes seconds on this machine's shared cores (in AWS a few
    // hundred ms), and it keeps an idle one for 60 s, longer than the phases below take.
    const tWarm = performance.now();
    const warm = Array.from({ length: CONCURRENCY }, (_, i) => ({ t: WARM_TENANTS[i % WARM_TENANTS.length]!, id: `w-${i}` }));
    await Promise.all(
      warm.map(async ({ t, id }) => {
        const r = await submit(t, id);
        if (r.status !== 200) problems.push(`warm-up submit ${id}: ${r.status} ${r.text}`);
        const res = await fetch(`${url}/jobs/${id}?wait=20`, { headers: { 'x-tenant-id': tenantName(t) } });
        const body = (await res.json()) as { data?: { status?: string } };
        if (body.data?.status !== 'SUCCESS') problems.push(`warm-up job ${id}: ${JSON.stringify(body)}`);
      }),
    );
    console.log(`warm-up: ${CONCURRENCY} jobs of ${WARM_TENANTS.length} tenants ran in ${Math.round(performance.now() - tWarm)} ms`);

    // Tenant A: aJobs jobs, the last at priority 9.
    const tA = performance.now();
    const aIds = Array.from({ length: A_JOBS }, (_, i) => aId(i));
    await pool(aIds.slice(0, -1), IN_FLIGHT, async (id) => {
      const r = await submit('a', id);
      if (r.status !== 200) problems.push(`submit ${id}: ${r.status} ${r.text}`);
    });
    const p9 = aIds.at(-1)!;
    const r9 = await submit('a', p9, { priority: 9 });
    const p9SubmittedAt = Date.now();
    if (r9.status !== 200) problems.push(`submit ${p9}: ${r9.status} ${r9.text}`);
    const submitMs = performance.now() - tA;
    console.log(`tenant a: ${A_JOBS} jobs submitted in ${Math.round(submitMs)} ms (${(A_JOBS / (submitMs / 1000)).toFixed(0)} submits/s), the last (${p9}) at priority 9`);

    // A's next submits: each accepted one takes the place of one of A's admitted since; past tenant_max_queued, 429.
    let extra = 0;
    let refused: Awaited<ReturnType<typeof submit>> | undefined;
    for (; extra < A_JOBS; extra++) {
      const r = await submit('a', `a-extra-${extra}`);
      if (r.status === 429) {
        refused = r;
        break;
      }
      if (r.status !== 200) problems.push(`submit a-extra-${extra}: ${r.status} ${r.text}`);
    }
    if (!refused) problems.push('no 429 for tenant a past tenant_max_queued');
    console.log(`tenant a's next submit past tenant_max_queued: ${refused ? `${refused.status} ${JSON.parse(refused.text).code}, Retry-After ${refused.retryAfter} s` : 'never refused'} (after ${extra} accepted in the places of a's admitted jobs)`);

    // One second later: B..J submit PER_TENANT jobs each.
    await sleep(1000);
    const others = tenants.slice(1).flatMap((t) => Array.from({ length: PER_TENANT }, (_, i) => ({ t, id: `${t}-${i}` })));
    const submittedAt = new Map<string, number>();
    await pool(others, IN_FLIGHT, async ({ t, id }) => {
      submittedAt.set(`${t}/${id}`, Date.now());
      const r = await submit(t, id);
      if (r.status !== 200) problems.push(`submit ${id}: ${r.status} ${r.text}`);
    });
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && !others.every(({ t, id }) => firstSeen.has(`${t}/${id}`))) await sleep(100);
    const lastOtherStart = Math.max(...others.map(({ t, id }) => firstSeen.get(`${t}/${id}`) ?? Infinity));
    const aStartedBy = (ms: number) => [...firstSeen.entries()].filter(([k, v]) => k.startsWith('a/') && v <= ms).length;
    const aWaiting = A_JOBS + extra - aStartedBy(lastOtherStart);
    const delays = others.map(({ t, id }) => (firstSeen.get(`${t}/${id}`) ?? Infinity) - submittedAt.get(`${t}/${id}`)!);

    // A's priority 9 against its priority 0 jobs.
    while (Date.now() < deadline && !firstSeen.has(`a/${p9}`)) await sleep(100);
    const p9At = firstSeen.get(`a/${p9}`);
    const zeroStarts = aIds.slice(0, -1).map((id) => firstSeen.get(`a/${id}`) ?? Infinity);
    // Between its submit and its start, only jobs admitted before it came may start: those holding a's slots, and one hand-over that read a's list just before.
    const zerosBetween = zeroStarts.filter((t) => t > p9SubmittedAt && t < (p9At ?? Infinity)).length;
    const zerosAfter = zeroStarts.filter((t) => t > (p9At ?? Infinity)).length;
    sampling = false;
    await sampler;

    console.log(`samples: ${samples} (every 100 ms)`);
    console.log(`max running per tenant: ${[...maxPerTenant.entries()].sort().map(([t, n]) => `${t}=${n}`).join(' ')} (limit ${TENANT_CONCURRENCY})`);
    console.log(`max running in all: ${maxTotal} (limit ${CONCURRENCY})`);
    console.log(
      `start delay of tenants b..${tenants.at(-1)}'s ${others.length} jobs: median ${median(delays)} ms, max ${Math.max(...delays)} ms, min ${Math.min(...delays)} ms (limit 6000); tenant a still had ${aWaiting} waiting when the last of them started (must be > 900)`,
    );
    console.log(
      `a's priority-9 job started ${p9At === undefined ? 'never' : `${p9At - p9SubmittedAt} ms after its submit; a's priority-0 jobs started in between: ${zerosBetween} (admitted before it came, at most ${TENANT_CONCURRENCY + 1}); still waiting then: ${zerosAfter}`}`,
    );
    // Slots left empty while b..j jobs waited: samples from the first b..j submit to the last b..j start.
    const firstOtherSubmit = Math.min(...submittedAt.values());
    const window = series.filter(([at]) => at >= firstOtherSubmit && at <= lastOtherStart);
    const emptySlots = window.reduce((sum, [, n]) => sum + (CONCURRENCY - n), 0);
    console.log(
      `while b..${tenants.at(-1)} waited (${window.length} samples): running ${window.map(([, n]) => n).join(' ')}; empty slot-samples ${emptySlots} (${((100 * emptySlots) / Math.max(1, window.length * CONCURRENCY)).toFixed(1)} %)`,
    );
    const slowest = others
      .map(({ t, id }) => ({ id, submit: submittedAt.get(`${t}/${id}`)! - firstOtherSubmit, start: (firstSeen.get(`${t}/${id}`) ?? Infinity) - firstOtherSubmit }))
      .sort((x, y) => y.start - y.submit - (x.start - x.submit))
      .slice(0, 8);
    console.log(`slowest b..${tenants.at(-1)} starts (ms from the first b..${tenants.at(-1)} submit): ${slowest.map((j) => `${j.id} submitted ${j.submit} started ${j.start}`).join('; ')}`);
    if ([...maxPerTenant.values()].some((n) => n > TENANT_CONCURRENCY)) problems.push('a tenant ran more than tenant_concurrency');
    if (maxTotal > CONCURRENCY) problems.push('the queue ran more than its concurrency');
    if (Math.max(...delays) > 6000) problems.push('a b..j job started more than 6 s after its submit');
    if (A_JOBS >= 1000 && aWaiting <= 900) problems.push('tenant a had 900 or fewer waiting');
    if (p9At === undefined || zerosBetween > TENANT_CONCURRENCY + 1) problems.push("a's priority-9 job did not start before a's remaining priority-0 jobs");

    // Cancel the rest, then: nothing lost.
    const allA = [...aIds, ...Array.from({ length: extra }, (_, i) => `a-extra-${i}`)];
    const tCancel = performance.now();
    let cancelled = 0;
    await pool(allA, IN_FLIGHT, async (id) => {
      const res = await fetch(`${url}/jobs/${id}`, { method: 'DELETE', headers: { 'x-tenant-id': tenantName('a') } });
      if (res.status === 200) cancelled++;
      await res.arrayBuffer();
    });
    console.log(`cancelled ${cancelled} of a's jobs in ${Math.round(performance.now() - tCancel)} ms`);
    const scoped = [...allA.map((id) => scopeId(tenantName('a'), id)), ...others.map(({ t, id }) => scopeId(tenantName(t), id))];
    let items: JobItem[] = [];
    const endBy = Date.now() + 120_000;
    while (Date.now() < endBy) {
      items = await aws.store.getMany(scoped);
      if (items.length === scoped.length && items.every((j) => FINAL_STATES.includes(j.status))) break;
      await sleep(500);
    }
    const byStatus = new Map<string, number>();
    for (const j of items) byStatus.set(j.status, (byStatus.get(j.status) ?? 0) + 1);
    const othersDone = items.filter((j) => !j.job_id.includes(`~a-`) && j.status === 'SUCCESS').length;
    console.log(`jobs: ${scoped.length} submitted, ${items.length} found; ${[...byStatus.entries()].map(([s, n]) => `${s} ${n}`).join(', ')}; b..j SUCCESS ${othersDone}/${others.length}`);
    if (items.length !== scoped.length || items.some((j) => !['SUCCESS', 'CANCELLED'].includes(j.status))) problems.push('a job was lost or did not end SUCCESS/CANCELLED');
    if (othersDone !== others.length) problems.push('a b..j job did not succeed');
    // Where the time went, from the records. A slot's hand-over: each start takes the slot of the earliest end not yet
    // taken (a start with none before it filled a slot that had been empty); from that end's final write to this claim,
    // then from the claim to the query on the server (100 ms samples), and each run past its 1 s sleep.
    const ms = (iso: string | undefined) => (iso === undefined ? NaN : Date.parse(iso.endsWith('Z') ? iso : `${iso.replace(' ', 'T')}Z`));
    const ran = items.filter((j) => j.started_at !== undefined && j.finished_at !== undefined && j.status === 'SUCCESS');
    const events = ran.flatMap((j) => [{ at: ms(j.started_at), start: true }, { at: ms(j.finished_at), start: false }]).sort((a, b) => a.at - b.at);
    const freed: number[] = [];
    const handOver: number[] = [];
    for (const e of events) {
      if (!e.start) freed.push(e.at);
      else if (freed.length > 0) handOver.push(e.at - freed.shift()!);
    }
    const seenAt = (j: JobItem) => firstSeen.get(`${tagToTenant.get(j.job_id.split('~')[0] ?? '') ?? '?'}/${j.job_id.split('~')[1]}`) ?? NaN;
    const part = (label: string, xs: number[]) => `${label}: median ${Math.round(median(xs.filter(Number.isFinite)))} ms, max ${Math.round(Math.max(...xs.filter(Number.isFinite)))} ms`;
    console.log(
      `per job (${ran.length} that ran): ${[
        part("an end's final write to the next claim", handOver),
        part('claim to query on the server', ran.map((j) => seenAt(j) - ms(j.started_at))),
        part('run past the 1 s sleep (claim to final write)', ran.map((j) => ms(j.finished_at) - ms(j.started_at) - 1000)),
      ].join('; ')}`,
    );
    const counters = await Promise.all(
      [slotKey('fair', 0), ...ALL_TENANTS.map((t) => tenantCounterKey('fair', tenantTag(tenantName(t))))].map(async (pk) => {
        const out = await aws.ddb.send(new GetCommand({ TableName: stack.table, Key: { pk }, ConsistentRead: true }));
        return { pk, running: Number(out.Item?.running ?? 0), waiting: Number(out.Item?.waiting ?? 0) };
      }),
    );
    const leaked = counters.filter((c) => c.running !== 0 || c.waiting !== 0);
    console.log(`admission counters back at zero: ${leaked.length === 0 ? 'yes' : `no: ${JSON.stringify(leaked)}`}`);
    if (leaked.length > 0) problems.push('admission counters leaked');
  } finally {
    await bench.stop();
  }
  if (problems.length > 0) {
    console.log(`FAILED:\n  ${problems.slice(0, 20).join('\n  ')}`);
    process.exitCode = 1;
  } else console.log('every property held');
}

await main();
