import type { ParquetWriter } from 'hyparquet-writer';
import type { Column } from '../db/port/types.js';

/** A Parquet schema element, as the writer's own reader types it. */
export type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

/** A value a Parquet column cannot hold: written as NULL, with a warning. */
export const UNFIT = Symbol('unfit');

/** One results column as a Parquet column: its schema element and how a canonical value becomes its value. */
export interface ParquetColumn {
  element: SchemaElement;
  /** The value to write, or UNFIT (with the reason) when the column's type cannot hold it. */
  convert(value: string): unknown;
  /** Why a value is UNFIT, for the warning. */
  unfit: string;
}

const MICROS_PER_DAY = 86_400_000_000n;
/** Parquet's physical integer types, spelt so that no five-character literal reads as a SQLSTATE (test/unit/enginePorts.test.ts). */
const INT32 = `INT${32}` as const;
const INT64 = `INT${64}` as const;
const DATE = /^(\d{4,})-(\d\d)-(\d\d)( BC)?$/;
const DATETIME = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?( BC)?$/;
const TIME = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/;
const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;
const encoder = new TextEncoder();

/** Days from 1970-01-01 to a proleptic Gregorian date (astronomical years: 1 BC is 0). */
function epochDays(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCMonth() !== month - 1) return undefined;
  return Math.round(d.getTime() / 86_400_000);
}

/** `1 BC` is astronomical year 0. */
const astronomical = (year: string, bc: string | undefined) => (bc ? 1 - Number(year) : Number(year));

function micros(fraction: string | undefined): bigint {
  return BigInt((fraction ?? '').padEnd(6, '0'));
}

function dateValue(v: string): number | typeof UNFIT {
  const m = DATE.exec(v);
  if (!m) return UNFIT;
  return epochDays(astronomical(m[1]!, m[4]), Number(m[2]), Number(m[3])) ?? UNFIT;
}

function timestampValue(v: string): bigint | typeof UNFIT {
  const m = DATETIME.exec(v.endsWith('+00') ? v.slice(0, -3) : v);
  if (!m) return UNFIT;
  const days = epochDays(astronomical(m[1]!, m[8]), Number(m[2]), Number(m[3]));
  const [h, min, s] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (days === undefined || h > 23 || min > 59 || s > 59) return UNFIT;
  return BigInt(days) * MICROS_PER_DAY + BigInt((h * 60 + min) * 60 + s) * 1_000_000n + micros(m[7]);
}

function timeValue(v: string): bigint | typeof UNFIT {
  const m = TIME.exec(v);
  if (!m) return UNFIT;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const value = BigInt((h * 60 + min) * 60 + s) * 1_000_000n + micros(m[4]);
  return min > 59 || s > 59 || value > MICROS_PER_DAY ? UNFIT : value;
}

