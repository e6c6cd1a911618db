/**
 * 1,000 clients wait for the same 10 s report: what 1 s polling of GET /jobs/{id}
 * costs against one GET /jobs/{id}?wait=20 each. A simulation on a virtual clock
 * that runs the product's own long-poll (lib/longPoll/waitForJob.ts), so the DynamoDB
 * reads are the ones the route makes (an eventually consistent one costs half a read
 * unit); prices as in docs/deploy.md (us-east-1).
 *
 *   npx tsx bench/longPoll.bench.ts [clients=1000] [reportSeconds=10]
 */
import { waitForJob } from '../lib/longPoll/waitForJob.js';
import type { JobItem } from '../lib/jobs/types.js';

const CLIENTS = Number(process.argv[2] ?? 1000);
const REPORT_MS = Number(process.argv[3] ?? 10) * 1000;
const WAIT_S = 20;
/** A status read's own run time (a warm function, one consistent GetItem). */
const GET_MS = 20;
const PRICE = { request: 0.2e-6, gbSecond: 0.0000133334, api: 1e-6, read: 0.125e-6 };

interface Tally {
  invocations: number;
  reads: number;
  /** Read units: 1 per consistent GetItem, 0.5 per eventually consistent one. */
  units: number;
  gbSeconds: number;
}

/** Each client starts waiting at a random moment of the first second; the report is final at REPORT_MS. */
const starts = Array.from({ length: CLIENTS }, (_, i) => (i * 1000) / CLIENTS);
const finalAt = REPORT_MS;

function polling(memoryGb: number): Tally {
  const t: Tally = { invocations: 0, reads: 0, units: 0, gbSeconds: 0 };
  for (const start of starts) {
    for (let at = start; ; at += 1000) {
      t.invocations++;
      t.reads++;
      t.units++;
      t.gbSeconds += (GET_MS / 1000) * memoryGb;
      if (at >= finalAt) break;
    }
  }
  return t;
}

async function longPoll(memoryGb: number): Promise<Tally> {
  const t: Tally = { invocations: 0, reads: 0, units: 0, gbSeconds: 0 };
  for (const start of starts) {
    // One request per wait of up to 20 s; a report longer than that takes another.
    for (let at = start; ; ) {
      let now = at;
      t.invocations++;
      const store = {
        async get(_id: string, opts: { consistent?: boolean } = {}) {
          t.reads++;
          t.units += opts.consistent === false ? 0.5 : 1;
          return { job_id: 'report', status: now >= finalAt ? 'SUCCESS' : 'STARTED' } as unknown as JobItem;
        },
      };
      const job = await waitForJob(store, 'report', WAIT_S, { now: () => now, sleep: async (ms) => void (now += ms) });
      t.gbSeconds += ((now - at + GET_MS) / 1000) * memoryGb;
      if (job.status === 'SUCCESS') break;
      at = now;
    }
  }
  return t;
}

const cost = (t: Tally) => t.invocations * (PRICE.request + PRICE.api) + t.gbSeconds * PRICE.gbSecond + t.units * PRICE.read;
const row = (name: string, t: Tally) =>
  `${name.padEnd(34)} ${String(t.invocations).padStart(11)} ${String(t.reads).padStart(9)} ${String(t.units).padStart(10)} ${t.gbSeconds.toFixed(1).padStart(10)} ${('$' + cost(t).toFixed(4)).padStart(9)}`;

console.log(`${CLIENTS} clients waiting for one ${REPORT_MS / 1000} s report (each starts within the first second)`);
console.log(`${'how they wait'.padEnd(34)} ${'invocations'.padStart(11)} ${'GetItems'.padStart(9)} ${'read units'.padStart(10)} ${'GB-seconds'.padStart(10)} ${'cost'.padStart(9)}`);
for (const mb of [512, 128]) {
  console.log(row(`poll every 1 s (${mb} MB)`, polling(mb / 1024)));
  console.log(row(`?wait=${WAIT_S} (${mb} MB)`, await longPoll(mb / 1024)));
}
console.log('cost = API Gateway + Lambda requests + Lambda duration (arm64) + DynamoDB reads; a waiting function is billed for the time it waits.');
