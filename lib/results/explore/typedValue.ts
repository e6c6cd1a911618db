import type { ColumnType } from '../../db/port/types.js';

/** A filter value checked against its column's kind: its canonical text, or why it does not fit. */
export type TypedValue = { value: string } | { problem: string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL = /^[-+]?(\d{1,100}(\.\d{0,100})?|\.\d{1,100})$/;
const DOUBLE = /^[-+]?(\d{1,400}(\.\d{0,400})?|\.\d{1,400})([eE][-+]?\d{1,4})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?(Z|[-+]\d{2}(?::?\d{2})?)?$/i;
const TIME = /^(-)?(\d{1,3}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
/** PostgreSQL's own interval text (`1 day 02:00:00`, `-3 mons`), in sizes no server refuses. */
const INTERVAL_PART = /^([-+]?\d{1,6}(\.\d{1,6})?) ?(years?|mons?|months?|weeks?|days?|hours?|mins?|minutes?|secs?|seconds?)$|^[-+]?\d{1,6}:\d{2}(:\d{2}(\.\d{1,6})?)?$/i;

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(2000, m, 0)).getUTCDate(); // a leap year: Feb has 29
  if (m === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= days;
}

/**
 * Checks a filter value against the kind of what it is compared with and gives
 * its canonical text (see `ColumnType`): what a results database reads back
 * as a value of that type. A value that does not parse is a problem, never
 * sent: so a bad value is a 400, not a database error.
 */
export function typedValue(kind: ColumnType, text: string): TypedValue {
  switch (kind) {
    case 'BIGINT': {
      if (!/^[-+]?\d{1,20}$/.test(text)) return { problem: 'expected a whole number' };
      const n = BigInt(text);
      if (n < INT64_MIN || n > INT64_MAX) return { problem: 'expected a whole number within 64 bits' };
      return { value: n.toString() };
    }
    case 'DECIMAL': {
      if (!DECIMAL.test(text)) return { problem: 'expected a decimal number such as 12.50' };
      let v = text.replace(/^\+/, '');
      if (v.startsWith('.') || v.startsWith('-.')) v = v.replace('.', '0.');
      if (v.endsWith('.')) v = v.slice(0, -1);
      return { value: v };
    }
    case 'DOUBLE': {
      if (text === 'NaN' || text === 'Infinity' || text === '-Infinity') return { value: text };
      const n = Number(text);
      if (!DOUBLE.test(text) || !Number.isFinite(n)) return { problem: 'expected a number such as 1.5 or 2e-3' };
      return { value: String(n) };
    }
    case 'BOOLEAN': {
      const t = text.toLowerCase();
      if (t === 'true' || t === 't' || t === '1') return { value: '1' };
      if (t === 'false' || t === 'f' || t === '0') return { value: '0' };
      return { problem: 'expected true or false' };
    }
    case 'DATE': {
      const m = DATE.exec(text);
      if (!m || !validDate(+m[1]!, +m[2]!, +m[3]!)) return { problem: 'expected a date YYYY-MM-DD' };
      return { value: text };
    }
    case 'TIMESTAMP':
    case 'TIMESTAMPTZ': {
      const m = TIMESTAMP.exec(text);
      const what = kind === 'TIMESTAMP' ? 'expected a timestamp YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]' : 'expected a timestamp YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][Z|+hh:mm]';
      if (!m || !validDate(+m[1]!, +m[2]!, +m[3]!)) return { problem: what };
      const [h, mi, s] = [+(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
      if (h > 23 || mi > 59 || s > 59) return { problem: what };
      if (m[8] !== undefined && kind === 'TIMESTAMP') return { problem: `${what} (no time zone: the column has none)` };
      const zone = m[8] === undefined ? '' : m[8].toUpperCase() === 'Z' ? '+00' : m[8];
      if (zone && (+zone.slice(1, 3) > 15 || +(zone.replace(':', '').slice(3) || 0) > 59)) return { problem: what };
      const clock = `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}${m[7] ?? ''}`;
      return { value: `${m[1]}-${m[2]}-${m[3]} ${clock}${kind === 'TIMESTAMPTZ' ? zone || '+00' : ''}` };
    }
    case 'TIME': {
      const m = TIME.exec(text);
      if (!m || +m[3]! > 59 || +(m[4] ?? 0) > 59 || +m[2]! > 838) return { problem: 'expected a time HH:MM[:SS[.ffffff]]' };
      return { value: `${m[1] ?? ''}${m[2]!.padStart(2, '0')}:${m[3]}:${m[4] ?? '00'}${m[5] ?? ''}` };
    }
    case 'INTERVAL': {
      const parts = text.trim().split(/\s+(?=[-+]?\d)/);
      if (text.trim() === '' || parts.length > 8 || !parts.every((p) => INTERVAL_PART.test(p))) {
        return { problem: "expected an interval such as '1 day 02:00:00' or '3 mons'" };
      }
      return { value: text.trim() };
    }
    case 'UUID':
      if (!UUID.test(text)) return { problem: 'expected a UUID' };
      return { value: text.toLowerCase().replace(/^(.{8})-?(.{4})-?(.{4})-?(.{4})-?(.{12})$/, '$1-$2-$3-$4-$5') };
    case 'TEXT':
      if (text.includes('\0')) return { problem: 'a text value cannot contain a NUL character' };
      return { value: text };
    default:
      return { problem: `a ${kind} column is not compared with values` };
  }
}
