/**
 * Group submit under the local stack (`npm start`'s): how long POST /groups takes
 * with N trivial members (concurrency 5), over several rounds after a warm-up, and
 * how fast a group past the maximum is refused.
 *
 *   npx tsx bench/groupSubmit.bench.ts [members] [rounds]
 * Targets: 1,000 members at most 1.5 s; 10,000 refused at once, naming the maximum.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalStack } from '../scripts/localStack.js';
import { freePort } from '../scripts/stack/freePort.js';
import { apiClient } from '../test/support/api.js';
import { spread } from './spread.js';

const MEMBERS = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 7);
const dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-groups-'));
chmodSync(dir, 0o755); // the embedded PostgreSQL runs as the postgres user
const stack = await startLocalStack({
  configPath: path.join(dir, 'none.toml'),
  dataDir: dir,
  port: await freePort(),
  log: process.env.SQL_JOBBER_VERBOSE ? (line) => console.error(new Date().toISOString(), line) : () => undefined,
});
const body = (round: number, n: number) => ({
  group_id: `bench-${round}-${Date.now().toString(36)}`,
  concurrency: 5,
  jobs: Array.from({ length: n }, (_, i) => ({ task: 'get_orders_by_customer', job_id: `bench-${round}-${Date.now().toString(36)}-${i}`, args: [String((i % 5) + 1)] })),
});
try {
  const api = apiClient(stack.url);
  const times: number[] = [];
  // The first round warms up the function (serverless offline loads a handler on first use) and DynamoDB Local.
  for (let round = 0; round <= ROUNDS; round++) {
    const b = body(round, MEMBERS);
    const t0 = performance.now();
    const res = await api.post('/groups', b);
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`POST /groups: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    if (round > 0) times.push(ms);
    if (process.env.SQL_JOBBER_VERBOSE) console.error('round', round, ms.toFixed(0), 'ms');
    await api.del(`/groups/${b.group_id}`); // stop its members, so the next round's submit meets an idle worker
  }
  console.log(`POST /groups with ${MEMBERS} members, ${ROUNDS} rounds: ${spread(times, 'ms')}   target: median <= 1500 ms for 1,000`);
  const big = body(ROUNDS + 1, 10_000);
  const t0 = performance.now();
  const res = await api.post('/groups', big);
  console.log(`POST /groups with 10,000 members: ${res.status} in ${(performance.now() - t0).toFixed(0)} ms: ${res.body.message ?? ''}`);
} finally {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}
