/**
 * A query builder for GET /jobs/{jobID}/results: select, filter, order and
 * aggregate a job's results as typed options, written out in the service's
 * PostgREST-style query string. Names that need it are quoted for you.
 */

export type FilterOp = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'like' | 'ilike' | 'in' | 'is';
export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max';

/** A column, or an aggregate of one (`{ fn: 'count' }` counts rows). */
export type ResultsTarget = string | { fn: AggregateFn; column?: string; as?: string };

/** One filter: `column op value`; several are ANDed. */
export interface ResultsFilter {
  column: string;
  /** Keys into a JSON column; the text there is compared. */
  path?: string[];
  op: FilterOp;
  /** `in` takes a list; `is` takes null, true or false; `like`/`ilike` a pattern with `*` (or `%`) and `_`. */
  value: string | number | boolean | null | readonly (string | number)[];
  not?: boolean;
}

export interface ResultsOrder {
  by: ResultsTarget;
  desc?: boolean;
  /** Where NULLs go; by default NULL is the smallest value. */
  nulls?: 'first' | 'last';
}

/** What a results page asks for. */
export interface ResultsQuery {
  select?: ResultsTarget[];
  filters?: ResultsFilter[];
  order?: ResultsOrder[];
  limit?: number;
  cursor?: string;
  /** The run_id the page must belong to. */
  run?: string;
  format?: 'json' | 'csv';
}

const RESERVED = new Set(['select', 'order', 'limit', 'cursor', 'format', 'run']);

/** A column name as the grammar reads it: double-quoted when it is a reserved word, `*`, has spaces at either end, or holds `. , : ( ) "` or `->`. */
export function quoteColumn(name: string, inFilter = false): string {
  const plain = name.trim() === name && name !== '' && name !== '*' && !/[.,:()"]/.test(name) && !name.includes('->') && !(inFilter && RESERVED.has(name)) && !name.startsWith('count()');
  return plain ? name : `"${name.replaceAll('"', '""')}"`;
}

function target(t: ResultsTarget): string {
  if (typeof t === 'string') return quoteColumn(t);
  const fn = t.column === undefined ? `${t.fn}()` : `${quoteColumn(t.column)}.${t.fn}()`;
  return t.as === undefined ? fn : `${quoteColumn(t.as)}:${fn}`;
}

function listValue(v: string | number): string {
  const text = String(v);
  return /^[^,()"\\]*$/.test(text) && text.trim() === text && text !== '' ? text : `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function filterValue(f: ResultsFilter): string {
  const not = f.not ? 'not.' : '';
  if (f.op === 'in') {
    const list = Array.isArray(f.value) ? f.value : [f.value as string | number];
    return `${not}in.(${list.map(listValue).join(',')})`;
  }
  return `${not}${f.op}.${f.value === null ? 'null' : String(f.value)}`;
}

/** The query string's parameters, in order (a column may be filtered more than once). */
export function resultsQueryParams(q: ResultsQuery): [string, string][] {
  const params: [string, string][] = [];
  if (q.select?.length) params.push(['select', q.select.map(target).join(',')]);
  for (const f of q.filters ?? []) {
    const key = quoteColumn(f.column, true) + (f.path ?? []).map((k, i, all) => `${i === all.length - 1 ? '->>' : '->'}${quoteColumn(k, true)}`).join('');
    params.push([key, filterValue(f)]);
  }
  if (q.order?.length) {
    params.push(['order', q.order.map((o) => `${target(o.by)}${o.desc ? '.desc' : ''}${o.nulls ? `.nulls${o.nulls}` : ''}`).join(',')]);
  }
  if (q.limit !== undefined) params.push(['limit', String(q.limit)]);
  if (q.cursor) params.push(['cursor', q.cursor]);
  if (q.run) params.push(['run', q.run]);
  if (q.format) params.push(['format', q.format]);
  return params;
}

/** The parameters as a query string (without `?`). */
export function resultsQueryString(q: ResultsQuery): string {
  return resultsQueryParams(q)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}
