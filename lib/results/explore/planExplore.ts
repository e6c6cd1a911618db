import type { ResultsColumn } from '../../db/port/resultsPage.js';
import type { ColumnType } from '../../db/port/types.js';
import { InvalidRequestError } from '../../errors.js';
import { quoteInput } from '../../quoteInput.js';
import type { AggregateFn, ExploreQuery, FilterOp, IsValue, SelectItem, Target } from './exploreQuery.js';
import { typedValue } from './typedValue.js';

/** A column or an aggregate of one, resolved against the table. */
export type PlannedExpr<C extends ResultsColumn = ResultsColumn> = { kind: 'column'; column: C } | { kind: 'aggregate'; fn: AggregateFn; column?: C };

/** A filter whose column exists and whose values fit its kind (canonical text). */
export interface PlannedFilter<C extends ResultsColumn = ResultsColumn> {
  column: C;
  /** JSON keys: the value compared is the text at this path. */
  path: string[];
  /** The kind the values are compared as: the column's, or TEXT for a JSON path. */
  kind: ColumnType;
  op: FilterOp;
  not: boolean;
  /** Canonical values (one; several for `in`; none for `is`). `like` patterns with `*` as `%`. */
  values: string[];
  is?: IsValue;
}

/** One column of the answer. */
export interface PlannedOutput<C extends ResultsColumn = ResultsColumn> {
  name: string;
  type: ColumnType;
  expr: PlannedExpr<C>;
}

export interface PlannedOrder<C extends ResultsColumn = ResultsColumn> {
  expr: PlannedExpr<C>;
  desc: boolean;
  /** Whether NULLs come first in this item's order. */
  nullsFirst: boolean;
}

/**
 * An explore query checked against a results table's columns: what to select,
 * filter and order, every value typed. Aggregates group by the plain columns of
 * `select`. The order is total: rows end with `_row` (added by the compiler),
 * groups with every group column.
 */
export interface ExplorePlan<C extends ResultsColumn = ResultsColumn> {
  aggregate: boolean;
  output: PlannedOutput<C>[];
  filters: PlannedFilter<C>[];
  order: PlannedOrder<C>[];
  groupBy: C[];
}

/** Kinds with no order a user can count on (and no equality across engines). */
const UNORDERED: ReadonlySet<ColumnType> = new Set(['JSON', 'BYTES', 'ARRAY']);
const NUMERIC: ReadonlySet<ColumnType> = new Set(['BIGINT', 'DECIMAL', 'DOUBLE']);
/** min()/max() work on these on every engine (PostgreSQL has no min(boolean) nor min(uuid)). */
const MIN_MAX_REFUSED: ReadonlySet<ColumnType> = new Set(['JSON', 'BYTES', 'ARRAY', 'BOOLEAN', 'UUID']);

const bad = (message: string) => new InvalidRequestError(message);

/** Engine limits on values beyond their syntax (PostgreSQL's TIME stops at 24:00). */
export type ValueCheck = (kind: ColumnType, value: string) => string | undefined;

/**
 * Checks a parsed explore query against the table's columns: every column,
 * function and value must exist and fit. A problem is a 400 naming it.
 */
