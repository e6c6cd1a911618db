import type { ResultsColumn } from '../port/resultsPage.js';
import { ROW_COLUMN } from '../shared/columnNames.js';
import { asItIs, selectRows, type SelectColumn } from '../shared/pageSql.js';
import { postgresDialect } from './dialect.js';
import { rowStartTid } from './rowStart.js';

const ROW = postgresDialect.quoteIdent(ROW_COLUMN);

/**
 * A page of a PostgreSQL results table as a range with no ORDER BY: the rows of
 * `_row` in ($1, $1 + $2], $2 of them at most, read by a TID range scan from the block
 * that holds row $1 + 1 (`rowStartTid`). A table written in `_row` order hands them
 * over in that order, with no index and no sort; the reader checks each row's number
 * (lib/db/postgres/tables.ts, `readPage`).
 */
export function pageRangeSql(columns: ResultsColumn[], table: string, select: SelectColumn = asItIs): string {
  return rowsInRange(columns, table, select, `ctid >= ${rowStartTid(table, '$1::int8')}`, '');
}

/**
 * The rows a short range (fewer than its limit, all in order) may have missed: those of
 * `_row` in ($1, $1 + $2] that lie before the range's first block (`rowStartTid($3)`), in
 * order. None on a table in `_row` order, found by reading only the blocks before the range's;
 * a first page (row 1 in block 0) reads none.
 */
export function pagePrefixSql(columns: ResultsColumn[], table: string, select: SelectColumn = asItIs): string {
  return rowsInRange(columns, table, select, `ctid < ${rowStartTid(table, '$3::int8')}`, `ORDER BY ${ROW} `);
}

/** The rows of `_row` in ($1, $1 + $2] in the blocks `blocks` names, `order` (with its space), $2 of them at most. */
function rowsInRange(columns: ResultsColumn[], table: string, select: SelectColumn, blocks: string, order: string): string {
  return `${selectRows(postgresDialect.quoteIdent, columns, table, select)}
    WHERE ${blocks} AND ${ROW} > $1::int8 AND ${ROW} <= $1::int8 + $2::int8 ${order}LIMIT $2::int8`;
}
