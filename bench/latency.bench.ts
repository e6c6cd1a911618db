/**
 * Local speed: under the local stack (`npm start`'s), how long a trivial job takes
 * from POST to SUCCESS, one at a time, as a client sees it that submits and then
 * waits with GET /jobs/{id}?wait=5.
 *
 *   npx tsx bench/latency.bench.ts [jobs]
 * Targets: p50 at most 0.1 s, p99 at most 0.3 s over 200 jobs.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalStack } from '../scripts/localStack.js';
import { freePort } from '../scripts/stack/freePort.js';
import { apiClient } from '../test/support/api.js';
import { quantile } from './spread.js';

const JOBS = Number(process.argv[2] ?? 200);
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
  const parts = { submit: [] as number[], queue: [] as number[], run: [] as number[], visible: [] as number[] };
  for (let i = 0; i < JOBS + 2; i++) {
    const t0 = performance.now();
    const res = await api.post('/tasks/get_orders_by_customer/jobs', { args: [String(i + 1)] });
    const submitted = performance.now();
    const job = (await api.get(`/jobs/${res.body.data.job_id}?wait=5`)).body.data;
    const answered = performance.now();
    if (job.status !== 'SUCCESS') throw new Error(JSON.stringify(job));
    // The first two warm up the functions (serverless offline loads each handler on first use).
    if (i >= 2) {
      times.push(answered - t0);
      // Where the time went, from the job's own record (one machine, one clock).
      const created = Date.parse(job.created_at);
      const started = Date.parse(job.started_at);
      const finished = Date.parse(job.finished_at);
      const answeredAt = performance.timeOrigin + answered;
      parts.submit.push(submitted - t0);
      parts.queue.push(started - created);
      parts.run.push(finished - started);
      parts.visible.push(answeredAt - finished);
    }
    if (process.env.SQL_JOBBER_VERBOSE) console.error(new Date().toISOString(), 'job', i, (performance.now() - t0).toFixed(0), 'ms');
  }
  console.log(
    `POST then GET ?wait=5 -> SUCCESS over ${JOBS} trivial jobs (one at a time): p50 ${quantile(times, 0.5).toFixed(0)} ms, p90 ${quantile(times, 0.9).toFixed(0)} ms, p99 ${quantile(times, 0.99).toFixed(0)} ms, min ${Math.min(...times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms   targets: p50 <= 100 ms, p99 <= 300 ms`,
  );
  const p50 = (xs: number[]) => quantile(xs, 0.5).toFixed(0);
  console.log(
    `  p50 of its parts: POST answered ${p50(parts.submit)} ms; created -> started (queue, claim) ${p50(parts.queue)} ms; started -> finished (run, final write) ${p50(parts.run)} ms; finished -> ?wait answered ${p50(parts.visible)} ms (p90 ${quantile(parts.visible, 0.9).toFixed(0)} ms)`,
  );
} finally {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}
