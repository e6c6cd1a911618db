/**
 * Local speed: under the local stack (`npm start`'s), how long a trivial job takes
 * from POST to SUCCESS, as a client polling GET /jobs/{id} sees it.
 *
 *   npx tsx bench/latency.bench.ts
 * Target: median under 1.5 s.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalStack } from '../scripts/localStack.js';
import { freePort } from '../scripts/stack/freePort.js';
import { apiClient } from '../test/support/api.js';

const JOBS = 20;
const dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-latency-'));
chmodSync(dir, 0o755); // the embedded PostgreSQL runs as the postgres user
const stack = await startLocalStack({
  configPath: path.join(dir, 'none.toml'),
  dataDir: dir,
  port: await freePort(),
  log: process.env.SQL_JOBBER_VERBOSE ? (line) => console.error(new Date().toISOString(), line) : () => undefined,
});
try {
  const api = apiClient(stack.url);
  const times: number[] = [];
  for (let i = 0; i < JOBS + 2; i++) {
    const t0 = performance.now();
    const res = await api.post('/tasks/get_orders_by_customer/jobs', { args: [String(i + 1)] });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const job = (await api.get(`/jobs/${res.body.data.job_id}`)).body.data;
      if (job.status === 'SUCCESS') break;
      if (job.status === 'FAILURE' || Date.now() > deadline) throw new Error(JSON.stringify(job));
      await new Promise((r) => setTimeout(r, 10));
    }
    // The first two warm up the functions (serverless offline loads each handler on first use).
    if (i >= 2) times.push(performance.now() - t0);
    if (process.env.SQL_JOBBER_VERBOSE) console.error(new Date().toISOString(), 'job', i, (performance.now() - t0).toFixed(0), 'ms');
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  console.log(`POST -> SUCCESS over ${JOBS} trivial jobs (one at a time): median ${q(0.5).toFixed(0)} ms, p90 ${q(0.9).toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms   target: median < 1500 ms`);
} finally {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}
