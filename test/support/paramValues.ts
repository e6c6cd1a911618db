/**
 * fast-check arbitraries for task parameters (lib/tasks/params): values a
 * parameter takes, and values it must refuse, by its declared type.
 */
import fc from 'fast-check';
import type { TaskParam } from '../../lib/tasks/params/types.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const date = fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** A value `param` accepts, in any of the spellings it accepts. */
export function validValue(p: TaskParam): fc.Arbitrary<unknown> {
  const one = validItem(p);
  return p.array ? fc.array(one, { maxLength: p.max ?? 5 }) : one;
}

function validItem(p: TaskParam): fc.Arbitrary<unknown> {
  const t = p.type;
  switch (t.kind) {
    case 'int':
      return fc.integer().chain((n) => fc.constantFrom<unknown>(n, String(n)));
    case 'bigint':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
    case 'numeric':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.tuple(fc.integer(), fc.nat(9999)).map(([a, b]) => `${a}.${pad(b, 4)}`));
    case 'text':
      return fc.string({ maxLength: Math.min(p.max ?? 20, 20) });
    case 'bool':
      return fc.constantFrom(true, false, 'true', 'false');
    case 'date':
      return date.chain((d) => fc.constantFrom(d, d.replace(/-/g, '')));
    case 'timestamp':
      return fc.tuple(date, fc.nat(23), fc.nat(59)).map(([d, h, m]) => `${d} ${pad(h)}:${pad(m)}:00`);
    case 'timestamptz':
      return fc.tuple(date, fc.nat(23), fc.nat(59), fc.integer({ min: -12, max: 14 })).map(([d, h, m, z]) => `${d}T${pad(h)}:${pad(m)}:00${z < 0 ? '-' : '+'}${pad(Math.abs(z))}:00`);
    case 'enum':
    case 'identifier':
      return fc.constantFrom(...t.values);
  }
}

/** A value `param` must refuse (null and absent aside: those are fine unless it is required). */
export function invalidValue(p: TaskParam): fc.Arbitrary<unknown> {
  const t = p.type;
  const wrongShape: fc.Arbitrary<unknown> = p.array ? fc.oneof(fc.string({ minLength: 1, maxLength: 5 }), fc.integer(), fc.constant({})) : fc.oneof(fc.constant({}), fc.array(fc.integer(), { minLength: 1, maxLength: 2 }));
  const wrongItem = ((): fc.Arbitrary<unknown> => {
    switch (t.kind) {
      case 'int':
        return fc.oneof(fc.constantFrom('abc', '', '4 2', '0x10', '1.5', '2147483648', 'NaN'), fc.constant(2 ** 31), fc.double({ min: 0.1, max: 1e6, noInteger: true }), fc.boolean());
      case 'bigint':
        return fc.oneof(fc.constantFrom('abc', '9223372036854775808', '1e3', ''), fc.constant(2 ** 60), fc.boolean());
      case 'numeric':
        return fc.oneof(fc.constantFrom('abc', '1,5', '', '1e', 'NaN', 'Infinity', '--1'), fc.boolean());
      case 'text':
        return p.max !== undefined && !p.array ? fc.oneof(fc.integer(), fc.string({ minLength: p.max + 1, maxLength: p.max + 5 })) : fc.oneof(fc.integer(), fc.boolean());
      case 'bool':
        return fc.oneof(fc.constantFrom('yes', 'no', 'TRUE', '1', ''), fc.integer());
      case 'date':
      case 'timestamp':
      case 'timestamptz':
        return fc.oneof(fc.constantFrom('2024-02-30', '2023-02-29', '2024-13-01', 'yesterday', '01/05/2024', '2024-01-05T25:00', ''), fc.integer());
      case 'enum':
      case 'identifier':
        return fc.oneof(fc.string({ maxLength: 8 }).filter((s) => !t.values.includes(s)), fc.constantFrom(...t.values.map((v) => `${v} `), ...t.values.map((v) => v.toUpperCase() === v ? v.toLowerCase() : v.toUpperCase()), '"; DROP TABLE orders; --'), fc.integer());
    }
  })().filter((v) => !(typeof v === 'string' && (t.kind === 'enum' || t.kind === 'identifier') && t.values.includes(v)));
  return fc.oneof(wrongShape, p.array ? fc.array(wrongItem, { minLength: 1, maxLength: 3 }) : wrongItem);
}
