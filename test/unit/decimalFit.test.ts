import { describe, expect, it } from 'vitest';
import { decimalTooLarge, roundDecimal } from '../../lib/db/mysql/decimalFit.js';

describe('roundDecimal', () => {
  it.each([
    ['1.5', 2, undefined],
    ['1.50000000', 2, undefined], // trailing zeros need no rounding
    ['12', 0, undefined],
    ['0.123456', 3, '0.123'],
    ['0.1235', 3, '0.124'], // half away from zero
    ['-0.1235', 3, '-0.124'],
    ['9.9995', 3, '10.000'],
    ['-99.96', 1, '-100.0'],
    ['0.49', 0, '0'],
    ['2.5', 0, '3'],
    ['-0.0004', 3, '0.000'], // no negative zero
    ['NaN', 2, undefined],
    ['Infinity', 2, undefined],
  ] as const)('%s to %i places: %s', (v, scale, expected) => {
    expect(roundDecimal(v, scale)).toBe(expected);
  });
});

describe('decimalTooLarge', () => {
  it.each([
    ['123.45', 3, false],
    ['1234.5', 3, true],
    ['-1234', 3, true],
    ['000123', 3, false],
    ['0.5', 0, false],
    ['NaN', 3, false],
  ] as const)('%s with %i digits before the point: %s', (v, digits, expected) => {
    expect(decimalTooLarge(v, digits)).toBe(expected);
  });
});
