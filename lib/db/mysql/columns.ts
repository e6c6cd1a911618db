import { columnKind } from '../shared/columnKind.js';
import type { Column, ColumnType } from '../port/types.js';

/** MySQL's DECIMAL limits; DECIMAL(65,30) is the widest column, used when the source does not say. */
const MYSQL_MAX_PRECISION = 65;
const MYSQL_MAX_SCALE = 30;
/** Unsigned BIGINT goes up to 18446744073709551615, beyond a signed BIGINT. */
const UNSIGNED_BIGINT: Pick<Column, 'type' | 'precision' | 'scale'> = { type: 'DECIMAL', precision: 20, scale: 0 };

/**
 * The DECIMAL(precision, scale) a results column of kind DECIMAL gets: the
 * source's, within MySQL's limits (65 digits, 30 after the point), and never
 * MySQL's bare DECIMAL, which means DECIMAL(10,0). `fits` says whether every value
 * of the source's own type fits (the source's precision and scale are within the limits).
 */
export function mysqlDecimalShape(column: Pick<Column, 'precision' | 'scale'>): { precision: number; scale: number; fits: boolean } {
  if (column.precision === undefined) return { precision: MYSQL_MAX_PRECISION, scale: MYSQL_MAX_SCALE, fits: false };
  const scale = Math.min(column.scale ?? 0, MYSQL_MAX_SCALE);
  const precision = Math.min(Math.max(column.precision, scale), MYSQL_MAX_PRECISION);
  return { precision, scale, fits: column.precision <= MYSQL_MAX_PRECISION && (column.scale ?? 0) <= MYSQL_MAX_SCALE };
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
  ENUM: 247,
  SET: 248,
  TINY_BLOB: 249,
  MEDIUM_BLOB: 250,
  LONG_BLOB: 251,
  BLOB: 252,
  VAR_STRING: 253,
  STRING: 254,
  GEOMETRY: 255,
} as const;
const MYSQL_UNSIGNED_FLAG = 32;
/** The character set number of binary strings (BLOB, BINARY, VARBINARY). */
const MYSQL_BINARY_CHARSET = 63;
/** Longest BINARY/VARBINARY kept as such; longer ones become LONGBLOB (a row holds 64 KB of them at most). */
const MYSQL_MAX_KEPT_BINARY = 255;
/** MySQL reports 31 (MariaDB 39) decimals when an expression's scale is not fixed. */
const MYSQL_NOT_FIXED_DEC = 31;

/** The parts of a mysql2 column definition that decide a results column. */
export interface MysqlFieldInfo {
  name: string;
  columnType: number;
  flags: number;
  decimals: number;
  columnLength: number;
  characterSet?: number;
  /** MariaDB's extended metadata: its own types (`uuid`, `inet6`...) and JSON, sent as strings on the wire. */
  extendedTypeName?: string;
  extendedFormat?: string;
}

/** Whether a column holds bytes: a string or blob type in the binary character set. */
export function isMysqlBinary(field: MysqlFieldInfo): boolean {
  if (field.characterSet !== MYSQL_BINARY_CHARSET) return false;
  switch (field.columnType) {
    case MYSQL_TYPE.VARCHAR:
    case MYSQL_TYPE.VAR_STRING:
    case MYSQL_TYPE.STRING:
    case MYSQL_TYPE.TINY_BLOB:
    case MYSQL_TYPE.MEDIUM_BLOB:
    case MYSQL_TYPE.LONG_BLOB:
    case MYSQL_TYPE.BLOB:
      return true;
    default:
      return false;
  }
}

const mysqlNative = (sql: string): Column['native'] => ({ engine: 'mysql', sql });

