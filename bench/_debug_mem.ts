import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDbPools } from '../lib/db/createDbPools.js';
import { runTask } from '../lib/db/runTask.js';
import { BENCH_QUERY, benchDb, benchResults } from './benchConfig.js';
const database = process.argv[2] ?? 'sqljobber_dbg';
const rows = process.argv[3] ?? '1000000';
const pools = createDbPools();
let peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const timer = setInterval(() => {
  const m = process.memoryUsage();
  for (const k of Object.keys(peak) as (keyof typeof peak)[]) peak[k] = Math.max(peak[k], m[k]);
}, 20);
const t = performance.now();
const out = await runTask(pools, { source: benchDb(database), results: benchResults(database), query: BENCH_QUERY, args: [rows], table: 'dbg_' + randomBytes(3).toString('hex'), timeoutMs: 600000 });
clearInterval(timer);
console.log(out.count, ((performance.now() - t) / 1000).toFixed(2), 's', Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, (v / 1048576).toFixed(1)])), 'maxRSS', (process.resourceUsage().maxRSS / 1024).toFixed(1));
await pools.end();
void pg;
