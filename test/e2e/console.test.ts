/**
 * The operator console and the API behind it, end to end on the local stack:
 * GET /queues, GET /jobs, GET /openapi.json, the typed client, and the console
 * driven in headless Chromium (landing page, a job's page with its rows, Cancel
 * of a running job, the charts page, the API reference at /ui/api, no script errors). Screenshots go
 * to test-results/console/.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createSqlJobberClient, SqlJobberApiError, type SqlJobberClient } from '../../client/src/index.js';
import * as answers from '../../lib/openapi/responseSchemas.js';
import { sleep, until } from '../support/until.js';
import type { ApiAnswer } from '../support/api.js';
import { ensureConsoleBuilt, launchBrowser, newPage, screenshot } from '../support/browser.js';
import { startE2eStack, type E2eStack } from '../support/e2eStack.js';
import { e2eConfig, queue } from '../support/configToml.js';
import { stackClients, type StackClients } from '../support/stackClients.js';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { endJob } from '../../lib/lifecycle/endJob.js';
import { succeeded } from '../../lib/jobs/jobEndings.js';

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

-- name: formula
-- db: pg
-- queue: fast
-- Cells a spreadsheet would run as formulas, and numbers that only look like them.
SELECT '=HYPERLINK("http://evil.example","x")' AS f, '@SUM(A1)' AS g, -1.5 AS n, '-2' AS t;

-- name: sleepy
-- db: pg
-- queue: slow
-- Sleeps $1 seconds; the marker finds it in pg_stat_activity.
SELECT 'console-e2e-marker' AS marker, pg_sleep($1::float) AS slept;
`;

/** An origin [api] cors_origins lists; any other is foreign. */
const ALLOWED_ORIGIN = 'http://allowed.example:8080';
const FOREIGN_ORIGIN = 'https://evil.example';

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


