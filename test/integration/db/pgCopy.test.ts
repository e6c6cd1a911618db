/**
 * PostgreSQL to PostgreSQL: the query runs as `COPY (query) TO STDOUT` and its
 * text goes to the results' COPY FROM unparsed; its arguments travel in bound
 * `set_config` calls, read back with casts to their described types. Every
 * column keeps its PostgreSQL type. Source and results share one database here,
 * so values are compared on the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { runTask, type SourceRunTaskInput } from '../../support/runTask.js';
import { withArgsFromSettings } from '../../../lib/db/postgres/settingArgs.js';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabases.js';
import { failure } from '../../support/until.js';

let db: TestDatabase;
let pools: DbPools;
let tables = 0;

beforeAll(async () => {
  pools = createDbPools();
  db = await createTestDatabase('postgres');
  await db.query('CREATE TABLE victim (id int)');
  await db.query(`CREATE TYPE mood AS ENUM ('sad', 'ok', 'ñ 😀')`);
  await db.query('CREATE DOMAIN posint AS int CHECK (VALUE > 0)');
  await db.query('CREATE TYPE pair AS (a int, b text)');
  await db.query(`
    CREATE TABLE items (
      id int PRIMARY KEY, d date, amount numeric(12,2), label text, tags text[], doc jsonb, code char(3), flags bit(3)
    )`);
  await db.query(`
    INSERT INTO items VALUES
      (1, '2024-01-01', 1.25, 'a', '{a}', '{"k": 1}', 'abc', '101'),
      (2, '2024-02-01', 2.50, 'b', '{"b c"}', '{"k": 2}', 'ab', '011'),
      (3, '2024-03-01', 3.75, 'it''s', '{a,"b c"}', '{"k": 1, "x": [1]}', 'x', '101'),
      (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
});

afterAll(async () => {
  await pools?.end();
  await db?.drop();
});

async function run(query: string, args: string[] = [], over: Partial<SourceRunTaskInput> = {}) {
  const table = `results_copy_${++tables}`;
  const out = await runTask(pools, { source: db.db(), results: db.results(), query, args, table, timeoutMs: 30_000, ...over });
  return { ...out, table };
}

/** A results table's rows after `_row`, in `_row` order, as the server's text. */
async function rowsOf(table: string): Promise<(string | null)[][]> {
  return (await db.query(`SELECT * FROM "${table}" ORDER BY _row`)).map((r) => r.slice(1));
}

async function sqlTypes(table: string): Promise<string[]> {
  const rows = await db.query(
    `SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 1 AND NOT attisdropped ORDER BY attnum`,
    [`"${table}"`],
  );
  return rows.map((r) => String(r[0]));
}

