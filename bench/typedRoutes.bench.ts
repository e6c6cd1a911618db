/**
 * The cost of keeping types: runTask on each route with typed columns (bytes,
 * JSON, arrays, timestamptz, TIME, DOUBLE with a NaN every 1,000 rows) against
 * the same rows as plain text and numbers, in the same run. Typed MySQL results
 * load bytes through UNHEX and PostgreSQL arrays through a JSON conversion, and
 * NaN becomes NULL: this prints what that costs, route by route.
 *
 * Target: typed within 1.5x of plain on every route.
 * Run: npx tsx bench/typedRoutes.bench.ts [rows] [rounds]
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { DbConfig, DbType, ResultsConfig } from '../lib/config/types.js';
import { createDbPools } from '../lib/db/createDbPools.js';
import { runTask } from '../test/support/runTask.js';

const ROWS = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 2);
const database = `sqljobber_bench_${randomBytes(4).toString('hex')}`;
const SERVERS: Record<DbType, { host: string; port: number; user: string }> = {
  postgres: { host: '127.0.0.1', port: 5432, user: 'postgres' },
  mysql: { host: '127.0.0.1', port: 3306, user: 'root' },
};

function config(type: DbType): DbConfig {
  const s = SERVERS[type];
  return {
    name: `bench_${type}`,
    type,
    dsn: `${type}://${s.user}@${s.host}:${s.port}/${database}`,
    connection: { host: s.host, port: s.port, user: s.user, password: '', database, params: {} },
    maxActive: 4,
    maxIdle: 2,
    connectTimeoutMs: 5_000,
  };
}
const results = (type: DbType): ResultsConfig => ({ ...config(type), name: `bench_${type}_results`, resultsTable: 'results_%s', unlogged: false });

/** The same rows per source, typed and plain ($1 / the sequence table bound the row count). */
const QUERIES: Record<DbType, { typed: string; plain: string }> = {
  postgres: {
    typed: `SELECT g AS id, CASE WHEN g % 1000 = 0 THEN 'NaN'::float8 ELSE g / 3.0::float8 END AS f, ARRAY[g, g + 1] AS arr,
              decode(md5(g::text), 'hex') AS bin, jsonb_build_object('g', g, 's', md5(g::text)) AS doc,
              timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second' AS at
            FROM generate_series(1, $1::int) g`,
    plain: `SELECT g AS id, g / 3.0::float8 AS f, g::text || ',' || (g + 1)::text AS arr, md5(g::text) AS bin,
              '{"g": ' || g || ', "s": "' || md5(g::text) || '"}' AS doc, timestamp '2024-01-01 00:00:00' + g * interval '1 second' AS at
            FROM generate_series(1, $1::int) g`,
  },
  mysql: {
    typed: `SELECT seq AS id, seq / 3e0 AS f, UNHEX(MD5(seq)) AS bin, JSON_OBJECT('g', seq, 's', MD5(seq)) AS doc,
              SEC_TO_TIME(CAST(seq AS SIGNED) - 100000) AS tm FROM seq_1_to_${ROWS}`,
    plain: `SELECT seq AS id, seq / 3e0 AS f, MD5(seq) AS bin, CONCAT('{"g": ', seq, ', "s": "', MD5(seq), '"}') AS doc,
              CAST(SEC_TO_TIME(CAST(seq AS SIGNED) - 100000) AS CHAR) AS tm FROM seq_1_to_${ROWS}`,
  },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const rate = (ms: number) => `${Math.round(ROWS / (ms / 1000)).toLocaleString('en-US')} rows/s`;

async function main(): Promise<void> {
  const admin = new pg.Client({ ...SERVERS.postgres, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const my = await mysql.createConnection({ ...SERVERS.mysql, password: '' });
  await my.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
  const pools = createDbPools();
  try {
    console.log(`typed against plain columns, ${ROWS.toLocaleString('en-US')} rows, median of ${ROUNDS} rounds`);
    let worst = 0;
    for (const [from, to] of [
      ['postgres', 'postgres'],
      ['postgres', 'mysql'],
      ['mysql', 'mysql'],
      ['mysql', 'postgres'],
    ] as const) {
      const times: Record<'typed' | 'plain', number[]> = { typed: [], plain: [] };
      let warnings: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of ['plain', 'typed'] as const) {
          const started = performance.now();
          const out = await runTask(pools, {
            source: config(from),
            results: results(to),
            query: QUERIES[from][kind],
            args: from === 'postgres' ? [String(ROWS)] : [],
            table: `results_${kind}_${from}_${to}`,
            timeoutMs: 300_000,
          });
          times[kind].push(performance.now() - started);
          if (out.count !== ROWS) throw new Error(`${from} -> ${to} ${kind}: ${out.count} rows of ${ROWS}`);
          if (kind === 'typed') warnings = out.warnings;
        }
      }
      const typed = median(times.typed);
      const plain = median(times.plain);
      worst = Math.max(worst, typed / plain);
      console.log(
        `${`${from} -> ${to}`.padEnd(22)} plain ${rate(plain).padStart(16)}   typed ${rate(typed).padStart(16)}   typed/plain ${(typed / plain).toFixed(2)}x` +
          (warnings.length > 0 ? `   warnings: ${warnings.join('; ')}` : ''),
      );
    }
    console.log(`worst typed/plain ratio ${worst.toFixed(2)}x (target: at most 1.5x)`);
  } finally {
    await pools.end();
    await my.query(`DROP DATABASE IF EXISTS ${database}`);
    await my.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
