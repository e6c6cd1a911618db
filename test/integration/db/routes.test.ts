import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbType } from '../../../lib/config/types.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { engineFor } from '../../../lib/db/engines.js';
import { runTask } from '../../support/runTask.js';
import { ARG, createFixture, expectFixtureRows, fixtureColumns, fixtureQuery } from './fixture.js';
import { closeEngineDatabases, openEngineDatabases, type TestDatabase, type EngineDatabases } from '../../support/testDatabases.js';
import { until } from '../../support/until.js';

/** The four routes: every fixture value round-trips exactly, with the right column types. */
let pools: DbPools;
let dbs: EngineDatabases;

beforeAll(async () => {
  ({ pools, dbs } = await openEngineDatabases());
  for (const type of ['postgres', 'mysql'] as const) {
    const db = dbs[type];
    await createFixture(db);
  }
});

afterAll(async () => {
  await closeEngineDatabases(pools, dbs);
});

function get(type: DbType): TestDatabase {
  const db = dbs[type];
  if (!db) throw new Error(`no ${type} database`);
  return db;
}

/** Column names and SQL types of a results table, as the results server reports them. */
async function columnTypes(db: TestDatabase, table: string): Promise<Record<string, string>> {
  const rows =
    db.type === 'postgres'
      ? await db.query(
          `SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
          [`"${table}"`],
        )
      : await db.query(
          `SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
          [table],
        );
  return Object.fromEntries(rows.map(([name, type]) => [String(name), String(type)]));
}

const EXPECTED_SQL: Record<DbType, Record<string, (precision?: number, scale?: number) => string>> = {
  postgres: {
    BIGINT: () => 'bigint',
    DECIMAL: (p, s) => (p === undefined ? 'numeric' : `numeric(${p},${s})`),
    DOUBLE: () => 'double precision',
    TIMESTAMP: () => 'timestamp(6) without time zone',
    DATE: () => 'date',
    BOOLEAN: () => 'boolean',
    TEXT: () => 'text',
    JSON: () => 'jsonb',
    BYTES: () => 'bytea',
    UUID: () => 'uuid',
    TIME: () => 'time(6) without time zone',
    TIMESTAMPTZ: () => 'timestamp(6) with time zone',
    INTERVAL: () => 'interval',
    ARRAY: () => 'jsonb',
  },
  mysql: {
    BIGINT: () => 'bigint(20)',
    DECIMAL: (p, s) => (p === undefined ? 'decimal(65,30)' : `decimal(${p},${s})`),
    DOUBLE: () => 'double',
    TIMESTAMP: () => 'datetime(6)',
    DATE: () => 'date',
    BOOLEAN: () => 'tinyint(1)',
    TEXT: () => 'longtext',
    // MariaDB's JSON is LONGTEXT with a json_valid check.
    JSON: () => 'longtext',
    BYTES: () => 'longblob',
    UUID: () => 'char(36)',
    TIME: () => 'time(6)',
    TIMESTAMPTZ: () => 'datetime(6)',
    INTERVAL: () => 'longtext',
    ARRAY: () => 'longtext',
  },
};

