import type { DbType } from '../../../lib/config/types.js';
import type { ColumnType } from '../../../lib/db/port/types.js';

/**
 * One row of docs/results.md's "Types, route by route" tables, as a test: a source column
 * of `source` type (docs/results.md's cell) filled with `rows`, a task that selects it as
 * `v`, and what must come out. The results column's SQL type is docs/results.md's own
 * "results type" cell, so docs/results.md and these cases cannot drift apart.
 */
export interface TypeCase {
  /** The "source type" cell of docs/results.md, without backticks. */
  source: string;
  /** The kind the results reader reports for the results column. */
  kind: ColumnType;
  /**
   * An expression over the results column `v` run on the results server, whose text
   * per row must equal `stored` (compared on the server: hex of bytes, JSON functions).
   */
  probe: string;
  rows: {
    /** Bound into the source table's `v` (a Buffer binds as bytes). */
    input: unknown;
    /** The probe's text for this row (null: SQL NULL). */
    stored: string | null;
    /** The value as the JSON results answer carries it. */
    api: unknown;
  }[];
  /** `RunTaskResult.warnings`, exactly (default: none). */
  warnings?: string[];
}

export type Route = `${DbType}->${DbType}`;

const hex = (h: string) => Buffer.from(h, 'hex');
const BYTES = '00ff105c090a0d22275c4e';
const BIG_BLOB = 'ff00'.repeat(32_767) + '5c';
const JSON_DOC = '{"a": [1, {"b": "ñ😀"}], "s": "x\\ty\\n\\"q\\"", "n": null}';
const JSON_VALUE = { a: [1, { b: 'ñ😀' }], s: 'x\ty\n"q"', n: null };

const mysqlBytes = (probe: string) => `LOWER(HEX(${probe}))`;
const pgBytes = (probe: string) => `encode(${probe}, 'hex')`;

/** Bytes rows: the special bytes, empty, NULL, and (for a BLOB) a full 64 KB value. */
function bytesRows(sizes: 'small' | 'blob') {
  const rows = [
    { input: hex(BYTES), stored: BYTES, api: `\\x${BYTES}` },
    { input: Buffer.alloc(0), stored: '', api: '\\x' },
    { input: null, stored: null, api: null },
    { input: hex('5c'), stored: '5c', api: '\\x5c' },
  ];
  if (sizes === 'blob') rows.push({ input: hex(BIG_BLOB), stored: BIG_BLOB, api: `\\x${BIG_BLOB}` });
  return rows;
}

function binary4Rows() {
  return [
    { input: hex('00ff'), stored: '00ff0000', api: '\\x00ff0000' },
    { input: hex('5c090a0d'), stored: '5c090a0d', api: '\\x5c090a0d' },
    { input: null, stored: null, api: null },
  ];
}

const jsonbRows = [
  { input: JSON_DOC, stored: 'ñ😀', api: JSON_VALUE },
  { input: '[]', stored: null, api: [] },
  { input: '"😀"', stored: null, api: '😀' },
  { input: null, stored: null, api: null },
  { input: '{"a": [0, {"b": ""}]}', stored: '', api: { a: [0, { b: '' }] } },
];