describe('the route', () => {
  it('runs a SELECT as a binary COPY (query) TO STDOUT, a trailing semicolon and comment cut off', async () => {
    const { table } = await run('SELECT current_query() AS q, 1 AS n; -- the end');
    const [[q, n]] = (await rowsOf(table)) as [[string, string]];
    expect(q).toBe('COPY (SELECT current_query() AS q, 1 AS n\n) TO STDOUT (FORMAT binary)');
    expect(n).toBe('1');
  });

  it('runs COPY text when a column has a type of the source\'s own whose binary form is not its text (a composite)', async () => {
    const { table } = await run("SELECT current_query() AS q, ROW(1, 'x')::pair AS p");
    expect(await rowsOf(table)).toEqual([['COPY (SELECT current_query() AS q, ROW(1, \'x\')::pair AS p\n) TO STDOUT', '(1,x)']]);
  });

  it('carries an enum of the source\'s own in binary: its label is the text column\'s value', async () => {
    const { table, columns } = await run("SELECT current_query() AS q, e FROM unnest(ARRAY['ok', 'sad', 'ñ 😀', NULL]::mood[]) e");
    expect(columns.map((c) => [c.type, c.native?.sql])).toEqual([
      ['TEXT', 'text'],
      ['TEXT', undefined],
    ]);
    const rows = await rowsOf(table);
    expect(rows.map((r) => r[1])).toEqual(['ok', 'sad', 'ñ 😀', null]);
    expect(rows[0]![0]).toMatch(/\) TO STDOUT \(FORMAT binary\)$/);
    expect(await sqlTypes(table)).toEqual(['text', 'text']);
  });

  it('runs a statement COPY cannot take (SHOW) with the extended protocol', async () => {
    const { table } = await run('SHOW TimeZone');
    expect(await rowsOf(table)).toEqual([['UTC']]);
  });

  it.each([
    ['binary', ''],
    ['text', ", ROW(1, 'x')::pair AS p"],
  ])('numbers rows in the query order, over many socket chunks (COPY %s)', async (_, extra) => {
    const { table, count } = await run(`SELECT g, md5(g::text) AS h${extra} FROM generate_series(1, 50000) g ORDER BY g DESC`);
    expect(count).toBe(50_000);
    expect(await db.query(`SELECT count(*) FILTER (WHERE _row = 50001 - g AND h = md5(g::text)) FROM "${table}"`)).toEqual([['50000']]);
  });

  it.each([
    ['binary', ''],
    ['text', ", ROW(1, 'x')::pair AS p"],
  ])('writes an empty table for a result without rows (COPY %s)', async (_, extra) => {
    const { table, count } = await run(`SELECT g${extra} FROM generate_series(1, 0) g`);
    expect(count).toBe(0);
    expect(await rowsOf(table)).toEqual([]);
  });

  it('carries NULLs, empty values and values larger than a socket chunk in binary', async () => {
    const query = `SELECT g, CASE WHEN g % 3 = 0 THEN NULL ELSE repeat(chr(65 + g % 26), g * 4999) END AS t,
      CASE WHEN g % 2 = 0 THEN ''::bytea ELSE decode(repeat('00ff', g * 2500), 'hex') END AS b, NULL::int AS nothing
      FROM generate_series(1, 60) g`;
    const { table, count } = await run(query);
    expect(count).toBe(60);
    expect(await db.query(`SELECT count(*) FROM "${table}" r JOIN (${query}) q USING (g) WHERE r._row = q.g AND r.t IS NOT DISTINCT FROM q.t AND r.b = q.b AND r.nothing IS NULL`)).toEqual([['60']]);
  });
});