export function planExplore<C extends ResultsColumn>(query: ExploreQuery, columns: readonly C[], check: ValueCheck = () => undefined): ExplorePlan<C> {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const column = (name: string, where: string): C => {
    const c = byName.get(name);
    if (!c) {
      const known = columns.map((k) => JSON.stringify(k.name)).join(', ');
      throw bad(`${where}: unknown column ${quoteInput(name)}; the results have ${known.length > 400 ? `${known.slice(0, 400)}…` : known}`);
    }
    return c;
  };
  const resolve = (t: Target, where: string): PlannedExpr<C> => {
    if (t.kind === 'column') return { kind: 'column', column: column(t.column, where) };
    if (t.column === undefined) return { kind: 'aggregate', fn: t.fn };
    const c = column(t.column, where);
    if ((t.fn === 'sum' || t.fn === 'avg') && !NUMERIC.has(c.type)) throw bad(`${where}: ${t.fn}() takes a number column; ${quoteInput(c.name)} is ${c.type}`);
    if ((t.fn === 'min' || t.fn === 'max') && MIN_MAX_REFUSED.has(c.type)) throw bad(`${where}: ${t.fn}() does not take a ${c.type} column (${quoteInput(c.name)})`);
    return { kind: 'aggregate', fn: t.fn, column: c };
  };

  const selected: SelectItem[] = query.select ?? columns.map((c) => ({ kind: 'column' as const, column: c.name }));
  const output = selected.map((item): PlannedOutput<C> => {
    const expr = resolve(item, 'select');
    return { name: item.alias ?? outputName(item), type: outputType(expr), expr };
  });
  const aggregate = output.some((o) => o.expr.kind === 'aggregate');
  const groupBy: C[] = [];
  if (aggregate) {
    for (const o of output) if (o.expr.kind === 'column' && !groupBy.includes(o.expr.column)) groupBy.push(o.expr.column);
    for (const g of groupBy) if (UNORDERED.has(g.type)) throw bad(`select: cannot group by the ${g.type} column ${quoteInput(g.name)}`);
  }

  const filters = query.filters.map((f): PlannedFilter<C> => {
    const where = quoteInput(f.key);
    const c = column(f.column, where);
    if (f.path.length > 0 && c.type !== 'JSON') throw bad(`${where}: ->> reads JSON, and ${quoteInput(c.name)} is ${c.type}`);
    const kind: ColumnType = f.path.length > 0 ? 'TEXT' : c.type;
    const base = { column: c, path: f.path, kind, op: f.op, not: f.not };
    if (f.op === 'is') {
      const is = f.value as IsValue;
      if (is !== 'null' && kind !== 'BOOLEAN') throw bad(`${where}: is.${is} takes a BOOLEAN column; ${quoteInput(c.name)} is ${kind}`);
      return { ...base, values: [], is };
    }
    if (UNORDERED.has(kind)) {
      throw bad(`${where}: a ${kind} column is filtered only with is.null${kind === 'JSON' ? ' or by a path (doc->>key=eq.x)' : ''}`);
    }
    if ((f.op === 'like' || f.op === 'ilike') && kind !== 'TEXT') throw bad(`${where}: ${f.op} takes a text column; ${quoteInput(c.name)} is ${kind}`);
    const texts = Array.isArray(f.value) ? f.value : [f.value];
    const values = texts.map((text) => {
      if (f.op === 'like' || f.op === 'ilike') return text.replaceAll('*', '%');
      const typed = typedValue(kind, text);
      const problem = 'problem' in typed ? typed.problem : check(kind, typed.value);
      if (problem !== undefined) throw bad(`${where}: ${quoteInput(text)} does not fit the ${kind} column: ${problem}`);
      return (typed as { value: string }).value;
    });
    if ((f.op === 'like' || f.op === 'ilike') && values[0]!.includes('\0')) throw bad(`${where}: a pattern cannot contain a NUL character`);
    return { ...base, values };
  });

  const order = (query.order ?? []).map((o): PlannedOrder<C> => {
    const expr = resolve(o.target, 'order');
    if (expr.kind === 'column') {
      if (UNORDERED.has(expr.column.type)) throw bad(`order: cannot order by the ${expr.column.type} column ${quoteInput(expr.column.name)}`);
      if (aggregate && !groupBy.includes(expr.column)) throw bad(`order: ${quoteInput(expr.column.name)} is not one of the groups (the plain columns of select)`);
    } else if (!aggregate) {
      throw bad('order: an aggregate orders only a select that has aggregates');
    }
    return { expr, desc: o.desc, nullsFirst: o.nulls === undefined ? o.desc === false : o.nulls === 'first' };
  });
  if (aggregate) {
    // Groups are distinct: ordered by every group column at the end, the order is total.
    for (const g of groupBy) {
      if (!order.some((o) => o.expr.kind === 'column' && o.expr.column === g)) order.push({ expr: { kind: 'column', column: g }, desc: false, nullsFirst: true });
    }
  }
  return { aggregate, output, filters, order, groupBy };
}

function outputName(t: Target): string {
  if (t.kind === 'column') return t.column;
  return t.column === undefined ? t.fn : `${t.fn}(${t.column})`;
}

function outputType(e: PlannedExpr): ColumnType {
  if (e.kind === 'column') return e.column.type;
  if (e.fn === 'count') return 'BIGINT';
  const t = e.column!.type;
  if (e.fn === 'sum' || e.fn === 'avg') return t === 'DOUBLE' ? 'DOUBLE' : 'DECIMAL';
  return t;
}