const uuidRows = [
  { input: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', stored: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', api: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' },
  { input: 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', stored: 'ffffffff-ffff-ffff-ffff-ffffffffffff', api: 'ffffffff-ffff-ffff-ffff-ffffffffffff' },
  { input: null, stored: null, api: null },
];

const mysqlTime6Rows = (stored: (v: string) => string) =>
  [
    ['-838:59:59.999999', '-838:59:59.999999'],
    ['-00:00:01.250000', '-00:00:01.25'],
    ['25:00:00.000001', '25:00:00.000001'],
    ['00:00:00.000000', '00:00:00'],
  ]
    .map(([input, api]) => ({ input, stored: stored(input!), api }))
    .concat([{ input: null as unknown as string, stored: null as unknown as string, api: null as unknown as string }]);

const enumRows = [
  { input: 'a', stored: 'a', api: 'a' },
  { input: 'b c', stored: 'b c', api: 'b c' },
  { input: 'ñ', stored: 'ñ', api: 'ñ' },
  { input: null, stored: null, api: null },
];
const setRows = [
  { input: 'x,y', stored: 'x,y', api: 'x,y' },
  { input: '', stored: '', api: '' },
  { input: 'y', stored: 'y', api: 'y' },
  { input: null, stored: null, api: null },
];
const bit8Rows = [
  { input: 5, stored: '5', api: '5' },
  { input: 0, stored: '0', api: '0' },
  { input: 255, stored: '255', api: '255' },
  { input: null, stored: null, api: null },
];
const bit64Rows = [
  { input: hex('ffffffffffffffff'), stored: '18446744073709551615', api: '18446744073709551615' },
  { input: hex('0000000000000001'), stored: '1', api: '1' },
  { input: null, stored: null, api: null },
];
const ubigRows = [
  { input: '18446744073709551615', stored: '18446744073709551615', api: '18446744073709551615' },
  { input: '0', stored: '0', api: '0' },
  { input: null, stored: null, api: null },
];
const dec29Rows = [
  { input: '12345678901234567890.123456789', stored: '12345678901234567890.123456789', api: '12345678901234567890.123456789' },
  { input: '-0.000000001', stored: '-0.000000001', api: '-0.000000001' },
  { input: null, stored: null, api: null },
];
const pgTimeRows = (stored: (v: string) => string) =>
  ['12:34:56.789', '00:00:00', '23:59:59.999', '24:00:00']
    .map((v) => ({ input: v, stored: stored(v), api: v }))
    .concat([{ input: null as unknown as string, stored: null as unknown as string, api: null as unknown as string }]);
const intervalRows = ['1 year 2 mons 3 days 04:05:06.789', '-00:00:01', '00:00:00', '-1 days +02:00:00']
  .map((v) => ({ input: v as string | null, stored: v as string | null, api: v as string | null }))
  .concat([{ input: null, stored: null, api: null }]);
const datetime6Rows = (stored: (v: string) => string) =>
  [
    ['2024-02-29 23:59:59.123456', '2024-02-29 23:59:59.123456'],
    ['1000-01-01 00:00:00.000000', '1000-01-01 00:00:00'],
    ['9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.999999'],
  ]
    .map(([input, api]) => ({ input, stored: stored(input!), api }))
    .concat([{ input: null as unknown as string, stored: null as unknown as string, api: null as unknown as string }]);

/** A warning `RunTaskResult` carries for `n` NaN/±Infinity values of column `v` on a MySQL DOUBLE. */
export const nanWarning = (n: number, type = 'DOUBLE') => `column "v": ${n} NaN/Infinity value(s) stored as NULL (a MySQL ${type} cannot hold them)`;

/** Every docs row, per route, keyed by its source type. */
export const TYPE_CASES: Record<Route, TypeCase[]> = {
  'postgres->postgres': [
    { source: 'jsonb', kind: 'JSON', probe: "v->'a'->1->>'b'", rows: jsonbRows },
    {
      source: 'json',
      kind: 'JSON',
      probe: 'v::text',
      rows: [
        { input: '{"b": 1,  "a": [true, null], "b": 2}', stored: '{"b": 1,  "a": [true, null], "b": 2}', api: { a: [true, null], b: 2 } },
        { input: '[]', stored: '[]', api: [] },
        { input: null, stored: null, api: null },
      ],
    },
    { source: 'bytea', kind: 'BYTES', probe: pgBytes('v'), rows: bytesRows('blob') },
    { source: 'uuid', kind: 'UUID', probe: 'v::text', rows: uuidRows },
    {
      source: 'integer[]',
      kind: 'ARRAY',
      probe: 'v::text',
      rows: [
        { input: '{1,2,NULL}', stored: '{1,2,NULL}', api: [1, 2, null] },
        { input: '{}', stored: '{}', api: [] },
        { input: '{{1,2},{3,4}}', stored: '{{1,2},{3,4}}', api: [[1, 2], [3, 4]] },
        { input: null, stored: null, api: null },
        { input: '{-2147483648}', stored: '{-2147483648}', api: [-2147483648] },
      ],
    },
    {
      source: 'text[]',
      kind: 'ARRAY',
      probe: 'v[2]',
      rows: [
        { input: ['a b', 'c,"q"\\', null, ''], stored: 'c,"q"\\', api: ['a b', 'c,"q"\\', null, ''] },
        { input: [], stored: null, api: [] },
        { input: null, stored: null, api: null },
      ],
    },
    { source: 'interval', kind: 'INTERVAL', probe: 'v::text', rows: intervalRows },
    { source: 'time(3)', kind: 'TIME', probe: 'v::text', rows: pgTimeRows((v) => v) },
    {
      source: 'timestamptz',
      kind: 'TIMESTAMPTZ',
      probe: `to_char(v AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`,
      rows: [
        { input: '2024-02-29 23:59:59.123456+02', stored: '2024-02-29 21:59:59.123456', api: '2024-02-29 21:59:59.123456+00' },
        { input: '1970-01-01 00:00:00+00', stored: '1970-01-01 00:00:00.000000', api: '1970-01-01 00:00:00+00' },
        { input: null, stored: null, api: null },
      ],
    },
    {
      source: 'double precision',
      kind: 'DOUBLE',
      probe: 'v::text',
      rows: [
        { input: '0.1', stored: '0.1', api: 0.1 },
        { input: 'NaN', stored: 'NaN', api: 'NaN' },
        { input: 'Infinity', stored: 'Infinity', api: 'Infinity' },
        { input: '-Infinity', stored: '-Infinity', api: '-Infinity' },
        { input: '5e-324', stored: '5e-324', api: 5e-324 },
        { input: null, stored: null, api: null },
      ],
    },
    { source: 'numeric(29,9)', kind: 'DECIMAL', probe: 'v::text', rows: dec29Rows },
  ],

  'mysql->mysql': [
    { source: 'JSON', kind: 'JSON', probe: "JSON_UNQUOTE(JSON_EXTRACT(v, '$.a[1].b'))", rows: jsonbRows },
    { source: 'BLOB', kind: 'BYTES', probe: mysqlBytes('v'), rows: bytesRows('blob') },
    { source: 'VARBINARY(16)', kind: 'BYTES', probe: mysqlBytes('v'), rows: bytesRows('small') },
    { source: 'BINARY(4)', kind: 'BYTES', probe: mysqlBytes('v'), rows: binary4Rows() },
    { source: 'TIME(6)', kind: 'TIME', probe: 'CAST(v AS CHAR)', rows: mysqlTime6Rows((v) => v) },
    {
      source: 'TIME',
      kind: 'TIME',
      probe: 'CAST(v AS CHAR)',
      rows: [
        { input: '-12:00:00', stored: '-12:00:00', api: '-12:00:00' },
        { input: '100:00:01', stored: '100:00:01', api: '100:00:01' },
        { input: null, stored: null, api: null },
      ],
    },
    { source: 'BIT(8)', kind: 'BIGINT', probe: 'CAST(v AS UNSIGNED)', rows: bit8Rows },
    { source: 'BIT(64)', kind: 'DECIMAL', probe: 'CAST(v AS UNSIGNED)', rows: bit64Rows },
    { source: "ENUM('a','b c','ñ')", kind: 'TEXT', probe: 'v', rows: enumRows },
    { source: "SET('x','y')", kind: 'TEXT', probe: 'v', rows: setRows },
    { source: 'BIGINT UNSIGNED', kind: 'DECIMAL', probe: 'v', rows: ubigRows },
    { source: 'DECIMAL(29,9)', kind: 'DECIMAL', probe: 'v', rows: dec29Rows },
    {
      source: 'DATETIME(6)',
      kind: 'TIMESTAMP',
      probe: 'v',
      rows: [
        ...datetime6Rows((v) => v),
        { input: '0000-00-00 00:00:00', stored: '0000-00-00 00:00:00.000000', api: '0000-00-00 00:00:00' },
        { input: '2024-00-15 10:00:00.5', stored: '2024-00-15 10:00:00.500000', api: '2024-00-15 10:00:00.5' },
      ],
    },
    { source: 'UUID', kind: 'UUID', probe: 'v', rows: uuidRows },
  ],

  'postgres->mysql': [
    { source: 'jsonb', kind: 'JSON', probe: "JSON_UNQUOTE(JSON_EXTRACT(v, '$.a[1].b'))", rows: jsonbRows },
    {
      source: 'json',
      kind: 'JSON',
      probe: "JSON_EXTRACT(v, '$.a[0]')",
      rows: [
        { input: '{"b": 1,  "a": [true, null]}', stored: 'true', api: { a: [true, null], b: 1 } },
        { input: '[]', stored: null, api: [] },
        { input: null, stored: null, api: null },
      ],
    },
    { source: 'bytea', kind: 'BYTES', probe: mysqlBytes('v'), rows: bytesRows('blob') },
    { source: 'uuid', kind: 'UUID', probe: 'v', rows: uuidRows },
    {
      source: 'integer[]',
      kind: 'JSON',
      probe: 'JSON_LENGTH(v)',
      rows: [
        { input: '{1,2,NULL}', stored: '3', api: [1, 2, null] },
        { input: '{}', stored: '0', api: [] },
        { input: '{{1,2},{3,4}}', stored: '2', api: [[1, 2], [3, 4]] },
        { input: null, stored: null, api: null },
        { input: '{-2147483648}', stored: '1', api: [-2147483648] },
      ],
    },
    {
      source: 'text[]',
      kind: 'JSON',
      probe: "JSON_UNQUOTE(JSON_EXTRACT(v, '$[1]'))",
      rows: [
        { input: ['a b', 'c,"q"\\', null, ''], stored: 'c,"q"\\', api: ['a b', 'c,"q"\\', null, ''] },
        { input: [], stored: null, api: [] },
        { input: null, stored: null, api: null },
      ],
    },
    {
      source: 'timestamptz',
      kind: 'TIMESTAMP',
      probe: 'CAST(v AS CHAR)',
      rows: [
        { input: '2024-02-29 23:59:59.123456+02', stored: '2024-02-29 21:59:59.123456', api: '2024-02-29 21:59:59.123456' },
        { input: '1970-01-01 00:00:00+00', stored: '1970-01-01 00:00:00.000000', api: '1970-01-01 00:00:00' },
        { input: 'infinity', stored: null, api: null },
        { input: '-infinity', stored: null, api: null },
        { input: '0044-03-15 12:00:00+00 BC', stored: null, api: null },
        { input: '10000-01-01 00:00:00+00', stored: null, api: null },
        { input: '0001-01-01 00:00:00+00', stored: '0001-01-01 00:00:00.000000', api: '0001-01-01 00:00:00' },
        { input: null, stored: null, api: null },
      ],
      warnings: [
        'column "v": 2 infinite value(s) stored as NULL (a MySQL DATETIME cannot hold them)',
        'column "v": 2 value(s) BC or after 9999 stored as NULL (a MySQL DATETIME cannot hold them)',
      ],
    },
    {
      source: 'date',
      kind: 'DATE',
      probe: 'CAST(v AS CHAR)',
      rows: [
        { input: '2024-02-29', stored: '2024-02-29', api: '2024-02-29' },
        { input: '9999-12-31', stored: '9999-12-31', api: '9999-12-31' },
        { input: 'infinity', stored: null, api: null },
        { input: '0001-01-01 BC', stored: null, api: null },
        { input: '12345-06-07', stored: null, api: null },
        { input: null, stored: null, api: null },
      ],
      warnings: [
        'column "v": 1 infinite value(s) stored as NULL (a MySQL DATE cannot hold them)',
        'column "v": 2 value(s) BC or after 9999 stored as NULL (a MySQL DATE cannot hold them)',
      ],
    },
    { source: 'time(3)', kind: 'TIME', probe: 'CAST(v AS CHAR)', rows: pgTimeRows((v) => (v.includes('.') ? `${v}000` : `${v}.000000`)) },
    { source: 'interval', kind: 'TEXT', probe: 'v', rows: intervalRows },
    {
      source: 'double precision',
      kind: 'DOUBLE',
      probe: 'CAST(v AS CHAR)',
      rows: [
        { input: '0.1', stored: '0.1', api: 0.1 },
        { input: 'NaN', stored: null, api: null },
        { input: 'Infinity', stored: null, api: null },
        { input: '-Infinity', stored: null, api: null },
        { input: '-1.5e300', stored: '-1.5e300', api: -1.5e300 },
        { input: null, stored: null, api: null },
      ],
      warnings: [nanWarning(3)],
    },
    {
      source: 'real',
      kind: 'DOUBLE',
      probe: 'CAST(v AS CHAR)',
      rows: [
        { input: '0.1', stored: '0.1', api: 0.1 },
        { input: 'NaN', stored: null, api: null },
        { input: '-3.25', stored: '-3.25', api: -3.25 },
        { input: null, stored: null, api: null },
      ],
      warnings: [nanWarning(1)],
    },
    {
      source: 'boolean',
      kind: 'BOOLEAN',
      probe: 'v',
      rows: [
        { input: true, stored: '1', api: true },
        { input: false, stored: '0', api: false },
        { input: null, stored: null, api: null },
      ],
    },
    { source: 'numeric(29,9)', kind: 'DECIMAL', probe: 'v', rows: dec29Rows },
    {
      source: 'numeric',
      kind: 'DECIMAL',
      probe: 'CAST(v AS CHAR)',
      rows: [
        { input: '0.000001', stored: '0.000001000000000000000000000000', api: '0.000001000000000000000000000000' },
        { input: '-12345678901234567890123456789012345', stored: '-12345678901234567890123456789012345.000000000000000000000000000000', api: '-12345678901234567890123456789012345.000000000000000000000000000000' },
        { input: 'NaN', stored: null, api: null },
        { input: null, stored: null, api: null },
        // Wider than DECIMAL(65,30): rounded past 30 decimals (trailing zeros are not rounding), NULL past 35 digits before the point.
        { input: `1${'0'.repeat(40)}`, stored: null, api: null },
        { input: '0.1234567890123456789012345678901234567', stored: '0.123456789012345678901234567890', api: '0.123456789012345678901234567890' },
        { input: `-9.${'9'.repeat(31)}`, stored: '-10.000000000000000000000000000000', api: '-10.000000000000000000000000000000' },
        { input: `1.5${'0'.repeat(34)}`, stored: '1.500000000000000000000000000000', api: '1.500000000000000000000000000000' },
      ],
      warnings: [
        nanWarning(1, 'DECIMAL'),
        'column "v": 2 value(s) rounded to 30 decimal places (the column is DECIMAL(65,30))',
        'column "v": 1 value(s) with more than 35 digits before the point stored as NULL (the column is DECIMAL(65,30))',
      ],
    },
  ],

  'mysql->postgres': [
    {
      source: 'JSON',
      kind: 'JSON',
      probe: "v->'a'->1->>'b'",
      rows: [
        ...jsonbRows,
        // jsonb has no \u0000; an escaped backslash before u0000 is plain text.
        { input: '{"a": "x\\u0000y"}', stored: null, api: null },
        { input: '{"a": "\\\\u0000"}', stored: null, api: { a: '\\u0000' } },
      ],
      warnings: ['column "v": 1 document(s) with a \\u0000 escape stored as NULL (a PostgreSQL jsonb cannot hold it)'],
    },
    { source: 'BLOB', kind: 'BYTES', probe: pgBytes('v'), rows: bytesRows('blob') },
    { source: 'VARBINARY(16)', kind: 'BYTES', probe: pgBytes('v'), rows: bytesRows('small') },
    {
      source: 'VARCHAR(20)',
      kind: 'TEXT',
      probe: 'v',
      rows: [
        { input: 'ñ😀 \\N\t\n', stored: 'ñ😀 \\N\t\n', api: 'ñ😀 \\N\t\n' },
        { input: 'a\0b', stored: null, api: null },
        { input: '', stored: '', api: '' },
        { input: null, stored: null, api: null },
      ],
      warnings: ['column "v": 1 value(s) with a NUL character stored as NULL (PostgreSQL text cannot hold it)'],
    },
    { source: 'BINARY(4)', kind: 'BYTES', probe: pgBytes('v'), rows: binary4Rows() },
    { source: 'TIME(6)', kind: 'INTERVAL', probe: 'v::text', rows: mysqlTime6Rows((v) => v.replace(/\.?0+$/, '')) },
    { source: 'BIT(8)', kind: 'BIGINT', probe: 'v::text', rows: bit8Rows },
    { source: 'BIT(64)', kind: 'DECIMAL', probe: 'v::text', rows: bit64Rows },
    { source: "ENUM('a','b c','ñ')", kind: 'TEXT', probe: 'v', rows: enumRows },
    { source: "SET('x','y')", kind: 'TEXT', probe: 'v', rows: setRows },
    { source: 'BIGINT UNSIGNED', kind: 'DECIMAL', probe: 'v::text', rows: ubigRows },
    {
      source: 'DOUBLE',
      kind: 'DOUBLE',
      probe: 'v::text',
      rows: [
        { input: 0.1, stored: '0.1', api: 0.1 },
        { input: -1.5e300, stored: '-1.5e+300', api: -1.5e300 },
        { input: 5e-324, stored: '5e-324', api: 5e-324 },
        { input: null, stored: null, api: null },
      ],
    },
    {
      source: 'DATETIME(6)',
      kind: 'TIMESTAMP',
      probe: `to_char(v, 'YYYY-MM-DD HH24:MI:SS.US')`,
      rows: [
        ...datetime6Rows((v) => v),
        // MySQL's zero dates (allowed unless sql_mode has NO_ZERO_DATE / NO_ZERO_IN_DATE).
        { input: '0000-00-00 00:00:00', stored: null, api: null },
        { input: '2024-00-15 10:00:00', stored: null, api: null },
        { input: '2024-03-00 10:00:00', stored: null, api: null },
      ],
      warnings: ['column "v": 3 zero date(s) stored as NULL (PostgreSQL has no year, month or day 0)'],
    },
    { source: 'UUID', kind: 'UUID', probe: 'v::text', rows: uuidRows },
  ],
};
