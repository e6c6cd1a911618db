/**
 * runTask PG -> PG against the fastest thing PostgreSQL can do: a plain
 * `COPY (SELECT ...) TO STDOUT` piped into `COPY target FROM STDIN`, on the same
 * 1,000,000-row query, in the same run. Then runTask's peak memory (maxRSS of a
 * child process running only runTask) at 10,000 and 1,000,000 rows.
 *
 * Targets: runTask within 1.5x of the pipe; peak RSS within 64 MB between sizes.
 * Run: npx tsx bench/runTask.bench.ts [rows] [rounds]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { createDbPools } from '../lib/db/createDbPools.js';
import { runTask } from '../lib/db/runTask.js';
import { BENCH_QUERY, benchDb, benchResults } from './benchConfig.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const SMALL = 10_000;
const server = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const database = `sqljobber_bench_${randomBytes(4).toString('hex')}`;

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function withClient<T>(db: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...server, database: db });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** (a) COPY TO STDOUT piped into COPY FROM STDIN: no parsing at all, the floor for any PG -> PG copy. */
async function plainPipe(round: number): Promise<number> {
  const source = new pg.Client({ ...server, database });
  const target = new pg.Client({ ...server, database });
  await Promise.all([source.connect(), target.connect()]);
  try {
    const table = `pipe_${round + 1}`;
    await target.query(`CREATE TABLE ${table} (id bigint, amount numeric(12,2), label text, at timestamp)`);
    const started = performance.now();
    await pipeline(
      source.query(copyTo(`COPY (${BENCH_QUERY.replace('$1', String(ROWS))}) TO STDOUT`)),
      target.query(copyFrom(`COPY ${table} FROM STDIN`)),
    );
    const ms = performance.now() - started;
    await target.query(`DROP TABLE ${table}`);
    return ms;
  } finally {
    await Promise.all([source.end(), target.end()]);
  }
}

/** (b) runTask PG -> PG of the same query (plus `_row`, its primary key and the swap). */
async function runTaskOnce(round: number): Promise<number> {
  const pools = createDbPools();
  try {
    const started = performance.now();
    const out = await runTask(pools, {
      source: benchDb(database),
      results: benchResults(database),
      query: BENCH_QUERY,
      args: [String(ROWS)],
      table: `results_bench_${round}`,
      timeoutMs: 600_000,
    });
    const ms = performance.now() - started;
    if (out.count !== ROWS) throw new Error(`runTask wrote ${out.count} rows, expected ${ROWS}`);
    await pools.pg(benchDb(database)).query(`DROP TABLE "results_bench_${round}"`);
    return ms;
  } finally {
    await pools.end();
  }
}

interface ChildResult {
  rows: number;
  ms: number;
  maxRssKb: number;
}

function childRun(rows: number): Promise<ChildResult> {
  const script = fileURLToPath(new URL('./runTaskChild.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, database, String(rows)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`child exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  console.log(`node ${process.version}; scratch database ${database}; ${ROWS.toLocaleString('en-US')} rows, ${ROUNDS} rounds`);
  await withClient('postgres', (c) => c.query(`CREATE DATABASE ${database}`));
  try {
    const setupStarted = performance.now();
    await withClient(database, async (c) => {
      await c.query(`CREATE TABLE src (id bigint PRIMARY KEY, amount numeric(12,2), label text, at timestamp)`);
      await c.query(
        `INSERT INTO src SELECT g, (g * 1.37)::numeric(12,2), md5(g::text) || ' ' || g, timestamp '2024-01-01' + g * interval '1.000123 second'
         FROM generate_series(1, $1) g`,
        [Math.max(ROWS, SMALL)],
      );
      await c.query('VACUUM ANALYZE src');
    });
    console.log(`source table ready in ${fmt(performance.now() - setupStarted)}`);

    const pipeMs: number[] = [];
    const taskMs: number[] = [];
    await plainPipe(-1); // warm the cache
    for (let round = 0; round < ROUNDS; round++) {
      pipeMs.push(await plainPipe(round));
      taskMs.push(await runTaskOnce(round));
      console.log(`round ${round + 1}: plain COPY pipe ${fmt(pipeMs[round] ?? 0)}, runTask ${fmt(taskMs[round] ?? 0)}`);
    }
    const pipe = median(pipeMs);
    const task = median(taskMs);
    const ratio = task / pipe;

    const small = await childRun(SMALL);
    const large = await childRun(ROWS);
    const deltaMb = (large.maxRssKb - small.maxRssKb) / 1024;

    console.log('');
    console.log('== runTask PG -> PG throughput (median of rounds) ==');
    console.log(`(a) plain COPY TO STDOUT | COPY FROM STDIN : ${fmt(pipe)}  (${rate(ROWS, pipe)})`);
    console.log(`(b) runTask                              : ${fmt(task)}  (${rate(ROWS, task)})`);
    console.log(`ratio runTask / pipe                     : ${ratio.toFixed(2)}x   (target <= 1.5x) ${ratio <= 1.5 ? 'MET' : 'NOT MET'}`);
    console.log('');
    console.log('== runTask peak memory (maxRSS of a child running only runTask) ==');
    console.log(`${SMALL.toLocaleString('en-US').padStart(9)} rows: ${(small.maxRssKb / 1024).toFixed(1)} MB  (${fmt(small.ms)})`);
    console.log(`${ROWS.toLocaleString('en-US').padStart(9)} rows: ${(large.maxRssKb / 1024).toFixed(1)} MB  (${fmt(large.ms)})`);
    console.log(`difference      : ${deltaMb.toFixed(1)} MB   (target <= 64 MB) ${deltaMb <= 64 ? 'MET' : 'NOT MET'}`);
  } finally {
    await withClient('postgres', (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  }
}

await main();
