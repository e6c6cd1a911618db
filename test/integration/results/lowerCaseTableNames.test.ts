/**
 * Results tables on a MySQL/MariaDB server with `lower_case_table_names=1` (as on
 * Windows, macOS and some managed MySQL services), through the worker, the
 * results reader, purge and the catalog sweep: job IDs that differ only in case
 * keep tables of their own, a mixed-case ID reads its rows back, the sweep and a
 * purge drop them, and an ID whose escaped name would be too long fails its job
 * with a message naming the ID and the setting. A private server (the shared one
 * on 3306 keeps its settings) beside the shared one, where names stay as written.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config/loadConfig.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { cancelJob } from '../../../lib/lifecycle/cancelJob.js';
import { runJob } from '../../../lib/lifecycle/runJob.js';
import { submitJob } from '../../../lib/jobs/submitJob.js';
import { readJobResults } from '../../../lib/results/readJobResults.js';
import { loadTasks } from '../../../lib/tasks/loadTasks.js';
import { startPrivateMariadb, type PrivateMariadb } from '../../support/privateMariadb.js';
import { startStateWorld, type StateWorld } from '../../support/stateWorld.js';
import { createTestDatabases, type TestDatabases } from '../../support/testDatabases.js';
import { resultsDb } from '../../../lib/db/resultsDb.js';

const TASKS = `
-- name: rows_folded
-- db: pg
-- results: folded
-- queue: q
SELECT $1::text AS who, g AS n FROM generate_series(1, $2::int) g;

-- name: rows_plain
-- db: pg
-- results: plain
-- queue: q
SELECT $1::text AS who, g AS n FROM generate_series(1, $2::int) g;
`;

let w: StateWorld;
let server: PrivateMariadb;
let dbs: TestDatabases;
let pools: DbPools;
let dir: string;
let deps: Parameters<typeof runJob>[0];

beforeAll(async () => {
  // Each started part is kept even when another fails to start, so afterAll stops it (a private server must not outlive the file).
  const started = await Promise.allSettled([startStateWorld(), startPrivateMariadb({ lowerCaseTableNames: 1 }), createTestDatabases('sqljobber_lctn')]);
  const [world, private_, databases] = started;
  if (world.status === 'fulfilled') w = world.value;
  if (private_.status === 'fulfilled') server = private_.value;
  if (databases.status === 'fulfilled') dbs = databases.value;
  for (const s of started) if (s.status === 'rejected') throw s.reason;
  await server.sql('CREATE DATABASE res CHARACTER SET utf8mb4');
  dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-lctn-'));
  writeFileSync(path.join(dir, 'tasks.sql'), TASKS);
  const config = parseConfig(
    `[db.pg]\ntype = "postgres"\ndsn = "${dbs.pgUrl}"\n` +
      `[results.folded]\ntype = "mysql"\ndsn = "${server.url('res')}"\n` +
      `[results.plain]\ntype = "mysql"\ndsn = "${dbs.mysqlUrl}"\n` +
      `[queues.q]\n[queues.r]\n`,
    'lctn.toml',
    {},
  );
  pools = createDbPools();
  deps = { config, tasks: loadTasks(dir, config), pools, store: w.store, groups: w.groups, queue: w.queue, log: w.log };
}, 120_000);

afterAll(async () => {
  await pools?.end();
  await Promise.allSettled([w?.stop(), server?.stop(), dbs?.drop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Submits a job and runs its message as the worker would; the job's record after. */
async function run(task: string, jobId: string, rows: number) {
  await submitJob(deps, task, { job_id: jobId, args: [jobId, String(rows)] });
  const [message] = (await w.receive('q')).filter((m) => m.job_id === jobId);
  await runJob(deps, message!, 60_000);
  return (await w.store.get(jobId))!;
}

/** The rows GET /jobs/{jobID}/results answers (one page). */
async function results(jobId: string) {
  const page = await readJobResults(deps, jobId, { limit: '100' });
  return JSON.parse(page.body) as unknown[][];
}

