/**
 * Runs only runTask, from `source` to `results` (each `postgres` or `mysql`), for
 * `rows` rows of the benchmark's `src` table in `database` (of that name on both
 * servers), and prints JSON with its time, its row count and the process's peak
 * RSS, so the parent can compare peaks at different sizes.
 *
 * The peak is Linux's VmHWM, this process image's own high-water mark:
 * getrusage's maxRSS is not, since Linux carries it over from the parent through
 * fork and exec (a child of a 200 MB parent starts with a 200 MB "peak").
 * Usage: node --import tsx bench/runTaskChild.ts <source> <results> <database> <rows> <table>
 */
import { readFileSync } from 'node:fs';
import type { DbType } from '../lib/config/types.js';
import { createDbPools } from '../lib/db/createDbPools.js';
import { runTask } from '../test/support/runTask.js';
import { benchDb, benchQuery, benchResults } from './benchConfig.js';

const [source, results, database, rows, table] = process.argv.slice(2);
const isType = (t: string | undefined): t is DbType => t === 'postgres' || t === 'mysql';
if (!isType(source) || !isType(results) || !database || !rows || !table) {
  throw new Error('usage: runTaskChild.ts <postgres|mysql> <postgres|mysql> <database> <rows> <table>');
}
const pools = createDbPools();
/** Peak RSS in kB: VmHWM where /proc has it, else getrusage's maxRSS. */
function peakRssKb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

const rssBefore = peakRssKb();
const started = performance.now();
const out = await runTask(pools, {
  source: benchDb(source, database),
  results: benchResults(results, database),
  query: benchQuery(source),
  args: [rows],
  table,
  timeoutMs: 600_000,
});
const ms = performance.now() - started;
await pools.end();
process.stdout.write(
  JSON.stringify({ rows: out.count, ms, maxRssKb: peakRssKb(), maxRssBeforeKb: rssBefore }) + '\n',
);
