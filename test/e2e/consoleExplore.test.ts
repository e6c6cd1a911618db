/**
 * Exploring a job's results in the console, end to end on the local stack, in
 * headless Chromium: sort by a click on a column header, filter with the row of
 * boxes under the headers, and the chart (points of one numeric column against
 * another, bars of an aggregate), each checked against the API's own answer.
 * The chart's screenshot goes to test-results/console/ (docs/explore-chart.png
 * is one of them, committed).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlJobberClient, type SqlJobberClient } from '../../client/src/index.js';
import { ensureConsoleBuilt, launchBrowser, newPage, screenshot } from '../support/browser.js';
import { startE2eStack, type E2eStack } from '../support/e2eStack.js';

const TASKS = `
-- name: orders
-- db: pg
-- queue: fast
-- index: total; status, order_date
SELECT g AS order_id,
       (ARRAY['delivered','shipped','pending','cancelled'])[1 + g % 4] AS status,
       round(((g * 37) % 1000) / 3.0 + g * (1 + g % 4), 2)::numeric(10,2) AS total,
       1 + (g * 7) % 9 AS items,
       date '2024-01-01' + g AS order_date
FROM generate_series(1, $1::int) g;
`;

let world: E2eStack;
let client: SqlJobberClient;
let browser: Browser;

beforeAll(async () => {
  ensureConsoleBuilt();
  [world, browser] = await Promise.all([
    startE2eStack({
      prefix: 'explore',
      tasks: TASKS,
      config: (dbs) => `
[db.pg]
type = "postgres"
dsn = "${dbs.pgUrl}"

[results.pg_res]
type = "postgres"
dsn = "${dbs.pgUrl}"

[queues.fast]
concurrency = 2
timeout = 60
`,
    }),
    launchBrowser(),
  ]);
  client = createSqlJobberClient({ baseUrl: world.stack.url });
  await client.submitJob('orders', { job_id: 'explore-1', args: ['200'] });
  expect((await client.waitForJob('explore-1', { timeoutMs: 60_000 })).status).toBe('SUCCESS');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  // The stack and its databases: without this every run left a database on each shared server.
  await world?.stop();
});

/** The table's rows as texts, without the row number. */
const tableRows = (page: Page) => page.locator('#results tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent)));
const apiRows = (rows: unknown[][]) => rows.map((r) => r.map((v) => (v === null ? 'NULL' : String(v))));

describe("exploring a job's results in the console", () => {
  it('sorts by a click on a header, filters by the filter row, charts the rows; all as the API answers', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${world.stack.url}/ui/jobs/explore-1`);
    await page.locator('#results tbody tr').first().waitFor({ timeout: 30_000 });
    expect(await tableRows(page).then((r) => r[0])).toEqual(['1', 'shipped', '14.33', '8', '2024-01-02']);

    // A click sorts ascending, a second descending.
    const total = page.locator('th[data-column="total"]');
    await total.click();
    await page.locator('th[data-column="total"][aria-sort="ascending"]').waitFor();
    await total.click();
    await page.locator('th[data-column="total"][aria-sort="descending"]').waitFor();
    const byTotal = await client.results('explore-1', { order: [{ by: 'total', desc: true }], limit: 20 });
    await expect.poll(() => tableRows(page), { timeout: 15_000 }).toEqual(apiRows(byTotal.rows));

    // The chart: total against order_id, one point per row of the first page of 1,000.
    await expect.poll(() => page.locator('#chart circle').count(), { timeout: 15_000 }).toBe(200);
    await page.locator('#chart-kind').selectOption('bars');
    await page.locator('#chart-group').selectOption('status');
    await page.locator('#chart-measure').selectOption('total');
    await expect.poll(() => page.locator('#chart rect.bar').count(), { timeout: 15_000 }).toBe(4);
    await page.locator('section:has(#chart)').screenshot({ path: 'test-results/console/explore-chart.png' });

    // Filters: typed in the boxes, applied with Enter; the sort stays.
    await page.locator('input[data-filter="status"]').fill('shipped');
    await page.locator('input[data-filter="total"]').fill('>= 100');
    await page.locator('input[data-filter="total"]').press('Enter');
    const filtered = await client.results('explore-1', {
      filters: [
        { column: 'status', op: 'eq', value: 'shipped' },
        { column: 'total', op: 'gte', value: '100' },
      ],
      order: [{ by: 'total', desc: true }],
      limit: 20,
      count: 'exact',
    });
    await expect.poll(() => tableRows(page), { timeout: 15_000 }).toEqual(apiRows(filtered.rows));
    await page.locator('h2', { hasText: `${filtered.count} of 200 rows match` }).waitFor();
    expect(filtered.count).toBeGreaterThan(20);
    // Bars follow the filters: one status left.
    await expect.poll(() => page.locator('#chart rect.bar').count(), { timeout: 15_000 }).toBe(1);
    await page.locator('#chart-kind').selectOption('points');
    await page.locator('#chart circle').first().waitFor();
    await screenshot(page, 'explore');
    await page.locator('section:has(#chart)').screenshot({ path: 'test-results/console/explore-chart-filtered.png' });
    expect(errors).toEqual([]);
    await page.close();
  });
});
