/**
 * Results over HTTP: a 1M-row, 4-column result (bigint, decimal, text,
 * timestamp) written by runTask into a PostgreSQL and a MariaDB results
 * database, then paged through the GET /jobs/{id}/results handler in process,
 * 10,000-row pages by cursor, as JSON and as CSV, until the last page. Each
 * answer is a Lambda result (the body one string), built exactly as the deployed
 * function builds it; only the job store is a stub answering the job's record.
 * The handler's time counts, with the runtime's serialisation of its answer (one
 * JSON text, the body a string in it), not the client's parse of it; and
 * its CPU time per row is printed beside it (it moves less than wall time on
 * a shared machine). For
 * reference, the same pages read by the driver alone (`readPage`'s rows, every
 * value as text, nothing encoded) show what the database and driver cost.
 * Rounds interleave the modes, the order turned every round; medians with
 * their min-max spread.
 *
 * Target: at least 400,000 rows/s as JSON and as CSV on both engines.
 *
 * Run: npm run bench -- resultsPaging -- [rows] [rounds] [pageRows]
 */
import type { ApiConfig, ResultsConfig } from '../lib/config/types.js';
import { createDbPools } from '../lib/db/createDbPools.js';
import { callerIdentifier } from '../lib/identity/identifyCaller.js';
import type { JobItem } from '../lib/jobs/types.js';
import { resultsDb } from '../lib/db/resultsDb.js';
import type { App } from '../lib/app.js';
import { makeHandler } from '../handlers/http/getResults.js';
import type { HttpEvent, HttpResult } from '../handlers/http/httpRoute.js';
import { runTask } from '../test/support/runTask.js';
import { finishedJob, readerDeps } from '../test/support/resultsReader.js';
import { createTestDatabase, type TestDatabase } from '../test/support/testDatabases.js';

const [rowsArg, roundsArg, pageArg] = process.argv.slice(2);
const ROWS = Number(rowsArg ?? 1_000_000);
const ROUNDS = Number(roundsArg ?? 5);
const PAGE = Number(pageArg ?? 10_000);
if (![ROWS, ROUNDS, PAGE].every((n) => Number.isSafeInteger(n) && n >= 1) || PAGE > 10_000) {
  console.error('usage: resultsPaging.bench.ts [rows >= 1] [rounds >= 1] [pageRows 1..10000]');
  process.exit(2);
}
const TARGET = 400_000;
const QUERY = `
SELECT g AS id, (g * 1.37)::numeric(12,2) AS amount, md5(g::text) || ' ' || g AS label,
       timestamp '2024-01-01' + g * interval '1.000123 second' AS at
FROM generate_series(1::int8, $1::int8) g`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const k = (n: number) => `${Math.round(n / 1000)}k`;
const rate = (xs: number[]) => `${k(median(xs))} rows/s (${k(Math.min(...xs))}-${k(Math.max(...xs))})`;

const pools = createDbPools();
const source = await createTestDatabase('postgres');
const targets: TestDatabase[] = [source, await createTestDatabase('mysql')];

/**
 * This process's CPU time per row and mode, in µs (all its threads: the
 * handler's work, the drivers', the GC's): what moves least on a busy machine.
 */
let cpu: Record<string, number[]> = {};
const cpuMicros = (used: NodeJS.CpuUsage) => used.user + used.system;

