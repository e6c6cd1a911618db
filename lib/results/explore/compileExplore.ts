import type { Binder, ExploreColumn, ExploreDialect } from '../../db/port/exploreDialect.js';
import type { ColumnType } from '../../db/port/types.js';
import type { ExplorePlan, PlannedExpr, PlannedFilter, PlannedOrder } from './planExplore.js';

/** One statement: its text and the values bound to its placeholders, in order. */
export interface CompiledSql {
  sql: string;
  params: unknown[];
}

/** Where a rows page starts: after this `_row`, whose order values (canonical text, read from the table) are these. */
export interface RowsAnchor {
  row: number;
  values: (string | null)[];
}

type Plan = ExplorePlan<ExploreColumn>;

/**
 * Collects bound values behind tokens the SQL text cannot otherwise hold (NUL:
 * no quoted name contains one), then numbers them in text order, so `?`
 * placeholders (MySQL) line up with their values whatever order they were made in.
 */
class TokenBinder implements Binder {
  private readonly values: unknown[] = [];
  bind(value: unknown): string {
    this.values.push(value);
    return `\0${this.values.length - 1}\0`;
  }
  finish(d: ExploreDialect, text: string): CompiledSql {
    const params: unknown[] = [];
    const sql = text.replace(/\0(\d+)\0/g, (_, i: string) => {
      params.push(this.values[Number(i)]);
      return d.placeholder(params.length);
    });
    return { sql, params };
  }
}

function expr(d: ExploreDialect, e: PlannedExpr<ExploreColumn>): string {
  if (e.kind === 'column') return d.columnExpr(e.column);
  return d.aggregate(e.fn, e.column ? d.columnExpr(e.column) : undefined);
}

/** An answer's column: a plain column read as the page reads it, an aggregate as its own text (min/max as the column's). */
function outputExpr(d: ExploreDialect, e: PlannedExpr<ExploreColumn>): string {
  if (e.kind === 'column') return d.outputExpr(e.column, d.quote(e.column.name));
  const agg = expr(d, e);
  return (e.fn === 'min' || e.fn === 'max') && e.column ? d.outputExpr(e.column, agg) : agg;
}

function filterSql(d: ExploreDialect, b: Binder, f: PlannedFilter<ExploreColumn>): string {
  const target = f.path.length > 0 ? d.jsonText(b, d.quote(f.column.name), f.path) : d.columnExpr(f.column);
  const column = f.path.length > 0 ? undefined : f.column;
  const v = (value: string) => d.value(b, f.kind, value, column);
  let sql: string;
  switch (f.op) {
    case 'is':
      sql = f.is === 'null' || f.is === 'unknown' ? `${target} IS NULL` : `${target} = ${v(f.is === 'true' ? '1' : '0')}`;
      break;
    case 'in':
      sql = `${target} IN (${f.values.map(v).join(', ')})`;
      break;
    case 'like':
    case 'ilike':
      sql = d.like(b, target, f.values[0]!, f.op === 'ilike');
      break;
    default:
      sql = `${target} ${COMPARE[f.op]} ${v(f.values[0]!)}`;
  }
  // NOT of a comparison with NULL is still NULL: a negated filter keeps NULL rows out, as PostgREST's does.
  return f.not ? `NOT (${sql})` : sql;
}

const COMPARE = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function whereSql(d: ExploreDialect, b: Binder, plan: Plan, extra: string[] = []): string {
  const parts = [...plan.filters.map((f) => filterSql(d, b, f)), ...extra];
  return parts.length === 0 ? '' : ` WHERE ${parts.map((p) => `(${p})`).join(' AND ')}`;
}

function fromSql(d: ExploreDialect, table: string): string {
  return ` FROM ${d.quote(table)}`;
}

/** A rows page's order, ties broken by `_row` in the direction of the last item (one index on (column, _row) then serves it). */
function rowsOrder(plan: Plan): { terms: PlannedOrder<ExploreColumn>[]; rowDesc: boolean } {
  const last = plan.order[plan.order.length - 1];
  return { terms: plan.order, rowDesc: last?.desc ?? false };
}

