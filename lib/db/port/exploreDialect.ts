import type { ResultsColumn } from './resultsPage.js';
import type { ColumnType } from './types.js';

/** A results column as an explore query reads it: its kind, and the engine's own type for it. */
export interface ExploreColumn extends ResultsColumn {
  /** PostgreSQL `format_type(atttypid, NULL)`, MySQL `COLUMN_TYPE` (lower case). */
  sqlType: string;
}

/**
 * Where the compiler puts a bound value: the dialect asks for a placeholder
 * token with `bind`, and the compiler numbers the tokens in the order the final
 * text holds them.
 */
export interface Binder {
  bind(value: unknown): string;
}

export type AggregateName = 'count' | 'sum' | 'avg' | 'min' | 'max';

/**
 * What the explore compiler (lib/results/explore/compileExplore.ts) needs of an
 * engine's SQL: how a column is read, compared, ordered and typed. Pure text, no
 * driver. Values are never pasted as the user wrote them: each reaches SQL
 * through `value`, typed by its column's kind, as the engine binds it.
 */
export interface ExploreDialect {
  quote(name: string): string;
  /** The results table's `_row` column, quoted. */
  readonly rowColumn: string;
  /** A column as filters, order and aggregates read it (its own quoted name, or a cast where its type has no usable order). */
  columnExpr(column: ExploreColumn): string;
  /** A column as the answer carries it: canonical text (see `ColumnType`). */
  outputExpr(column: ExploreColumn, expr: string): string;
  /** A canonical value of `kind` compared with `column` (absent for a JSON path's text). */
  value(b: Binder, kind: ColumnType, value: string, column?: ExploreColumn): string;
  /** The text at a JSON path of a JSON column (NULL where there is none). */
  jsonText(b: Binder, expr: string, path: readonly string[]): string;
  /** `expr LIKE pattern`, case-sensitive or not, `\` escaping. */
  like(b: Binder, expr: string, pattern: string, caseInsensitive: boolean): string;
  /** One ORDER BY term with NULLs first or last. */
  orderTerm(expr: string, desc: boolean, nullsFirst: boolean): string;
  /** An aggregate over an expression (`count` without one counts rows). */
  aggregate(fn: AggregateName, expr?: string): string;
  /** Engine limits on a canonical value beyond its syntax; undefined when it fits. */
  valueProblem(kind: ColumnType, value: string): string | undefined;
  /** The placeholder for the n-th (1-based) bound value in the final text. */
  placeholder(n: number): string;
  /** `SELECT list FROM table` of the one row numbered `row`, at most one row: how the engine finds a row by its `_row`. */
  rowLookup(b: Binder, list: string, table: string, row: number): string;
}
