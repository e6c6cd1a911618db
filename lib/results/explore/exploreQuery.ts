/**
 * Glossary
 * - explore query: what a client asks of a job's results beyond a plain page, in
 *   PostgREST's query-string grammar: `select=`, filters `col=op.value`, `order=`.
 * - filter: one `col=op.value` parameter; several are ANDed.
 * - aggregate: `count()`, `col.sum()`, `col.avg()`, `col.min()`, `col.max()` in
 *   `select`; the plain columns beside them are the groups.
 * - path: the keys after a JSON column in a filter (`doc->a->>b`), read as text.
 * - reserved word: a parameter that is not a filter (`RESERVED_PARAMS`).
 */

/** Query parameters that are never filters; a column of one of these names is filtered as `"order"=eq.x`. */
export const RESERVED_PARAMS = ['select', 'order', 'limit', 'cursor', 'format', 'run'] as const;

export type FilterOp = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'like' | 'ilike' | 'in' | 'is';
export const FILTER_OPS: readonly FilterOp[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'is'];

export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max';
export const AGGREGATE_FNS: readonly AggregateFn[] = ['count', 'sum', 'avg', 'min', 'max'];

/** `is.` takes one of these. */
export type IsValue = 'null' | 'true' | 'false' | 'unknown';

/** One filter as written: the column, a JSON path after it, the operator and its value(s), still text. */
export interface Filter {
  /** The parameter's name as written, for messages. */
  key: string;
  column: string;
  /** JSON keys after the column (`doc->a->>b` is `['a', 'b']`); empty for a plain column. */
  path: string[];
  op: FilterOp;
  not: boolean;
  /** The value's text; `in` has a list; `is` one of `IsValue`. */
  value: string | string[];
}

/** A column or aggregate, as `select` and `order` name them. */
export type Target = { kind: 'column'; column: string } | { kind: 'aggregate'; fn: AggregateFn; column?: string };

/** One `select` item, with its output name when it was given one (`alias:total`). */
export type SelectItem = Target & { alias?: string };

export interface OrderItem {
  target: Target;
  desc: boolean;
  /** Where NULLs go; absent: NULL is the smallest value (first ascending, last descending). */
  nulls?: 'first' | 'last';
}

/** What a request asks of a job's results, checked for syntax only (columns and types come later: `planExplore`). */
export interface ExploreQuery {
  /** Absent: every column (`select=*` too). */
  select?: SelectItem[];
  filters: Filter[];
  /** Absent: `_row` order (or the groups' order for aggregates). */
  order?: OrderItem[];
  /** `run=`: the run ID the client expects the results of. */
  run?: string;
}

/** Whether a query asks for anything beyond today's plain `_row` pages. */
export function isPlainQuery(q: ExploreQuery): boolean {
  return q.select === undefined && q.filters.length === 0 && q.order === undefined && q.run === undefined;
}