function orderSql(d: ExploreDialect, plan: Plan): string {
  const terms = plan.order.map((o) => d.orderTerm(expr(d, o.expr), o.desc, o.nullsFirst));
  if (!plan.aggregate) terms.push(`${d.rowColumn} ${rowsOrder(plan).rowDesc ? 'DESC' : 'ASC'}`);
  return terms.length === 0 ? '' : ` ORDER BY ${terms.join(', ')}`;
}

/**
 * The keyset condition "after the anchor row" in the page's order:
 * `a >= v1 AND (a > v1 OR (a = v1 AND (b > v2 OR (b = v2 AND _row > r))))`,
 * NULL placed as the order places it. The leading `>=` lets an index on the
 * first column bound the scan.
 */
function keysetSql(d: ExploreDialect, b: Binder, plan: Plan, anchor: RowsAnchor): string {
  const { terms, rowDesc } = rowsOrder(plan);
  const row = d.rowColumn;
  let tail = `${row} ${rowDesc ? '<' : '>'} ${b.bind(anchor.row)}`;
  // Built from the inside out; each value is bound where it appears (the binder numbers them in text order).
  for (let i = terms.length - 1; i >= 0; i--) {
    const o = terms[i]!;
    const { column } = o.expr as { column: ExploreColumn };
    const e = expr(d, o.expr);
    const value = anchor.values[i] ?? null;
    const kind: ColumnType = column.type;
    const v = () => d.value(b, kind, value!, column);
    const after =
      value === null
        ? o.nullsFirst
          ? `${e} IS NOT NULL`
          : 'FALSE'
        : `${e} ${o.desc ? '<' : '>'} ${v()}${o.nullsFirst ? '' : ` OR ${e} IS NULL`}`;
    const same = value === null ? `${e} IS NULL` : `${e} = ${v()}`;
    tail = `(${after}) OR (${same} AND (${tail}))`;
    if (i === 0 && value !== null && o.nullsFirst) tail = `${e} ${o.desc ? '<=' : '>='} ${v()} AND (${tail})`;
  }
  return tail;
}

/** The first page, or the page after `anchor` (rows) or `offset` groups (aggregates), `limit` rows at most. */
export function compilePage(d: ExploreDialect, plan: Plan, table: string, limit: number, after?: { anchor?: RowsAnchor; offset?: number }): CompiledSql {
  const b = new TokenBinder();
  const lead = plan.aggregate ? '0' : d.rowColumn;
  const list = [lead, ...plan.output.map((o) => outputExpr(d, o.expr))].join(', ');
  const keyset = !plan.aggregate && after?.anchor ? [keysetSql(d, b, plan, after.anchor)] : [];
  const group = plan.aggregate && plan.groupBy.length > 0 ? ` GROUP BY ${plan.groupBy.map((g) => d.columnExpr(g)).join(', ')}` : '';
  const offset = plan.aggregate && after?.offset ? ` OFFSET ${Math.floor(after.offset)}` : '';
  const text = `SELECT ${list}${fromSql(d, table)}${whereSql(d, b, plan, keyset)}${group}${orderSql(d, plan)} LIMIT ${Math.floor(limit)}${offset}`;
  return b.finish(d, text);
}

/** The order values of one row, read as the page reads them: what the next page's keyset compares with. */
export function compileAnchor(d: ExploreDialect, plan: Plan, table: string, row: number): CompiledSql {
  const b = new TokenBinder();
  const list = plan.order.map((o) => {
    const { column } = o.expr as { column: ExploreColumn };
    return d.outputExpr(column, d.columnExpr(column));
  });
  const text = d.rowLookup(b, list.length ? list.join(', ') : '1', table, row);
  return b.finish(d, text);
}

/** How many rows match the filters (rows), or how many groups there are (aggregates). */
export function compileCount(d: ExploreDialect, plan: Plan, table: string): CompiledSql {
  const b = new TokenBinder();
  let text = `SELECT COUNT(*)${fromSql(d, table)}${whereSql(d, b, plan)}`;
  if (plan.aggregate) {
    text =
      plan.groupBy.length === 0
        ? 'SELECT 1'
        : `SELECT COUNT(*) FROM (SELECT 1 AS one${fromSql(d, table)}${whereSql(d, b, plan)} GROUP BY ${plan.groupBy.map((g) => d.columnExpr(g)).join(', ')}) AS explore_groups`;
  }
  return b.finish(d, text);
}
