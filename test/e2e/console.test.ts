/**
 * The operator console and the API behind it, end to end on the local stack:
 * GET /queues, GET /jobs, GET /openapi.json, the typed client, and the console
 * driven in headless Chromium (landing page, a job's page with its rows, Cancel
 * of a running job, no script errors). Screenshots go to test-results/console/.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createSqlJobberClient, SqlJobberApiError, type SqlJobberClient } from '../../client/src/index.js';
import * as answers from '../../lib/openapi/responseSchemas.js';
import { sleep } from '../../scripts/stack/awsLocal.js';
import type { ApiAnswer } from '../support/api.js';
import { ensureConsoleBuilt, launchBrowser, newPage, screenshot } from '../support/browser.js';
import { startE2eStack, type E2eStack } from '../support/e2eStack.js';
import { stackClients, type StackClients } from '../support/stackClients.js';

const TASKS = `
-- name: series
-- db: pg
-- queue: fast
SELECT g AS n, 'row ' || g AS label, g * 1.5 AS half FROM generate_series(1, $1::int) g;

-- name: nul_text
-- db: my
-- queue: fast
-- A MySQL text with a NUL character, which PostgreSQL text cannot hold: NULL and a warning.
SELECT 1 AS n, CONCAT('a', CONVERT(CHAR(0) USING utf8mb4), 'b') AS t;

-- name: sleepy
-- db: pg
-- queue: slow
-- Sleeps $1 seconds; the marker finds it in pg_stat_activity.
SELECT 'console-e2e-marker' AS marker, pg_sleep($1::float) AS slept;
`;

let world: E2eStack;
let client: SqlJobberClient;
let browser: Browser;
let aws: StackClients;

/** The answer's `data`, checked against the answer's schema: strict, so an undocumented field fails. */
function parsed<T extends z.ZodType>(res: ApiAnswer, schema: T): z.infer<T> {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return strict(schema).parse(res.body.data) as z.infer<T>;
}

/** A schema with every object in it strict (unknown keys refused). */
function strict(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) return z.strictObject(Object.fromEntries(Object.entries(schema.shape).map(([k, v]) => [k, strict(v as z.ZodType)])));
  if (schema instanceof z.ZodArray) return z.array(strict(schema.element as z.ZodType));
  if (schema instanceof z.ZodOptional) return strict(schema.unwrap() as z.ZodType).optional();
  if (schema instanceof z.ZodNullable) return strict(schema.unwrap() as z.ZodType).nullable();
  return schema;
}