beforeAll(async () => {
  ensureConsoleBuilt();
  [world, browser] = await Promise.all([
    startE2eStack({
      prefix: 'console',
      tasks: TASKS,
      config: (dbs) =>
        e2eConfig(dbs, {
          api: { cors_origins: [ALLOWED_ORIGIN] },
          db: { pg: 'pg', my: 'my' },
          results: { pg_res: 'pg' },
          queues: { fast: queue(3), slow: queue(2, 90) },
        }),
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

describe('other web origins (CORS), through serverless offline', () => {
  const preflight = (origin: string, method = 'DELETE') =>
    fetch(`${world.stack.url}/jobs/some-job`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
    });

  it('answers a preflight from a foreign origin with no CORS grant at all', async () => {
    const res = await preflight(FOREIGN_ORIGIN);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('refuses a state-changing request from a foreign origin with 403 origin_not_allowed, and changes nothing', async () => {
    // A text/plain POST needs no preflight: the Origin check is what stops it.
    const post = await fetch(`${world.stack.url}/tasks/series/jobs`, {
      method: 'POST',
      headers: { origin: FOREIGN_ORIGIN, 'content-type': 'text/plain' },
      body: JSON.stringify({ job_id: 'from-evil', args: ['1'] }),
    });
    expect(post.status).toBe(403);
    expect(await post.json()).toMatchObject({ status: 'error', code: 'origin_not_allowed' });
    await expect(client.job('from-evil')).rejects.toMatchObject({ status: 404 });

    await client.submitJob('series', { job_id: 'not-for-evil', args: ['1'] });
    const cancel = await fetch(`${world.stack.url}/jobs/not-for-evil?purge=true`, { method: 'DELETE', headers: { origin: FOREIGN_ORIGIN } });
    expect(cancel.status).toBe(403);
    expect((await client.job('not-for-evil')).job_id).toBe('not-for-evil');
    // Reading from another origin is refused too: the local stack's CORS layer would hand the answer over.
    const read = await fetch(`${world.stack.url}/jobs`, { headers: { origin: FOREIGN_ORIGIN } });
    expect(read.status).toBe(403);
  });

  it('lets the API\'s own origin and a listed one in (a preflight of the listed one is granted, without credentials)', async () => {
    const own = await fetch(`${world.stack.url}/tasks/series/jobs`, {
      method: 'POST',
      headers: { origin: world.stack.url, 'content-type': 'application/json' },
      body: JSON.stringify({ job_id: 'from-own-origin', args: ['1'] }),
    });
    expect(own.status).toBe(200);
    const listed = await fetch(`${world.stack.url}/queues`, { headers: { origin: ALLOWED_ORIGIN } });
    expect(listed.status).toBe(200);
    const res = await preflight(ALLOWED_ORIGIN);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
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

  it('the schedules page lists each schedule with its next and last runs, and pauses and resumes it', async () => {
    const made = await client.submitSchedule({ schedule_id: 'ui-nightly', task: 'series', args: ['3'], cron: '0 2 * * *', timezone: 'Europe/Berlin' });
    // Its last run, as the scheduler records it (the tick that made the job from-form), without waiting for 02:00.
    await aws.ddb.send(
      new UpdateCommand({
        TableName: world.stack.table,
        Key: { pk: 'schedule#ui-nightly' },
        UpdateExpression: 'SET last_tick = :t, last_job_id = :j',
        ExpressionAttributeValues: { ':t': '2026-01-05T01:00:00.000Z', ':j': 'from-form' },
      }),
    );
    const { page, errors } = await newPage(browser);
    await page.goto(`${world.stack.url}/ui/schedules`);
    const row = page.locator('tr[data-schedule="ui-nightly"]');
    await row.waitFor();
    expect(await row.locator('td').nth(2).textContent()).toContain('0 2 * * *');
    expect(await row.locator('.next-run').textContent()).not.toBe('');
    expect(await row.locator('.last-run a').getAttribute('href')).toBe('/ui/jobs/from-form');
    await screenshot(page, 'schedules');
    await row.locator('button', { hasText: 'Pause' }).click();
    await row.locator('.next-run', { hasText: 'paused' }).waitFor();
    expect((await client.schedule('ui-nightly')).paused).toBe(true);
    await row.locator('button', { hasText: 'Resume' }).click();
    await row.locator('button', { hasText: 'Pause' }).waitFor();
    expect((await client.schedule('ui-nightly')).next_run).toBe(made.next_run);
    await client.deleteSchedule('ui-nightly');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("Cancel on a running job's page stops it, and its query is gone from the server", async () => {
    await client.submitJob('sleepy', { job_id: 'to-cancel', args: ['60'] });
    await until('the query to run', async () => (await pgRunning('console-e2e-marker')) === 1);
    const { page, errors } = await newPage(browser);
    await page.goto(`${world.stack.url}/ui/jobs/to-cancel`);
    await page.locator('#job [data-field="status"]', { hasText: 'STARTED' }).waitFor({ timeout: 15_000 });
    // Cancel asks first: declined, nothing happens.
    const asked: string[] = [];
    page.once('dialog', (dialog) => void (asked.push(dialog.message()), dialog.dismiss()));
    await page.locator('#cancel').click();
    await until('the confirmation', async () => asked.length === 1);
    expect(asked).toEqual(['Cancel job to-cancel?']);
    await sleep(500);
    expect((await client.job('to-cancel')).status).toBe('STARTED');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('#cancel').click();
    await page.locator('#job [data-field="status"]', { hasText: 'CANCELLED' }).waitFor({ timeout: 15_000 });
    await until('the query to be gone', async () => (await pgRunning('console-e2e-marker')) === 0, { timeoutMs: 10_000 });
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
    await until('a call with the token', async () => sent.includes('Bearer tok-ui'), { timeoutMs: 10_000 });
    // In this tab's sessionStorage only: gone with the tab, never in localStorage.
    expect(await page.evaluate(() => sessionStorage.getItem('sqljobber.token'))).toBe('tok-ui');
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
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
    expect(await endJob(aws, job, succeeded(job, 30, 'results_from-form', { warnings: lines }))).toMatchObject({ status: 'SUCCESS' });
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

  it('/ui/api renders the API reference from /openapi.json, every file from the API itself', async () => {
    const { page, errors } = await newPage(browser);
    const requested: string[] = [];
    page.on('request', (req) => requested.push(req.url()));
    await page.goto(`${world.stack.url}/ui`);
    await page.getByRole('link', { name: 'API reference' }).click();
    await page.waitForURL(`${world.stack.url}/ui/api`);
    // Operations of the document, rendered: a route's path and its summary.
    const submit = page.locator('.opblock-summary-path[data-path="/tasks/{taskName}/jobs"]');
    await submit.waitFor({ timeout: 20_000 });
    expect(await page.locator('.opblock-summary-path[data-path="/jobs/{jobID}/results"]').count()).toBe(1);
    expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(12);
    await screenshot(page, 'api-reference');
    // No CDN: the page, its script, its styles and the document all come from the API's own origin.
    expect(requested.filter((u) => !u.startsWith(`${world.stack.url}/`) && !u.startsWith('data:'))).toEqual([]);
    expect(requested).toContain(`${world.stack.url}/openapi.json`);
    // The page starts from a file: no inline script, so a `default-src 'self'` policy can hold.
    expect(await page.locator('script:not([src])').count()).toBe(0);
    // It renders under the console's policy: Swagger UI's styles applied, and no violation reported (errors).
    expect((await page.request.get(`${world.stack.url}/ui/api`)).headers()['content-security-policy']).toContain("default-src 'self'");
    expect(await submit.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { fontFamily: string } }).getComputedStyle(el).fontFamily)).toMatch(/monospace|Courier/i);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the console's download neutralises formula cells (a leading ' inside quotes); numbers stay", async () => {
    await client.submitJob('formula', { job_id: 'formula-cells' });
    const { page, errors } = await newPage(browser);
    await page.goto(`${world.stack.url}/ui/jobs/formula-cells`);
    await page.locator('#job [data-field="status"]', { hasText: 'SUCCESS' }).waitFor({ timeout: 30_000 });
    const download = page.waitForEvent('download');
    await page.locator('#csv').click();
    const csv = await (await download).createReadStream().then(async (stream) => {
      let text = '';
      for await (const chunk of stream) text += chunk;
      return text;
    });
    expect(csv.split('\r\n')[1]).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")","'@SUM(A1)",-1.5,-2`);
    // The JSON answer keeps the exact text.
    expect((await client.results('formula-cells')).rows[0]).toEqual(['=HYPERLINK("http://evil.example","x")', '@SUM(A1)', '-1.5', '-2']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sends a Content-Security-Policy that no page elsewhere can frame the console under', async () => {
    for (const p of ['/ui', '/ui/jobs/x', '/ui/api', '/ui/tasks']) {
      const res = await fetch(`${world.stack.url}${p}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, p).toContain("default-src 'self'");
      expect(csp, p).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options'), p).toBe('DENY');
    }
    // A page of another origin frames the console: the browser refuses to show it.
    const { page } = await newPage(browser);
    await page.route('http://framer.example/', (route) => route.fulfill({ contentType: 'text/html', body: `<iframe src="${world.stack.url}/ui"></iframe>` }));
    await page.goto('http://framer.example/');
    await sleep(1_500);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    expect(await frame!.locator('#app').count()).toBe(0);
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

  it('the charts page draws each chart of a queue with points after a burst of jobs, with no console errors', async () => {
    const burst = Array.from({ length: 12 }, (_, i) => `burst-${i}`);
    for (const [i, id] of burst.entries()) {
      const res = await world.api.post('/tasks/series/jobs', { job_id: id, args: [String(i + 1)] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    for (const id of burst) expect((await client.waitForJob(id, { timeoutMs: 60_000 })).status).toBe('SUCCESS');
    const { page, errors } = await newPage(browser);
    await page.goto(`${world.stack.url}/ui/charts`);
    const charts = page.locator('.charts[data-queue="fast"] figure.chart');
    await charts.first().waitFor({ timeout: 20_000 });
    expect(await charts.evaluateAll((figs) => figs.map((f) => f.getAttribute('data-chart')))).toEqual(['throughput', 'run-time', 'queue-wait', 'counts', 'failure-rate']);
    // Every chart has values to draw (the counts are zeros after the burst, zeros are points too)...
    const points = await charts.evaluateAll((figs) => figs.map((f) => Number(f.getAttribute('data-points'))));
    for (const n of points) expect(n).toBeGreaterThan(0);
    // ...and drew them: its canvas holds the lines' colours, not just the axes' grey.
    const drawn = await charts.evaluateAll((figs) =>
      figs.map((f) => {
        const canvas = f.querySelector('canvas')!;
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let coloured = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && Math.max(data[i]!, data[i + 1]!, data[i + 2]!) - Math.min(data[i]!, data[i + 1]!, data[i + 2]!) > 60) coloured++;
        return coloured;
      }),
    );
    for (const n of drawn) expect(n).toBeGreaterThan(20);
    await page.locator('section:has(.charts)').screenshot({ path: 'test-results/console/charts.png' });
    // The last day: 15-minute buckets, the same charts.
    await page.locator('button', { hasText: 'last day' }).click();
    await page.locator('[data-field="stats-note"]', { hasText: '15-minute buckets' }).waitFor();
    expect(await charts.count()).toBe(5);
    expect(errors).toEqual([]);
    await page.close();
  });
});
