import type { DbType } from '../config/types.js';
import type { Column, ColumnType } from './types.js';

/** A column as a source describes it, before its name is made safe for the results table. */
export type SourceColumn = Column;

/** MySQL's DECIMAL limits; DECIMAL(65,30) is the widest column, used when the source does not say. */
const MYSQL_MAX_PRECISION = 65;
const MYSQL_MAX_SCALE = 30;
/** Unsigned BIGINT goes up to 18446744073709551615, beyond a signed BIGINT. */
const UNSIGNED_BIGINT: Pick<Column, 'type' | 'precision' | 'scale'> = { type: 'DECIMAL', precision: 20, scale: 0 };

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
export function pgColumn(name: string, oid: number, typmod: number): SourceColumn {
  const type = PG_TYPES.get(oid) ?? 'TEXT';
  if (type !== 'DECIMAL' || typmod < 4) return { name, type };
  // numeric typmod = ((precision << 16) | scale) + 4; since PG 15 the scale is an
  // 11-bit signed number and may be negative or exceed the precision.
  const precision = ((typmod - 4) >> 16) & 0xffff;
  const scale = ((((typmod - 4) & 0x7ff) ^ 1024) - 1024);
  if (precision < 1 || scale < 0 || scale > precision) return { name, type };
  return { name, type, precision, scale };
}

/** MySQL column type numbers as mysql2 reports them (mysql2/lib/constants/types.js). */
export const MYSQL_TYPE = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  NULL: 6,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  VARCHAR: 15,
  BIT: 16,
  TIMESTAMP2: 17,
  DATETIME2: 18,
  TIME2: 19,
  JSON: 245,
  NEWDECIMAL: 246,
  GEOMETRY: 255,
} as const;
const MYSQL_UNSIGNED_FLAG = 32;
/** MySQL reports 31 (MariaDB 39) decimals when an expression's scale is not fixed. */
const MYSQL_NOT_FIXED_DEC = 31;

/** The parts of a mysql2 column definition that decide a results column. */
export interface MysqlFieldInfo {
  name: string;
  columnType: number;
  flags: number;
  decimals: number;
  columnLength: number;
}

/** The results column for a mysql2 column definition. TINYINT(1) stays BIGINT: it is not always a boolean. */
export function mysqlColumn(field: MysqlFieldInfo): SourceColumn {
  const name = field.name;
  const unsigned = (field.flags & MYSQL_UNSIGNED_FLAG) !== 0;
  switch (field.columnType) {
    case MYSQL_TYPE.TINY:
    case MYSQL_TYPE.SHORT:
    case MYSQL_TYPE.LONG:
    case MYSQL_TYPE.INT24:
    case MYSQL_TYPE.YEAR:
      return { name, type: 'BIGINT' };
    case MYSQL_TYPE.LONGLONG:
      return unsigned ? { name, ...UNSIGNED_BIGINT } : { name, type: 'BIGINT' };
    case MYSQL_TYPE.BIT:
      return field.columnLength >= 64 ? { name, ...UNSIGNED_BIGINT } : { name, type: 'BIGINT' };
    case MYSQL_TYPE.DECIMAL:
    case MYSQL_TYPE.NEWDECIMAL: {
      const scale = field.decimals;
      if (scale >= MYSQL_NOT_FIXED_DEC) return { name, type: 'DECIMAL' };
      // The display length counts the digits, a point when there is a fraction and a sign unless unsigned.
      const digits = field.columnLength - (scale > 0 ? 1 : 0) - (unsigned ? 0 : 1);
      const precision = Math.min(MYSQL_MAX_PRECISION, Math.max(digits, scale, 1));
      return { name, type: 'DECIMAL', precision, scale };
    }
    case MYSQL_TYPE.FLOAT:
    case MYSQL_TYPE.DOUBLE:
      return { name, type: 'DOUBLE' };
    case MYSQL_TYPE.TIMESTAMP:
    case MYSQL_TYPE.DATETIME:
    case MYSQL_TYPE.TIMESTAMP2:
    case MYSQL_TYPE.DATETIME2:
      return { name, type: 'TIMESTAMP' };
    case MYSQL_TYPE.DATE:
    case MYSQL_TYPE.NEWDATE:
      return { name, type: 'DATE' };
    default:
      return { name, type: 'TEXT' };
  }
}

/** The SQL type of a results column on the results database. */
export function columnSqlType(target: DbType, column: Column): string {
  const mysql = target === 'mysql';
  switch (column.type) {
    case 'BIGINT':
      return 'BIGINT';
    case 'DECIMAL': {
      if (!mysql) return column.precision === undefined ? 'NUMERIC' : `NUMERIC(${column.precision},${column.scale ?? 0})`;
      // Never MySQL's bare DECIMAL, which means DECIMAL(10,0).
      if (column.precision === undefined) return `DECIMAL(${MYSQL_MAX_PRECISION},${MYSQL_MAX_SCALE})`;
      const scale = Math.min(column.scale ?? 0, MYSQL_MAX_SCALE);
      return `DECIMAL(${Math.min(Math.max(column.precision, scale), MYSQL_MAX_PRECISION)},${scale})`;
    }
    case 'DOUBLE':
      return mysql ? 'DOUBLE' : 'DOUBLE PRECISION';
    case 'TIMESTAMP':
      // DATETIME, not TIMESTAMP: no 2038 limit and no time zone conversion.
      return mysql ? 'DATETIME(6)' : 'TIMESTAMP(6)';
    case 'DATE':
      return 'DATE';
    case 'BOOLEAN':
      return 'BOOLEAN';
    default:
      // LONGTEXT: TEXT would cap values at 64 KB.
      return mysql ? 'LONGTEXT' : 'TEXT';
  }
}

/** The name of the row-number column every results table starts with. */
export const ROW_COLUMN = '_row';

const PG_MAX_NAME_BYTES = 63;
const MYSQL_MAX_NAME_CHARS = 64;

/**
 * Makes column names safe and unique for the results database: strips what it
 * cannot store (NUL; on MySQL characters outside the BMP and trailing spaces),
 * shortens to its identifier limit, names empty ones `column_N`, and numbers
 * repeats `a`, `a_2`, `a_3` (case-insensitively, as MySQL compares them).
 * `_row` is taken by the row number.
 */
export function uniqueColumnNames(target: DbType, columns: readonly SourceColumn[]): Column[] {
  const taken = new Set([ROW_COLUMN]);
  return columns.map((column, i) => {
    let base = column.name.replaceAll('\0', '');
    if (target === 'mysql') base = base.replace(/[\u{10000}-\u{10FFFF}]/gu, '_').trimEnd();
    base = shorten(target, base, 0);
    if (base === '') base = `column_${i + 1}`;
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) {
      const suffix = `_${n}`;
      name = shorten(target, base, suffix.length) + suffix;
    }
    taken.add(name.toLowerCase());
    return { ...column, name };
  });
}

function shorten(target: DbType, name: string, reserve: number): string {
  const chars = Array.from(name);
  if (target === 'mysql') return chars.slice(0, MYSQL_MAX_NAME_CHARS - reserve).join('').trimEnd();
  let bytes = 0;
  let out = '';
  for (const ch of chars) {
    bytes += Buffer.byteLength(ch);
    if (bytes > PG_MAX_NAME_BYTES - reserve) break;
    out += ch;
  }
  return out;
}
