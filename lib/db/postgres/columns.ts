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
  [1184, 'TIMESTAMP'], // timestamptz
]);
/** The PostgreSQL type OIDs whose text a source rewrites (see pgSource). */
export const PG_OID = { bool: 16, numeric: 1700, timestamptz: 1184 } as const;

/** The results column for a PostgreSQL RowDescription field. */
export function pgColumn(name: string, oid: number, typmod: number): Column {
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
    default:
      return 'TEXT';
  }
}