describe.each([
  ['postgres', 'postgres'],
  ['mysql', 'mysql'],
  ['postgres', 'mysql'],
  ['mysql', 'postgres'],
] as const)('runTask %s -> %s', (sourceType, targetType) => {
  it('round-trips every edge value exactly, bound args included', async () => {
    // Prepare
    const source = get(sourceType);
    const target = get(targetType);
    const table = `results_route_${sourceType}_${targetType}`;
    const columns = fixtureColumns(sourceType);

    // Act
    const out = await runTask(pools, {
      source: source.db(),
      results: target.results(),
      query: fixtureQuery(sourceType),
      args: [ARG, '1'],
      table,
      timeoutMs: 30_000,
    });

    // Assess: reported columns
    expect(out.count).toBe(5);
    expect(out.columns.map((c) => c.name)).toEqual(['arg', ...columns.map((c) => c.name)]);
    expect(out.columns[0]?.type).toBe('TEXT');
    for (const [i, c] of columns.entries()) {
      expect(out.columns[i + 1]?.type, c.name).toBe(c.type[sourceType]);
    }

    // Assess: the results table's SQL types
    const types = await columnTypes(target, table);
    expect(types._row).toBe(targetType === 'postgres' ? 'bigint' : 'bigint(20)');
    if (sourceType === 'postgres' && targetType === 'postgres') {
      // PostgreSQL to PostgreSQL: every column keeps the source's own type, typmod included.
      expect(types).toEqual({ _row: 'bigint', arg: 'text', ...(await columnTypes(source, 'fixture')) });
    } else {
      for (const c of out.columns) {
        const fixture = columns.find((f) => f.name === c.name);
        const decimal = fixture?.decimal?.[sourceType];
        const [p, s] = decimal === undefined || decimal === 'free' ? [undefined, undefined] : decimal;
        expect(types[c.name], c.name).toBe(fixture?.results?.[`${sourceType}->${targetType}`] ?? EXPECTED_SQL[targetType][c.type]?.(p, s));
      }
    }

    // Assess: every value, in source order, numbered by _row
    await expectFixtureRows(target, table, sourceType);
  });

  it('streams 200,000 rows (far beyond the buffers) in source order', async () => {
    const source = get(sourceType);
    const target = get(targetType);
    const table = `results_many_${sourceType}_${targetType}`;
    const query =
      sourceType === 'postgres'
        ? 'SELECT g AS n, repeat(md5(g::text), 4) AS s FROM generate_series(1, 200000) g'
        : 'SELECT seq AS n, REPEAT(MD5(seq), 4) AS s FROM seq_1_to_200000';

    const out = await runTask(pools, { source: source.db(), results: target.results(), query, args: [], table, timeoutMs: 60_000 });

    expect(out.count).toBe(200_000);
    const check =
      targetType === 'postgres'
        ? `SELECT count(*), count(*) FILTER (WHERE _row = n AND s = repeat(md5(n::text), 4)) FROM "${table}"`
        : `SELECT COUNT(*), SUM(_row = n AND s = REPEAT(MD5(n), 4)) FROM \`${table}\``;
    expect(await target.query(check)).toEqual([['200000', '200000']]);
  });

  it('creates the typed table for an empty result', async () => {
    const source = get(sourceType);
    const target = get(targetType);
    const table = `results_empty_${sourceType}_${targetType}`;

    const out = await runTask(pools, {
      source: source.db(),
      results: target.results(),
      query: fixtureQuery(sourceType),
      args: [ARG, '999'],
      table,
      timeoutMs: 30_000,
    });

    expect(out.count).toBe(0);
    const types = await columnTypes(target, table);
    expect(Object.keys(types)).toEqual(['_row', 'arg', ...fixtureColumns(sourceType).map((c) => c.name)]);
    expect(types.d).toBe('date');
    const rows = await target.query(`SELECT COUNT(*) FROM ${targetType === 'postgres' ? `"${table}"` : `\`${table}\``}`);
    expect(rows[0]?.[0]).toBe('0');
  });

  /**
   * Cross routes: a writer that fails part-way (a value it refuses, or its connection
   * ended by the server), and a sleeping row far behind that a source not stopped
   * would still run.
   */
  const refused = {
    'mysql->postgres': {
      // A value PostgreSQL cannot hold becomes NULL with a warning: the results server ends the COPY's backend instead.
      query: "SELECT seq, 'x' AS t, SLEEP(IF(seq = 400000, 30, 0)) AS s FROM seq_1_to_500000",
      marker: 'seq_1_to_500000',
      error: /terminat|ECONNRESET|EPIPE/i,
      async breakWriter(target: TestDatabase) {
        const copying = `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY "sqljobber_tmp_%' AND pid <> pg_backend_pid()`;
        await until('a COPY into the results to terminate', async () => (await target.query(copying)).length > 0, { timeoutMs: 5_000 });
      },
    },
    'postgres->mysql': {
      // Values MySQL cannot hold become NULL with a warning: the results server kills the INSERTing connection instead.
      query: 'SELECT g, 1.5::numeric AS d, CASE WHEN g = 400000 THEN pg_sleep(30)::text END AS s FROM generate_series(1, 500000) g',
      marker: 'generate_series(1, 500000)',
      error: /closed|lost|killed|ECONNRESET|EPIPE/i,
      async breakWriter(target: TestDatabase) {
        const inserting = "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'INSERT INTO `sqljobber\\_tmp\\_%' AND ID <> CONNECTION_ID()";
        let id: string | null | undefined;
        await until('an INSERT into the results to kill', async () => (id = (await target.query(inserting))[0]?.[0]) != null, { timeoutMs: 5_000 });
        await target.query(`KILL CONNECTION ${Number(id)}`);
      },
    },
  } as Record<string, { query: string; marker: string; error: RegExp; breakWriter?: (target: TestDatabase) => Promise<void> } | undefined>;
  const cross = refused[`${sourceType}->${targetType}`];

  it.runIf(cross !== undefined)('stops the source still streaming when the writer fails, and leaves no table', async () => {
    if (!cross) return;
    const source = get(sourceType);
    const target = get(targetType);
    const table = `results_refused_${sourceType}_${targetType}`;
    // Row by row INSERTs on MySQL, so the refusal comes mid-stream rather than at the end of LOAD DATA.
    const writerPools = createDbPools({ mysqlLocalInfile: false });
    try {
      const [err] = await Promise.all([
        runTask(writerPools, { source: source.db(), results: target.results(), query: cross.query, args: [], table, timeoutMs: 60_000 }).then(
          () => undefined,
          (e: unknown) => e,
        ),
        cross.breakWriter?.(target),
      ]);

      expect(String(err)).toMatch(cross.error);
      const leftovers =
        targetType === 'postgres'
          ? await target.query(`SELECT relname FROM pg_class WHERE relkind = 'r' AND (relname LIKE 'sqljobber%' OR relname = $1)`, [table])
          : await target.query(`SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND (TABLE_NAME LIKE 'sqljobber\\_%' OR TABLE_NAME = ?)`, [table]);
      expect(leftovers.flat()).toEqual([]);
      const stillRunning = async () =>
        (sourceType === 'postgres'
          ? await source.query(`SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()`, [`%${cross.marker}%`])
          : await source.query(`SELECT 1 FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND ID <> CONNECTION_ID()`, [`%${cross.marker}%`])
        ).length > 0;
      await until('the source query to leave the server', async () => !(await stillRunning()), { timeoutMs: 5_000 });
    } finally {
      await writerPools.end();
    }
  });

  it.runIf(targetType === 'mysql' && sourceType === 'mysql')('refuses a load that MySQL would silently mangle (a value no transform caught), and drops the temporary table', async () => {
    const target = get(targetType);
    const table = 'results_mangled';
    // Values said to come from MySQL are not checked: 123456.789 does not fit DECIMAL(5,2).
    const writer = await engineFor('mysql').openWriter(pools, target.results(), {
      table,
      columns: [{ name: 'd', type: 'DECIMAL', precision: 5, scale: 2, from: 'mysql' }],
      timeoutMs: 30_000,
    });
    expect(writer.format).toBe('text');
    await writer.write({ format: 'text', count: 2, chunks: [Buffer.from('1\t1.50\n2\t123456.789\n')] });
    const err = await writer.commit(Date.now() + 30_000).then(
      () => undefined,
      (e: unknown) => e,
    );
    await writer.abort();

    // LOAD DATA LOCAL turns a bad value into a warning and a wrong value: the load is refused instead.
    expect(String(err)).toMatch(/warning/);
    expect(await target.query(`SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND (TABLE_NAME LIKE 'sqljobber\\_%' OR TABLE_NAME = ?)`, [table])).toEqual([]);
  });
});