describe('column types', () => {
  it('keeps every built-in type, arrays and typmods included; own enums and composites become text', async () => {
    const query = `SELECT '{"a": [1, "ü"]}'::json AS j, '{"b": null}'::jsonb AS jb, '\\x00ff5c090a'::bytea AS by,
      'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid AS u, '{1,NULL,3}'::int[] AS ia, '{"x y",NULL}'::text[] AS ta,
      '{1.50}'::numeric(5,2)[] AS na, '2024-02-29 23:59:59.123456+02'::timestamptz AS tz, '23:59:59.999'::time(3) AS t,
      '1 year -2 days 03:04:05.5'::interval AS iv, 12.5::numeric(12,2) AS n, 'ab'::varchar(5) AS vc, 'ab'::char(3) AS ch,
      '101'::bit(3) AS bt, '1.2.3.4/32'::inet AS ip, '[1,5)'::int4range AS r, 'a b'::tsvector AS tsv, 1.5::money AS m,
      'ok'::mood AS e, '{sad}'::mood[] AS ea, 5::posint AS dom, ROW(1, 'x')::pair AS comp, 'pg_class'::regclass AS rc`;
    const { table, columns } = await run(query);

    expect(columns.map((c) => [c.name, c.type, c.native?.sql])).toEqual([
      ['j', 'JSON', 'json'],
      ['jb', 'JSON', 'jsonb'],
      ['by', 'BYTES', 'bytea'],
      ['u', 'UUID', 'uuid'],
      ['ia', 'ARRAY', 'integer[]'],
      ['ta', 'ARRAY', 'text[]'],
      ['na', 'ARRAY', 'numeric(5,2)[]'],
      ['tz', 'TIMESTAMPTZ', 'timestamp with time zone'],
      ['t', 'TIME', 'time(3) without time zone'],
      ['iv', 'INTERVAL', 'interval'],
      ['n', 'DECIMAL', 'numeric(12,2)'],
      ['vc', 'TEXT', 'character varying(5)'],
      ['ch', 'TEXT', 'character(3)'],
      ['bt', 'TEXT', 'bit(3)'],
      ['ip', 'TEXT', 'inet'],
      ['r', 'TEXT', 'int4range'],
      ['tsv', 'TEXT', 'tsvector'],
      ['m', 'TEXT', undefined],
      ['e', 'TEXT', undefined],
      ['ea', 'TEXT', undefined],
      ['dom', 'BIGINT', 'integer'], // a domain's columns are described as its base type
      ['comp', 'TEXT', undefined],
      ['rc', 'TEXT', undefined],
    ]);
    expect(columns.find((c) => c.name === 'n')).toMatchObject({ precision: 12, scale: 2 });
    expect(await sqlTypes(table)).toEqual(columns.map((c) => c.native?.sql ?? 'text'));

    // Every value equals the query's own, compared as the same type's text on the server.
    const same = columns.map((c) => `(r.${c.name})::text IS NOT DISTINCT FROM (q.${c.name})::text`).join(' AND ');
    expect(await db.query(`SELECT count(*) FILTER (WHERE ${same}) FROM "${table}" r, (${query}) q`)).toEqual([['1']]);
    expect(await db.query(`SELECT jb -> 'b', by = '\\x00ff5c090a'::bytea, ia[3], tz = '2024-02-29 21:59:59.123456+00' FROM "${table}"`)).toEqual([
      ['null', 't', '3', 't'],
    ]);
  });
});

describe('results server settings', () => {
  it('loads an xml fragment into a results database whose xmloption is document', async () => {
    const strict = await createTestDatabase('postgres');
    try {
      await strict.query(`ALTER DATABASE ${strict.database} SET xmloption = document`);
      const out = await runTask(pools, {
        source: db.db(),
        results: strict.results({ name: 'strict' }),
        query: "SELECT 'text <b>bold</b>'::xml AS x",
        args: [],
        table: 'results_xml',
        timeoutMs: 30_000,
      });
      expect(out.columns[0]).toMatchObject({ type: 'TEXT', native: { engine: 'postgres', sql: 'xml' } });
      expect(await strict.query('SELECT x::text FROM results_xml')).toEqual([['text <b>bold</b>']]);
    } finally {
      await strict.drop();
    }
  });
});