async function pgRunning(marker: string): Promise<number> {
  const [row] = await world.dbs.pg(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND query NOT LIKE '%pg_stat_activity%'`,
    [`%${marker}%`],
  );
  return row!.n as number;
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  ensureConsoleBuilt();
  [world, browser] = await Promise.all([
    startE2eStack({
      prefix: 'console',
      tasks: TASKS,
      config: (dbs) => `
[db.pg]
type = "postgres"
dsn = "${dbs.pgUrl}"

[db.my]
type = "mysql"
dsn = "${dbs.mysqlUrl}"

[results.pg_res]
type = "postgres"
dsn = "${dbs.pgUrl}"

[queues.fast]
concurrency = 3
timeout = 60

[queues.slow]
concurrency = 2
timeout = 90
`,
    }),
    launchBrowser(),
  ]);
  client = createSqlJobberClient({ baseUrl: world.stack.url });
  aws = stackClients(world.stack);
}, 180_000);

afterAll(async () => {
  aws?.destroy();
  await browser?.close();
  await world?.stop();
});

describe('GET /queues, GET /jobs, GET /openapi.json', () => {
  it('lists each queue with its configuration and live counts', async () => {
    const queues = parsed(await world.api.get('/queues'), z.array(answers.queueSummary));
    expect(queues).toEqual([
      { name: 'fast', concurrency: 3, timeout: 60, waiting: 0, running: 0, dead_letters: 0 },
      { name: 'slow', concurrency: 2, timeout: 90, waiting: 0, running: 0, dead_letters: 0 },
    ]);
  });

  it('counts a waiting job (a later ETA keeps its message delayed)', async () => {
    const eta = new Date(Date.now() + 600_000).toISOString().slice(0, 19).replace('T', ' ');
    await client.submitJob('series', { job_id: 'eta-later', args: ['1'], eta });
    const fast = (await client.queues()).find((q) => q.name === 'fast')!;
    expect(fast.waiting).toBe(1);
    await client.cancelJob('eta-later');
  });

  it('lists just-submitted jobs newest first, filtered and paged', async () => {
    for (const n of [1, 2, 3]) await client.submitJob('series', { job_id: `listed-${n}`, args: [String(n)] });
    for (const n of [1, 2, 3]) {
      const job = await client.waitForJob(`listed-${n}`);
      expect(job.status, JSON.stringify(job)).toBe('SUCCESS');
    }
    const page = parsed(await world.api.get('/jobs?queue=fast&limit=2'), answers.recentJobsPage);
    expect(page.jobs.map((j) => j.job_id)).toEqual(['listed-3', 'listed-2']);
    expect(page.jobs[0]).toMatchObject({ status: 'SUCCESS', task: 'series', queue: 'fast', count: 3 });
    const rest = parsed(await world.api.get(`/jobs?queue=fast&limit=2&cursor=${page.next_cursor}`), answers.recentJobsPage);
    expect(rest.jobs.map((j) => j.job_id)).toEqual(['listed-1', 'eta-later']);
    expect((await world.api.get('/jobs?state=CANCELLED')).body.data.jobs.map((j: { job_id: string }) => j.job_id)).toEqual(['eta-later']);
    const bad = await world.api.get('/jobs?state=DONE');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^state/);
    expect((await world.api.get('/jobs?queue=nope')).status).toBe(400);
  });

  it('serves a valid OpenAPI 3.1 document of the routes', async () => {
    const res = await fetch(`${world.stack.url}/openapi.json`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/queues', '/jobs', '/jobs/{jobID}', '/ui/{proxy}']));
    await expect(SwaggerParser.validate(doc as never)).resolves.toBeTruthy();
  });

  it('answers as the document says (job, results, group, tasks)', async () => {
    parsed(await world.api.get('/jobs/listed-2'), answers.jobStatus);
    parsed(await world.api.get('/jobs/listed-2/results?limit=1'), answers.resultsPage);
    parsed(await world.api.get('/tasks'), z.array(answers.taskSummary));
    const group = parsed(await world.api.post('/groups', { group_id: 'g-doc', concurrency: 1, jobs: [{ task: 'series', args: ['2'] }] }), answers.submittedGroup);
    expect(group.jobs).toHaveLength(1);
    await until('the group to finish', async () => (await client.group('g-doc')).status === 'SUCCESS');
    parsed(await world.api.get('/groups/g-doc'), answers.groupStatus);
  });
});

describe('the typed client', () => {
  it('submits, waits for, reads (JSON and CSV) and purges a job', async () => {
    const submitted = await client.submitJob('series', { job_id: 'client-1', args: [5] });
    expect(submitted).toEqual({ job_id: 'client-1', task_name: 'series', task: 'series', queue: 'fast', eta: null, retries: 0 });
    const done = await client.waitForJob('client-1', { timeoutMs: 30_000 });
    expect(done).toMatchObject({ status: 'SUCCESS', count: 5 });
    const first = await client.results('client-1', { limit: 2 });
    expect(first.rows).toEqual([['1', 'row 1', '1.5'], ['2', 'row 2', '3.0']]);
    const next = await client.results('client-1', { limit: 10, cursor: first.next_cursor! });
    expect(next.rows.map((r) => r[0])).toEqual(['3', '4', '5']);
    const csv = await client.resultsCsv('client-1', { limit: 3 });
    expect(csv.csv.split('\r\n').slice(0, 2)).toEqual(['n,label,half', '1,row 1,1.5']);
    expect(csv).toMatchObject({ count: 5, nextCursor: expect.any(String) });
    expect((await client.listJobs({ task: 'series', limit: 1 })).jobs[0]!.job_id).toBe('client-1');
    expect(await client.purgeJob('client-1')).toEqual({ job_id: 'client-1', status: 'PURGED', previous_status: 'SUCCESS' });
  });

  it('throws the service error with its status and message', async () => {
    const err = await client.job('no-such-job').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqlJobberApiError);
    expect(err).toMatchObject({ status: 404, message: 'unknown job "no-such-job"' });
    const bad = await client.submitJob('series', { args: [] }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, message: expect.stringMatching(/^args: /) });
  });

  it('waits for a job and a group with long-polls (?wait=N)', async () => {
    const urls: string[] = [];
    const watching = createSqlJobberClient({
      baseUrl: world.stack.url,
      fetch: async (req) => {
        urls.push((req as Request).url);
        return fetch(req);
      },
    });
    await watching.submitJob('sleepy', { job_id: 'waited', args: ['1'] });
    expect(await watching.waitForJob('waited', { timeoutMs: 30_000 })).toMatchObject({ status: 'SUCCESS', count: 1 });
    await watching.submitGroup({ group_id: 'g-wait', concurrency: 1, jobs: [{ task: 'series', args: ['1'] }, { task: 'series', args: ['2'] }] });
    expect(await watching.waitForGroup('g-wait', { timeoutMs: 30_000 })).toMatchObject({ status: 'SUCCESS', total: 2 });
    const polls = urls.filter((u) => /\/(jobs\/waited|groups\/g-wait)\?/.test(u));
    expect(polls.length).toBeGreaterThan(0);
    for (const u of polls) expect(new URL(u).searchParams.get('wait')).toMatch(/^([1-9]|1\d|20)$/);
  });

  it('sends the bearer token it is given', async () => {
    const seen: string[] = [];
    const withToken = createSqlJobberClient({
      baseUrl: world.stack.url,
      token: () => 'tok-123',
      fetch: async (req) => {
        seen.push((req as Request).headers.get('authorization') ?? '');
        return fetch(req);
      },
    });
    expect((await withToken.queues()).map((q) => q.name)).toEqual(['fast', 'slow']);
    expect(seen).toEqual(['Bearer tok-123']);
  });
});

describe('the console in Chromium', () => {
  it('the landing page lists the queues and a job just submitted', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${world.stack.url}/ui`);
    await page.locator('#queues tr[data-queue="fast"]').waitFor();
    expect(await page.locator('#queues tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-queue')))).toEqual(['fast', 'slow']);
    // Submitted after the page loaded: it appears by the page's own refresh.
    await client.submitJob('series', { job_id: 'landing-1', args: ['4'] });
    await page.locator('#jobs tr[data-job="landing-1"]').waitFor({ timeout: 15_000 });
    await page.locator('#jobs tr[data-job="landing-1"] [data-status="SUCCESS"]').waitFor({ timeout: 20_000 });
    await screenshot(page, 'landing');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a job submitted from the tasks page shows SUCCESS and its rows on the job's page", async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${world.stack.url}/ui/tasks`);
    const card = page.locator('article[data-task="series"]');
    await expect(card.locator('pre.sql').textContent()).resolves.toContain('generate_series');
    await card.locator('input[name="arg1"]').fill('30');
    await card.locator('input[name="job_id"]').fill('from-form');
    await screenshot(page, 'tasks');
    await card.locator('button[type="submit"]').click();
    await page.waitForURL(/\/ui\/jobs\/from-form$/);
    await page.locator('#job [data-field="status"]', { hasText: 'SUCCESS' }).waitFor({ timeout: 30_000 });
    await page.locator('#results tbody tr').first().waitFor();
    const rows = await page.locator('#results tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toHaveLength(20);
    expect(rows[0]).toEqual(['1', '1', 'row 1', '1.5']);
    await screenshot(page, 'job');
    await page.locator('#next-rows').click();
    await page.locator('#results tbody tr td:nth-child(2)', { hasText: /^21$/ }).waitFor();
    expect(await page.locator('#results tbody tr').count()).toBe(10);
    const download = page.waitForEvent('download');
    await page.locator('#csv').click();
    const csv = await (await download).createReadStream().then(async (s) => {
      let text = '';
      for await (const chunk of s) text += chunk;
      return text;
    });
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(31);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("Cancel on a running job's page stops it, and its query is gone from the server", async () => {
    await client.submitJob('sleepy', { job_id: 'to-cancel', args: ['60'] });
    await until('the query to run', async () => (await pgRunning('console-e2e-marker')) === 1);
    const { page, errors } = await newPage(browser);
    await page.goto(`${world.stack.url}/ui/jobs/to-cancel`);
    await page.locator('#job [data-field="status"]', { hasText: 'STARTED' }).waitFor({ timeout: 15_000 });
    await page.locator('#cancel').click();
    await page.locator('#job [data-field="status"]', { hasText: 'CANCELLED' }).waitFor({ timeout: 15_000 });
    await until('the query to be gone', async () => (await pgRunning('console-e2e-marker')) === 0, 10_000);
    expect((await client.job('to-cancel')).status).toBe('CANCELLED');
    await screenshot(page, 'cancelled');
    // Purge, once finished: asks first, then the job is gone.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('#purge').click();
    await page.waitForURL(/\/ui$/);
    await expect(client.job('to-cancel')).rejects.toMatchObject({ status: 404 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sends the bearer token set under Token with every API call (JWT auth)', async () => {
    const { page, errors } = await newPage(browser);
    const sent: string[] = [];
    page.on('request', (req) => {
      if (new URL(req.url()).pathname === '/queues') sent.push(req.headers().authorization ?? '');
    });
    await page.goto(`${world.stack.url}/ui`);
    await page.locator('#queues tr[data-queue="fast"]').waitFor();
    expect(sent.every((h) => h === '')).toBe(true);
    await page.getByRole('button', { name: 'Token' }).click();
    await page.locator('form.token input').fill('tok-ui');
    await page.locator('form.token button').click();
    await page.waitForLoadState('load');
    await page.locator('#queues tr[data-queue="fast"]').waitFor();
    await until('a call with the token', async () => sent.includes('Bearer tok-ui'), 10_000);
    expect(await page.evaluate(() => localStorage.getItem('sqljobber.token'))).toBe('tok-ui');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a job's warnings show on its page, and only when it has some", async () => {
    // Only a MySQL results database produces warnings (test/e2e/warnings.test.ts runs that path);
    // here the worker's SUCCESS write is made with the product's own store, on a job held by its ETA,
    // pointing at the table of a job that ran above.
    const eta = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    await client.submitJob('series', { job_id: 'warned', args: ['1'], eta });
    const waiting = (await aws.item('warned'))!;
    const job = (await aws.store.claim(aws.messageFor(waiting, 0), Date.now() + 30_000))!;
    const lines = ['column "half": 2 NaN value(s) stored as NULL', 'column "n": 1 Infinity value(s) stored as NULL'];
    expect(await aws.store.succeed(job, 30, 'results_from-form', { warnings: lines })).toMatchObject({ status: 'SUCCESS' });
    expect((await client.job('warned')).warnings).toEqual(lines);
    const { page, errors } = await newPage(browser);
    await page.goto(`${world.stack.url}/ui/jobs/warned`);
    await page.locator('#job [data-field="status"]', { hasText: 'SUCCESS' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#job [data-field="warnings"] li').allTextContents()).toEqual(lines);
    await screenshot(page, 'warnings');
    // A job without warnings shows no warnings entry.
    await page.goto(`${world.stack.url}/ui/jobs/from-form`);
    await page.locator('#job [data-field="status"]', { hasText: 'SUCCESS' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#job [data-field="warnings"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a group's page shows its members, their warnings and progress", async () => {
    const jobs = [...[1, 2, 3].map((n) => ({ task: 'series', job_id: `g-ui-${n}`, args: [String(n)] })), { task: 'nul_text', job_id: 'g-ui-nul', args: [] }];
    await client.submitGroup({ group_id: 'g-ui', concurrency: 2, jobs });
    const { page, errors } = await newPage(browser);
    await page.goto(`${world.stack.url}/ui/groups/g-ui`);
    await page.locator('[role="progressbar"][aria-valuenow="4"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#members tbody tr').count()).toBe(4);
    // The worker's own warning, through the group's status, on the member's row only.
    const warning = 'column "t": 1 value(s) with a NUL character stored as NULL (PostgreSQL text cannot hold it)';
    const nul = await client.job('g-ui-nul');
    expect(nul, JSON.stringify(nul)).toMatchObject({ status: 'SUCCESS', warnings: [warning] });
    expect(await page.locator('#members tr[data-job="g-ui-nul"] [data-field="warnings"] li').allTextContents()).toEqual([warning]);
    expect(await page.locator('#members [data-field="warnings"]').count()).toBe(1);
    await screenshot(page, 'group');
    // The landing page's job list marks the job, its warnings in the marker's title.
    await page.goto(`${world.stack.url}/ui`);
    const mark = page.locator('#jobs tr[data-job="g-ui-nul"] [data-field="warnings"]');
    await mark.waitFor({ timeout: 15_000 });
    expect(await mark.getAttribute('title')).toBe(warning);
    await page.locator('#jobs tr[data-job="g-ui-1"]').waitFor();
    expect(await page.locator('#jobs tr[data-job="g-ui-1"] [data-field="warnings"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
