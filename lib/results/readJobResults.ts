import { askedAbout } from '../jobs/askedAbout.js';
import type { Config } from '../config/types.js';
import { lookup } from '../config/lookup.js';
import type { DbPools } from '../db/createDbPools.js';
import type { ResultsColumn, ResultsRow } from '../db/port/resultsPage.js';
import { resultsDb, type ResultsDb } from '../db/resultsDb.js';
import { CursorQueryMismatchError, CursorStaleError, RunChangedError, InvalidRequestError, JobNotFoundError, JobNotSucceededError, ResultsGoneError, SqlJobberError } from '../errors.js';
import type { JobStore } from '../jobs/jobStore.js';
import { quoteInput } from '../quoteInput.js';
import { decodeExploreCursor } from './explore/exploreCursor.js';
import { isPlainQuery, type ExploreQuery } from './explore/exploreQuery.js';
import { parseExplore } from './explore/parseExplore.js';
import { readExplorePage } from './explore/readExplorePage.js';
import { decodeCursor, encodeCursor } from './resultsCursor.js';
import { PageBody, type ResultsFormat } from './pageBody.js';

export interface ResultsDeps {
  config: Config;
  /** `touch`: a read of an unfinished job counts as asking about it (orphan cancel); readers of finished jobs alone may leave it out. */
  store: Pick<JobStore, 'get'> & Partial<Pick<JobStore, 'touch'>>;
  pools: DbPools;
}

/** The request as it came: query string values and the Accept header, unparsed. */
export interface ResultsRequest {
  limit?: string;
  cursor?: string;
  format?: string;
  accept?: string;
  /** The Prefer header: `count=exact` counts the matches of a filtered or aggregated read. */
  prefer?: string;
  /**
   * Every query parameter in order (repeated ones apart). When present, filters,
   * `select`, `order` and `run` are read from here (see `parseExplore`), and
   * `limit`, `cursor` and `format` too.
   */
  params?: readonly (readonly [string, string])[];
}

export { PAGE_BYTES, type ResultsFormat } from './pageBody.js';

/** One page of a job's results, already encoded. */
export interface JobResultsPage {
  format: ResultsFormat;
  columns: ResultsColumn[];
  /** JSON: the rows as a JSON array text. CSV: the document, header record first. */
  body: string;
  /** Where the next page starts; null on the last page. */
  next_cursor: string | null;
  /**
   * Rows of the whole result (the job's count); with filters, the rows that
   * match, and with aggregates the groups, when asked for (`Prefer:
   * count=exact`), else null.
   */
  count: number | null;
}

export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 10_000;
/** Validates the request; a bad value is a 400 naming the parameter. */
export function parseResultsRequest(req: ResultsRequest): { limit: number; cursor?: string; format: ResultsFormat } {
  let limit = DEFAULT_LIMIT;
  if (req.limit !== undefined) {
    limit = /^[0-9]{1,6}$/.test(req.limit) ? Number(req.limit) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) {
      throw new InvalidRequestError(`limit: expected a whole number from 1 to ${MAX_LIMIT} (got ${JSON.stringify(req.limit)})`);
    }
  }
  let format: ResultsFormat = 'json';
  if (req.format !== undefined) {
    const f = req.format.toLowerCase();
    if (f !== 'json' && f !== 'csv') throw new InvalidRequestError(`format: expected json or csv (got ${JSON.stringify(req.format)})`);
    format = f;
  } else if (req.accept && /\btext\/csv\b/i.test(req.accept)) {
    format = 'csv';
  }
  return { limit, format, ...(req.cursor !== undefined ? { cursor: req.cursor } : {}) };
}

/**
 * GET /jobs/{jobID}/results: one page of a SUCCESS job's rows, in `_row`
 * order, after the cursor's row. A page holds at most `limit` rows and stops
 * early at about 5 MB; `next_cursor` is null on the last page.
 *
 * @throws InvalidRequestError bad limit, cursor or format (400)
 * @throws JobNotFoundError unknown or expired job (404)
 * @throws JobNotSucceededError the job has not succeeded (409)
 * @throws CursorStaleError the job was run again since the cursor was made (409)
 * @throws ResultsGoneError the results table is gone although the job record is not (410)
 */