/** Pages the whole result through the handler; rows/s. Checks every page's row count and the total. */
async function viaHandler(results: ResultsConfig, item: JobItem, format: 'json' | 'csv'): Promise<number> {
  const deps = readerDeps(pools, results, item, 'bench');
  const app = { ...deps, identify: callerIdentifier({ auth: 'none' } as ApiConfig, true) } as unknown as App;
  const handle = makeHandler(() => app, () => pools);
  let cursor: string | null = null;
  let rows = 0;
  let ms = 0;
  let cpuUsed = 0;
  do {
    const params: Record<string, string> = { limit: String(PAGE), format, ...(cursor ? { cursor } : {}) };
    const rawQueryString = new URLSearchParams(params).toString();
    const event = { pathParameters: { jobID: item.job_id }, queryStringParameters: params, rawQueryString, headers: {} } as unknown as HttpEvent;
    const t = performance.now();
    const used = process.cpuUsage();
    const res = (await handle(event, {} as never)) as HttpResult;
    // What the Lambda runtime does with the answer: one JSON text of it (the body a string in it).
    const wire = JSON.stringify(res);
    ms += performance.now() - t;
    cpuUsed += cpuMicros(process.cpuUsage(used));
    if (wire.length < 2 || res.statusCode !== 200) throw new Error(`${res.statusCode}: ${String(res.body).slice(0, 300)}`);
    const body = String(res.body);
    if (format === 'csv') {
      cursor = res.headers?.['x-next-cursor'] ? String(res.headers['x-next-cursor']) : null;
      rows += body.split('\r\n').length - 2; // the header record, and the empty tail after the last CRLF
    } else {
      const page = JSON.parse(body).data as { rows: unknown[]; next_cursor: string | null };
      cursor = page.next_cursor;
      rows += page.rows.length;
    }
  } while (cursor);
  if (rows !== ROWS) throw new Error(`${format}: paged ${rows} rows, expected ${ROWS}`);
  (cpu[format] ??= []).push(cpuUsed / ROWS);
  return (rows / ms) * 1000;
}

/** The same pages read by the driver alone (the reader's SELECT, values as text): rows/s. */
async function viaDriver(results: ResultsConfig, table: string): Promise<number> {
  const db = resultsDb(pools, results);
  let after = 0;
  let rows = 0;
  const t = performance.now();
  const used = process.cpuUsage();
  for (;;) {
    const page = await db.readPage({ table, afterRow: after, limit: PAGE });
    if (!page) throw new Error('no table');
    let n = 0;
    await page.each((row) => {
      after = row;
      n++;
      return true;
    });
    rows += n;
    if (n < PAGE) break;
  }
  const ms = performance.now() - t;
  (cpu.driver ??= []).push(cpuMicros(process.cpuUsage(used)) / ROWS);
  if (rows !== ROWS) throw new Error(`driver: read ${rows} rows, expected ${ROWS}`);
  return (rows / ms) * 1000;
}

try {
  console.log(`results over HTTP (handler in process): ${ROWS} rows x 4 columns, ${PAGE}-row pages, ${ROUNDS} rounds; target >= ${k(TARGET)} rows/s`);
  for (const target of targets) {
    const results = target.results({ name: `bench_${target.type}` });
    const table = 'results_paging';
    await runTask(pools, { source: source.db(), results, query: QUERY, args: [String(ROWS)], table, timeoutMs: 600_000 });
    const item = finishedJob(results, { job_id: 'paging', count: ROWS, results_table: table });
    const modes: Record<string, () => Promise<number>> = {
      json: () => viaHandler(results, item, 'json'),
      csv: () => viaHandler(results, item, 'csv'),
      driver: () => viaDriver(results, table),
    };
    const samples: Record<string, number[]> = { json: [], csv: [], driver: [] };
    await modes.json!(); // warm-up: JIT, pools, the table in cache
    cpu = {};
    for (let round = 0; round < ROUNDS; round++) {
      const order = Object.keys(modes);
      for (let i = 0; i < round % order.length; i++) order.push(order.shift()!);
      for (const mode of order) samples[mode]!.push(await modes[mode]!());
    }
    const verdict = (xs: number[]) => (median(xs) >= TARGET ? 'ok' : 'BELOW TARGET');
    const cpuPerRow = (mode: string) => `CPU ${median(cpu[mode]!).toFixed(2)} µs/row (${Math.min(...cpu[mode]!).toFixed(2)}-${Math.max(...cpu[mode]!).toFixed(2)})`;
    console.log(`${target.type}:`);
    console.log(`  JSON    ${rate(samples.json!)}  ${cpuPerRow('json')}  ${verdict(samples.json!)}`);
    console.log(`  CSV     ${rate(samples.csv!)}  ${cpuPerRow('csv')}  ${verdict(samples.csv!)}`);
    console.log(`  driver  ${rate(samples.driver!)}  ${cpuPerRow('driver')}  (reference: the page's rows read, nothing encoded)`);
  }
} finally {
  await pools.end();
  await Promise.all(targets.map((t) => t.drop()));
}
