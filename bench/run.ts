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
  latency: { file: 'latency.bench.ts', what: 'POST to SUCCESS of a trivial job under the local stack (target: median under 1.5 s)' },
  bundleSizes: { file: 'bundleSizes.ts', what: "each function's zipped code package (targets: API 500 KB, workers 1.5 MB); [config.toml]" },
  enginePipes: {
    file: 'enginePipes.bench.ts',
    what: "runTask on pg->pg, mysql->mysql and the cross routes against the psql/mariadb clients' own pipes, and its peak memory; [rows] [rounds] [routes] [--cpu-prof]",
  },
  typedRoutes: { file: 'typedRoutes.bench.ts', what: 'runTask on each route, typed columns (bytes, JSON, arrays, times, NaN) against plain ones (target: within 1.5x); [rows] [rounds]' },
  longPoll: { file: 'longPoll.bench.ts', what: '1,000 clients waiting for a 10 s report: invocations, reads and cost of 1 s polling against ?wait=20; [clients] [reportSeconds]' },
  load: { file: 'load.ts', what: 'N jobs through the HTTP API with duplicate deliveries: throughput, latency, lost/twice; [jobs] [clientConcurrency]' },
  recentJobs: { file: 'recentJobs.bench.ts', what: "GET /jobs listing: time and index reads of first, filtered and full pages; [jobs]" },
  chaos: { file: 'chaos.ts', what: 'N jobs while databases restart and die, DynamoDB Local freezes, messages drop; [jobs] [submitSeconds]' },
  fuzz: { file: 'fuzz.ts', what: 'hostile requests over every route and field: every answer a 4xx, nothing written; [requests] [seed]' },
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
