/**
 * End to end, results lifecycle: GET /jobs/{jobID}/results in JSON and CSV
 * through the local stack, its refusals, purge, and TTL expiry (the record
 * reads as gone and the scheduled sweeper drops the table) on a PostgreSQL and
 * a MariaDB results database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../scripts/localStack.js';
import { apiClient, type ApiAnswer } from '../support/api.js';
import { parseCsv } from '../support/csv.js';
import { sleep } from '../support/until.js';
import { startE2eStack, type E2eStack } from '../support/e2eStack.js';
import { e2eConfig, queue } from '../support/configToml.js';
import type { TestDatabases } from '../support/testDatabases.js';

const SERIES = `SELECT g AS n, g::numeric / 4 AS quarter, g % 2 = 0 AS even,
  CASE WHEN g % 5 = 0 THEN NULL ELSE 'a,"b"' || g END AS label,
  timestamp '2024-01-01 00:00:00.25' + g * interval '1 day' AS at
FROM generate_series(1, $1::int) g;`;

const TASKS = `
-- name: series_pg
-- db: pg
-- results: pg_res
-- queue: fast
${SERIES}

-- name: series_my
-- db: pg
-- results: my_res
-- queue: fast
${SERIES}

-- name: sleepy
-- db: pg
-- results: pg_res
-- queue: slow
SELECT pg_sleep($1::float) AS slept;
`;

let world: E2eStack;
let stack: LocalStack;
let dbs: TestDatabases;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  world = await startE2eStack({
    prefix: 'e2e_res',
    tasks: TASKS,
    config: (dbs) =>
      e2eConfig(dbs, {
        app: { default_job_ttl: '1h' },
        db: { pg: 'pg' },
        results: { pg_res: 'pg', my_res: 'my' },
        queues: { fast: queue(4), slow: queue(2) },
      }),
    stack: { sweepIntervalMs: 1000 },
  });
  ({ stack, dbs, api } = world);
}, 180_000);

afterAll(async () => {
  await world?.stop();
});


async function raw(pathAndQuery: string, headers: Record<string, string> = {}) {
  const res = await fetch(stack.url + pathAndQuery, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Whether a results table (and its catalog entry) exist in the results database of `where`. */
async function present(where: 'pg' | 'my', table: string): Promise<{ table: boolean; entry: boolean }> {
  if (where === 'pg') {
    const [t] = await dbs.pg('SELECT to_regclass($1) IS NOT NULL AS e', [`"${table}"`]);
    const [c] = await dbs.pg('SELECT to_regclass($1) IS NOT NULL AS e', ['sqljobber_catalog']);
    const entry = c!.e ? (await dbs.pg('SELECT 1 FROM sqljobber_catalog WHERE table_name = $1', [table])).length > 0 : false;
    return { table: Boolean(t!.e), entry };
  }
  const t = await dbs.mysql('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND BINARY TABLE_NAME = ?', [table]);
  const c = await dbs.mysql("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'sqljobber_catalog'");
  const entry = c.length > 0 ? (await dbs.mysql('SELECT 1 FROM sqljobber_catalog WHERE table_name = ?', [table])).length > 0 : false;
  return { table: t.length > 0, entry };
}

const expectedRow = (g: number) => [
  String(g),
  (g / 4).toFixed(20).replace(/0+$/, '').replace(/\.$/, ''),
  g % 2 === 0,
  g % 5 === 0 ? null : `a,"b"${g}`,
  new Date(Date.UTC(2024, 0, 1 + g)).toISOString().slice(0, 10) + ' 00:00:00.25',
];

