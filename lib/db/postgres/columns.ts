import { columnKind } from '../shared/columnKind.js';
import type { Column, ColumnType } from '../port/types.js';
import { type TypeFacts, typeKey } from './typeFacts.js';

// PostgreSQL type OIDs (pg_type.oid; stable across versions).
const PG_KINDS: ReadonlyMap<number, ColumnType> = new Map([
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
  [1184, 'TIMESTAMPTZ'], // timestamptz
  [1083, 'TIME'], // time
  [1186, 'INTERVAL'], // interval
  [114, 'JSON'], // json
  [3802, 'JSON'], // jsonb
  [17, 'BYTES'], // bytea
  [2950, 'UUID'], // uuid
]);
/** The PostgreSQL type OIDs whose text a source rewrites (see the PostgreSQL source). */
export const PG_OID = { bool: 16, numeric: 1700 } as const;

/**
 * The results column for a RowDescription field, given what the source's catalog
 * says about its type. A portable type (see `TypeFacts`) keeps its exact SQL type
 * in `native`, for a PostgreSQL results database, and gets its kind (an array of
 * one is ARRAY); any other type (an enum, domain or composite of the source's
 * own) is TEXT, its value the type's text.
 */
export function pgColumn(name: string, oid: number, typmod: number, facts: ReadonlyMap<string, TypeFacts>): Column {
  const fact = facts.get(typeKey(oid, typmod));
  if (!fact?.portable) return { name, type: 'TEXT' };
  const native = { engine: 'postgres' as const, sql: fact.sql };
  if (fact.array) return { name, type: 'ARRAY', native };
  const type = PG_KINDS.get(oid) ?? 'TEXT';
  if (type !== 'DECIMAL' || typmod < 4) return { name, type, native };
  // numeric typmod = ((precision << 16) | scale) + 4; since PG 15 the scale is an
  // 11-bit signed number and may be negative or exceed the precision.
  const precision = ((typmod - 4) >> 16) & 0xffff;
  const scale = (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
  if (precision < 1 || scale < 0 || scale > precision) return { name, type, native };
  return { name, type, precision, scale, native };
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
