/**
 * Explore benchmark (not a test): `npx tsx bench/explore.ts [rows] [pages]`.
 *
 * Loads a `rows`-row result (default 1,000,000) with runTask into a PostgreSQL
 * and a MariaDB results database, once without indexes and once with the task
 * tag `-- index: total; status, order_date`, and prints per engine:
 * - what the index build added to the job's time;
 * - p50/p95 of a 1,000-row page ordered by `total` with a filter on it, indexed
 *   and unindexed: the first page, the first page with `Prefer: count=exact`
 *   (which also counts the matches) and the pages after a cursor;
 * - p50/p95 of an aggregate (`select=status,total.sum(),total.avg(),count()`).
 * Target (the issue's): an indexed page's p95 at most 150 ms.
 */
import type { Config, DbType, ResultsConfig } from '../lib/config/types.js';
import { createDbPools } from '../lib/db/createDbPools.js';
import { runTask } from '../test/support/runTask.js';
import type { JobItem } from '../lib/jobs/types.js';
import { queryPairs } from '../lib/results/explore/queryPairs.js';
import { readJobResults } from '../lib/results/readJobResults.js';
import { createTestDatabase, type TestDatabase } from '../test/support/testDatabases.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const PAGES = Number(process.argv[3] ?? 40);
const INDEXES = [['total'], ['status', 'order_date']];
const QUERY = `
SELECT g AS order_id, 'customer ' || (g * 7919 % 100003) AS customer_name,
       (ARRAY['delivered','shipped','pending','cancelled','returned'])[(1 + g % 5)::int] AS status,
       ((g * 2654435761::int8 % 100000) / 100.0)::numeric(12,2) AS total,
       date '2023-01-01' + (g * 31 % 730)::int AS order_date, g % 3 = 0 AS paid
FROM generate_series(1::int8, $1::int8) g`;

const pools = createDbPools();
const source = await createTestDatabase('postgres');
const targets: TestDatabase[] = [source, await createTestDatabase('mysql')];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

function deps(results: ResultsConfig, table: string) {
  const item = { pk: 'job#b', job_id: 'b', run_id: 'run-1', status: 'SUCCESS', results_db: results.name, results_table: table, count: ROWS } as JobItem;
  const config = { app: { defaultJobTtl: 3600, logLevel: 'INFO' }, db: {}, results: { [results.name]: results }, queues: {}, source: 'bench' } as Config;
  return { config, pools, store: { get: async () => item } };
}

/** Times the first page of `query` and then `PAGES` pages after it by cursor (from a spread of starting points). */
async function timePages(results: ResultsConfig, table: string, query: string): Promise<{ uncounted: number[]; first: number[]; next: number[]; count: number }> {
  const uncounted: number[] = [];
  const first: number[] = [];
  const next: number[] = [];
  let count = 0;
  for (let round = 0; round < 5; round++) {
    let t = performance.now();
    await readJobResults(deps(results, table), 'b', { params: queryPairs(query) });
    uncounted.push(performance.now() - t);
    t = performance.now();
    let page = await readJobResults(deps(results, table), 'b', { params: queryPairs(query), prefer: 'count=exact' });
    first.push(performance.now() - t);
    count = page.count ?? -1;
    for (let i = 0; i < PAGES / 5 && page.next_cursor; i++) {
      t = performance.now();
      page = await readJobResults(deps(results, table), 'b', { params: [...queryPairs(query), ['cursor', page.next_cursor]] });
      next.push(performance.now() - t);
    }
  }
  return { uncounted, first, next, count };
}

try {
  console.log(`explore: ${ROWS} rows, ${PAGES} pages after a cursor per query`);
  for (const target of targets) {
    const type: DbType = target.type;
    const results = target.results({ name: `bench_${type}` });
    const load = async (table: string, indexes?: string[][]) => {
      const t = performance.now();
      await runTask(pools, { source: source.db(), results, query: QUERY, args: [String(ROWS)], table, timeoutMs: 600_000, ...(indexes ? { indexes } : {}) });
      return performance.now() - t;
    };
    const plain = await load('results_plain');
    const indexed = await load('results_indexed', INDEXES);
    console.log(`\n${type}: job ${ms(plain)} without indexes, ${ms(indexed)} with "-- index: total; status, order_date" (the build added ${ms(indexed - plain)}, ${Math.round(((indexed - plain) / plain) * 100)}%)`);
    const cases: [string, string, string][] = [
      ['indexed sort + filter', 'results_indexed', 'total=gte.500&status=neq.cancelled&order=total&limit=1000'],
      ['unindexed sort + filter', 'results_plain', 'total=gte.500&status=neq.cancelled&order=total&limit=1000'],
      ['indexed filter, _row order', 'results_indexed', 'status=eq.shipped&order_date=gte.2024-01-01&limit=1000'],
      ['aggregate (indexed table)', 'results_indexed', 'select=status,total.sum(),total.avg(),count()&total=gte.100'],
      ['aggregate (plain table)', 'results_plain', 'select=status,total.sum(),total.avg(),count()&total=gte.100'],
    ];
    for (const [what, table, query] of cases) {
      const { uncounted, first, next, count } = await timePages(results, table, query);
      const after = next.length ? `; after a cursor p50 ${ms(pct(next, 50))}, p95 ${ms(pct(next, 95))} (${next.length})` : '';
      console.log(`  ${what.padEnd(27)} ${String(count).padStart(7)} match; first page p50 ${ms(pct(uncounted, 50))}, p95 ${ms(pct(uncounted, 95))}; with count=exact p50 ${ms(pct(first, 50))}, p95 ${ms(pct(first, 95))}${after}`);
    }
  }
} finally {
  await pools.end();
  await Promise.all(targets.map((t) => t.drop()));
}
