/**
 * A task's result limits (`max_rows`, `max_result_bytes`) in the run pipeline, on
 * real servers, every source engine into every results engine (so every batch
 * format: COPY text lines, binary COPY tuples, values): past the limit the source
 * query is stopped on the server and the run fails leaving no table, or with
 * `on_limit: truncate` the rows before the limit become the table, with a warning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbType } from '../../../lib/config/types.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { GuardrailExceeded } from '../../../lib/db/port/guardrails.js';
import type { RunningQuery } from '../../../lib/db/port/types.js';
import { runTask } from '../../support/runTask.js';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabases.js';
import { failure, sleep, until } from '../../support/until.js';

const MILLION = 1_000_000;
const LIMIT = 100_000;

interface Engine {
  type: DbType;
  /** 1M rows of an integer and a short text. */
  million: string;
  /** 1M rows; the server sleeps 1 s before it produces row 100,001. */
  million_pausing: string;
  /** Whether the connection still runs a statement. */
  busy(db: TestDatabase, running: RunningQuery): Promise<boolean>;
  /** Whether the connection's statement is in the server's sleep. */
  sleeping(db: TestDatabase, running: RunningQuery): Promise<boolean>;
  tables(db: TestDatabase): Promise<string[]>;
}

const postgres: Engine = {
  type: 'postgres',
  million: `SELECT g AS id, 'row ' || g AS label FROM generate_series(1, ${MILLION}) g`,
  million_pausing: `SELECT g AS id, CASE WHEN g = ${LIMIT + 1} THEN pg_sleep(1)::text END AS s FROM generate_series(1, ${MILLION}) g`,
  async busy(db, running) {
    return (await db.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active'`, [running.connectionId])).length > 0;
  },
  async sleeping(db, running) {
    return (await db.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event = 'PgSleep'`, [running.connectionId])).length > 0;
  },
  async tables(db) {
    return (await db.query(`SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1`)).map((r) => String(r[0]));
  },
};

const mysql: Engine = {
  type: 'mysql',
  million: `SELECT seq AS id, CONCAT('row ', seq) AS label FROM seq_1_to_${MILLION}`,
  million_pausing: `SELECT seq AS id, IF(seq = ${LIMIT + 1}, SLEEP(1), 0) AS s FROM seq_1_to_${MILLION}`,
  async busy(db, running) {
    return (await db.query('SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ? AND INFO IS NOT NULL', [running.connectionId])).length > 0;
  },
  async sleeping(db, running) {
    return (await db.query(`SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ? AND STATE = 'User sleep'`, [running.connectionId])).length > 0;
  },
  async tables(db) {
    return (await db.query('SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1')).map((r) => String(r[0]));
  },
};

const dbs = new Map<DbType, TestDatabase>();
let pools: DbPools;

beforeAll(async () => {
  pools = createDbPools();
  dbs.set('postgres', await createTestDatabase('postgres'));
  dbs.set('mysql', await createTestDatabase('mysql'));
}, 60_000);

afterAll(async () => {
  await pools?.end();
  for (const db of dbs.values()) await db.drop();
});

const same = [postgres, mysql].map((e) => ({ from: e, to: e, name: `${e.type} into ${e.type}` }));
const crossed = [
  { from: postgres, to: mysql, name: 'postgres into mysql' },
  { from: mysql, to: postgres, name: 'mysql into postgres' },
];

const countSql = (type: DbType, table: string) =>
  type === 'postgres' ? `SELECT count(*), min(id), max(id), max(_row) FROM "${table}"` : `SELECT count(*), min(id), max(id), max(_row) FROM \`${table}\``;

// The truncated run first: as in a worker, whose planner estimate has opened it, the control pool (the cancel's) is warm when the limit is met.
describe.each(same)('$name', ({ from: e }) => {
  const db = () => dbs.get(e.type)!;

  it('max_rows with on_limit truncate: a table of the first 100,000 rows, a warning, the query stopped', async () => {
    let running: RunningQuery | undefined;
    const out = await runTask(pools, {
      source: db().db(),
      results: db().results(),
      query: e.million,
      args: [],
      table: 'limits_truncated',
      timeoutMs: 60_000,
      limits: { maxRows: LIMIT, onLimit: 'truncate' },
      onStarted: (r) => void (running = r),
    });
    expect(out).toMatchObject({ count: LIMIT, truncated: true });
    expect(out.warnings[0]).toMatch(/^truncated: the result passed max_rows = 100000; the table holds its first 100000 rows/);
    expect(await db().query(countSql(e.type, 'limits_truncated'))).toEqual([[String(LIMIT), '1', String(LIMIT), String(LIMIT)]]);
    await until('the source query gone', async () => !(await e.busy(db(), running!)), { timeoutMs: 2_000 });
  });

  it('max_rows = 100,000 on 1M rows: FAILURE within 1 s of row 100,001, the query gone within 2 s, no table left', async () => {
    let running: RunningQuery | undefined;
    // The last moment the server was seen sleeping before row 100,001: the row came after it.
    let seenSleeping = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        if (running && (await e.sleeping(db(), running))) seenSleeping = Date.now();
        await sleep(20);
      }
    })();
    const err = await failure(
      runTask(pools, {
        source: db().db(),
        results: db().results(),
        query: e.million_pausing,
        args: [],
        table: 'limits_fail',
        timeoutMs: 60_000,
        limits: { maxRows: LIMIT },
        onStarted: (r) => void (running = r),
      }),
    );
    const failedAt = Date.now();
    polling = false;
    await poll;
    expect(err).toBeInstanceOf(GuardrailExceeded);
    expect(err).toMatchObject({ guardrail: 'max_rows', limit: LIMIT, message: expect.stringMatching(/more than 100000 rows \(max_rows = 100000\).*cancelled its query.*on_limit: truncate/) });
    expect(seenSleeping, 'the server was seen in its sleep before row 100,001').toBeGreaterThan(0);
    expect(failedAt - seenSleeping).toBeLessThan(1_000);
    // Gone within 2 s of the failure; the cancel and the temporary table's drop may finish after it is thrown.
    await until('the source query gone', async () => !(await e.busy(db(), running!)) && Date.now(), { timeoutMs: 5_000 }).then((goneAt) =>
      expect(goneAt - failedAt).toBeLessThan(2_000),
    );
    await (err as GuardrailExceeded).cleanup;
    const tables = await e.tables(db());
    expect(tables).not.toContain('limits_fail');
    expect(tables.filter((t) => t.startsWith('sqljobber_tmp'))).toEqual([]);
  });
});

describe.each([...same, ...crossed])('$name', ({ from, to }) => {
  const source = () => dbs.get(from.type)!;
  const target = () => dbs.get(to.type)!;
  const table = `limits_${from.type}_${to.type}`;

  it('max_result_bytes: fails past the bytes, no table; truncate keeps the rows that began within them', async () => {
    const input = { source: source().db(), results: target().results(), query: from.million, args: [], table, timeoutMs: 60_000 };
    const err = await failure(runTask(pools, { ...input, limits: { maxBytes: 50_000 } }));
    expect(err).toMatchObject({ guardrail: 'max_result_bytes', limit: 50_000 });
    await (err as GuardrailExceeded).cleanup;
    expect(await to.tables(target())).not.toContain(table);
    const out = await runTask(pools, { ...input, limits: { maxBytes: 50_000, onLimit: 'truncate' } });
    expect(out.truncated).toBe(true);
    expect(out.warnings[0]).toMatch(/^truncated: the result passed max_result_bytes = 50000/);
    // Checked between rows (some 20 bytes each): the table ends with the row that crossed the limit.
    expect(out.bytes).toBeGreaterThan(50_000);
    expect(out.bytes).toBeLessThan(50_100);
    expect(await target().query(countSql(to.type, table))).toEqual([[String(out.count), '1', String(out.count), String(out.count)]]);
  });

  it('max_rows truncate across formats: exactly the first rows', async () => {
    const out = await runTask(pools, {
      source: source().db(),
      results: target().results(),
      query: from.million,
      args: [],
      table: `${table}_rows`,
      timeoutMs: 60_000,
      limits: { maxRows: 10_000, onLimit: 'truncate' },
    });
    expect(out).toMatchObject({ count: 10_000, truncated: true });
    expect(await target().query(countSql(to.type, `${table}_rows`))).toEqual([['10000', '1', '10000', '10000']]);
  });
});
