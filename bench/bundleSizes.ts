/**
 * Code package size of every function: runs `serverless package` (offline, in a
 * throwaway copy of the service) and prints each function's zipped size and what
 * its bundle is made of. Not a test: `npx tsx bench/bundleSizes.ts [config.toml]`.
 *
 * Without an argument it packages the sample task files with a config of two
 * queues whose DSNs live in SSM and Secrets Manager; with one, your config.toml
 * and the task files of SQL_JOBBER_SQL_DIR (default ./sql).
 * Targets: API functions under 500 KB zipped, workers under 1.5 MB.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FUNCTION_ACCESS } from '../lib/deploy/functionAccess.js';
import { packageService } from '../test/support/packageService.js';
import { readZip } from '../test/support/readZip.js';

const SAMPLE_CONFIG = `
[db.sample]
type = "postgres"
dsn = "postgres://report:\${ssm:/sqljobber/bench/sample-password}@sample.internal:5432/sample"

[results.sample_results]
type = "postgres"
dsn = "\${secretsmanager:sqljobber/bench/results-dsn}"

[queues.sqljob_queue]
concurrency = 5
timeout = 300

[queues.reports]
concurrency = 2
timeout = "15m"
`;

const KB = 1024;
const API_TARGET = 500 * KB;
const WORKER_TARGET = 1.5 * 1024 * KB;

const configArg = process.argv[2];
const sqlDir = process.env.SQL_JOBBER_SQL_DIR || 'sql';
const tasks = Object.fromEntries(
  readdirSync(sqlDir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => [f, readFileSync(path.join(sqlDir, f), 'utf8')]),
);
const config = configArg ? readFileSync(configArg, 'utf8') : SAMPLE_CONFIG;

const started = Date.now();
const pkg = await packageService({ config, tasks, stage: 'bench' });
try {
  if (pkg.code !== 0) {
    console.error(pkg.output);
    process.exit(1);
  }
  console.log(`serverless package: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  console.log(`${'function'.padEnd(24)} ${'zipped'.padStart(9)} ${'bundle'.padStart(9)}  target    largest parts of the bundle`);
  let over = 0;
  for (const [name, zip] of Object.entries(pkg.zips).sort(([a], [b]) => a.localeCompare(b))) {
    const size = statSync(zip).size;
    const files = readZip(zip);
    const bundle = [...files.entries()].find(([f]) => f.endsWith('.mjs'))![1].length;
    const map = JSON.parse([...files.entries()].find(([f]) => f.endsWith('.mjs.map'))![1].toString('utf8')) as { sources: string[] };
    const packages = new Map<string, number>();
    for (const s of map.sources) {
      const pkgName = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(s)?.[1] ?? 'sql-jobber';
      packages.set(pkgName, (packages.get(pkgName) ?? 0) + 1);
    }
    // Workers, and the functions that use databases (they bundle the drivers too), get the 1.5 MB target.
    const databases = name.startsWith('worker-') || Boolean(FUNCTION_ACCESS[name]?.databases);
    const target = databases ? WORKER_TARGET : API_TARGET;
    if (size > target) over++;
    const parts = [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([p, n]) => `${p} (${n})`)
      .join(', ');
    console.log(
      `${name.padEnd(24)} ${(size / KB).toFixed(0).padStart(6)} KB ${(bundle / KB).toFixed(0).padStart(6)} KB  ${size > target ? 'OVER' : 'ok  '} ${(target / KB).toFixed(0).padStart(5)} KB  ${parts}`,
    );
  }
  console.log('\n(largest parts: source files per package in the bundle; functions that use databases have the 1.5 MB target)');
  if (over > 0) process.exitCode = 1;
} finally {
  pkg.remove();
}
