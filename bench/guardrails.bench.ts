/**
 * Guardrails on the machine's PostgreSQL and MariaDB, each into itself: how soon a
 * run stops after the row past `max_rows` (a 1M-row source whose server sleeps 2 s
 * before row 100,001, so the row's arrival is known), how soon the source query is
 * gone from pg_stat_activity / the process list after that, what a truncated
 * 100,000-row run takes, and what a dry run (describe + plan) and a `max_cost`
 * check (plan) take.
 *
 * Targets: stopped within 1 s of row 100,001, the query gone within 2 s.
 * Run: npx tsx bench/guardrails.bench.ts [rounds]
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { DbType } from '../lib/config/types.js';
import { createDbPools } from '../lib/db/createDbPools.js';
import type { GuardrailExceeded } from '../lib/db/port/guardrails.js';
import type { RunningQuery } from '../lib/db/port/types.js';
import { sourceDb } from '../lib/db/sourceDb.js';
import { runTask } from '../test/support/runTask.js';
import { BENCH_SERVERS, benchDb, benchResults } from './benchConfig.js';

const ROUNDS = Number(process.argv[2] ?? 5);
const LIMIT = 100_000;
const PAUSE_MS = 2_000;
const database = `sqljobber_bench_${randomBytes(4).toString('hex')}`;

const QUERIES: Record<DbType, { pausing: string; million: string }> = {
  postgres: {
    pausing: `SELECT g AS id, CASE WHEN g = ${LIMIT + 1} THEN pg_sleep(${PAUSE_MS / 1000})::text END AS s FROM generate_series(1, 1000000) g`,
    million: `SELECT g AS id, 'row ' || g AS label FROM generate_series(1, 1000000) g`,
  },
  mysql: {
    pausing: `SELECT seq AS id, IF(seq = ${LIMIT + 1}, SLEEP(${PAUSE_MS / 1000}), 0) AS s FROM seq_1_to_1000000`,
    million: `SELECT seq AS id, CONCAT('row ', seq) AS label FROM seq_1_to_1000000`,
  },
};

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const figure = (xs: number[]) => {
  const s = sorted(xs);
  return `median ${Math.round(s[Math.floor(s.length / 2)]!)} ms (${Math.round(s[0]!)}..${Math.round(s.at(-1)!)})`;
};

async function main(): Promise<void> {
  const admin = new pg.Client({ ...BENCH_SERVERS.postgres, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const my = await mysql.createConnection({ ...BENCH_SERVERS.mysql, password: '' });
  await my.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
  const pgProbe = new pg.Client({ ...BENCH_SERVERS.postgres, database });
  await pgProbe.connect();
  const busy: Record<DbType, (r: RunningQuery) => Promise<boolean>> = {
    postgres: async (r) => (await pgProbe.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active'`, [r.connectionId])).rowCount! > 0,
    mysql: async (r) => ((await my.query('SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ? AND INFO IS NOT NULL', [r.connectionId]))[0] as unknown[]).length > 0,
  };
  const sleeping: Record<DbType, (r: RunningQuery) => Promise<boolean>> = {
    postgres: async (r) => (await pgProbe.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event = 'PgSleep'`, [r.connectionId])).rowCount! > 0,
    mysql: async (r) => ((await my.query(`SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ? AND STATE = 'User sleep'`, [r.connectionId]))[0] as unknown[]).length > 0,
  };
  const gone = async (type: DbType, r: RunningQuery, from: number) => {
    while (await busy[type](r)) await new Promise((resolve) => setTimeout(resolve, 10));
    return Date.now() - from;
  };
  const pools = createDbPools();
  try {
    console.log(`max_rows = ${LIMIT.toLocaleString('en-US')} on 1M-row sources, ${ROUNDS} rounds each (median, min..max)`);
    for (const type of ['postgres', 'mysql'] as const) {
      const source = benchDb(type, database);
      const results = benchResults(type, database);
      const stopAfterRow: number[] = [];
      const goneAfterStop: number[] = [];
      const truncated: number[] = [];
      const truncGone: number[] = [];
      const dryRun: number[] = [];
      const plan: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        let running: RunningQuery | undefined;
        // The last moment the server was seen in its sleep before row 100,001 (polled every 10 ms): the row came after it.
        let seenSleeping = 0;
        let polling = true;
        const poll = (async () => {
          while (polling) {
            const asked = Date.now();
            if (running && (await sleeping[type](running))) seenSleeping = asked;
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        })();
        const failed = await runTask(pools, {
          source,
          results,
          query: QUERIES[type].pausing,
          args: [],
          table: 'bench_limits',
          timeoutMs: 60_000,
          limits: { maxRows: LIMIT },
          onStarted: (r) => void (running = r),
        }).then(
          () => undefined,
          (err: unknown) => err,
        );
        const stoppedAt = Date.now();
        polling = false;
        await poll;
        if (!failed) throw new Error('the run did not stop at max_rows');
        if (seenSleeping === 0) throw new Error('the server was never seen in its sleep');
        stopAfterRow.push(stoppedAt - seenSleeping);
        goneAfterStop.push(await gone(type, running!, stoppedAt));
        await (failed as GuardrailExceeded).cleanup;

        let running2: RunningQuery | undefined;
        const t0 = Date.now();
        const out = await runTask(pools, {
          source,
          results,
          query: QUERIES[type].million,
          args: [],
          table: 'bench_truncated',
          timeoutMs: 60_000,
          limits: { maxRows: LIMIT, onLimit: 'truncate' },
          onStarted: (r) => void (running2 = r),
        });
        const done = Date.now();
        if (out.count !== LIMIT || !out.truncated) throw new Error(`the truncated run wrote ${out.count} rows`);
        truncated.push(done - t0);
        truncGone.push(await gone(type, running2!, done));

        const t1 = Date.now();
        await Promise.all([sourceDb(pools, source).describeResults({ query: QUERIES[type].million, args: [] }, type), sourceDb(pools, source).estimate(QUERIES[type].million, [])]);
        dryRun.push(Date.now() - t1);
        const t2 = Date.now();
        await sourceDb(pools, source).estimate(QUERIES[type].million, []);
        plan.push(Date.now() - t2);
      }
      console.log(`${type}:`);
      console.log(`  fail mode: stopped after row ${LIMIT + 1} within  ${figure(stopAfterRow)}  (from the last sight of the server's sleep before it; target < 1000)`);
      console.log(`             source query gone after the stop  ${figure(goneAfterStop)}  (target < 2000)`);
      console.log(`  truncate:  a ${LIMIT.toLocaleString('en-US')}-row table in         ${figure(truncated)}; query gone ${figure(truncGone)} later`);
      console.log(`  dry run (describe + plan)                   ${figure(dryRun)}`);
      console.log(`  max_cost check (plan)                       ${figure(plan)}`);
    }
  } finally {
    await pools.end();
    await pgProbe.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await my.query(`DROP DATABASE IF EXISTS ${database}`);
    await my.end();
  }
}

await main();
