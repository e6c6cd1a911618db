/**
 * Runs one export of the benchmark's `src` table (PostgreSQL) to S3 and nothing
 * else, `"results": false`: the first `rows` rows into parts of 1M rows of
 * `format` (gzip), on the S3 emulator at `endpoint`. Prints JSON with its time,
 * rows, bytes written and this process's peak RSS (VmHWM, see runTaskChild.ts).
 * Usage: node --import tsx bench/exportChild.ts <endpoint> <bucket> <database> <rows> <csv|jsonl|parquet> <dir>
 */
import { readFileSync } from 'node:fs';
import { createDbPools } from '../lib/db/createDbPools.js';
import { sourceDb } from '../lib/db/sourceDb.js';
import { exportRows } from '../lib/export/exportRows.js';
import { ExportStore } from '../lib/export/exportStore.js';
import { EXPORT_FORMATS, type ExportFormat } from '../lib/export/exportOptions.js';
import { benchDb, benchQuery, benchResults } from './benchConfig.js';

const [endpoint, bucket, database, rows, format, dir] = process.argv.slice(2);
if (!endpoint || !bucket || !database || !rows || !dir || !(EXPORT_FORMATS as readonly string[]).includes(format ?? '')) {
  throw new Error('usage: exportChild.ts <endpoint> <bucket> <database> <rows> <csv|jsonl|parquet> <dir>');
}

function peakRssKb(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) : process.resourceUsage().maxRSS;
}

const pools = createDbPools();
const store = new ExportStore({ bucket, prefix: 'bench/', urlTtlS: 60 }, { region: 'us-east-1', sqsEndpoint: endpoint });
const exporting = exportRows(store, { dir, jobId: 'bench', runId: 'bench', options: { format: format as ExportFormat, compression: 'gzip', part_rows: 1_000_000 } });
const cpu = process.cpuUsage();
const started = performance.now();
const out = await sourceDb(pools, benchDb('postgres', database)).runTask({
  results: benchResults('postgres', database),
  query: benchQuery('postgres'),
  args: [rows],
  table: 'unused',
  skipTable: true,
  export: exporting.open,
  timeoutMs: 900_000,
});
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
await pools.end();
const manifest = exporting.summary()?.manifest;
process.stdout.write(
  JSON.stringify({ rows: out.count, ms, cpuMs: (used.user + used.system) / 1000, bytes: manifest?.bytes, parts: manifest?.parts.length, maxRssKb: peakRssKb() }) + '\n',
);
