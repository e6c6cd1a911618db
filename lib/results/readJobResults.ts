import type { Config } from '../config/types.js';
import { lookup } from '../config/lookup.js';
import type { DbPools } from '../db/createDbPools.js';
import { isMissingTableError, readResultsPage, type ResultsColumn } from '../db/readResultsPage.js';
import { CursorStaleError, GoneError, InvalidRequestError, JobNotFoundError, JobNotSucceededError, SqlJobberError } from '../errors.js';
import type { JobStore } from '../jobs/jobStore.js';
import { decodeCursor, encodeCursor } from './resultsCursor.js';
import { csvHeader, csvRow, jsonRow } from './resultsEncoding.js';

export interface ResultsDeps {
  config: Config;
  store: Pick<JobStore, 'get'>;
  pools: DbPools;
}

/** The request as it came: query string values and the Accept header, unparsed. */
export interface ResultsRequest {
  limit?: string;
  cursor?: string;
  format?: string;
  accept?: string;
}

export type ResultsFormat = 'json' | 'csv';

/** One page of a job's results, already encoded. */
export interface JobResultsPage {
  format: ResultsFormat;
  columns: ResultsColumn[];
  /** JSON: the rows as a JSON array text. CSV: the document, header record first. */
  body: string;
  /** Where the next page starts; null on the last page. */
  next_cursor: string | null;
  /** Rows of the whole result (the job's count). */
  count: number;
}

export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 10_000;
/**
 * A page ends once its rows would pass this many bytes. Counted as the Lambda
 * response will carry them (the body is a JSON string there, so quotes and
 * backslashes count twice), which keeps an answer under Lambda's 6 MB.
 */
export const PAGE_BYTES = 5 * 1024 * 1024;
/** A single row may use the whole answer, less room for the envelope and headers. */
const ROW_BYTES_MAX = 6 * 1024 * 1024 - 64 * 1024;

/** What one encoded piece costs inside the Lambda response (a JSON string literal, quotes excluded). */
const payloadBytes = (text: string) => Buffer.byteLength(JSON.stringify(text)) - 2;

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
 * @throws GoneError the results table is gone although the job record is not (410)
 */
export async function readJobResults(deps: ResultsDeps, jobId: string, req: ResultsRequest): Promise<JobResultsPage> {
  const { limit, cursor: cursorText, format } = parseResultsRequest(req);
  const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText);
  const job = await deps.store.get(jobId);
  if (!job) throw new JobNotFoundError(jobId);
  if (job.status !== 'SUCCESS') {
    throw new JobNotSucceededError(jobId, job.status);
  }
  const results = lookup(deps.config.results, job.results_db);
  const table = job.results_table;
  if (!results || !table) throw new GoneError(`the results of job "${jobId}" are no longer available (results database "${job.results_db}" is not configured)`);
  if (cursor && cursor.t !== table) throw new InvalidRequestError(`cursor: belongs to another job's results, not to job "${jobId}"`);
  if (cursor && cursor.u !== job.run_id) {
    throw new CursorStaleError(jobId);
  }

  const gone = () => new GoneError(`the results of job "${jobId}" have expired or were deleted`);
  const page = await readResultsPage(deps.pools, results, { table, afterRow: cursor?.r ?? 0, limit: limit + 1 });
  if (!page) throw gone();
  const { columns } = page;
  const parts: string[] = [];
  let bytes = 0;
  let taken = 0;
  let lastRow = cursor?.r ?? 0;
  let more = false;
  try {
    if (format === 'csv') {
      const header = csvHeader(columns);
      parts.push(header);
      bytes += payloadBytes(header);
    } else {
      bytes += payloadBytes(JSON.stringify(columns));
    }
    for await (const row of page.rows) {
      if (taken === limit) {
        more = true; // the one extra row asked for: it ends the query, so read on
        continue;
      }
      const text = format === 'csv' ? csvRow(columns, row.values) : jsonRow(columns, row.values);
      const size = payloadBytes(text) + 1;
      if (taken > 0 && bytes + size > PAGE_BYTES) {
        more = true;
        break;
      }
      if (size > ROW_BYTES_MAX) {
        throw new SqlJobberError(`row ${row.row} of job "${jobId}" is too large for an HTTP answer (${Math.round(size / 1e6)} MB); read it from the results database`, {
          code: 'row_too_large',
          statusCode: 413,
        });
      }
      parts.push(text);
      bytes += size;
      taken++;
      lastRow = row.row;
    }
  } catch (err) {
    if (isMissingTableError(err)) throw gone();
    throw err;
  }
  return {
    format,
    columns,
    body: format === 'csv' ? parts.join('') : `[${parts.join(',')}]`,
    next_cursor: more ? encodeCursor({ r: lastRow, t: table, u: job.run_id }) : null,
    count: job.count ?? 0,
  };
}
