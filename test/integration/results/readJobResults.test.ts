/**
 * Results over HTTP, below the handler: a 100,000-row result written by
 * runTask into a PostgreSQL and a MariaDB results database, paged through in
 * JSON and in CSV by keyset cursor; every row must come back exactly once and
 * exactly as written. Also the ~5 MB page cap and every refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsConfig } from '../../../lib/config/types.js';
import type { DbPools } from '../../../lib/db/createDbPools.js';
import { runTask } from '../../support/runTask.js';
import type { JobItem } from '../../../lib/jobs/types.js';
import { encodeCursor } from '../../../lib/results/resultsCursor.js';
import { PAGE_BYTES, readJobResults, type JobResultsPage, type ResultsRequest } from '../../../lib/results/readJobResults.js';
import { parseCsv } from '../../support/csv.js';
import { finishedJob, readerDeps } from '../../support/resultsReader.js';
import { closeEngineDatabases, openEngineDatabases, type EngineDatabases } from '../../support/testDatabases.js';

const ROWS = 100_000;
const QUERY = `
SELECT g AS id,
       (g::numeric * 1000000000000 + 0.123456789)::numeric(30,9) AS amount,
       g::bigint * 92233720368 AS big,
       g / 8.0::float8 AS ratio,
       timestamp '2024-01-01 00:00:00' + g * interval '1.5 second' AS at,
       date '2024-01-01' + (g % 365) AS day,
       g % 3 = 0 AS fizz,
       CASE WHEN g % 10 = 0 THEN NULL WHEN g % 10 = 1 THEN '' ELSE 'row ' || g || ', "q"' || E'\\n' || 'ñ' END AS label
FROM generate_series(1, $1::int) g`;
const COLUMNS = [
  { name: 'id', type: 'BIGINT' },
  { name: 'amount', type: 'DECIMAL' },
  { name: 'big', type: 'BIGINT' },
  { name: 'ratio', type: 'DOUBLE' },
  { name: 'at', type: 'TIMESTAMP' },
  { name: 'day', type: 'DATE' },
  { name: 'fizz', type: 'BOOLEAN' },
  { name: 'label', type: 'TEXT' },
];

/** Row g as the JSON page must carry it. */
function expectedRow(g: number): unknown[] {
  const at = new Date(Date.UTC(2024, 0, 1) + g * 1500).toISOString().slice(0, 19).replace('T', ' ') + (g % 2 ? '.5' : '');
  const day = new Date(Date.UTC(2024, 0, 1) + (g % 365) * 86_400_000).toISOString().slice(0, 10);
  const label = g % 10 === 0 ? null : g % 10 === 1 ? '' : `row ${g}, "q"\nñ`;
  return [String(g), `${g}000000000000.123456789`, String(BigInt(g) * 92233720368n), g / 8, at, day, g % 3 === 0, label];
}

let pools: DbPools;
let dbs: EngineDatabases;
const timings: string[] = [];

beforeAll(async () => {
  ({ pools, dbs } = await openEngineDatabases());
});

afterAll(async () => {
  await closeEngineDatabases(pools, dbs);
  if (timings.length) console.log(timings.join('\n'));
});

const job = (results: ResultsConfig, over: Partial<JobItem> = {}): JobItem => finishedJob(results, { job_id: 'j', count: ROWS, results_table: 'results_j', ...over });
const deps = (results: ResultsConfig, item: JobItem | undefined) => readerDeps(pools, results, item);

