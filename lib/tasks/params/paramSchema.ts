import * as z from 'zod'; // a namespace import: esbuild then bundles only the parts used (see bench/bundleSizes.ts)
import type { DbType } from '../../config/types.js';
import { dialectFor } from '../../db/dialects.js';
import { quoteInput } from '../../quoteInput.js';
import {
  BIGINT_MAX,
  DATE_PATTERN,
  INT_MAX,
  NUMERIC_PATTERN,
  TIMESTAMPTZ_PATTERN,
  TIMESTAMP_PATTERN,
  canonicalDate,
  canonicalDecimal,
  canonicalInteger,
  canonicalTimestamp,
  canonicalTimestamptz,
  integerPattern,
  pgArrayLiteral,
} from './canonicalValues.js';
import type { TaskParam } from './types.js';

const INT_TEXT = integerPattern(INT_MAX);
const BIGINT_TEXT = integerPattern(BIGINT_MAX);
/** Text the engine stores as sent: no lone surrogate (not text), and no NUL where text cannot hold one (PostgreSQL). Counted in code points, as JSON Schema counts. */
const textPattern = (dialect: DbType, max: number | undefined) => {
  const noNul = dialectFor(dialect).argumentProblem('\0') !== undefined;
  return new RegExp(`^[^${noNul ? '\\u0000' : ''}\\uD800-\\uDFFF]${max === undefined ? '*' : `{0,${max}}`}$`, 'u');
};

/** What a value of `param` must be, in words, for the 400 that names it. */
export function expected(param: TaskParam): string {
  const one = expectedItem(param);
  if (!param.array) return one;
  return `a list${param.max === undefined ? '' : ` of at most ${param.max} items`}, each ${one}`;
}

function expectedItem(param: TaskParam): string {
  const t = param.type;
  switch (t.kind) {
    case 'int':
      return `an integer from ${-INT_MAX - 1n} to ${INT_MAX} (int)`;
    case 'bigint':
      return `an integer from ${-BIGINT_MAX - 1n} to ${BIGINT_MAX} (bigint; as a string past 2^53)`;
    case 'numeric':
      return 'a decimal number (numeric), such as 12.50 or "12.50"';
    case 'text':
      return param.max === undefined || param.array ? 'a string (text)' : `a string of at most ${param.max} characters (text)`;
    case 'bool':
      return 'true or false (bool)';
    case 'date':
      return 'a date "yyyy-mm-dd" (date)';
    case 'timestamp':
      return 'a date and time "yyyy-mm-dd hh:mm[:ss[.ffffff]]" (timestamp)';
    case 'timestamptz':
      return 'a date and time with a UTC offset, such as "2024-01-05T10:00:00+02:00" or "...Z" (timestamptz)';
    case 'enum':
      return `one of ${t.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'identifier':
      return `one of the names ${t.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
}

/** The schema of one item (a scalar, or an element of a list), to its canonical text. */
function itemSchema(param: TaskParam, dialect: DbType): z.ZodType<string, unknown> {
  const t = param.type;
  switch (t.kind) {
    case 'int':
      return z.union([z.number().int().min(Number(-INT_MAX - 1n)).max(Number(INT_MAX)), z.string().regex(INT_TEXT)]).transform((v) => canonicalInteger(String(v)));
    case 'bigint':
      return z.union([z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER), z.string().regex(BIGINT_TEXT)]).transform((v) => canonicalInteger(String(v)));
    case 'numeric':
      return z.union([z.number(), z.string().regex(NUMERIC_PATTERN)]).transform((v) => canonicalDecimal(String(v)));
    case 'text':
      return z.string().regex(textPattern(dialect, param.array ? undefined : param.max));
    case 'bool':
      // Written as the engine reads a boolean (MySQL has none: its BOOL is TINYINT(1)).
      return z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => dialectFor(dialect).parameters.booleanText(v === true || v === 'true'));
    case 'date':
      return z.string().regex(DATE_PATTERN).transform(canonicalDate);
    case 'timestamp':
      return z.string().regex(TIMESTAMP_PATTERN).transform(canonicalTimestamp);
    case 'timestamptz':
      return z.string().regex(TIMESTAMPTZ_PATTERN).transform(canonicalTimestamptz);
    case 'enum':
    case 'identifier':
      return z.enum(t.values as [string, ...string[]]);
  }
}

/**
 * The schema of `param`'s value in a request, which turns a valid value into its
 * canonical text (lists: a PostgreSQL array literal of canonical items). Absent
 * or null is the caller's business (defaults, required); a failure is told by
 * {@link paramProblem}, not by the schema's own messages.
 */
export function paramSchema(param: TaskParam, dialect: DbType): z.ZodType<string, unknown> {
  const item = itemSchema(param, dialect);
  if (!param.array) return item;
  const list = z.array(item);
  return (param.max === undefined ? list : list.max(param.max)).transform(pgArrayLiteral);
}

/** The 400's message for a value of `param` that its schema refused (`input` undefined or null: none given). */
export function paramProblem(param: TaskParam, label: string, input: unknown): string {
  return input == null ? `${label}: required; expected ${expected(param)}` : `${label}: expected ${expected(param)}, got ${describeInput(input)}`;
}

/** A short, safe rendering of what a request sent. */
export function describeInput(input: unknown): string {
  if (typeof input === 'string') return quoteInput(input);
  if (input === null || typeof input !== 'object') return String(input);
  return Array.isArray(input) ? `a list of ${input.length}` : 'an object';
}

/**
 * The canonical text of a `default` written in a task file, or the problem with it.
 * A list default is written as a comma list (`default a,b`).
 */
export function parseDefault(param: TaskParam, dialect: DbType, text: string): { value: string } | { problem: string } {
  const input = param.array ? (text === '' ? [] : text.split(',')) : text;
  const out = paramSchema(param, dialect).safeParse(input);
  return out.success ? { value: out.data } : { problem: paramProblem(param, `default of "${param.name}"`, input) };
}
