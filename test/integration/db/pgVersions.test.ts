/**
 * PostgreSQL to PostgreSQL between servers of different major versions (this
 * machine's server and the embedded one, PostgreSQL 18), both ways: rows travel
 * in binary COPY, which PostgreSQL keeps stable across versions for its built-in
 * types, and every value must read back as the source's own text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbConfig, ResultsConfig } from '../../../lib/config/types.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { runTask } from '../../support/runTask.js';
import { startPrivatePostgres, type PrivatePostgres } from '../../support/privatePostgres.js';
import { asResults, createTestDatabase, localDbConfig, type TestDatabase } from '../../support/testDatabases.js';

/** One column of every kind of built-in type, NULLs in the second row. */
const COLUMNS: [string, string][] = [
  ['i2', `32767::int2`],
  ['i8', `'-9223372036854775808'::int8`],
  ['n', `'-12345678901234567890.000000000123'::numeric`],
  ['nt', `'NaN'::numeric`],
  ['ns', `12.5::numeric(12,2)`],
  ['f4', `'-Infinity'::float4`],
  ['f8', `0.1::float8`],
  ['b', `true`],
  ['t', `E'tab\\there ñ 😀'`],
  ['vc', `'ab'::varchar(5)`],
  ['ch', `'ab'::char(3)`],
  ['by', `'\\x00ff5c0a'::bytea`],
  ['d', `'4713-01-01 BC'::date`],
  ['ts', `'2024-02-29 23:59:59.123456'::timestamp`],
  ['tz', `'2024-02-29 23:59:59.123456+02'::timestamptz`],
  ['ti', `'23:59:59.999'::time(3)`],
  ['ttz', `'10:00:00+05:30'::timetz`],
  ['iv', `'1 year -2 days 03:04:05.5'::interval`],
  ['j', `'{"a": [1, "ü"], "b": null}'::json`],
  ['jb', `'{"a": [1, "ü"], "b": null}'::jsonb`],
  ['u', `'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid`],
  ['ia', `'{{1,NULL},{3,4}}'::int[]`],
  ['ta', `'{"x y",NULL,""}'::text[]`],
  ['na', `'{1.50,NaN}'::numeric(5,2)[]`],
  ['bt', `'101'::bit(3)`],
  ['vb', `'10101'::varbit`],
  ['ip', `'2001:db8::1/64'::inet`],
  ['ci', `'10.0.0.0/8'::cidr`],
  ['mac', `'08:00:2b:01:02:03'::macaddr`],
  ['r', `'[1,5)'::int4range`],
  ['tr', `'[2024-01-01 00:00,2024-01-02 00:00)'::tsrange`],
  ['mr', `'{[1,3), [5,7)}'::int4multirange`],
  ['tsv', `'a fat cat'::tsvector`],
  ['tsq', `'fat & cat'::tsquery`],
  ['x', `'<a>b</a>'::xml`],
  ['pt', `'(1.5,2)'::point`],
  ['bx', `'((0,0),(1,1))'::box`],
  ['o', `42::oid`],
  ['pl', `'0/16B3748'::pg_lsn`],
  ['jp', `'$.a[*] ? (@ > 1)'::jsonpath`],
];
const QUERY = `SELECT ${COLUMNS.map(([name, expr]) => `${expr} AS ${name}`).join(', ')}
  UNION ALL SELECT ${COLUMNS.map(([name, expr]) => `NULL::${typeOf(expr)} AS ${name}`).join(', ')}`;

/** The type a column expression casts to (the text after its last `::`), or text/bool. */
function typeOf(expr: string): string {
  const cast = expr.lastIndexOf('::');
  if (cast >= 0) return expr.slice(cast + 2);
  return expr === 'true' ? 'boolean' : 'text';
}

const TEXTS = `SELECT ${COLUMNS.map(([name]) => `(${name})::text AS ${name}`).join(', ')}`;

let shared: TestDatabase;
let embedded: PrivatePostgres | undefined;
let pools: DbPools;

const embeddedConfig = (name: string): DbConfig => localDbConfig('postgres', embedded!.port, 'jobs', { name });

beforeAll(async () => {
  const started = await Promise.allSettled([createTestDatabase('postgres'), startPrivatePostgres()]);
  if (started[0].status === 'fulfilled') shared = started[0].value;
  if (started[1].status === 'fulfilled') embedded = started[1].value;
  for (const s of started) if (s.status === 'rejected') throw s.reason;
  await embedded!.sql('CREATE DATABASE jobs');
  pools = createDbPools();
}, 60_000);

afterAll(async () => {
  await pools?.end();
  await Promise.allSettled([shared?.drop(), embedded?.stop()]);
});

/** Each row's values as their text, on a server. */
async function textsOn(where: 'shared' | 'embedded', from: string): Promise<unknown[]> {
  const sql = `${TEXTS} FROM (${from}) q`;
  return where === 'shared' ? (await shared.query(sql)).map((r) => Object.fromEntries(COLUMNS.map(([n], i) => [n, r[i]]))) : embedded!.sql(sql, 'jobs');
}

describe('PostgreSQL to PostgreSQL across major versions', () => {
  it('the two servers differ in major version', async () => {
    const [[mine]] = (await shared.query('SHOW server_version_num')) as [[string]];
    const [theirs] = await embedded!.sql('SHOW server_version_num');
    expect(Math.floor(Number(mine) / 10_000)).not.toBe(Math.floor(Number(theirs?.server_version_num) / 10_000));
  });

  it.each([
    ['this machine\'s server to the embedded one', 'shared', 'embedded'],
    ['the embedded server to this machine\'s', 'embedded', 'shared'],
  ] as const)('%s: every built-in type in binary COPY, each value as the source has it', async (_, from, to) => {
    // Pools are kept by config name: each server's configs have names of their own.
    const source: DbConfig = from === 'shared' ? shared.db('shared_src') : embeddedConfig('embedded_src');
    const results: ResultsConfig = to === 'shared' ? shared.results({ name: 'shared_res' }) : asResults(embeddedConfig('embedded_res'));
    const table = `results_versions_${from}`;

    const out = await runTask(pools, { source, results, query: `SELECT current_query() AS q, * FROM (${QUERY}) v`, args: [], table, timeoutMs: 30_000 });

    expect(out.count).toBe(2);
    expect(out.warnings).toEqual([]);
    const stored = await textsOn(to, `SELECT * FROM "${table}" ORDER BY _row`);
    expect(stored).toEqual(await textsOn(from, QUERY));
    expect(stored[1]).toEqual(Object.fromEntries(COLUMNS.map(([n]) => [n, null])));
    const [q] = to === 'shared' ? (await shared.query(`SELECT q FROM "${table}" LIMIT 1`))[0]! : Object.values((await embedded!.sql(`SELECT q FROM "${table}" LIMIT 1`, 'jobs'))[0]!);
    expect(String(q)).toMatch(/\) TO STDOUT \(FORMAT binary\)$/);
  });
});
