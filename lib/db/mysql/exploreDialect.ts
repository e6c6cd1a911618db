import type { Binder, ExploreColumn, ExploreDialect } from '../port/exploreDialect.js';
import type { ColumnType } from '../port/types.js';
import { ROW_COLUMN } from '../shared/columnNames.js';
import { mysqlPageSelect } from './columns.js';
import { mysqlDialect } from './dialect.js';

const q = mysqlDialect.quoteIdent;

/**
 * A string as a hex literal with a character set introducer: never read as SQL
 * whatever the server's sql_mode (mysql2 escapes `?` values with backslashes,
 * which NO_BACKSLASH_ESCAPES reads otherwise), and coercible, so the column's
 * collation decides the comparison.
 */
export function mysqlTextLiteral(value: string): string {
  return `_utf8mb4 X'${Buffer.from(value, 'utf8').toString('hex')}'`;
}

/** How a canonical value of each kind becomes a typed MySQL value (exact: never a double unless the column is one). */
const MYSQL_CAST: Partial<Record<ColumnType, string>> = {
  BIGINT: 'SIGNED',
  DECIMAL: 'DECIMAL(65,30)',
  DOUBLE: 'DOUBLE',
  DATE: 'DATE',
  TIMESTAMP: 'DATETIME(6)',
  TIME: 'TIME(6)',
};

/** A JSON path in MySQL's syntax: `$."a"[0]` (a key of digits is an array index). */
function jsonPath(path: readonly string[]): string {
  return '$' + path.map((k) => (/^\d{1,9}$/.test(k) ? `[${k}]` : `."${k.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)).join('');
}

/**
 * MySQL/MariaDB's explore SQL: values as typed literals built from hex text
 * (see `mysqlTextLiteral`), NULLs placed by `IS NULL` terms when the order
 * wants them where MySQL does not put them (it sorts NULL as the smallest value),
 * JSON paths through JSON_EXTRACT, LIKE in a binary collation (ILIKE on lower case).
 */
export const mysqlExploreDialect: ExploreDialect = {
  quote: q,
  rowColumn: q(ROW_COLUMN),
  columnExpr: (column: ExploreColumn) => q(column.name),
  outputExpr: (column, expr) => mysqlPageSelect(column, expr, column.sqlType.startsWith('bit')),
  value(_b: Binder, kind, value) {
    if (kind === 'BOOLEAN') return value === '1' ? '1' : '0';
    const text = mysqlTextLiteral(value);
    const cast = MYSQL_CAST[kind];
    return cast ? `CAST(${text} AS ${cast})` : text;
  },
  jsonText: (_b, expr, path) => `JSON_UNQUOTE(JSON_EXTRACT(${expr}, ${mysqlTextLiteral(jsonPath(path))}))`,
  like(_b, expr, pattern, ci) {
    const text = `CONVERT(${expr} USING utf8mb4)`;
    const pat = mysqlTextLiteral(pattern);
    return ci ? `LOWER(${text}) COLLATE utf8mb4_bin LIKE LOWER(${pat}) ESCAPE X'5c'` : `${text} COLLATE utf8mb4_bin LIKE ${pat} ESCAPE X'5c'`;
  },
  orderTerm(expr, desc, nullsFirst) {
    const dir = desc ? 'DESC' : 'ASC';
    // MySQL's own place for NULL: first ascending, last descending. Only the other one needs a term (which no index serves).
    if (nullsFirst === !desc) return `${expr} ${dir}`;
    return `${expr} IS NULL ${nullsFirst ? 'DESC' : 'ASC'}, ${expr} ${dir}`;
  },
  aggregate: (fn, expr) => `${fn.toUpperCase()}(${expr ?? '*'})`,
  valueProblem(kind, value) {
    if (kind === 'DOUBLE' && !/\d/.test(value)) return 'a MySQL DOUBLE holds no NaN or Infinity';
    if (kind === 'DECIMAL') {
      const [int = '', frac = ''] = value.replace('-', '').split('.');
      if (int.replace(/^0+/, '').length > 35 || frac.length > 30) return 'a MySQL decimal has at most 35 digits before the point and 30 after';
    }
    return undefined;
  },
  placeholder: () => '?',
  // The primary key.
  rowLookup: (b, list, table, row) => `SELECT ${list} FROM ${q(table)} WHERE ${q(ROW_COLUMN)} = ${b.bind(row)}`,
};
