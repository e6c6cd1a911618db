import { expect } from 'vitest';
import type { DbType } from '../../../lib/config/types.js';
import type { ColumnType } from '../../../lib/db/port/types.js';
import type { TestDatabase } from '../../support/testDatabases.js';

/**
 * The edge fixture: one table, same column names on both servers, whose every
 * value must come out of a results table exactly as it went in. Values are the
 * canonical texts (see ColumnType); `input` overrides what is inserted when the
 * source needs another spelling (timestamptz with an offset, binary as bytes).
 */
interface FixtureColumn {
  name: string;
  /** Source column type per server; absent: the column exists only on the other server. */
  sql: Partial<Record<DbType, string>>;
  /** Results column type per source server. */
  type: Partial<Record<DbType, ColumnType>>;
  /** DECIMAL precision/scale expected in the results table per source ('free': unconstrained). */
  decimal?: Partial<Record<DbType, [number, number] | 'free'>>;
  values: (string | null)[];
  /** Values as a source prints them, when it differs from `values`. */
  printed?: Partial<Record<DbType, (string | null)[]>>;
  input?: Partial<Record<DbType, (v: string | null) => unknown>>;
  /** The results column's SQL type per route, where it is not the kind's usual one (the source's own type kept). */
  results?: Partial<Record<`${DbType}->${DbType}`, string>>;
  /** Values as a results database of the other engine stores them, when they differ from the printed ones. */
  across?: (string | null)[];
}

const LONG_TEXT = 'ñ漢😀'.repeat(50_000); // 200,000 UTF-16 code units, far beyond 64 KB in UTF-8
const TRICKY = 'tab\there\nnewline\\backslash\rcr \\N end\\';
export const ARG = `it's "quoted" ? and $1 \\ \`x\``;

const hexBytes = (v: string | null) => (v === null ? null : Buffer.from(v.slice(2), 'hex'));

