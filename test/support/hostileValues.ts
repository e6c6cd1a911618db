/**
 * Hostile values for the fuzz properties (test/support/hostileRequests.ts), and
 * the rules of the handler world's routes as docs/http-api.md and docs/limits.md state them. The rules
 * are written here independently of the code under test: a generated value is
 * kept only when these rules refuse it, so a value the code wrongly accepts is
 * sent and caught rather than filtered out.
 */
import fc from 'fast-check';

// --- the world's rules, as docs/http-api.md and docs/limits.md state them -------------------------------------------

export const QUEUES = ['fuzz_q', 'other_q'];
export const TASKS = ['two_args', 'no_args', 'my_two'];
/** 63 less "results_" (the world's results_table pattern, results_%s). */
export const MAX_JOB_ID = 55;
export const MAX_JOB_TTL = 30 * 86_400;
export const MAX_ARG_BYTES = 32 * 1024;
export const MAX_JOB_ARGS_BYTES = 64 * 1024;
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
export const ID_CHARS = /^[A-Za-z0-9_:-]+$/;

export const isInt = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
export const validEta = (v: unknown) => {
  if (v === null) return true;
  const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(v) : null;
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as number[];
  const days = [31, y! % 4 === 0 && (y! % 100 !== 0 || y! % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return mo! >= 1 && mo! <= 12 && d! >= 1 && d! <= days[mo! - 1]! && h! <= 23 && mi! <= 59 && s! <= 59;
};
export const validArg = (a: unknown, postgres: boolean) =>
  typeof a === 'boolean' ||
  (typeof a === 'number' && Number.isFinite(a)) ||
  (typeof a === 'string' && Buffer.byteLength(a) <= MAX_ARG_BYTES && !/\p{Surrogate}/u.test(a) && !(postgres && a.includes('\0')));
export const argBytes = (a: unknown) => Buffer.byteLength(String(a));
/** Args for two_args: two of them, each valid, within the total. */
export const validArgs = (v: unknown) =>
  Array.isArray(v) && v.length === 2 && v.every((a) => validArg(a, true)) && v.reduce((n: number, a) => n + argBytes(a), 0) <= MAX_JOB_ARGS_BYTES;

/** dungbeetle's Go client sends unset fields as Go zero values, which mean "not given" (docs/migration.md). */
export const orGoZero = (zero: unknown, valid: (v: unknown) => boolean) => (v: unknown) => v === zero || valid(v);

/** The job request fields, with what docs/http-api.md accepts for the task two_args. */
export const JOB_FIELDS: Record<string, (v: unknown) => boolean> = {
  job_id: (v) => typeof v === 'string' && v.length <= MAX_JOB_ID && ID_CHARS.test(v),
  task: orGoZero('', (v) => v === 'two_args'),
  queue: orGoZero('', (v) => typeof v === 'string' && QUEUES.includes(v)),
  eta: orGoZero('', validEta),
  retries: (v) => isInt(v, 0, 100),
  ttl: orGoZero(0, (v) => isInt(v, 1, MAX_JOB_TTL)),
  args: validArgs,
  db: orGoZero('', (v) => v === 'main'),
};

// --- hostile values --------------------------------------------------------------------------

/** A JSON number token that JSON.stringify cannot write (1e400 reads as Infinity). */
export class RawNumber {
  constructor(readonly token: string) {}
  toJSON() {
    return `\u0000raw:${this.token}\u0000`;
  }
}

/** JSON text of `value`, with RawNumber tokens written as they are. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000raw:([^"\\]*)\\u0000"/g, '$1');
}

/** The value a field's handler sees once the JSON text is parsed (RawNumber tokens read, -0 as -0). */
export const parsedValue = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(jsonText(v)));

export const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
];
export const prototypeName = fc.constantFrom(...PROTOTYPE_NAMES);
export const unicode = fc.string({ unit: 'grapheme', maxLength: 40 });
/** Any UTF-16 code units, lone surrogates included. */
export const binary = fc.string({ unit: 'binary', maxLength: 40 });
export const withNul = fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}\u0000${b}`);
/** 40 KB to 900 KB of JSON text, in 1- to 4-byte characters (and NULs, 6 bytes escaped): past every per-field limit, within the body limit. */
export const huge = fc
  .tuple(fc.integer({ min: 40_000, max: 150_000 }), fc.constantFrom('x', 'é', '€', '😀', '\u0000'))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));
export const percentJunk = fc
  .tuple(fc.constantFrom('%', '%2', '%zz', '%E0%A4%A', '%C0%AF', '%FF', '%u0041', '%%', '%ED%A0%80', '%25'), fc.string({ maxLength: 8 }))
  .map(([p, s]) => `${s}${p}${s}`);
export const hostileString = fc.oneof(prototypeName, unicode, binary, withNul, huge, percentJunk, fc.string({ maxLength: 80 }));

export const boundaryNumber = fc.oneof(
  fc.constantFrom(-1, 0, 1, 0.5, 1.5, 100, 101, 1000, 1001, 10_000, 10_001, MAX_JOB_TTL, MAX_JOB_TTL + 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e21, 1e308, -1e-300, Number.MAX_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
);
/** Number tokens JSON.stringify never writes: infinities, and a -0 spelt with a huge exponent. */
export const numberTokens = fc.constantFrom('1e400', '-1e400', '1E999', '-0.0e999999', '123456789e999').map((t) => new RawNumber(t));
export const hostileNumber = fc.oneof(boundaryNumber, numberTokens);
export const wrongType = fc.oneof(
  fc.boolean(),
  fc.constant(null),
  hostileNumber,
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);
export const anything = fc.oneof(hostileString, hostileNumber, wrongType);

/** Argument lists for two_args that break a rule: count, types, sizes, NUL, lone surrogates. */
export const hostileArgs = fc.oneof(
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 6 }).filter((a) => a.length !== 2),
  fc.array(fc.constant('1'), { minLength: 101, maxLength: 300 }),
  fc.tuple(fc.oneof(huge, withNul, binary, wrongType, fc.array(fc.string())), fc.constant('2')).map(([a, b]) => [a, b]),
  fc.tuple(fc.constant('1'), fc.oneof(huge, withNul, wrongType)).map(([a, b]) => [a, b]),
  fc.constant(['x'.repeat(MAX_ARG_BYTES + 1), '2']),
  anything,
);

/** A value of `field` that the documented rules refuse. */
export function hostileValue(field: string) {
  const base = field === 'args' ? hostileArgs : anything;
  return base.filter((v) => !JOB_FIELDS[field]!(parsedValue(v)));
}

/** Valid values for the other fields of a two_args request, so the hostile one is alone. */
export const validJobExtras = fc.record(
  {
    job_id: fc.stringMatching(/^[A-Za-z0-9_:-]{1,55}$/),
    queue: fc.constantFrom(...QUEUES),
    eta: fc.constantFrom(null, '2031-02-28 12:00:00', '1999-12-31 23:59:59', '9999-12-31 23:59:59'),
    retries: fc.integer({ min: 0, max: 100 }),
    ttl: fc.integer({ min: 1, max: MAX_JOB_TTL }),
    db: fc.constant('main'),
  },
  { requiredKeys: [] },
);

export const unknownKey = fc
  .oneof(prototypeName, fc.string({ maxLength: 30 }), binary)
  .filter((k) => !Object.hasOwn(JOB_FIELDS, k) && k !== '__proto__');
