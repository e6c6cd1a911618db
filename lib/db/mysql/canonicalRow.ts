import { MYSQL_TYPE, type MysqlFieldInfo } from './columns.js';

/** What a column's values need to become canonical text. */
type Kind = 'text' | 'number' | 'float' | 'date' | 'time' | 'bit';

function kindOf(field: MysqlFieldInfo & { characterSet?: number }): Kind {
  switch (field.columnType) {
    case MYSQL_TYPE.TINY:
    case MYSQL_TYPE.SHORT:
    case MYSQL_TYPE.LONG:
    case MYSQL_TYPE.INT24:
    case MYSQL_TYPE.YEAR:
    case MYSQL_TYPE.DOUBLE:
    case MYSQL_TYPE.LONGLONG:
      return 'number';
    case MYSQL_TYPE.FLOAT:
      return 'float';
    case MYSQL_TYPE.DATE:
    case MYSQL_TYPE.NEWDATE:
    case MYSQL_TYPE.DATETIME:
    case MYSQL_TYPE.TIMESTAMP:
    case MYSQL_TYPE.DATETIME2:
    case MYSQL_TYPE.TIMESTAMP2:
      return 'date';
    case MYSQL_TYPE.TIME:
    case MYSQL_TYPE.TIME2:
      return 'time';
    case MYSQL_TYPE.BIT:
      return 'bit';
    default:
      return 'text';
  }
}

/**
 * Whether the text protocol carries every column of a result exactly. It does
 * for all but the floating-point types: MariaDB prints a FLOAT with 6
 * significant digits (1234567 as `1234570`) and a DOUBLE not always with the
 * digits that read back as the same double, so those need the binary protocol.
 */
export function textProtocolExact(fields: readonly MysqlFieldInfo[]): boolean {
  return fields.every((f) => f.columnType !== MYSQL_TYPE.FLOAT && f.columnType !== MYSQL_TYPE.DOUBLE);
}

/**
 * Turns a row as mysql2 parses it (binary or text protocol) into canonical text
 * in place and returns its approximate size. mysql2 already gives BIGINT,
 * DECIMAL, dates and JSON as strings (bigNumberStrings, dateStrings,
 * jsonStrings); small integers and floats arrive as numbers, binary strings and
 * BIT as Buffers.
 */
export function mysqlCanonicalizer(fields: MysqlFieldInfo[]): (row: unknown[]) => number {
  const kinds = fields.map(kindOf);
  const decimals = fields.map((f) => (f.decimals > 0 && f.decimals <= 6 ? f.decimals : 0));
  const n = kinds.length;
  return (row) => {
    let bytes = 16;
    for (let i = 0; i < n; i++) {
      const v = row[i];
      if (v === null || v === undefined) {
        row[i] = null;
        continue;
      }
      if (typeof v === 'string') {
        bytes += v.length;
        // Zero dates ('0000-00-00') stay: a MySQL results table keeps them, a PostgreSQL one
        // stores NULL and warns (its writer's row transform).
        // The binary protocol trims a TIME's fraction ('01:02:03.4'); MySQL prints TIME(3) as '01:02:03.400'.
        if (kinds[i] === 'time' && decimals[i]) row[i] = timeWithDecimals(v, decimals[i] ?? 0);
        continue;
      }
      const text = toText(v, kinds[i] ?? 'text');
      bytes += text.length;
      row[i] = text;
    }
    return bytes;
  };
}

function toText(v: unknown, kind: Kind): string {
  if (typeof v === 'number') return kind === 'float' ? shortestFloat32(v) : String(v);
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) {
    if (kind === 'bit') return v.length === 0 ? '0' : BigInt(`0x${v.toString('hex')}`).toString();
    return `\\x${v.toString('hex')}`;
  }
  // GEOMETRY and VECTOR arrive parsed; keep them as JSON text.
  return JSON.stringify(v);
}

function timeWithDecimals(v: string, decimals: number): string {
  const dot = v.indexOf('.');
  const fraction = dot < 0 ? '' : v.slice(dot + 1);
  return `${dot < 0 ? v : v.slice(0, dot)}.${fraction.padEnd(decimals, '0').slice(0, decimals)}`;
}

/** A FLOAT column's value as MySQL prints it: the shortest decimal that reads back as the same float32. */
function shortestFloat32(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let digits = 1; digits <= 9; digits++) {
    const text = v.toPrecision(digits);
    if (Math.fround(Number(text)) === v) return String(Number(text));
  }
  return String(v);
}