describe.each([
  ['series_pg', 'pg'],
  ['series_my', 'my'],
] as const)('GET /jobs/{jobID}/results of %s', (task, where) => {
  const id = `res-${where}`;

  beforeAll(async () => {
    expect((await api.post(`/tasks/${task}/jobs`, { job_id: id, args: ['25'] })).status).toBe(200);
    expect(await api.waitFor(id)).toMatchObject({ status: 'SUCCESS', count: 25 });
  });

  it('pages through JSON with the cursor', async () => {
    const rows: unknown[][] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: ApiAnswer = await api.get(`/jobs/${id}/results?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('success');
      expect(res.body.data.columns).toEqual([
        { name: 'n', type: 'BIGINT' },
        { name: 'quarter', type: 'DECIMAL' },
        { name: 'even', type: 'BOOLEAN' },
        { name: 'label', type: 'TEXT' },
        { name: 'at', type: 'TIMESTAMP' },
      ]);
      expect(res.body.data.count).toBe(25);
      rows.push(...res.body.data.rows);
      cursor = res.body.data.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    // DECIMAL scale differs by server (PostgreSQL keeps the division's, MariaDB its DECIMAL(65,30)): compare as numbers.
    expect(rows.map((r) => [r[0], Number(r[1]), r[2], r[3], r[4]])).toEqual(
      Array.from({ length: 25 }, (_, i) => expectedRow(i + 1)).map((r) => [r[0], Number(r[1]), r[2], r[3], r[4]]),
    );
  });

  it('answers CSV for format=csv and for Accept: text/csv, the cursor in X-Next-Cursor', async () => {
    const first = await raw(`/jobs/${id}/results?format=csv&limit=20`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/csv/);
    const cursor = first.headers.get('x-next-cursor');
    expect(cursor).toBeTruthy();
    const second = await raw(`/jobs/${id}/results?limit=20&cursor=${cursor}`, { accept: 'text/csv' });
    expect(second.status).toBe(200);
    expect(second.headers.get('x-next-cursor')).toBeNull();
    const a = parseCsv(first.text);
    const b = parseCsv(second.text);
    expect(a[0]!.map((f) => f.text)).toEqual(['n', 'quarter', 'even', 'label', 'at']);
    expect(b[0]).toEqual(a[0]);
    const records = [...a.slice(1), ...b.slice(1)];
    expect(records.map((r) => r[0]!.text)).toEqual(Array.from({ length: 25 }, (_, i) => String(i + 1)));
    expect(records[4]!.map((f) => f.text)).toEqual(['5', records[4]![1]!.text, 'false', '', '2024-01-06 00:00:00.25']);
    expect(records[5]!.slice(2).map((f) => f.text)).toEqual(['true', 'a,"b"6', '2024-01-07 00:00:00.25']);
  });
});

describe('results route refusals', () => {
  it('409 for a running job, 400 for a bad limit, cursor or format, 404 for an unknown job', async () => {
    expect((await api.post('/tasks/sleepy/jobs', { job_id: 'res-sleepy', args: ['30'] })).status).toBe(200);
    await api.waitFor('res-sleepy', ['STARTED']);
    const running = await api.get('/jobs/res-sleepy/results');
    expect(running.status).toBe(409);
    expect(running.body).toMatchObject({ status: 'error', data: { job_id: 'res-sleepy', status: 'STARTED' } });
    expect(running.body.message).toContain('is STARTED');
    expect((await api.del('/jobs/res-sleepy')).status).toBe(200);

    for (const [query, message] of [
      ['limit=0', 'limit: expected a whole number from 1 to 10000'],
      ['limit=abc', 'limit: expected a whole number'],
      ['limit=10001', 'limit'],
      ['cursor=garbage', 'cursor: not a cursor of this API'],
      ['format=xml', 'format: expected json or csv'],
    ] as const) {
      const res = await api.get(`/jobs/res-pg/results?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ status: 'error', data: null });
      expect(res.body.message).toContain(message);
    }
    const other = await api.get('/jobs/res-pg/results?limit=1');
    const foreign = await api.get(`/jobs/res-my/results?cursor=${other.body.data.next_cursor}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.message).toContain("belongs to another job's results");

    const unknown = await api.get('/jobs/no-such-job/results');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ status: 'error', code: 'job_not_found', message: 'unknown job "no-such-job"', data: null });
  });

  it('a purged job takes its table and its catalog entry with it', async () => {
    expect((await api.post('/tasks/series_pg/jobs', { job_id: 'res-purge', args: ['3'] })).status).toBe(200);
    await api.waitFor('res-purge');
    expect(await present('pg', 'results_res-purge')).toEqual({ table: true, entry: true });
    expect((await api.del('/jobs/res-purge?purge=true')).status).toBe(200);
    expect(await present('pg', 'results_res-purge')).toEqual({ table: false, entry: false });
    expect((await api.get('/jobs/res-purge/results')).status).toBe(404);
  });
});

describe('TTL', () => {
  it.each([
    ['series_pg', 'pg'],
    ['series_my', 'my'],
  ] as const)('a %s job with ttl 2 expires: its record reads as gone and the sweeper drops its table', async (task, where) => {
    const id = `res-ttl-${where}`;
    expect((await api.post(`/tasks/${task}/jobs`, { job_id: id, args: ['5'], ttl: 2 })).status).toBe(200);
    const job = await api.waitFor(id);
    expect(job).toMatchObject({ status: 'SUCCESS', ttl: 2 });
    expect(new Date(job.expires_at).getTime() - new Date(job.finished_at).getTime()).toBeLessThanOrEqual(2000);
    expect((await api.get(`/jobs/${id}/results`)).status).toBe(200);
    expect(await present(where, `results_${id}`)).toEqual({ table: true, entry: true });

    const expiresAt = new Date(job.expires_at).getTime();
    await sleep(Math.max(0, expiresAt - Date.now()) + 100);
    expect((await api.get(`/jobs/${id}`)).status).toBe(404);
    expect([404, 410]).toContain((await api.get(`/jobs/${id}/results`)).status);

    // The sweeper runs every second here (every minute in AWS).
    const deadline = Date.now() + 15_000;
    let state = await present(where, `results_${id}`);
    while ((state.table || state.entry) && Date.now() < deadline) {
      await sleep(200);
      state = await present(where, `results_${id}`);
    }
    expect(state).toEqual({ table: false, entry: false });
    console.log(`${where}: table dropped ${Date.now() - expiresAt} ms after expiry (or sooner)`);
  });
});