async function pageAll(results: ResultsConfig, item: JobItem, req: Omit<ResultsRequest, 'cursor'>) {
  const pages: JobResultsPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await readJobResults(deps(results, item), item.job_id, { ...req, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return pages;
}

describe.each(['postgres', 'mysql'] as const)('paging a 100,000-row result in %s', (type) => {
  let results: ResultsConfig;
  let item: JobItem;

  beforeAll(async () => {
    results = dbs[type]!.results({ name: `res_${type}` });
    item = job(results);
    const out = await runTask(pools, { source: dbs.postgres!.db(), results, query: QUERY, args: [String(ROWS)], table: 'results_j', timeoutMs: 60_000 });
    expect(out.count).toBe(ROWS);
  }, 120_000);

  it.each([
    ['default limit (1000)', undefined],
    ['limit 10000', '10000'],
  ])('JSON, %s: every row once, in order, exactly as written', async (_what, limit) => {
    const started = performance.now();
    const pages = await pageAll(results, item, limit ? { limit } : {});
    const ms = performance.now() - started;
    timings.push(`${type} JSON limit ${limit ?? 1000}: ${pages.length} pages, ${Math.round(ms)} ms (${Math.round(ROWS / (ms / 1000))} rows/s)`);
    expect(pages).toHaveLength(ROWS / Number(limit ?? 1000));
    let g = 0;
    const wrong: string[] = [];
    for (const page of pages) {
      expect(page.columns).toEqual(COLUMNS);
      expect(page.count).toBe(ROWS);
      for (const row of JSON.parse(page.body) as unknown[][]) {
        g++;
        // JSON text comparison: strings stay strings, numbers numbers, booleans booleans.
        if (JSON.stringify(row) !== JSON.stringify(expectedRow(g))) wrong.push(`row ${g}: ${JSON.stringify(row)}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(g).toBe(ROWS);
    expect(pages.at(-1)!.next_cursor).toBeNull();
  });

  it('CSV with an uneven limit: a header on each page, every row once, NULL apart from the empty string', async () => {
    const started = performance.now();
    const pages = await pageAll(results, item, { format: 'csv', limit: '7777' });
    const ms = performance.now() - started;
    timings.push(`${type} CSV limit 7777: ${pages.length} pages, ${Math.round(ms)} ms (${Math.round(ROWS / (ms / 1000))} rows/s)`);
    expect(pages).toHaveLength(Math.ceil(ROWS / 7777));
    let g = 0;
    const wrong: string[] = [];
    for (const page of pages) {
      const [header, ...records] = parseCsv(page.body);
      expect(header!.map((f) => f.text)).toEqual(COLUMNS.map((c) => c.name));
      for (const record of records) {
        g++;
        const want = expectedRow(g);
        const texts = JSON.stringify(record.map((f) => f.text));
        const quoted = want[7] !== null && (want[7] === '' || /[",\n]/.test(String(want[7])));
        if (texts !== JSON.stringify(want.map((v) => (v === null ? '' : String(v)))) || record[7]!.quoted !== quoted) wrong.push(`row ${g}: ${texts}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(g).toBe(ROWS);
  });

  it('picks CSV from the Accept header, and starts after the cursor row', async () => {
    const page = await readJobResults(deps(results, item), 'j', { accept: 'text/csv', limit: '2', cursor: encodeCursor({ r: 99_998, t: 'results_j', u: 'run-1' }) });
    expect(page.format).toBe('csv');
    expect(page.next_cursor).toBeNull();
    expect(parseCsv(page.body).map((r) => r[0]!.text)).toEqual(['id', '99999', '100000']);
  });
});

describe.each(['postgres', 'mysql'] as const)('page size cap in %s', (type) => {
  it('ends a page before ~5 MB (as the Lambda response counts it) and hands out the cursor', async () => {
    const results = dbs[type]!.results({ name: `cap_${type}` });
    const table = 'results_big';
    // 60 rows of 120,000 characters, a third of them quotes (escaped twice on the way out).
    const query = `SELECT g AS n, repeat('ab"', 40000) AS blob FROM generate_series(1, 60) g`;
    await runTask(pools, { source: dbs.postgres!.db(), results, query, args: [], table, timeoutMs: 60_000 });
    const item = job(results, { job_id: 'big', results_table: table, count: 60 });
    for (const format of ['json', 'csv'] as const) {
      const pages = await pageAll(results, item, { format, limit: '10000' });
      expect(pages.length).toBeGreaterThan(2);
      let seen = 0;
      // What each row costs in the answer, as the cap counts it: its text escaped as a JSON string, and a separator.
      const cost = (text: string) => Buffer.byteLength(JSON.stringify(text)) - 2 + 1;
      const rowCost = (n: number) => cost(format === 'json' ? JSON.stringify([String(n), 'ab"'.repeat(40000)]) : `${n},"${'ab""'.repeat(40000)}"\r\n`);
      const start = Buffer.byteLength(JSON.stringify(format === 'json' ? JSON.stringify(pages[0]!.columns) : 'n,blob\r\n')) - 2;
      for (const page of pages) {
        const size = Buffer.byteLength(JSON.stringify(page.body));
        expect(size).toBeLessThanOrEqual(PAGE_BYTES + 1024);
        const rows = format === 'json' ? (JSON.parse(page.body) as unknown[][]).map((r) => Number(r[0])) : parseCsv(page.body).slice(1).map((r) => Number(r[0]!.text));
        expect(rows).toEqual(rows.map((_, i) => seen + i + 1));
        // The page ends on the row that would pass the cap, no sooner.
        const bytes = rows.reduce((sum, n) => sum + rowCost(n), start);
        expect(bytes).toBeLessThanOrEqual(PAGE_BYTES);
        if (page.next_cursor) expect(bytes + rowCost(seen + rows.length + 1)).toBeGreaterThan(PAGE_BYTES);
        seen += rows.length;
      }
      expect(seen).toBe(60);
    }
  });

  it('refuses a row too large for any answer with row_too_large, and reads the rows around it', async () => {
    const results = dbs[type]!.results({ name: `huge_${type}` });
    const table = 'results_huge';
    // Row 2: 2,000,000 quotes, 4 bytes each in the answer (JSON's \" escaped again as a JSON string; CSV's "" likewise).
    const query = `SELECT g AS n, CASE WHEN g = 2 THEN repeat('"', 2000000) ELSE 'small' END AS blob FROM generate_series(1, 3) g`;
    await runTask(pools, { source: dbs.postgres!.db(), results, query, args: [], table, timeoutMs: 60_000 });
    const item = job(results, { job_id: 'huge', results_table: table, count: 3 });
    const at = (r: number) => encodeCursor({ r, t: table, u: 'run-1' });
    for (const format of ['json', 'csv'] as const) {
      // The huge row ends the first page after row 1; read alone, it is refused.
      const first = await readJobResults(deps(results, item), 'huge', { format, limit: '10' });
      expect(first.next_cursor).toBe(at(1));
      const refused = readJobResults(deps(results, item), 'huge', { format, cursor: at(1) });
      await expect(refused).rejects.toMatchObject({ code: 'row_too_large', message: expect.stringContaining('row 2 of job "huge"') });
      // The connection the refused page used serves the next page.
      for (let i = 0; i < 4; i++) {
        const last = await readJobResults(deps(results, item), 'huge', { format, cursor: at(2) });
        expect(last.next_cursor).toBeNull();
        expect(format === 'json' ? JSON.parse(last.body) : parseCsv(last.body).slice(1).map((r) => r.map((f) => f.text))).toEqual([['3', 'small']]);
      }
    }
  });
});

describe("the job's row count on postgres", () => {
  it('goes with the page: told 4900, a page after row 4800 ends there; told 5000, it finds the 100 rows that lie in the first block', async () => {
    const results = dbs.postgres!.results({ name: 'res_count' });
    // The last 100 rows lie in the first block, where a page after row 4800 looks only when the count says the table goes on.
    await dbs.postgres!.query('CREATE TABLE results_tail (_row BIGINT NOT NULL, id BIGINT)');
    await dbs.postgres!.query('INSERT INTO results_tail SELECT g, g FROM generate_series(4901, 5000) g');
    await dbs.postgres!.query('INSERT INTO results_tail SELECT g, g FROM generate_series(1, 4900) g');
    const ids = async (count: number) => {
      const item = job(results, { job_id: 't', count, results_table: 'results_tail' });
      const page = await readJobResults(deps(results, item), 't', { limit: '500', cursor: encodeCursor({ r: 4800, t: 'results_tail', u: 'run-1' }) });
      return (JSON.parse(page.body) as unknown[][]).map((r) => Number(r[0]));
    };
    expect(await ids(4900)).toEqual(Array.from({ length: 100 }, (_, i) => 4801 + i));
    expect(await ids(5000)).toEqual(Array.from({ length: 200 }, (_, i) => 4801 + i));
  });
});

describe('refusals', () => {
  const call = (item: JobItem | undefined, req: ResultsRequest = {}, id = 'j') => readJobResults(deps(dbs.postgres!.results({ name: 'res_postgres' }), item), id, req);
  const res = () => dbs.postgres!.results({ name: 'res_postgres' });

  it.each([
    [{ limit: '0' }, 'limit: expected a whole number from 1 to 10000 (got "0")'],
    [{ limit: '10001' }, 'limit: expected a whole number from 1 to 10000'],
    [{ limit: '1.5' }, 'limit'],
    [{ limit: '' }, 'limit'],
    [{ format: 'xml' }, 'format: expected json or csv (got "xml")'],
    [{ cursor: 'not a cursor' }, 'cursor: not a cursor of this API'],
    [{ cursor: Buffer.from('{"r":-1,"t":"results_j","u":"run-1"}').toString('base64url') }, 'cursor: not a cursor of this API'],
    [{ cursor: Buffer.from('[1]').toString('base64url') }, 'cursor: not a cursor of this API'],
    [{ cursor: encodeCursor({ r: 5, t: 'results_other', u: 'run-1' }) }, "cursor: belongs to another job's results"],
  ])('400 for %j', async (req, message) => {
    await expect(call(job(res()), req)).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining(message) });
  });

  it('404 for an unknown (or expired) job, 409 before SUCCESS and for a cursor of an earlier run, 410 when the table is gone', async () => {
    await expect(call(undefined)).rejects.toMatchObject({ statusCode: 404, message: 'unknown job "j"' });
    for (const status of ['PENDING', 'STARTED', 'RETRY', 'FAILURE', 'CANCELLED'] as const) {
      await expect(call(job(res(), { status }))).rejects.toMatchObject({ statusCode: 409, message: `job "j" is ${status}; results can be read once it is SUCCESS` });
    }
    await expect(call(job(res(), { run_id: 'run-2' }), { cursor: encodeCursor({ r: 5, t: 'results_j', u: 'run-1' }) })).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringContaining('was run again'),
    });
    await expect(call(job(res(), { results_table: 'results_nothere' }))).rejects.toMatchObject({ statusCode: 410 });
  });
});
