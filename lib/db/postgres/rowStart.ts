import { ROW_COLUMN } from '../shared/columnNames.js';
import { postgresDialect } from './dialect.js';

/**
 * A scalar subquery: the TID where a read of `table`'s rows after `_row` number `after`
 * (an int8 SQL expression) starts, for `ctid >= (...)`. A results table carries no
 * `_row` index (lib/db/postgres/writer.ts): its rows lie on disk in `_row` order, so the
 * block holding row `after + 1` is the last whose first row is at most `after + 1`,
 * found by a binary search that reads the first row of one block a step (about 14
 * blocks for 1M rows, a millisecond). A TID range scan from there reads the rows in
 * order. On a table not in that order the start may be too late; a reader that
 * checks each row's number sees a gap and reads that page otherwise.
 */
export function rowStartTid(table: string, after: string): string {
  const q = postgresDialect.quoteIdent;
  const t = q(table);
  const row = q(ROW_COLUMN);
  const rel = `'${t.replace(/'/g, "''")}'::regclass`;
  // (lo, hi): block lo's first row is at most after + 1 (or lo is 0); no block from hi on has one.
  return `(WITH RECURSIVE row_start(lo, hi) AS (
      SELECT 0::int8, pg_relation_size(${rel}) / current_setting('block_size')::int8
      UNION ALL
      SELECT CASE WHEN probe.first_row <= (${after}) + 1 THEN step.mid ELSE row_start.lo END,
             CASE WHEN probe.first_row <= (${after}) + 1 THEN row_start.hi ELSE step.mid END
      FROM row_start
      CROSS JOIN LATERAL (SELECT (row_start.lo + row_start.hi) / 2 AS mid) step
      LEFT JOIN LATERAL (SELECT ${row} AS first_row FROM ${t} WHERE ctid >= format('(%s,0)', step.mid)::tid AND ctid < format('(%s,0)', step.mid + 1)::tid LIMIT 1) probe ON true
      WHERE row_start.hi - row_start.lo > 1
    )
    SELECT format('(%s,0)', lo)::tid FROM row_start WHERE hi - lo <= 1)`;
}