/** The results column for a mysql2 column definition. TINYINT(1) stays BIGINT: it is not always a boolean. */
export function mysqlColumn(field: MysqlFieldInfo): Column {
  const name = field.name;
  const unsigned = (field.flags & MYSQL_UNSIGNED_FLAG) !== 0;
  if (field.columnType === MYSQL_TYPE.JSON || field.extendedFormat === 'json') return { name, type: 'JSON', native: mysqlNative('JSON') };
  // MariaDB's UUID: MySQL results databases lack the type, so no native one.
  if (field.extendedTypeName === 'uuid') return { name, type: 'UUID' };
  if (isMysqlBinary(field)) {
    const length = field.columnLength;
    const kept = length > 0 && length <= MYSQL_MAX_KEPT_BINARY;
    if (field.columnType === MYSQL_TYPE.STRING && kept) return { name, type: 'BYTES', native: mysqlNative(`BINARY(${length})`) };
    if ((field.columnType === MYSQL_TYPE.VAR_STRING || field.columnType === MYSQL_TYPE.VARCHAR) && kept) {
      return { name, type: 'BYTES', native: mysqlNative(`VARBINARY(${length})`) };
    }
    return { name, type: 'BYTES', native: mysqlNative('LONGBLOB') };
  }
  switch (field.columnType) {
    case MYSQL_TYPE.TINY:
    case MYSQL_TYPE.SHORT:
    case MYSQL_TYPE.LONG:
    case MYSQL_TYPE.INT24:
    case MYSQL_TYPE.YEAR:
      return { name, type: 'BIGINT' };
    case MYSQL_TYPE.LONGLONG:
      return unsigned ? { name, ...UNSIGNED_BIGINT } : { name, type: 'BIGINT' };
    case MYSQL_TYPE.BIT: {
      const bits = Math.min(64, Math.max(1, field.columnLength));
      const native = mysqlNative(`BIT(${bits})`);
      return bits >= 64 ? { name, ...UNSIGNED_BIGINT, native } : { name, type: 'BIGINT', native };
    }
    case MYSQL_TYPE.TIME:
    case MYSQL_TYPE.TIME2: {
      // An expression's TIME may not say its fraction digits (31 or 39): keep microseconds.
      const fsp = field.decimals <= 6 ? field.decimals : 6;
      return { name, type: 'TIME', native: mysqlNative(fsp > 0 ? `TIME(${fsp})` : 'TIME') };
    }
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


/** The SQL type of a results column on MySQL/MariaDB: the source's own type when it is MySQL's. */
export function mysqlColumnSqlType(column: Column): string {
  if (column.native?.engine === 'mysql') return column.native.sql;
  switch (column.type) {
    case 'BIGINT':
      return 'BIGINT';
    case 'DECIMAL': {
      const { precision, scale } = mysqlDecimalShape(column);
      return `DECIMAL(${precision},${scale})`;
    }
    case 'DOUBLE':
      return 'DOUBLE';
    case 'TIMESTAMP':
      // DATETIME, not TIMESTAMP: no 2038 limit and no time zone conversion.
      return 'DATETIME(6)';
    case 'DATE':
      return 'DATE';
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'JSON':
    case 'ARRAY':
      return 'JSON';
    case 'BYTES':
      return 'LONGBLOB';
    case 'UUID':
      return 'CHAR(36)';
    case 'TIMESTAMPTZ':
      // The instant in UTC (see the writer's row transform).
      return 'DATETIME(6)';
    case 'TIME':
      return 'TIME(6)';
    default:
      // LONGTEXT: TEXT would cap values at 64 KB. INTERVAL is PostgreSQL's text.
      return 'LONGTEXT';
  }
}

/**
 * How LOAD DATA or INSERT must turn a column's canonical text into its value,
 * given the user variable or placeholder holding the text; undefined when the
 * text goes in as it is. Bytes travel as `\x` + hex, BIT as its number.
 */
export function mysqlLoadExpression(column: Column): ((value: string) => string) | undefined {
  if (column.type === 'BYTES') return (v) => `UNHEX(SUBSTRING(${v}, 3))`;
  if (mysqlColumnSqlType(column).toUpperCase().startsWith('BIT(')) return (v) => `CAST(${v} AS UNSIGNED)`;
  return undefined;
}

/**
 * The kind of a results table's column from its DATA_TYPE and COLUMN_TYPE (a
 * MariaDB JSON column, LONGTEXT with a check, is found by the caller). Results
 * tables use CHAR(36) for UUIDs and BIT only as the source had it.
 */
export function mysqlResultsKind(dataType: string, columnType: string): ColumnType {
  switch (dataType.toLowerCase()) {
    case 'json':
      return 'JSON';
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
    case 'binary':
    case 'varbinary':
      return 'BYTES';
    case 'time':
      return 'TIME';
    case 'bit':
      return columnType.toLowerCase() === 'bit(64)' ? 'DECIMAL' : 'BIGINT';
    case 'uuid':
      return 'UUID';
    case 'char':
      return columnType.toLowerCase() === 'char(36)' ? 'UUID' : 'TEXT';
    default:
      return columnKind(dataType);
  }
}

/** How a page reads a column: bytes as `\x` + lowercase hex, BIT as its number, the rest as their text. */
export function mysqlPageSelect(column: { type: ColumnType }, quoted: string, bit: boolean): string {
  // X'5c78' is `\x` whatever the session's sql_mode says about backslashes.
  if (column.type === 'BYTES') return `CONCAT(X'5c78', LOWER(HEX(${quoted})))`;
  if (bit) return `CAST(${quoted} AS UNSIGNED)`;
  return quoted;
}