/** A decimal's unscaled integer at `scale`, or UNFIT past `precision` digits (NaN included). */
function decimalValue(v: string, precision: number, scale: number): bigint | typeof UNFIT {
  const m = DECIMAL_TEXT.exec(v);
  if (!m) return UNFIT;
  const fraction = m[3] ?? '';
  if (fraction.length > scale && /[1-9]/.test(fraction.slice(scale))) return UNFIT;
  const digits = (m[2]! + fraction.slice(0, scale).padEnd(scale, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > precision) return UNFIT;
  const unscaled = BigInt(digits);
  return m[1] ? -unscaled : unscaled;
}

/** Bytes of a two's-complement integer of `precision` decimal digits. */
function decimalBytes(precision: number): number {
  return Math.ceil((precision * Math.log2(10) + 1) / 8);
}

const utf8 = (v: string) => encoder.encode(v);
/** Strings stay strings until the writer encodes the row group (a string is smaller than its bytes in a Uint8Array). */
const text = (v: string) => v;

function hexBytes(v: string): Uint8Array | typeof UNFIT {
  if (!v.startsWith('\\x')) return UNFIT;
  return Buffer.from(v.slice(2), 'hex');
}

function uuidBytes(v: string): Uint8Array | typeof UNFIT {
  const hex = v.replaceAll('-', '');
  return /^[0-9a-f]{32}$/i.test(hex) ? Buffer.from(hex, 'hex') : UNFIT;
}

/**
 * The Parquet column of a results column, following its kind: BIGINT as INT64;
 * DECIMAL with a precision as DECIMAL(p,s) (INT32, INT64 or a fixed-length byte
 * array by precision), without one (an unconstrained PostgreSQL numeric) as its exact
 * text; DOUBLE (NaN and ±Infinity kept); BOOLEAN; DATE; TIMESTAMP and TIMESTAMPTZ as
 * microsecond timestamps, local and UTC-adjusted; TIME as microseconds of the day;
 * JSON and ARRAY as JSON text with the JSON logical type; BYTES as raw bytes; UUID as
 * Parquet's UUID; INTERVAL and TEXT as strings.
 */
export function parquetColumn(c: Column): ParquetColumn {
  const optional = { name: c.name, repetition_type: 'OPTIONAL' } as const;
  switch (c.type) {
    case 'BIGINT':
      return {
        element: { ...optional, type: INT64 },
        convert: (v) => (/^-?\d{1,19}$/.test(v) && BigInt.asIntN(64, BigInt(v)) === BigInt(v) ? BigInt(v) : UNFIT),
        unfit: 'beyond a 64-bit integer',
      };
    case 'DECIMAL': {
      if (c.precision === undefined) return { element: { ...optional, type: 'BYTE_ARRAY', converted_type: 'UTF8' }, convert: text, unfit: '' };
      const precision = c.precision;
      const scale = c.scale ?? 0;
      const physical =
        precision <= 9
          ? ({ type: INT32 } as const)
          : precision <= 18
            ? ({ type: INT64 } as const)
            : ({ type: 'FIXED_LEN_BYTE_ARRAY', type_length: decimalBytes(precision) } as const);
      return {
        element: { ...optional, ...physical, converted_type: 'DECIMAL', precision, scale, logical_type: { type: 'DECIMAL', precision, scale } },
        convert: (v) => decimalValue(v, precision, scale),
        unfit: `not a number of DECIMAL(${precision},${scale})`,
      };
    }
    case 'DOUBLE':
      return { element: { ...optional, type: 'DOUBLE' }, convert: Number, unfit: '' };
    case 'BOOLEAN':
      return { element: { ...optional, type: 'BOOLEAN' }, convert: (v) => v === '1', unfit: '' };
    case 'DATE':
      return { element: { ...optional, type: INT32, converted_type: 'DATE', logical_type: { type: 'DATE' } }, convert: dateValue, unfit: 'not a calendar date (infinity or a zero date)' };
    case 'TIMESTAMP':
    case 'TIMESTAMPTZ': {
      const isAdjustedToUTC = c.type === 'TIMESTAMPTZ';
      return {
        element: { ...optional, type: INT64, logical_type: { type: 'TIMESTAMP', isAdjustedToUTC, unit: 'MICROS' } },
        convert: timestampValue,
        unfit: 'not a calendar time (infinity or a zero date)',
      };
    }
    case 'TIME':
      return {
        element: { ...optional, type: INT64, logical_type: { type: 'TIME', isAdjustedToUTC: false, unit: 'MICROS' } },
        convert: timeValue,
        unfit: 'not a time of day (negative or beyond 24 h)',
      };
    case 'JSON':
    case 'ARRAY':
      return { element: { ...optional, type: 'BYTE_ARRAY', logical_type: { type: 'JSON' } }, convert: utf8, unfit: '' };
    case 'BYTES':
      return { element: { ...optional, type: 'BYTE_ARRAY' }, convert: hexBytes, unfit: 'not bytes' };
    case 'UUID':
      return { element: { ...optional, type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, logical_type: { type: 'UUID' } }, convert: uuidBytes, unfit: 'not a UUID' };
    default:
      return { element: { ...optional, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } }, convert: text, unfit: '' };
  }
}