describe('arguments', () => {
  const HOSTILE = [
    "'); DROP TABLE victim; --",
    "it's \"quoted\" \\ back\\slash \\' ''",
    "current_setting('sqljobber.arg_2')",
    '$1 $2 ? :x',
    'tab\tnewline\nreturn\r\\N end',
    '$$ $tag$ */ /* --',
    '',
    'ñ 😀 漢字',
  ];

  it('reads hostile values as values, never SQL', async () => {
    const query = `SELECT $1 AS untyped, $1::text AS typed, length($1) AS len, $2 AS second`;
    for (const value of HOSTILE) {
      const { table } = await run(query, [value, value]);
      const [[untyped, typed, len, second]] = (await rowsOf(table)) as [[string, string, string, string]];
      expect([untyped, typed, second], JSON.stringify(value)).toEqual([value, value, value]);
      expect(Number(len)).toBe([...value].length);
    }
    expect(await db.query(`SELECT count(*) FROM victim`)).toEqual([['0']]);
  });

  it.each([
    ['int', 'SELECT id FROM items WHERE id <= $1 ORDER BY id', ['2']],
    ['date', 'SELECT id, d FROM items WHERE d >= $1 ORDER BY id', ['2024-02-01']],
    ['numeric', 'SELECT id, amount FROM items WHERE amount > $1 ORDER BY id', ['1.5']],
    ['text[]', 'SELECT id FROM items WHERE tags && $1 ORDER BY id', ['{"b c"}']],
    ['jsonb', 'SELECT id, doc FROM items WHERE doc @> $1 ORDER BY id', ['{"k": 1}']],
    ['char(3) compares as bpchar, not char(1)', 'SELECT id FROM items WHERE code = $1 ORDER BY id', ['abc']],
    ['bit(3) compares as bit, not bit(1)', 'SELECT id FROM items WHERE flags = $1 ORDER BY id', ['101']],
    ['reused, out of order, negated, subscripted', 'SELECT $2::int - $1 AS a, -$1::int AS b, ($3::int[])[2] AS c, $1 * $1 AS d', ['7', '10', '{4,5}']],
    ['in strings and comments, left alone', "SELECT '$1' AS lit, $1::int AS v /* $1 */ -- $1", ['3']],
    ['a quoted text arg', 'SELECT id FROM items WHERE label = $1', ["it's"]],
    ['an array for = ANY', 'SELECT id FROM items WHERE id = ANY($1) ORDER BY id', ['{1,3}']],
    ['LIMIT, OFFSET and a set-returning function', 'SELECT g FROM generate_series(1, $1) g ORDER BY g LIMIT $2 OFFSET $3', ['10', '3', '2']],
  ] as const)('typed arguments (%s) give the rows bound parameters give', async (_, query, args) => {
    const bound = await db.query(query, [...args]);
    const { table } = await run(query, [...args]);
    expect(await rowsOf(table)).toEqual(bound);
    expect(bound.length).toBeGreaterThan(0);
  });

  it('reads each argument once per query, not once per row', async () => {
    const { table } = await run(`SELECT count(*) AS n FROM generate_series(1, 100000) g WHERE g <= $1`, ['50000']);
    const [[n]] = (await rowsOf(table)) as [[string]];
    expect(n).toBe('50000');
    const plan = await db.query(`EXPLAIN (COSTS OFF) ${withArgsFromSettings('SELECT g FROM generate_series(1, 10) g WHERE g <= $1', ['integer'])}`);
    expect(plan.flat().join('\n')).toMatch(/InitPlan/);
  });

  it('a value its type refuses fails as a bound parameter does', async () => {
    const query = 'SELECT id FROM items WHERE id = $1';
    const bound = await failure(db.query(query, ['abc']));
    const err = await failure(run(query, ['abc']));
    expect(err).toMatchObject({ code: '22P02', message: (bound as Error).message });
  });

  it('too few arguments fail as they do when bound', async () => {
    const err = await failure(run('SELECT $1::int AS a, $2::int AS b', ['1']));
    expect(err).toMatchObject({ code: '08P01' });
  });

  it('with standard_conforming_strings off the query is bound instead (the scanner would misread its strings)', async () => {
    await db.query(`ALTER DATABASE ${db.database} SET standard_conforming_strings = off`);
    try {
      const fresh = createDbPools();
      try {
        const query = `SELECT 'it\\'s $1' AS lit, $1::text AS v, current_query() AS q`;
        const out = await runTask(fresh, { source: db.db(), results: db.results(), query, args: ['x'], table: 'results_nonstandard', timeoutMs: 30_000 });
        expect(out.count).toBe(1);
      } finally {
        await fresh.end();
      }
    } finally {
      await db.query(`ALTER DATABASE ${db.database} RESET standard_conforming_strings`);
    }
    const [[lit, v, q]] = (await rowsOf('results_nonstandard')) as [[string, string, string]];
    expect([lit, v]).toEqual(["it's $1", 'x']);
    expect(q.startsWith('COPY')).toBe(false);
  });
});
