/**
 * Runs only runTask (PG -> PG) for `rows` rows and prints JSON with its time and
 * the process's peak RSS, so the parent can compare peaks at different sizes.
 * Usage: node --import tsx bench/runTaskChild.ts <database> <rows>
 */
import { createDbPools } from '../lib/db/createDbPools.js';
import { runTask } from '../lib/db/runTask.js';
import { BENCH_QUERY, benchDb, benchResults } from './benchConfig.js';

const [database, rowsArg] = process.argv.slice(2);
if (!database || !rowsArg) throw new Error('usage: runTaskChild.ts <database> <rows>');
const pools = createDbPools();
const rssBefore = process.resourceUsage().maxRSS;
const started = performance.now();
const out = await runTask(pools, {
  source: benchDb(database),
  results: benchResults(database),
  query: BENCH_QUERY,
  args: [rowsArg],
  table: `results_mem_${rowsArg}`,
  timeoutMs: 600_000,
});
const ms = performance.now() - started;
await pools.end();
process.stdout.write(
  JSON.stringify({ rows: out.count, ms, maxRssKb: process.resourceUsage().maxRSS, maxRssBeforeKb: rssBefore }) + '\n',
);
