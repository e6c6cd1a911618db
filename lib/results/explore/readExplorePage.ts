import type { ResultsColumn, ResultsRow } from '../../db/port/resultsPage.js';
import type { ResultsDb } from '../../db/resultsDb.js';
import { CursorQueryMismatchError, InvalidRequestError, ResultsGoneError, ResultsQueryTimeoutError } from '../../errors.js';
import { compileAnchor, compileCount, compilePage } from './compileExplore.js';
import { decodeExploreCursor, encodeExploreCursor, queryDigest } from './exploreCursor.js';
import type { ExploreQuery } from './exploreQuery.js';
import { planExplore } from './planExplore.js';

/** An explore page before encoding: the answer's columns, its rows streamed, and how to make the next cursor. */
export interface ExplorePage {
  columns: ResultsColumn[];
  rows: AsyncGenerator<ResultsRow, void, undefined>;
  /**
   * Rows that match the filters (groups, for aggregates), given whether more
   * rows follow the page and how many it took; null when not asked for (see
   * `ExploreOptions.count`). Call it once the page's rows are read: groups on a
   * last page are counted without another query.
   */
  count(more: boolean, taken: number): Promise<number | null>;
  /** The cursor after the page's last row, given that row's `_row`, the rows taken, and the count made. */
  nextCursor(lastRow: number, taken: number, count: number | null): string;
}

export interface ExploreOptions {
  /** Count the rows that match (`Prefer: count=exact`): one more query on the first page. */
  count?: boolean;
}

export interface ExploreTarget {
  jobId: string;
  runId: string;
  results: ResultsDb;
  table: string;
}

/**
 * Starts reading one page of an explore query (filters, order, aggregates) of
 * a job's results table: checks the query against the table's columns (a 400
 * naming what does not fit), counts the matches when asked (once: the cursor
 * carries the count), and streams `limit` rows after the cursor. Undefined when
 * the table does not exist.
 *
 * @throws InvalidRequestError bad column, function, value or cursor (400)
 * @throws CursorQueryMismatchError the cursor was made for another query (409)
 * @throws ResultsGoneError the table was dropped while it was read (410)
 * @throws ResultsQueryTimeoutError the query ran past its statement timeout (422)
 */
export async function readExplorePage(
  target: ExploreTarget,
  query: ExploreQuery,
  limit: number,
  cursorText: string | undefined,
  options: ExploreOptions = {},
): Promise<ExplorePage | undefined> {
  const { results, table, jobId } = target;
  const digest = queryDigest(query);
  const cursor = cursorText === undefined ? undefined : decodeExploreCursor(cursorText);
  if (cursor && cursor.t !== table) throw new InvalidRequestError(`cursor: belongs to another job's results, not to job "${jobId}"`);
  if (cursor && cursor.q !== digest) throw new CursorQueryMismatchError(jobId);

  const { explore } = results;
  const d = explore.dialect;
  const failure = (err: unknown) => {
    if (results.isMissingTable(err)) return new ResultsGoneError(`the results of job "${jobId}" have expired or were deleted`);
    return explore.isTimeout(err) ? new ResultsQueryTimeoutError(jobId, explore.timeoutMs / 1000) : err;
  };
  const collect = async (statement: { sql: string; params: unknown[] }) => {
    const out: (string | null)[][] = [];
    for await (const row of explore.values(statement)) out.push(row);
    return out;
  };
  try {
    const columns = await explore.columns(table);
    if (!columns) return undefined;
    const plan = planExplore(query, columns, d.valueProblem);
    // Counted once, on the first page that asks; later pages carry it in their cursor (the table never changes within a run).
    const known = cursor && cursor.c >= 0 ? cursor.c : null;
    const counted = async () => Number((await collect(compileCount(d, plan, table)))[0]?.[0] ?? 0);
    // Rows are counted before the page (its query streams); groups after it, and not at all when the page holds the last of them.
    const early = known === null && options.count && !plan.aggregate ? await counted() : null;
    const count = async (more: boolean, taken: number): Promise<number | null> => {
      if (known !== null || early !== null) return known ?? early;
      if (!options.count) return null;
      try {
        return more ? await counted() : (cursor?.o ?? 0) + taken;
      } catch (err) {
        throw failure(err);
      }
    };
    let after: Parameters<typeof compilePage>[4];
    if (cursor && plan.aggregate) after = { offset: cursor.o };
    else if (cursor && cursor.r > 0) {
      const [values] = await collect(compileAnchor(d, plan, table, cursor.r));
      if (!values) throw new InvalidRequestError('cursor: its row is not in these results; start again without a cursor');
      after = { anchor: { row: cursor.r, values: plan.order.length ? values : [] } };
    }
    const output = plan.output.map((o) => ({ name: o.name, type: o.type }));
    const rows = explore.rows(compilePage(d, plan, table, limit, after), output);
    return {
      columns: output,
      rows: (async function* () {
        try {
          yield* rows;
        } catch (err) {
          throw failure(err);
        }
      })(),
      count,
      nextCursor: (lastRow, taken, made) =>
        encodeExploreCursor({ r: plan.aggregate ? 0 : lastRow, o: plan.aggregate ? (cursor?.o ?? 0) + taken : 0, t: table, u: target.runId, q: digest, c: made ?? -1 }),
    };
  } catch (err) {
    throw failure(err);
  }
}
