/**
 * The console across tenants, in headless Chromium on one local stack with
 * `[api] auth = "jwt"` (real RS256 tokens from an issuer of the test's own):
 * an operator's job list shows each job's tenant and filters by one; a job or
 * group of another tenant opens on its own page (`?tenant=T`), which names the
 * tenant in X-Tenant-Id on every request (status, results, CSV, purge); a
 * tenant sees its own jobs only, and no tenant column.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, launchBrowser, newPage, screenshot } from '../support/browser.js';
import { e2eConfig, queue } from '../support/configToml.js';
import { startE2eStack, type E2eStack } from '../support/e2eStack.js';
import { startJwtIssuer, TEST_AUDIENCE, type JwtIssuer } from '../support/jwtIssuer.js';
import { until } from '../support/until.js';

const TASKS = `
-- name: rows_for
-- db: pg
-- results: res
-- queue: fast
SELECT $1::text AS who, g AS n FROM generate_series(1, 3) g;
`;

let issuer: JwtIssuer;
let world: E2eStack;
let browser: Browser;
const tokens: Record<'alice' | 'bob' | 'op', string> = { alice: '', bob: '', op: '' };

async function call(who: keyof typeof tokens, method: string, path: string, body?: unknown) {
  const res = await fetch(world.stack.url + path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[who]}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function finished(who: keyof typeof tokens, jobId: string): Promise<void> {
  await until(`job ${jobId} of ${who} to finish`, async () => (await call(who, 'GET', `/jobs/${jobId}`)).body?.data?.status === 'SUCCESS', { timeoutMs: 60_000 });
}

/** A console page whose tab holds `who`'s token (as "Token" would keep it), recording the API requests it sends. */
async function consoleAs(who: keyof typeof tokens) {
  const { page, errors } = await newPage(browser);
  await page.addInitScript((token) => sessionStorage.setItem('sqljobber.token', token), tokens[who]);
  const requests: { path: string; search: string; method: string; tenant: string | undefined }[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!url.pathname.startsWith('/ui')) requests.push({ path: url.pathname, search: url.search, method: req.method(), tenant: req.headers()['x-tenant-id'] });
  });
  return { page, errors, requests };
}

/** The job list's rows as [job, tenant] (tenant null: no attribute). */
const listedRows = (page: Page) => page.locator('#jobs tbody tr[data-job]').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-job'), tr.getAttribute('data-tenant')]));

