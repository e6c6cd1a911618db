import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbType } from '../../../lib/config/types.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { runTask } from '../../../lib/db/runTask.js';
import { ARG, createFixture, expectFixtureRows, fixtureColumns, fixtureQuery } from './fixture.js';
import { createTestDatabase, type TestDatabase } from './helpers.js';

/** The four routes: every fixture value round-trips exactly, with the right column types. */
const dbs: Partial<Record<DbType, TestDatabase>> = {};
let pools: DbPools;

beforeAll(async () => {
  pools = createDbPools();
  for (const type of ['postgres', 'mysql'] as const) {
    const db = await createTestDatabase(type);
    dbs[type] = db;
    await createFixture(db);
  }
});

afterAll(async () => {
  await pools?.end();
  await Promise.all(Object.values(dbs).map((db) => db.drop()));
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
    for (const c of out.columns) {
      const fixture = columns.find((f) => f.name === c.name);
      const decimal = fixture?.decimal?.[sourceType];
      const [p, s] = decimal === undefined || decimal === 'free' ? [undefined, undefined] : decimal;
      expect(types[c.name], c.name).toBe(fixture?.results?.[`${sourceType}->${targetType}`] ?? EXPECTED_SQL[targetType][c.type]?.(p, s));
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
});
