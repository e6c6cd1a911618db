/** A decimal text as PostgreSQL's numeric prints it: sign, digits, a point and digits. */
const DECIMAL = /^(-?)(\d+)(?:\.(\d*))?$/;

/**
 * The text of `v` rounded to `scale` decimal places, half away from zero as MySQL
 * rounds a DECIMAL, or undefined when it needs no rounding (trailing zeros of the
 * fraction do not count) or is not a plain decimal (NaN, Infinity: see the
 * caller's other rules).
 */
export function roundDecimal(v: string, scale: number): string | undefined {
  // Most values have few decimals: no parse for them (this runs on every value of the column).
  const point = v.indexOf('.');
  if (point < 0 || v.length - point - 1 <= scale) return undefined;
  const m = DECIMAL.exec(v);
  if (!m) return undefined;
  const [, sign = '', int = '', rawFrac = ''] = m;
  const frac = rawFrac.replace(/0+$/, '');
  if (frac.length <= scale) return undefined;
  let digits = int + frac.slice(0, scale);
  if (frac.charCodeAt(scale) >= 0x35) digits = increment(digits);
  const intLength = digits.length - scale;
  const whole = digits.slice(0, intLength);
  const rounded = scale > 0 ? `${whole}.${digits.slice(intLength)}` : whole;
  return /^0(\.0*)?$/.test(rounded) ? rounded : `${sign}${rounded}`;
}

/** Whether a decimal text has more than `intDigits` digits before its point (leading zeros do not count). */
export function decimalTooLarge(v: string, intDigits: number): boolean {
  // Before the point there are at most as many digits as characters: no parse for short values.
  const point = v.indexOf('.');
  if ((point < 0 ? v.length : point) <= intDigits) return false;
  const m = DECIMAL.exec(v);
  if (!m) return false;
  return (m[2] ?? '').replace(/^0+/, '').length > intDigits;
}

/** A string of decimal digits plus one (it may grow by a digit). */
function increment(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String.fromCharCode(out[i]!.charCodeAt(0) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}