const tablesOn = async () => (await server.sql('SHOW TABLES', 'res')).map((r) => String(Object.values(r)[0])).sort();

describe('lower_case_table_names=1', () => {
  const ids = ['ABC', 'abc', 'AbC', 'a:b:c', 'A:b:c'];

  it('job IDs that differ only in case keep tables of their own, and each reads back its own rows', async () => {
    const jobs = [];
    for (const [i, id] of ids.entries()) jobs.push(await run('rows_folded', id, i + 1));
    for (const job of jobs) expect(job, job.error).toMatchObject({ status: 'SUCCESS' });
    expect(jobs.map((j) => j.count)).toEqual([1, 2, 3, 4, 5]);
    // Each its own rows (before, the last of ABC/abc/AbC overwrote the others', and a mixed-case ID's read was a 410).
    for (const [i, id] of ids.entries()) {
      expect(await results(id), id).toEqual(Array.from({ length: i + 1 }, (_, r) => [id, String(r + 1)]));
    }
    // Stored as written: no upper-case letter in any name, each upper-case letter and ":" escaped.
    expect(jobs.map((j) => j.results_table)).toEqual(['results_:a:b:c', 'results_abc', 'results_:ab:c', 'results_a::b::c', 'results_:a::b::c']);
    expect(await tablesOn()).toEqual([...jobs.map((j) => j.results_table!), 'sqljobber_catalog'].sort());
  });

  it('a purge drops the mixed-case job\'s table only, and the catalog sweep drops the rest', async () => {
    expect(await cancelJob(deps, 'AbC', true)).toMatchObject({ status: 'PURGED' });
    expect(await tablesOn()).not.toContain('results_:ab:c');
    expect(await tablesOn()).toContain('results_abc');
    const later = new Date(Date.now() + 400 * 24 * 3600 * 1000);
    expect(await resultsDb(pools, deps.config.results.folded!).sweep(later)).toEqual({ dropped: 4, skipped: [] });
    expect(await tablesOn()).toEqual(['sqljobber_catalog']);
    expect(await server.sql('SELECT table_name FROM sqljobber_catalog', 'res')).toEqual([]);
  });

  it('an ID whose escaped name passes 63 characters fails its job, naming the ID and the setting, and leaves nothing', async () => {
    const tooLong = 'ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ'; // 36 upper-case letters: results_ + 72 characters
    const job = await run('rows_folded', tooLong, 1);
    expect(job.status).toBe('FAILURE');
    expect(job.error).toContain(`job ID "${tooLong}"`);
    expect(job.error).toContain('lower_case_table_names=1');
    expect(job.error).toContain('more than 63');
    expect(await tablesOn()).toEqual(['sqljobber_catalog']);
    // A lower-case ID as long fits: its name is the plain one.
    expect(await run('rows_folded', tooLong.toLowerCase(), 1)).toMatchObject({ status: 'SUCCESS', results_table: `results_${tooLong.toLowerCase()}` });
    // Four upper-case letters take eight characters: 8 + 8 + 40 = 56 fit.
    expect(await resultsDb(pools, deps.config.results.folded!).tableName(`LONG${'x'.repeat(40)}`)).toBe(`results_:l:o:n:g${'x'.repeat(40)}`);
  });
});

describe('lower_case_table_names=0 (the shared server)', () => {
  it('names stay as written: ABC and abc have their tables under the pattern\'s names', async () => {
    const [upper, lower] = [await run('rows_plain', 'ABC', 2), await run('rows_plain', 'abc', 1)];
    expect([upper.results_table, lower.results_table]).toEqual(['results_ABC', 'results_abc']);
    expect(await results('ABC')).toEqual([['ABC', '1'], ['ABC', '2']]);
    expect(await results('abc')).toEqual([['abc', '1']]);
    expect(await resultsDb(pools, deps.config.results.plain!).tableName('A:b')).toBe('results_A:b');
  });
});
