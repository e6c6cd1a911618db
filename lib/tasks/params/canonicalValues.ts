/**
 * The text forms parameter values are checked against (as regular expressions
 * that JSON Schema can carry too, so the OpenAPI document and the server agree
 * exactly) and the one canonical text each value is turned into.
 */

/** Non-negative integers from 0 to `limit` (a digit string), without leading zeros. */
function upTo(limit: string): string {
  const n = limit.length;
  const parts = ['0'];
  if (n >= 2) parts.push(`[1-9]\\d{0,${n - 2}}`);
  for (let i = 0; i < n; i++) {
    const d = Number(limit[i]);
    const low = i === 0 ? 1 : 0;
    if (d - 1 >= low) parts.push(`${limit.slice(0, i)}[${low}-${d - 1}]${n - i - 1 > 0 ? `\\d{${n - i - 1}}` : ''}`);
  }
  parts.push(limit);
  return parts.join('|');
}

/** A whole number from -(max+1) to max, written in decimal (two's complement ranges: int, bigint). */
export function integerPattern(max: bigint): RegExp {
  return new RegExp(`^(?:${upTo(String(max))}|-(?:${upTo(String(max + 1n))}))$`);
}

/** The largest `int` (PostgreSQL int4, MySQL INT). */
export const INT_MAX = 2n ** 31n - 1n;
/** The largest `bigint` (int8, BIGINT). */
export const BIGINT_MAX = 2n ** 63n - 1n;

/** An integer's canonical text: no sign on zero, no leading zeros. */
export const canonicalInteger = (text: string): string => String(BigInt(text));

/** A decimal number, as JSON or a string may write it; the exponent is bounded so no value expands past 1,000 digits. */
export const NUMERIC_PATTERN = /^[+-]?(?:\d{1,100}(?:\.\d{0,100})?|\.\d{1,100})(?:[eE][+-]?\d{1,3})?$/;

/**
 * A decimal's canonical text: plain notation, no leading zeros, no trailing
 * zeros after the point, no sign on zero (`"4.20"`, `4.2` and `"42e-1"` are one value).
 */
export function canonicalDecimal(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new Error(`not a decimal: ${text}`);
  const [, sign, int = '', frac = '', exp = '0'] = m;
  let digits = (int + frac).replace(/^0+/, '');
  let scale = frac.length - Number(exp); // digits after the point
  if (digits === '') return '0';
  if (scale <= 0) return `${sign === '-' ? '-' : ''}${digits}${'0'.repeat(-scale)}`;
  digits = digits.padStart(scale + 1, '0');
  let whole = digits.slice(0, digits.length - scale);
  let fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  whole = whole.replace(/^0+(?=\d)/, '');
  scale = fraction.length;
  return `${sign === '-' ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

const YEAR = '(?!0000)\\d{4}';
const LEAP_YEAR = '(?:\\d{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)';
/** A calendar date, month and day checked (leap years too), with separator `sep` between its fields. */
const datePattern = (sep: string) =>
  `(?:${YEAR}${sep}(?:(?:0[13578]|1[02])${sep}(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)${sep}(?:0[1-9]|[12]\\d|30)|02${sep}(?:0[1-9]|1\\d|2[0-8]))|${LEAP_YEAR}${sep}02${sep}29)`;
/** ISO 8601 calendar dates: `2024-01-05` or `20240105`. */
const DATE = `(?:${datePattern('-')}|${datePattern('')})`;
const TIME = '(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,6})?)?';
const ZONE = '(?:[Zz]|[+-](?:[01]\\d|2[0-3])(?::?[0-5]\\d)?)';

/** A `date`: `2024-01-05` or `20240105`. */
export const DATE_PATTERN = new RegExp(`^${DATE}$`);
/** A `timestamp`: a date, `T` or a space, `hh:mm[:ss[.ffffff]]`. */
export const TIMESTAMP_PATTERN = new RegExp(`^${DATE}[Tt ]${TIME}$`);
/** A `timestamptz`: a timestamp with `Z` or a UTC offset (`+02`, `+0200`, `+02:00`). */
export const TIMESTAMPTZ_PATTERN = new RegExp(`^${DATE}[Tt ]${TIME}${ZONE}$`);

interface DateTime {
  date: string;
  time: string;
  fraction: string;
  zoneMinutes?: number;
}

function splitDateTime(text: string): DateTime {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(text);
  if (!m) throw new Error(`not a date or time: ${text}`);
  const [, y, mo, d, hh = '00', mi = '00', ss = '00', fraction = '', zone] = m;
  let zoneMinutes: number | undefined;
  if (zone !== undefined) {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    zoneMinutes = z ? (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0)) : 0;
  }
  return { date: `${y}-${mo}-${d}`, time: `${hh}:${mi}:${ss}`, fraction: fraction.replace(/0+$/, ''), ...(zoneMinutes === undefined ? {} : { zoneMinutes }) };
}

/** `2024-01-05` (from either ISO spelling). */
export const canonicalDate = (text: string): string => splitDateTime(text).date;

/** `2024-01-05 10:00:00[.fraction]`: seconds always, trailing zeros of the fraction dropped. */
export function canonicalTimestamp(text: string): string {
  const t = splitDateTime(text);
  return `${t.date} ${t.time}${t.fraction ? `.${t.fraction}` : ''}`;
}

/** The instant in UTC, `2024-01-05T08:00:00[.fraction]Z`: one instant written with two offsets is one value. */
export function canonicalTimestamptz(text: string): string {
  const t = splitDateTime(text);
  const [y, mo, d] = t.date.split('-').map(Number) as [number, number, number];
  const [hh, mi, ss] = t.time.split(':').map(Number) as [number, number, number];
  const at = new Date(0);
  at.setUTCFullYear(y, mo - 1, d);
  at.setUTCHours(hh, mi - (t.zoneMinutes ?? 0), ss, 0);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const day = `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
  const time = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  return `${day}T${time}${t.fraction ? `.${t.fraction}` : ''}Z`;
}

/** A PostgreSQL array literal of canonical values, each quoted: `{"a","b \"c\""}`. */
export const pgArrayLiteral = (values: readonly string[]): string => `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