export const FIXTURE: FixtureColumn[] = [
  { name: 'id', sql: { postgres: 'int PRIMARY KEY', mysql: 'INT PRIMARY KEY' }, type: { postgres: 'BIGINT', mysql: 'BIGINT' }, values: ['1', '2', '3', '4', '5'] },
  {
    name: 'big',
    sql: { postgres: 'bigint', mysql: 'BIGINT' },
    type: { postgres: 'BIGINT', mysql: 'BIGINT' },
    values: ['9007199254740993', '-9223372036854775808', '9223372036854775807', null, '0'],
  },
  {
    name: 'ubig',
    sql: { mysql: 'BIGINT UNSIGNED' },
    type: { mysql: 'DECIMAL' },
    decimal: { mysql: [20, 0] },
    values: ['18446744073709551615', '0', '9223372036854775808', null, '1'],
  },
  {
    name: 'dec',
    sql: { postgres: 'numeric(29,9)', mysql: 'DECIMAL(29,9)' },
    type: { postgres: 'DECIMAL', mysql: 'DECIMAL' },
    decimal: { postgres: [29, 9], mysql: [29, 9] },
    values: ['12345678901234567890.123456789', '0.000001000', '-0.000000001', null, '0.000000000'],
  },
  {
    name: 'dfree',
    sql: { postgres: 'numeric', mysql: 'DECIMAL(65,30)' },
    type: { postgres: 'DECIMAL', mysql: 'DECIMAL' },
    decimal: { postgres: 'free', mysql: [65, 30] },
    values: ['0.000001', '12345678901234567890.123456789', '-1', null, '0'],
  },
  {
    name: 'dbl',
    sql: { postgres: 'double precision', mysql: 'DOUBLE' },
    type: { postgres: 'DOUBLE', mysql: 'DOUBLE' },
    values: ['0.1', '-1.5e+300', '1e-300', null, '123456789.12345679'],
  },
  {
    name: 'flt',
    sql: { postgres: 'real', mysql: 'FLOAT' },
    type: { postgres: 'DOUBLE', mysql: 'DOUBLE' },
    values: ['0.1', '-3.25', '1234.5', null, '0'],
  },
  {
    name: 'ts',
    sql: { postgres: 'timestamp(6)', mysql: 'DATETIME(6)' },
    type: { postgres: 'TIMESTAMP', mysql: 'TIMESTAMP' },
    values: ['2024-02-29 23:59:59.123456', '1970-01-01 00:00:00', '9999-12-31 23:59:59.999999', null, '1000-01-01 00:00:00.000001'],
  },
  {
    name: 'tstz',
    sql: { postgres: 'timestamptz', mysql: 'TIMESTAMP(6) NULL' },
    type: { postgres: 'TIMESTAMPTZ', mysql: 'TIMESTAMP' },
    results: { 'postgres->postgres': 'timestamp with time zone' },
    values: ['2024-02-29 21:59:59.123456', '1970-01-01 00:00:01', '2038-01-19 03:14:07.999999', null, '2000-01-01 00:00:00'],
    // Given with an offset on PostgreSQL: the results hold it in UTC.
    input: { postgres: (v) => (v === '2024-02-29 21:59:59.123456' ? '2024-02-29 23:59:59.123456+02' : v === null ? null : `${v}+00`) },
  },
  {
    name: 'd',
    sql: { postgres: 'date', mysql: 'DATE' },
    type: { postgres: 'DATE', mysql: 'DATE' },
    values: ['1970-01-01', '2038-01-19', '9999-12-31', null, '2024-02-29'],
  },
  { name: 'b', sql: { postgres: 'boolean' }, type: { postgres: 'BOOLEAN' }, values: ['1', '0', '1', null, '0'] },
  { name: 'tiny1', sql: { mysql: 'TINYINT(1)' }, type: { mysql: 'BIGINT' }, values: ['1', '0', '-128', null, '127'] },
  {
    name: 't',
    sql: { postgres: 'text', mysql: 'LONGTEXT' },
    type: { postgres: 'TEXT', mysql: 'TEXT' },
    values: ['ñ 😀 漢字 café', LONG_TEXT, TRICKY, null, ''],
  },
  {
    name: 'vc',
    sql: { postgres: 'varchar(40)', mysql: 'VARCHAR(40)' },
    type: { postgres: 'TEXT', mysql: 'TEXT' },
    values: [`'quoted' "double" ?`, '\\N', 'NULL', null, ' '],
  },
  {
    name: 'j',
    sql: { postgres: 'jsonb', mysql: 'JSON' },
    type: { postgres: 'JSON', mysql: 'JSON' },
    values: ['{"a": 1}', '[1, "x\\ty"]', '"😀"', null, '{}'],
  },
  {
    name: 'bin',
    sql: { postgres: 'bytea', mysql: 'VARBINARY(16)' },
    type: { postgres: 'BYTES', mysql: 'BYTES' },
    results: { 'mysql->mysql': 'varbinary(16)' },
    values: ['\\x00ff10', '\\x', '\\x5c', null, '\\x09'],
    input: { mysql: hexBytes },
  },
  {
    name: 'tm',
    sql: { postgres: 'time(3)', mysql: 'TIME(3)' },
    type: { postgres: 'TIME', mysql: 'TIME' },
    results: { 'postgres->postgres': 'time(3) without time zone', 'mysql->mysql': 'time(3)', 'mysql->postgres': 'interval' },
    values: ['12:34:56.789', '00:00:00', '23:59:59.999', null, '01:02:03.4'],
    printed: { mysql: ['12:34:56.789', '00:00:00.000', '23:59:59.999', null, '01:02:03.400'] },
  },
  {
    name: 'iv',
    sql: { postgres: 'interval' },
    type: { postgres: 'INTERVAL' },
    values: ['1 day 02:03:04', '-00:00:01', '1 year 2 mons', null, '00:00:00'],
  },
  {
    name: 'arr',
    sql: { postgres: 'int[]' },
    type: { postgres: 'ARRAY' },
    results: { 'postgres->postgres': 'integer[]' },
    values: ['{1,2}', '{}', '{NULL}', null, '{-1}'],
    across: ['[1,2]', '[]', '[null]', null, '[-1]'],
  },
  {
    name: 'u',
    sql: { postgres: 'uuid' },
    type: { postgres: 'UUID' },
    values: ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', null, '12345678-1234-1234-1234-123456789abc'],
  },
  { name: 'en', sql: { mysql: "ENUM('a','b c','ñ')" }, type: { mysql: 'TEXT' }, values: ['a', 'b c', 'ñ', null, 'a'] },
  { name: 'yr', sql: { mysql: 'YEAR' }, type: { mysql: 'BIGINT' }, values: ['2024', '1901', '2155', null, '2000'] },
  { name: 'bits', sql: { mysql: 'BIT(8)' }, type: { mysql: 'BIGINT' }, results: { 'mysql->mysql': 'bit(8)' }, values: ['5', '0', '255', null, '128'], input: { mysql: (v) => (v === null ? null : Number(v)) } },
];

