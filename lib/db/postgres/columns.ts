import { columnKind } from '../resultsPage.js';
import type { Column, ColumnType } from '../types.js';

// PostgreSQL type OIDs (pg_type.oid; stable across versions).
const PG_TYPES: ReadonlyMap<number, ColumnType> = new Map([
  [20, 'BIGINT'], // int8
  [21, 'BIGINT'], // int2
  [23, 'BIGINT'], // int4
  [26, 'BIGINT'], // oid
  [1700, 'DECIMAL'], // numeric
  [700, 'DOUBLE'], // float4
  [701, 'DOUBLE'], // float8
  [16, 'BOOLEAN'], // bool
  [1082, 'DATE'], // date
  [1114, 'TIMESTAMP'], // timestamp
]);
/**
 * Types with a kind of their own elsewhere, and their SQL name, which a PostgreSQL
 * results database creates the column with (`native`). Time types add their precision.
 */
const PG_KEPT_TYPES: ReadonlyMap<number, [ColumnType, string]> = new Map([
  [114, ['JSON', 'json']],
  [3802, ['JSON', 'jsonb']],
  [17, ['BYTES', 'bytea']],
  [2950, ['UUID', 'uuid']],
  [1083, ['TIME', 'time']],
  [1184, ['TIMESTAMPTZ', 'timestamptz']],
  [1186, ['INTERVAL', 'interval']],
]);
/** Array types (pg_type.typarray of their element) and their SQL name. */
const PG_ARRAY_TYPES: ReadonlyMap<number, string> = new Map([
  [1000, 'boolean[]'],
  [1001, 'bytea[]'],
  [1005, 'smallint[]'],
  [1007, 'integer[]'],
  [1016, 'bigint[]'],
  [1028, 'oid[]'],
  [1021, 'real[]'],
  [1022, 'double precision[]'],
  [1231, 'numeric[]'],
  [1009, 'text[]'],
  [1015, 'varchar[]'],
  [1014, 'bpchar[]'],
  [199, 'json[]'],
  [3807, 'jsonb[]'],
  [2951, 'uuid[]'],
  [1182, 'date[]'],
  [1115, 'timestamp[]'],
  [1185, 'timestamptz[]'],
  [1183, 'time[]'],
  [1187, 'interval[]'],
]);
/** The PostgreSQL type OIDs whose text a source rewrites (see pgSource). */
export const PG_OID = { bool: 16, numeric: 1700, timestamptz: 1184 } as const;

/** The results column for a PostgreSQL RowDescription field. */
export function pgColumn(name: string, oid: number, typmod: number): Column {
  const kept = PG_KEPT_TYPES.get(oid);
  if (kept) {
    const [type, sql] = kept;
    // time and timestamptz: typmod is the fraction digits (-1: unspecified).
    const precise = (oid === 1083 || oid === 1184) && typmod >= 0 && typmod <= 6 ? `${sql}(${typmod})` : sql;
    return { name, type, native: { engine: 'postgres', sql: precise } };
  }
  const array = PG_ARRAY_TYPES.get(oid);
  if (array) return { name, type: 'ARRAY', native: { engine: 'postgres', sql: array } };
  const type = PG_TYPES.get(oid) ?? 'TEXT';
  if (type !== 'DECIMAL' || typmod < 4) return { name, type };
  // numeric typmod = ((precision << 16) | scale) + 4; since PG 15 the scale is an
  // 11-bit signed number and may be negative or exceed the precision.
  const precision = ((typmod - 4) >> 16) & 0xffff;
  const scale = ((((typmod - 4) & 0x7ff) ^ 1024) - 1024);
  if (precision < 1 || scale < 0 || scale > precision) return { name, type };
  return { name, type, precision, scale };
}


/** The SQL type of a results column on PostgreSQL: the source's own type when it is PostgreSQL's. */
export function pgColumnSqlType(column: Column): string {
  if (column.native?.engine === 'postgres') return column.native.sql;
  switch (column.type) {
    case 'BIGINT':
      return 'BIGINT';
    case 'DECIMAL':
      return column.precision === undefined ? 'NUMERIC' : `NUMERIC(${column.precision},${column.scale ?? 0})`;
    case 'DOUBLE':
      return 'DOUBLE PRECISION';
    case 'TIMESTAMP':
      return 'TIMESTAMP(6)';
    case 'DATE':
      return 'DATE';
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'JSON':
    case 'ARRAY':
      return 'JSONB';
    case 'BYTES':
      return 'BYTEA';
    case 'UUID':
      return 'UUID';
    case 'TIMESTAMPTZ':
      return 'TIMESTAMPTZ(6)';
    case 'TIME':
      // A MySQL TIME may be negative or beyond 24 hours, which only an interval holds.
      return column.native?.engine === 'mysql' ? 'INTERVAL' : 'TIME(6)';
    case 'INTERVAL':
      return 'INTERVAL';
    default:
      return 'TEXT';
  }
}

/** The kind of a results table's column from its type (`format_type` without modifiers). */
export function pgResultsKind(formatType: string): ColumnType {
  const t = formatType.toLowerCase();
  if (t.endsWith('[]')) return 'ARRAY';
  switch (t) {
    case 'json':
    case 'jsonb':
      return 'JSON';
    case 'bytea':
      return 'BYTES';
    case 'uuid':
      return 'UUID';
    case 'timestamp with time zone':
      return 'TIMESTAMPTZ';
    case 'time without time zone':
      return 'TIME';
    case 'interval':
      return 'INTERVAL';
    default:
      return columnKind(t);
  }
}

/** How a page reads a column: arrays as JSON arrays (the server converts them exactly), the rest as their text. */
export function pgPageSelect(column: { type: ColumnType }, quoted: string): string {
  return column.type === 'ARRAY' ? `array_to_json(${quoted})` : quoted;
}
