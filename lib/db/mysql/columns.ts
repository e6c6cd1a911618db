import type { Column } from '../types.js';

/** MySQL's DECIMAL limits; DECIMAL(65,30) is the widest column, used when the source does not say. */
const MYSQL_MAX_PRECISION = 65;
const MYSQL_MAX_SCALE = 30;
/** Unsigned BIGINT goes up to 18446744073709551615, beyond a signed BIGINT. */
const UNSIGNED_BIGINT: Pick<Column, 'type' | 'precision' | 'scale'> = { type: 'DECIMAL', precision: 20, scale: 0 };

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
export function mysqlColumn(field: MysqlFieldInfo): Column {
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


/** The SQL type of a results column on MySQL/MariaDB: the source's own type when it is MySQL's. */
export function mysqlColumnSqlType(column: Column): string {
  if (column.native?.engine === 'mysql') return column.native.sql;
  switch (column.type) {
    case 'BIGINT':
      return 'BIGINT';
    case 'DECIMAL': {
      // Never MySQL's bare DECIMAL, which means DECIMAL(10,0).
      if (column.precision === undefined) return `DECIMAL(${MYSQL_MAX_PRECISION},${MYSQL_MAX_SCALE})`;
      const scale = Math.min(column.scale ?? 0, MYSQL_MAX_SCALE);
      return `DECIMAL(${Math.min(Math.max(column.precision, scale), MYSQL_MAX_PRECISION)},${scale})`;
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
    default:
      // LONGTEXT: TEXT would cap values at 64 KB.
      return 'LONGTEXT';
  }
}
