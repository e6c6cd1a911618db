import type { ExploreColumn, ExploreDialect } from '../port/exploreDialect.js';
import type { ColumnType } from '../port/types.js';
import { ROW_COLUMN } from '../shared/columnNames.js';
import { pgPageSelect } from './columns.js';
import { postgresDialect } from './dialect.js';
import { rowStartTid } from './rowStart.js';

const ROW = postgresDialect.quoteIdent(ROW_COLUMN);

/** The type a value of each kind is bound as. */
const PG_CAST: Partial<Record<ColumnType, string>> = {
  BIGINT: 'int8',
  DECIMAL: 'numeric',
  DOUBLE: 'float8',
  BOOLEAN: 'bool',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  TIMESTAMPTZ: 'timestamptz',
  TIME: 'time',
  INTERVAL: 'interval',
  UUID: 'uuid',
  TEXT: 'text',
};

/** TEXT columns of these types compare and order as they are; any other (inet, point, xml...) as its text. */
const TEXT_TYPES = new Set(['text', 'character varying']);
/** BIGINT columns of these types compare with int8 as they are (oid does not). */
const INTEGER_TYPES = new Set(['bigint', 'integer', 'smallint']);

/**
 * PostgreSQL's explore SQL: values go as bound parameters cast to the
 * column's type (a real column's values as float4, so 0.1 finds 0.1), NULLs
 * placed with NULLS FIRST/LAST, JSON paths through `#>>`.
 */
export const pgExploreDialect: ExploreDialect = {
  quote: postgresDialect.quoteIdent,
  rowColumn: ROW,
  columnExpr(column: ExploreColumn) {
    const q = postgresDialect.quoteIdent(column.name);
    if (column.type === 'TEXT' && !TEXT_TYPES.has(column.sqlType)) return `${q}::text`;
    if (column.type === 'BIGINT' && !INTEGER_TYPES.has(column.sqlType)) return `${q}::int8`;
    return q;
  },
  outputExpr: (column, expr) => pgPageSelect(column, expr),
  value(b, kind, value, column) {
    const cast = kind === 'DOUBLE' && column?.sqlType === 'real' ? 'float4' : PG_CAST[kind];
    if (!cast) throw new Error(`no PostgreSQL value of kind ${kind}`);
    return `${b.bind(value)}::${cast}`;
  },
  jsonText: (b, expr, path) => `(${expr} #>> ${b.bind([...path])}::text[])`,
  like: (b, expr, pattern, ci) => `${expr} ${ci ? 'ILIKE' : 'LIKE'} ${b.bind(pattern)}::text`,
  orderTerm: (expr, desc, nullsFirst) => `${expr} ${desc ? 'DESC' : 'ASC'} NULLS ${nullsFirst ? 'FIRST' : 'LAST'}`,
  aggregate: (fn, expr) => `${fn.toUpperCase()}(${expr ?? '*'})`,
  valueProblem(kind, value) {
    if (kind === 'TIME') {
      const [h = '', m = '', sec = ''] = value.split(':');
      const hours = Number(h);
      if (value.startsWith('-') || hours > 24 || (hours === 24 && (Number(m) > 0 || Number(sec) > 0))) return 'a PostgreSQL time lies from 00:00:00 to 24:00:00';
    }
    return undefined;
  },
  placeholder: (n) => `$${n}`,
  rowLookup(b, list, table, row) {
    // No `_row` index (lib/db/postgres/writer.ts): the row's block by its TID range, and a
    // full scan only when it is not found there (a table not in `_row` order).
    const from = `SELECT ${list} FROM ${postgresDialect.quoteIdent(table)} WHERE ${ROW}`;
    return `(${from} = ${b.bind(row)}::int8 AND ctid >= ${rowStartTid(table, `${b.bind(row - 1)}::int8`)} LIMIT 1)
      UNION ALL (${from} = ${b.bind(row)}::int8 LIMIT 1) LIMIT 1`;
  },
};
