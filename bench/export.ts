/**
 * Export to S3 (lib/export), PostgreSQL -> gzip CSV, against the reference pipe
 *
 *   psql -c "COPY (query) TO STDOUT (FORMAT csv)" | gzip > file
 *
 * run as real processes on the same `src` table (bigint, numeric(12,2), text,
 * timestamp). Each export runs in a child process of its own with no results
 * table (`"results": false`), its parts going to fauxqs's S3 in this process (the
 * emulator's work is this process's, not the export's). Printed: the median and
 * spread of `rounds` interleaved rounds at `rows` rows of the pipe, the gzip CSV
 * export (target: at most 1.3x the pipe) and, beside it, the Parquet export (GZIP
 * pages); then the exporting child's peak RSS (VmHWM) at 100k rows, at `rows` and
 * at `peakRows` (target: at most +64 MB from 100k to 5M); and the manifests' row
 * counts, which must be the rows asked for. Every export runs as a deployed worker
 * starts: with the flags AWS Lambda's Node.js runtime gives a 1024 MB function,
 * through the workers' startup wrapper; the peak RSS is also printed without it.
 *
 * Run: npm run bench -- export -- [rows] [rounds] [peakRows]
 *      (default 1,000,000 rows, 5 rounds, 5,000,000 rows for the peak RSS)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportLifecycleDays } from '../lib/deploy/exportResources.js';
import { WORKER_EXEC_WRAPPER } from '../lib/deploy/serviceDefinition.js';
import { launchCommand, type Launch } from './deployedWorker.js';
import { parseConfig } from '../lib/config/loadConfig.js';
import { removeExportDir } from '../lib/export/exportExpiry.js';
import { ExportStore } from '../lib/export/exportStore.js';
import { ensureBucket } from '../scripts/stack/ensureBucket.js';
import { startSqs } from '../scripts/stack/startSqs.js';
import { createTestDatabase } from '../test/support/testDatabases.js';
import { BENCH_SERVERS, benchQuery } from './benchConfig.js';

const [rowsArg, roundsArg, peakArg] = process.argv.slice(2);
const ROWS = Number(rowsArg ?? 1_000_000);
const ROUNDS = Number(roundsArg ?? 5);
const PEAK_ROWS = Number(peakArg ?? 5_000_000);
const SMALL = 100_000;
if (![ROWS, ROUNDS, PEAK_ROWS].every((n) => Number.isSafeInteger(n) && n >= 1)) {
  console.error('usage: export.ts [rows >= 1] [rounds >= 1] [peakRows >= 1]');
  process.exit(2);
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] ?? NaN;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const spread = (xs: number[]) => `${s(median(xs))} (min ${s(sorted(xs)[0]!)}, max ${s(sorted(xs).at(-1)!)})`;

interface ChildOut {
  rows: number;
  ms: number;
  cpuMs: number;
  bytes: number;
  parts: number;
  maxRssKb: number;
}

function child(endpoint: string, bucket: string, database: string, rows: number, format: string, dir: string, launch: Launch): Promise<ChildOut> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', path.join(import.meta.dirname, 'exportChild.ts'), endpoint, bucket, database, String(rows), format, dir];
    const [command, argv] = launchCommand(launch, args);
    const p = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ChildOut) : reject(new Error(`exportChild exited with ${code}`))));
  });
}

function referencePipe(database: string, file: string): Promise<number> {
  const { host, port, user } = BENCH_SERVERS.postgres;
  const query = benchQuery('postgres').replace('$1', String(ROWS));
  const line = `set -o pipefail; psql -X -q -v ON_ERROR_STOP=1 -h ${host} -p ${port} -U ${user} -d ${database} -c 'COPY (${query}) TO STDOUT (FORMAT csv)' | gzip > '${file}'`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const p = spawn('bash', ['-c', line], { stdio: ['ignore', 'ignore', 'inherit'] });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`the reference pipe exited with ${code}`))));
  });
}

const db = await createTestDatabase('postgres', 'sqljobber_bench');
const sqs = await startSqs();
const tmp = mkdtempSync(path.join(tmpdir(), 'sqljobber-export-bench-'));
const exp = { bucket: 'sqljobber-bench-exports', prefix: 'bench/', urlTtlS: 60 };
try {
  await ensureBucket(sqs.endpoint, exp, exportLifecycleDays(parseConfig('', 'bench', {})));
  const store = new ExportStore(exp, { region: 'us-east-1', sqsEndpoint: sqs.endpoint });
  await db.query('CREATE TABLE src (id bigint PRIMARY KEY, amount numeric(12,2), label text, at timestamp)');
  await db.query(
    `INSERT INTO src SELECT g, (g * 1.37)::numeric(12,2), md5(g::text) || ' ' || g, timestamp '2024-01-01' + g * interval '1.000123 second' FROM generate_series(1, $1) g`,
    [Math.max(ROWS, PEAK_ROWS)],
  );
  await db.query('VACUUM ANALYZE src');
  const name = db.db().connection.database;
  console.log(`${ROWS.toLocaleString('en')} rows, ${ROUNDS} interleaved rounds, 2 cores shared with the S3 emulator`);

  let n = 0;
  const once = async (rows: number, format: string, launch: Launch = 'deployed') => {
    const dir = `${exp.prefix}jobs/bench/${++n}.1/`;
    const out = await child(sqs.endpoint, exp.bucket, name, rows, format, dir, launch);
    if (out.rows !== rows) throw new Error(`the ${format} export wrote ${out.rows} rows, expected ${rows}`);
    await removeExportDir(store, dir);
    return out;
  };
  const pipe: number[] = [];
  const runs: Record<string, ChildOut[]> = { csv: [], parquet: [] };
  // The same gzip CSV export started as plain node, interleaved: what the wrapper costs in speed, if anything.
  const plain: ChildOut[] = [];
  let fileBytes = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const file = path.join(tmp, 'ref.csv.gz');
    pipe.push(await referencePipe(name, file));
    fileBytes = statSync(file).size;
    rmSync(file);
    for (const format of Object.keys(runs)) runs[format]!.push(await once(ROWS, format));
    plain.push(await once(ROWS, 'csv', 'plain'));
  }
  const ref = median(pipe);
  console.log(`psql COPY csv | gzip > file    ${spread(pipe)}  ${(fileBytes / 1e6).toFixed(1)} MB`);
  for (const [format, outs] of Object.entries(runs)) {
    const ms = outs.map((o) => o.ms);
    const target = format === 'csv' ? ' (target <= 1.3x)' : '';
    // Each round's export against the pipe just before it: the machine's load changes between rounds.
    const ratios = sorted(outs.map((o, i) => o.ms / pipe[i]!));
    console.log(
      `export ${format.padEnd(7)} gzip        ${spread(ms)}  ${(median(ms) / ref).toFixed(2)}x${target} (per round ${median(ratios).toFixed(2)}x, ${ratios[0]!.toFixed(2)}..${ratios.at(-1)!.toFixed(2)})  cpu ${s(median(outs.map((o) => o.cpuMs)))}  ${(outs[0]!.bytes / 1e6).toFixed(1)} MB in ${outs[0]!.parts} parts`,
    );
  }
  const againstPlain = sorted(runs.csv!.map((o, i) => o.ms / plain[i]!.ms));
  console.log(
    `export csv     gzip, node with no flags (no wrapper)  ${spread(plain.map((o) => o.ms))}  cpu ${s(median(plain.map((o) => o.cpuMs)))}; as deployed against it, per round: ${median(againstPlain).toFixed(2)}x (${againstPlain[0]!.toFixed(2)}..${againstPlain.at(-1)!.toFixed(2)})`,
  );
  // Peak RSS: gzip CSV at 100k rows (median of 3), at ROWS (the rounds above) and at PEAK_ROWS, as deployed.
  const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
  const peaks = async (launch: Launch, atRows?: number) => {
    const small = median([await once(SMALL, 'csv', launch), await once(SMALL, 'csv', launch), await once(SMALL, 'csv', launch)].map((o) => o.maxRssKb));
    const peak = atRows ?? (await once(PEAK_ROWS, 'csv', launch)).maxRssKb;
    return { small, peak, growth: (peak - small) / 1024 };
  };
  const atRows = median(runs.csv!.map((o) => o.maxRssKb));
  const deployed = await peaks('deployed', PEAK_ROWS === ROWS ? atRows : undefined);
  console.log(
    `peak RSS of the exporting process, gzip CSV, as deployed (Lambda's flags for 1024 MB, through ${WORKER_EXEC_WRAPPER}): ${mb(deployed.small)} at ${SMALL.toLocaleString('en')} rows, ${mb(atRows)} at ${ROWS.toLocaleString('en')}, ${mb(deployed.peak)} at ${PEAK_ROWS.toLocaleString('en')} (+${deployed.growth.toFixed(0)} MB from ${SMALL.toLocaleString('en')}, target <= 64 MB)`,
  );
  // Without the wrapper V8 grows the young generation to the runtime's 2 x 64 MB (51 rounds up) within a
  // second of sustained work, whatever the rows; with no flags at all, to its own default of the same size.
  for (const launch of ['runtime', 'plain'] as const) {
    const other = await peaks(launch);
    const how = launch === 'runtime' ? "Lambda's flags without the wrapper" : 'node with no flags';
    console.log(`  ${how}: ${mb(other.small)} at ${SMALL.toLocaleString('en')}, ${mb(other.peak)} at ${PEAK_ROWS.toLocaleString('en')} (+${other.growth.toFixed(0)} MB)`);
  }
  console.log(`peak RSS, Parquet at ${ROWS.toLocaleString('en')} rows: ${mb(median(runs.parquet!.map((o) => o.maxRssKb)))}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
  await sqs.stop();
  await db.drop();
}