export async function readJobResults(deps: ResultsDeps, jobId: string, request: ResultsRequest): Promise<JobResultsPage> {
  let req = request;
  if (request.params) {
    const { query, paging } = parseExplore(request.params);
    req = { accept: request.accept, prefer: request.prefer, ...paging };
    if (!isPlainQuery(query)) return readExploreResults(deps, jobId, query, req);
  }
  const { limit, cursor: cursorText, format } = parseResultsRequest(req);
  const cursor = cursorText === undefined ? undefined : plainCursor(jobId, cursorText);
  const job = await deps.store.get(jobId);
  if (!job) throw new JobNotFoundError(jobId);
  if (job.status !== 'SUCCESS') {
    // Someone still waits for it (orphan cancel).
    const { touch } = deps.store;
    if (touch) await askedAbout({ touch: touch.bind(deps.store) }, job);
    throw new JobNotSucceededError(jobId, job.status);
  }
  const resultsConfig = lookup(deps.config.results, job.results_db);
  if (job.no_results) throw new ResultsGoneError(`job "${jobId}" wrote no results table ("results": false); its rows are in its export (GET /jobs/{jobID}/export)`);
  const table = job.results_table;
  if (!resultsConfig || !table) throw new ResultsGoneError(`the results of job "${jobId}" are no longer available (results database "${job.results_db}" is not configured)`);
  if (cursor && cursor.t !== table) throw new InvalidRequestError(`cursor: belongs to another job's results, not to job "${jobId}"`);
  if (cursor && cursor.u !== job.run_id) {
    throw new CursorStaleError(jobId);
  }

  const gone = () => new ResultsGoneError(`the results of job "${jobId}" have expired or were deleted`);
  const results = resultsDb(deps.pools, resultsConfig);
  const { count } = job;
  const known = typeof count === 'number' && Number.isSafeInteger(count) && count >= 0;
  const page = await results.readPage({ table, afterRow: cursor?.r ?? 0, limit: limit + 1, ...(known ? { rows: count } : {}) });
  if (!page) throw gone();
  const { columns } = page;
  // Rows go from the driver's fields straight into the page's text.
  const body = new PageBody(jobId, format, columns, limit, cursor?.r ?? 0, 1);
  try {
    await page.each((row, fields) => body.add(row, fields));
  } catch (err) {
    if (results.isMissingTable(err)) throw gone();
    throw err;
  }
  return {
    format,
    columns,
    body: body.text(),
    next_cursor: body.more ? encodeCursor({ r: body.lastRow, t: table, u: job.run_id }) : null,
    count: job.count ?? 0,
  };
}

/** A plain page's cursor; an explore query's cursor is a 409 (made for another query), anything else a 400. */
function plainCursor(jobId: string, text: string) {
  try {
    return decodeCursor(text);
  } catch (err) {
    let explore = false;
    try {
      explore = decodeExploreCursor(text).q !== '';
    } catch {
      // not one either: the plain decoder's 400 stands
    }
    if (explore) throw new CursorQueryMismatchError(jobId);
    throw err;
  }
}

/** Encodes a stream of rows into a page (see PageBody); a table dropped meanwhile is `gone`. */
async function encodeRows(
  jobId: string,
  rows: AsyncGenerator<ResultsRow, void, undefined>,
  columns: ResultsColumn[],
  format: ResultsFormat,
  limit: number,
  firstRow: number,
  gone: () => Error,
  results: ResultsDb,
): Promise<{ body: string; more: boolean; lastRow: number; taken: number }> {
  const page = new PageBody(jobId, format, columns, limit, firstRow, 0);
  try {
    for await (const row of rows) if (!page.add(row.row, row.values)) break;
  } catch (err) {
    if (results.isMissingTable(err)) throw gone();
    throw err;
  }
  return { body: page.text(), more: page.more, lastRow: page.lastRow, taken: page.taken };
}

/**
 * A page of an explore query (select, filters, order, aggregates): the same
 * checks of the job and the same answer as a plain page, its rows those that
 * match, in the query's order; `count` is the number of rows that match (of
 * groups, for aggregates) when asked for.
 */
async function readExploreResults(deps: ResultsDeps, jobId: string, query: ExploreQuery, req: ResultsRequest): Promise<JobResultsPage> {
  const { limit, format } = parseResultsRequest({ ...req, cursor: undefined });
  const cursor = req.cursor === undefined ? undefined : decodeExploreCursor(req.cursor);
  const job = await deps.store.get(jobId);
  if (!job) throw new JobNotFoundError(jobId);
  // The run the client read the status of: another one (the ID was run again) is a 409 run_changed, whatever its state.
  if (query.run !== undefined && query.run !== job.run_id) throw new RunChangedError(jobId, query.run, job.run_id);
  if (job.status !== 'SUCCESS') throw new JobNotSucceededError(jobId, job.status);
  const resultsConfig = lookup(deps.config.results, job.results_db);
  if (job.no_results) throw new ResultsGoneError(`job "${jobId}" wrote no results table ("results": false); its rows are in its export (GET /jobs/{jobID}/export)`);
  const table = job.results_table;
  if (!resultsConfig || !table) throw new ResultsGoneError(`the results of job "${jobId}" are no longer available (results database "${job.results_db}" is not configured)`);
  if (cursor && cursor.t === table && cursor.u !== job.run_id) throw new CursorStaleError(jobId);

  const gone = () => new ResultsGoneError(`the results of job "${jobId}" have expired or were deleted`);
  const results = resultsDb(deps.pools, resultsConfig);
  const exact = /(^|[\s,;])count=exact([\s,;]|$)/i.test(req.prefer ?? '');
  const page = await readExplorePage({ jobId, runId: job.run_id, results, table }, query, limit + 1, req.cursor, { count: exact });
  if (!page) throw gone();
  const { body, more, lastRow, taken } = await encodeRows(jobId, page.rows, page.columns, format, limit, cursor?.r ?? 0, gone, results);
  const count = await page.count(more, taken);
  return { format, columns: page.columns, body, next_cursor: more ? page.nextCursor(lastRow, taken, count) : null, count };
}
