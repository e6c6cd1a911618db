/**
 * `npm run bench [name ...] [-- args]`: runs benchmarks (not tests), each in a
 * process of its own, one after the other, each printing its figures. Without a
 * name it runs them all with their default sizes (several minutes); `--list` lists
 * them. Arguments after `--` go to a single named benchmark:
 *
 *   npm run bench                    # all of them
 *   npm run bench -- latency         # one
 *   npm run bench -- load -- 2000 32 # one, with its own arguments
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BENCHMARKS: Record<string, { file: string; what: string }> = {
  awsCalls: { file: 'awsCalls.bench.ts', what: 'AWS calls to submit and to run a job (target: at most 2 and 4)' },
  latency: { file: 'latency.bench.ts', what: 'POST then GET ?wait=5 to SUCCESS of a trivial job under the local stack (targets: p50 0.1 s, p99 0.3 s over 200 jobs); [jobs]' },
  groupSubmit: { file: 'groupSubmit.bench.ts', what: 'POST /groups with 1,000 trivial members under the local stack, and a 10,000-member group refused (target: median at most 1.5 s); [members] [rounds]' },
  bundleSizes: { file: 'bundleSizes.ts', what: "each function's zipped code package (targets: API 500 KB, workers 1.5 MB); [config.toml]" },
  enginePipes: {
    file: 'enginePipes.bench.ts',
    what: "runTask on pg->pg, mysql->mysql and the cross routes against the psql/mariadb clients' own pipes, its peak memory, then each route end to end through the local stack with a per-phase breakdown; [rows] [rounds] [routes] [--cpu-prof] [--no-e2e]",
  },
  typedRoutes: { file: 'typedRoutes.bench.ts', what: 'runTask on each route, typed columns (bytes, JSON, arrays, times, NaN) against plain ones (target: within 1.5x); [rows] [rounds]' },
  longPoll: { file: 'longPoll.bench.ts', what: '1,000 clients waiting for a 10 s report: invocations, reads and cost of 1 s polling against ?wait=20; [clients] [reportSeconds]' },
  fairness: {
    file: 'fairness.ts',
    what: 'admission: tenant a submits 1,000 pg_sleep(1) jobs (the last at priority 9), b..j 5 each: per-tenant and queue caps, start delays, priority, 429, nothing lost; [aJobs] [otherTenants] [perTenant]',
  },
  load: { file: 'load.ts', what: 'N jobs through the HTTP API with duplicate deliveries: throughput, latency, lost/twice; [jobs] [clientConcurrency]' },
  tracing: { file: 'tracing.ts', what: 'POST to SUCCESS of a trivial job with tracing off and on (OTLP export), interleaved rounds; [rounds] [jobsPerRound]' },
  recentJobs: { file: 'recentJobs.bench.ts', what: "GET /jobs listing: time and index reads of first, filtered and full pages; [jobs]" },
  chaos: { file: 'chaos.ts', what: 'N jobs while databases restart and die, DynamoDB Local freezes, messages drop; [jobs] [submitSeconds]' },
  fuzz: { file: 'fuzz.ts', what: 'hostile requests over every route and field: every answer a 4xx, nothing written; [requests] [seed]' },
  explore: {
    file: 'explore.ts',
    what: 'results explore on 1M rows per engine: p50/p95 of an indexed and an unindexed sorted, filtered page, an aggregate, and what the index tag adds to the job (target: indexed page p95 at most 150 ms); [rows] [pages]',
  },
  export: {
    file: 'export.ts',
    what: 'PostgreSQL -> gzip CSV export to S3 (fauxqs) against psql COPY csv | gzip (target: at most 1.3x), Parquet beside it, peak RSS at 100k, N and 5M rows (target: +64 MB from 100k to 5M); [rows] [rounds] [peakRows]',
  },
  coalescing: { file: 'coalescing.ts', what: 'N identical jobs with max_age while the leader runs: source queries and worker invocations (target: 1 and at most 3 per job); [jobs] [leaderSeconds] [rounds]' },
  progress: {
    file: 'progress.ts',
    what: "a 10M-row PostgreSQL -> PostgreSQL job read every 500 ms: rows_written never falls, the longest gap between changes, ends at count, progress writes per 2 s (target: at most 1, plus the final); [rows] [rounds]",
  },
  orphans: { file: 'orphans.ts', what: 'orphan cancel: N abandoned pg_sleep jobs all CANCELLED with no backend left, and a herd of waiters kept alive by one polled waiter; [jobs] [orphanAfterSeconds] [waiters]' },
  guardrails: {
    file: 'guardrails.bench.ts',
    what: 'max_rows on 1M-row sources per engine: how soon a run stops after row 100,001 and its query is gone (targets: 1 s, 2 s), a truncated run, a dry run, a max_cost plan; [rounds]',
  },
  resultsPaging: {
    file: 'resultsPaging.bench.ts',
    what: 'GET /jobs/{id}/results in process: a 1M-row, 4-column result paged in 10,000-row pages as JSON and CSV per engine, beside the driver alone (target: 400k rows/s); [rows] [rounds] [pageRows]',
  },
  exploreFuzz: { file: 'exploreFuzz.ts', what: "hostile explore parameters: every answer a 400 or a page, no error in PostgreSQL's log; [cases] [seed]" },
};

const argv = process.argv.slice(2);
const dashes = argv.indexOf('--');
const names = dashes < 0 ? argv : argv.slice(0, dashes);
const extra = dashes < 0 ? [] : argv.slice(dashes + 1);

if (names.includes('--list') || names.includes('-h') || names.includes('--help')) {
  for (const [name, b] of Object.entries(BENCHMARKS)) console.log(`${name.padEnd(12)} bench/${b.file}: ${b.what}`);
  process.exit(0);
}
const unknown = names.filter((n) => !Object.hasOwn(BENCHMARKS, n));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ')}; one of: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
if (extra.length > 0 && names.length !== 1) {
  console.error('arguments after -- go to one benchmark: name exactly one (npm run bench -- load -- 2000 32)');
  process.exit(2);
}

const failed: string[] = [];
for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
  const { file } = BENCHMARKS[name]!;
  console.log(`\n=== ${name} (bench/${file}) ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, file), ...extra], { stdio: 'inherit' });
  if (run.status !== 0) failed.push(`${name} (${run.signal ?? `exit ${run.status}`})`);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