beforeAll(async () => {
  ensureConsoleBuilt();
  issuer = await startJwtIssuer();
  [world, browser] = await Promise.all([
    startE2eStack({
      prefix: 'consoletenants',
      tasks: TASKS,
      config: (dbs) =>
        e2eConfig(dbs, {
          db: { pg: 'pg' },
          results: { res: 'pg' },
          queues: { fast: queue(4) },
          api: { auth: 'jwt', jwt_issuer: issuer.url, jwt_audience: TEST_AUDIENCE },
        }),
    }),
    launchBrowser(),
  ]);
  tokens.alice = await issuer.token({ sub: 'alice' });
  tokens.bob = await issuer.token({ sub: 'bob' });
  tokens.op = await issuer.token({ sub: 'ops-team', scope: 'openid sqljobber/operator' });
  // The same job ID in both tenants: only the tenant tells them apart.
  expect((await call('alice', 'POST', '/tasks/rows_for/jobs', { job_id: 'report', args: ['alice'] })).status).toBe(200);
  expect((await call('bob', 'POST', '/tasks/rows_for/jobs', { job_id: 'report', args: ['bob'] })).status).toBe(200);
  expect((await call('bob', 'POST', '/groups', { group_id: 'nightly', jobs: [{ task: 'rows_for', job_id: 'bob-member', args: ['bob in a group'] }] })).status).toBe(200);
  await Promise.all([finished('alice', 'report'), finished('bob', 'report'), finished('bob', 'bob-member')]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await world?.stop();
  await issuer?.close();
});

describe('the console across tenants', () => {
  it("an operator sees every tenant's jobs with their tenant, filters by one, and opens another tenant's job and group", async () => {
    const { page, errors, requests } = await consoleAs('op');
    await page.goto(`${world.stack.url}/ui`);
    await page.locator('#jobs tr[data-job="report"][data-tenant="bob"]').waitFor({ timeout: 15_000 });
    expect((await listedRows(page)).sort()).toEqual([['bob-member', 'bob'], ['report', 'alice'], ['report', 'bob']]);
    expect(await page.locator('#jobs thead th').allTextContents()).toContain('tenant');
    expect(await page.locator('#jobs tr[data-tenant="alice"] [data-field="tenant"]').textContent()).toBe('alice');
    await screenshot(page, 'operator-jobs');

    // The tenant filter: the list asks for ?tenant=bob, and the address keeps it.
    await page.locator('input[aria-label="tenant"]').fill('bob');
    await page.locator('input[aria-label="tenant"]').press('Enter');
    await page.waitForURL(/\/ui\?tenant=bob$/);
    await until('only bob\'s jobs listed', async () => (await listedRows(page)).every(([, t]) => t === 'bob') && (await listedRows(page)).length === 2);
    expect(requests.some((r) => r.path === '/jobs' && new URLSearchParams(r.search).get('tenant') === 'bob')).toBe(true);

    // bob's "report" (alice has one of the same ID): its page names bob on every request.
    const link = page.locator('#jobs tr[data-job="report"][data-tenant="bob"] a', { hasText: 'report' });
    expect(await link.getAttribute('href')).toBe('/ui/jobs/report?tenant=bob');
    requests.length = 0;
    await link.click();
    await page.waitForURL(/\/ui\/jobs\/report\?tenant=bob$/);
    await page.locator('#job [data-field="status"]', { hasText: 'SUCCESS' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#job [data-field="tenant"]').textContent()).toBe('bob');
    await page.locator('#results tbody tr').first().waitFor();
    const rows = await page.locator('#results tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent)));
    expect(rows).toEqual([['bob', '1'], ['bob', '2'], ['bob', '3']]);
    await screenshot(page, 'operator-other-tenant-job');
    const download = page.waitForEvent('download');
    await page.locator('#csv').click();
    let csv = '';
    for await (const chunk of await (await download).createReadStream()) csv += chunk;
    expect(csv.split('\r\n').filter(Boolean)).toEqual(['who,n', 'bob,1', 'bob,2', 'bob,3']);
    const jobCalls = requests.filter((r) => r.path.startsWith('/jobs/report'));
    expect(jobCalls.map((r) => r.path)).toEqual(expect.arrayContaining(['/jobs/report', '/jobs/report/results']));
    expect(jobCalls.filter((r) => r.tenant !== 'bob')).toEqual([]);

    // Purge acts on bob's job only: alice's of the same ID stays.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('#purge').click();
    await page.waitForURL(/\/ui$/);
    expect(requests.find((r) => r.method === 'DELETE')).toMatchObject({ path: '/jobs/report', tenant: 'bob' });
    expect((await call('bob', 'GET', '/jobs/report')).status).toBe(404);
    expect((await call('alice', 'GET', '/jobs/report')).body.data).toMatchObject({ status: 'SUCCESS', tenant: 'alice' });

    // bob's group, from its member's row: the group's page and its member links name bob too.
    const groupLink = page.locator('#jobs tr[data-job="bob-member"] a', { hasText: '(group)' });
    await groupLink.waitFor({ timeout: 15_000 });
    expect(await groupLink.getAttribute('href')).toBe('/ui/groups/nightly?tenant=bob');
    await groupLink.click();
    await page.locator('#members tr[data-job="bob-member"] [data-status="SUCCESS"]').waitFor({ timeout: 15_000 });
    const member = page.locator('#members tr[data-job="bob-member"] a');
    expect(await member.getAttribute('href')).toBe('/ui/jobs/bob-member?tenant=bob');
    await member.click();
    await page.locator('#results tbody tr').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('#results tbody tr td:nth-child(2)').first().textContent()).toBe('bob in a group');
    expect(requests.filter((r) => /^\/(jobs|groups)\/(nightly|bob-member)/.test(r.path) && r.tenant !== 'bob')).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a tenant sees only its own jobs, with no tenant column or filter, and sends no X-Tenant-Id', async () => {
    const { page, errors, requests } = await consoleAs('alice');
    await page.goto(`${world.stack.url}/ui`);
    await page.locator('#jobs tr[data-job="report"]').waitFor({ timeout: 15_000 });
    // GET /queues is for operators: the section says so, and the job list works.
    await page.locator('[role="alert"]', { hasText: '403: GET /queues is for operators' }).waitFor();
    expect(await listedRows(page)).toEqual([['report', null]]);
    expect(await page.locator('#jobs thead th').allTextContents()).not.toContain('tenant');
    expect(await page.locator('#jobs [data-field="tenant"]').count()).toBe(0);
    expect(await page.locator('input[aria-label="tenant"]').count()).toBe(0);
    expect(await page.locator('#jobs tr[data-job="report"] a').getAttribute('href')).toBe('/ui/jobs/report');
    await screenshot(page, 'tenant-jobs');
    await page.locator('#jobs tr[data-job="report"] a').click();
    await page.locator('#results tbody tr').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('#results tbody tr td:nth-child(2)').allTextContents()).toEqual(['alice', 'alice', 'alice']);
    expect(requests.filter((r) => r.tenant !== undefined)).toEqual([]);
    // The only error a tenant's console shows is the refused GET /queues (the browser reports the 403).
    expect(errors.filter((e) => !/status of 403/.test(e))).toEqual([]);
    await page.close();
  });
});