/** The values as the source server prints them. */
export function printedValues(column: FixtureColumn, source: DbType): (string | null)[] {
  return column.printed?.[source] ?? column.values;
}

/** Columns that exist on a source server, in table order. */
export function fixtureColumns(source: DbType): FixtureColumn[] {
  return FIXTURE.filter((c) => c.sql[source] !== undefined);
}

/** Creates and fills `fixture` on the source database. */
export async function createFixture(db: TestDatabase): Promise<void> {
  const columns = fixtureColumns(db.type);
  const q = (n: string) => (db.type === 'postgres' ? `"${n}"` : `\`${n}\``);
  await db.query(`CREATE TABLE fixture (${columns.map((c) => `${q(c.name)} ${c.sql[db.type]}`).join(', ')})`);
  const rowCount = columns[0]?.values.length ?? 0;
  for (let r = 0; r < rowCount; r++) {
    const values = columns.map((c) => {
      const v = c.values[r] ?? null;
      const input = c.input?.[db.type];
      return input ? input(v) : v;
    });
    const placeholders = columns.map((_, i) => (db.type === 'postgres' ? `$${i + 1}` : '?')).join(', ');
    await db.query(`INSERT INTO fixture (${columns.map((c) => q(c.name)).join(', ')}) VALUES (${placeholders})`, values);
  }
}

/**
 * The task query over the fixture, with two bound arguments: ARG (echoed back as
 * `arg`) and the minimum id; all columns, or only `columns`.
 */
export function fixtureQuery(source: DbType, columns?: FixtureColumn[]): string {
  const q = (n: string) => (source === 'postgres' ? `"${n}"` : `\`${n}\``);
  const list = columns ? columns.map((c) => `t.${q(c.name)}`).join(', ') : 't.*';
  return source === 'postgres'
    ? `SELECT $1::text AS arg, ${list} FROM fixture t WHERE t.id >= $2::int ORDER BY t.id`
    : `SELECT ? AS arg, ${list} FROM fixture t WHERE t.id >= ? ORDER BY t.id`;
}

/** A value as read back from a results table, in canonical spelling (trailing fraction zeros dropped, booleans 1/0). */
export function normalize(type: ColumnType, v: string | null): string | null {
  if (v === null) return null;
  switch (type) {
    case 'DECIMAL':
    case 'TIMESTAMP':
    case 'TIMESTAMPTZ':
    case 'TIME':
      return v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v;
    case 'DOUBLE':
      return String(Number(v));
    case 'BOOLEAN':
      return v === 't' || v === 'true' || v === '1' ? '1' : '0';
    default:
      return v;
  }
}

/** Reads a results table written from the fixture query (of `columns`, default all) and compares every value with the fixture. */
export async function expectFixtureRows(target: TestDatabase, table: string, source: DbType, columns = fixtureColumns(source)): Promise<void> {
  const q = (name: string) => (target.type === 'postgres' ? `"${name}"` : `\`${name}\``);
  // The server's text of each value; bytes and BIT, which MySQL sends raw, as \x hex and a number.
  const select = columns.map((c) => {
    const type = c.type[source];
    if (target.type === 'postgres') return type === 'TIMESTAMPTZ' ? `(${q(c.name)} AT TIME ZONE 'UTC')::text` : q(c.name);
    if (type === 'BYTES') return `CONCAT(X'5c78', LOWER(HEX(${q(c.name)})))`;
    return c.results?.['mysql->mysql']?.startsWith('bit') && source === 'mysql' ? `CAST(${q(c.name)} AS UNSIGNED)` : q(c.name);
  });
  const rows = await target.query(`SELECT _row, arg, ${select.join(', ')} FROM ${q(table)} ORDER BY 1`);
  expect(rows).toHaveLength(5);
  rows.forEach((row, r) => {
    expect(row[0]).toBe(String(r + 1));
    expect(row[1]).toBe(ARG);
    columns.forEach((c, i) => {
      const type = c.type[source] ?? 'TEXT';
      const expected = (target.type !== source && c.across) || printedValues(c, source);
      expect(normalize(type, row[i + 2] ?? null), `${c.name} row ${r + 1}`).toBe(normalize(type, expected[r] ?? null));
    });
  });
}
