/**
 * The values of the guardrails (`max_rows`, `max_result_bytes`, `max_cost`,
 * `on_limit`), read the same way from a task's tags and from config.toml
 * (`[app]` and `[queues.NAME]`): each reader returns the value or a problem.
 */

/** The guardrails a job runs with (a task's tags over its queue's section over `[app]`). */
export interface Guardrails {
  /** The most rows a results table may get. */
  maxRows?: number;
  /** No row starts once more than this many bytes were written. */
  maxResultBytes?: number;
  /** The most the planner's estimate may be before the query runs (PostgreSQL: EXPLAIN total cost; MySQL/MariaDB: estimated rows). */
  maxCost?: number;
  /** Past `maxRows` or `maxResultBytes`: `fail` (the default) or `truncate`. */
  onLimit?: 'fail' | 'truncate';
}

/** The config.toml and task tag names of each guardrail. */
export const GUARDRAIL_KEYS = { maxRows: 'max_rows', maxResultBytes: 'max_result_bytes', maxCost: 'max_cost', onLimit: 'on_limit' } as const;

type Read<T> = { value: T } | { problem: string };

/** The largest integer guardrail: exact in a double. */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const SIZE = /^(\d+)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?$/i;
const SIZE_UNIT: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** `max_rows`: a whole number from 1 (an integer, or its digits as a string; `_` between digits allowed). */
export function readMaxRows(input: unknown): Read<number> {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim().replaceAll(/(?<=\d)_(?=\d)/g, '') : undefined;
  const n = text !== undefined && /^\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isSafeInteger(n) && n >= 1) return { value: n };
  return { problem: `expected a whole number of rows from 1 to ${MAX_SAFE}` };
}

/** `max_result_bytes`: bytes from 1, as a number or a size such as "64MB" or "1GiB". */
export function readMaxResultBytes(input: unknown): Read<number> {
  const m = typeof input === 'number' ? SIZE.exec(String(input)) : typeof input === 'string' ? SIZE.exec(input.trim()) : null;
  const n = m ? Number(m[1]) * SIZE_UNIT[(m[2] ?? 'b').toLowerCase()]! : NaN;
  if (Number.isSafeInteger(n) && n >= 1) return { value: n };
  return { problem: `expected bytes from 1, or a size such as "64MB" or "1GiB"` };
}

/** `max_cost`: a number above 0 (PostgreSQL's cost units, or MySQL's estimated rows). */
export function readMaxCost(input: unknown): Read<number> {
  const n = typeof input === 'number' ? input : typeof input === 'string' && /^\s*(\d+(\.\d*)?|\.\d+)(e\d+)?\s*$/i.test(input) ? Number(input) : NaN;
  if (Number.isFinite(n) && n > 0) return { value: n };
  return { problem: `expected a number above 0, the planner's estimate it may not pass` };
}

/** `on_limit`: `fail` or `truncate`. */
export function readOnLimit(input: unknown): Read<'fail' | 'truncate'> {
  const v = typeof input === 'string' ? input.trim().toLowerCase() : undefined;
  if (v === 'fail' || v === 'truncate') return { value: v };
  return { problem: `expected "fail" or "truncate"` };
}

/** Each guardrail's reader, by its key. */
export const GUARDRAIL_READERS: { [K in keyof Guardrails]-?: (input: unknown) => Read<NonNullable<Guardrails[K]>> } = {
  maxRows: readMaxRows,
  maxResultBytes: readMaxResultBytes,
  maxCost: readMaxCost,
  onLimit: readOnLimit,
};

/** Per guardrail, the first of `layers` that sets it (a task's own, then its queue's, then `[app]`). */
export function mergeGuardrails(...layers: (Guardrails | undefined)[]): Guardrails {
  const out: Guardrails = {};
  for (const key of Object.keys(GUARDRAIL_KEYS) as (keyof Guardrails)[]) {
    const layer = layers.find((l) => l?.[key] !== undefined);
    if (layer) (out as Record<string, unknown>)[key] = layer[key];
  }
  return out;
}
