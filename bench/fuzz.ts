/**
 * Fuzz benchmark (not a test): `npx tsx bench/fuzz.ts [requests] [seed]`.
 *
 * Runs the fuzz test's properties (test/support/hostileRequests.ts) far longer:
 * `requests` generated hostile requests (default 100,000) over every route and
 * field, through the handlers, against a DynamoDB Local and a fauxqs of its own.
 * Every answer must be a 4xx with the error envelope naming what was wrong, and
 * nothing may be recorded or queued; the table and queues are also counted every
 * 1,000 requests. Prints how many requests it sent, the answers by status, and
 * the rate. Exits non-zero, with the request and its answer, on the first breach.
 */
import fc from 'fast-check';
import { startHandlerWorld } from '../test/support/handlerWorld.js';
import { checkRefused } from '../test/support/checkRefused.js';
import { hostileCase } from '../test/support/hostileRequests.js';

const REQUESTS = Number(process.argv[2] ?? 100_000);
const SEED = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
const COUNT_EVERY = 1000;
const REPORT_EVERY = 10_000;

const world = await startHandlerWorld();
const statuses = new Map<number, number>();
const byRoute = new Map<string, number>();
let sent = 0;
let failed = false;
const started = Date.now();
console.log(`fuzz: ${REQUESTS} hostile requests, seed ${SEED}`);
try {
  await fc.assert(
    fc.asyncProperty(hostileCase, async (c) => {
      const status = await checkRefused(world, c);
      sent++;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      byRoute.set(c.route, (byRoute.get(c.route) ?? 0) + 1);
      if (sent % COUNT_EVERY === 0) {
        const [items, messages] = await Promise.all([world.itemCount(), world.messageCount()]);
        if (items > 0 || messages > 0) throw new Error(`after ${sent} requests: ${items} item(s) in DynamoDB, ${messages} message(s) in SQS`);
      }
      if (sent % REPORT_EVERY === 0) console.log(`  ${sent} requests, ${Math.round(sent / ((Date.now() - started) / 1000))}/s`);
    }),
    { numRuns: REQUESTS, seed: SEED, endOnFailure: true },
  );
} catch (err) {
  failed = true;
  console.error((err as Error).message);
} finally {
  await world.stop();
}

const seconds = (Date.now() - started) / 1000;
console.log(`\nsent ${sent} hostile requests in ${seconds.toFixed(0)} s (${Math.round(sent / seconds)}/s), seed ${SEED}`);
console.log(`answers: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ')}`);
const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
console.log(`5xx: ${fivexx}`);
console.log('by route:');
for (const [route, n] of [...byRoute].sort(([a], [b]) => a.localeCompare(b))) console.log(`  ${route.padEnd(30)} ${n}`);
process.exit(failed ? 1 : 0);
