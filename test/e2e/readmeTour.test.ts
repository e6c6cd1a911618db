/**
 * The README's quick tour, run as written, in order, against `npm start` with no
 * config (the embedded PostgreSQL and the sample tasks), as on a fresh clone. Each
 * step's answer must match the one the README shows: HTTP status, the fields shown
 * and their values (counts included); fields the README does not show may be added.
 *
 * Then every shell block of docs/ that needs no AWS runs against the same stack,
 * page by page (docs/*.md, in RUN_ORDER), each answer held to the one it shows.
 *
 * The same run proves the local stack's isolation: every listener binds 127.0.0.1
 * only, and no request leaves the machine (AWS endpoints and HTTP(S) proxies point
 * at a recorder that must see nothing, with credentials in the environment that AWS
 * would take); and Ctrl-C stops it all, leaving nothing but the data directory.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stack/freePort.js';
import { listenAddresses } from '../support/listenAddresses.js';
import { docsShellBlocks, RUN_ORDER } from '../support/docsBlocks.js';
import { answerMismatches, blockSteps, shownAnswer, tourSteps, type TourStep } from '../support/readmeTour.js';
import { startRecorder, type RecordedHit } from '../support/recorder.js';
import { runStart, type StartRun } from '../support/runStart.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

let recorder: Awaited<ReturnType<typeof startRecorder>>;
let run: StartRun;
let state: string;
let shims: string;
let port: number;
let ports: Record<string, number>;
let upAt: number;

beforeAll(async () => {
  recorder = await startRecorder();
  state = mkdtempSync(path.join(tmpdir(), 'sqljobber-tour-'));
  chmodSync(state, 0o755); // as root the embedded PostgreSQL runs as `postgres`, which must reach it
  // A curl that also reports each answer's HTTP status, on stderr.
  shims = mkdtempSync(path.join(tmpdir(), 'sqljobber-tour-bin-'));
  writeFileSync(path.join(shims, 'curl'), `#!/bin/sh\nexec /usr/bin/curl -w '%{stderr}HTTP %{http_code}\\n' "$@"\n`, { mode: 0o755 });
  port = await freePort();
  run = runStart({
    SQL_JOBBER_PORT: String(port),
    SQL_JOBBER_DATA_DIR: state,
    // A fresh clone has no config.toml.
    SQL_JOBBER_CONFIG: path.join(state, 'config.toml'),
    // Whatever would go to AWS, or anywhere else, goes to the recorder instead.
    AWS_ENDPOINT_URL: recorder.url,
    AWS_ACCESS_KEY_ID: 'AKIASHELLCREDENTIALS',
    AWS_SECRET_ACCESS_KEY: 'shell-secret',
    AWS_REGION: 'us-east-1',
    HTTP_PROXY: recorder.url,
    HTTPS_PROXY: recorder.url,
    http_proxy: recorder.url,
    https_proxy: recorder.url,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    NODE_USE_ENV_PROXY: '1',
    // npm's own weekly update check is npm's, not the stack's.
    npm_config_update_notifier: 'false',
  });
  await run.waitFor(/SQL Jobber is up in/, 240_000);
  upAt = Date.now();
  const out = run.output();
  const grab = (re: RegExp) => Number(re.exec(out)?.[1]);
  ports = {
    api: port,
    lambda: grab(/Lambda invoke API http:\/\/127\.0\.0\.1:(\d+)/),
    dynamodb: grab(/DynamoDB Local\s+http:\/\/127\.0\.0\.1:(\d+)/),
    sqs: grab(/SQS \(fauxqs\)\s+http:\/\/127\.0\.0\.1:(\d+)/),
    postgres: grab(/embedded PostgreSQL\s+127\.0\.0\.1:(\d+)/),
  };
}, 300_000);

afterAll(async () => {
  run?.kill();
  await recorder?.stop();
  if (state) rmSync(state, { recursive: true, force: true });
  if (shims) rmSync(shims, { recursive: true, force: true });
});

/** Runs one step's commands in bash, keeping shell variables (CURSOR=...) for the next steps. */
async function runStep(commands: string): Promise<{ stdout: string; statuses: number[] }> {
  const script = commands.replaceAll('127.0.0.1:16060', `127.0.0.1:${ports.postgres}`).replaceAll('127.0.0.1:6060', `127.0.0.1:${port}`);
  const vars = path.join(state, 'tour.vars');
  const wrapped = `set -a\n[ -f '${vars}' ] && . '${vars}'\n${script}\nexport -p > '${vars}'\n`;
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', wrapped], { env: { ...process.env, PATH: `${shims}:${process.env.PATH}` }, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${commands}\nfailed: ${err.message}\n${stderr}`));
      resolve({ stdout, statuses: [...stderr.matchAll(/^HTTP (\d{3})$/gm)].map((m) => Number(m[1])) });
    });
  });
}

describe('the README quick tour', () => {
  const steps = tourSteps(README);

  it('has the steps a newcomer needs, purge last', () => {
    expect(steps.length).toBeGreaterThanOrEqual(10);
    const purge = steps.findIndex((s) => s.commands.includes('purge=true'));
    const reads = steps.map((s, i) => (s.commands.includes('orders-42') && !s.commands.includes('purge') ? i : -1)).filter((i) => i >= 0);
    expect(purge).toBeGreaterThan(Math.max(...reads.filter((i) => !steps[i]!.answer?.startsWith('HTTP 404'))));
    for (const step of steps) expect(step.commands, step.title).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/); // no pasted cursor
  });

  it('runs as written, in order, and every answer matches the one shown', async () => {
    expect((await runSteps(steps)).join('\n\n')).toBe('');
  }, 240_000);
});

describe('the shell blocks of docs/', () => {
  it('run as written against the same stack, and every answer matches the one shown', async () => {
    // The tour ended by purging orders-42: the pages read it, and the group monthly, again (see RUN_ORDER).
    const setup = blockSteps(`curl -s -X POST 127.0.0.1:6060/groups -H 'content-type: application/json' -d '{"group_id": "monthly", "jobs": [{"job_id": "m-1", "task": "get_orders_by_customer", "args": ["1"]}]}'
curl -s -X POST 127.0.0.1:6060/tasks/get_orders_by_customer/jobs -H 'content-type: application/json' -d '{"job_id": "orders-42", "args": ["42"]}'

curl -s '127.0.0.1:6060/jobs/orders-42?wait=20' | jq -r .data.status
curl -s '127.0.0.1:6060/groups/monthly?wait=20' | jq -r .data.status
# SUCCESS
# SUCCESS`);
    expect((await runSteps(setup)).join('\n\n')).toBe('');
    const blocks = docsShellBlocks()
      .filter((b) => !b.needs)
      .sort((a, b) => RUN_ORDER.indexOf(a.file) - RUN_ORDER.indexOf(b.file));
    const problems: string[] = [];
    for (const block of blocks) {
      for (const p of await runSteps(blockSteps(block.text))) problems.push(`docs/${block.file}:${block.line}: ${p}`);
    }
    expect(problems.join('\n\n')).toBe('');
  }, 240_000);
});

/** Runs steps in order; a read may be retried (a slow machine's job may not be final yet), what changes state runs once. */
async function runSteps(steps: TourStep[]): Promise<string[]> {
  const problems: string[] = [];
  for (const step of steps) {
    const reads = !/-X\s+(POST|DELETE)/.test(step.commands);
    let mismatches: string[] = [];
    for (let attempt = 1; attempt <= (reads ? 3 : 1); attempt++) {
      const { stdout, statuses } = await runStep(step.commands);
      mismatches = [];
      if (step.answer !== undefined) {
        const shown = shownAnswer(step.answer);
        if (step.commands.includes('curl') && statuses.at(-1) !== shown.status) mismatches.push(`HTTP ${statuses.at(-1)}, the text shows ${shown.status}`);
        mismatches.push(...answerMismatches(shown.body, stdout));
      }
      const failed = statuses.slice(0, step.answer === undefined ? undefined : -1).filter((s) => s >= 400);
      if (failed.length > 0) mismatches.push(`an earlier command of the step answered HTTP ${failed.join(', ')}`);
      if (mismatches.length === 0) break;
      if (attempt < 3 && reads) await new Promise((r) => setTimeout(r, 2000));
    }
    if (mismatches.length > 0) problems.push(`step "${step.title}":\n  ${step.commands}\n  - ${mismatches.join('\n  - ')}`);
  }
  return problems;
}

describe('the local stack under npm start', () => {
  it('listens on 127.0.0.1 only: API, Lambda invoke API, DynamoDB Local, fauxqs, embedded PostgreSQL', () => {
    for (const [part, p] of Object.entries(ports)) {
      expect(p, part).toBeGreaterThan(0);
      const addresses = listenAddresses(p);
      expect(addresses.length, `${part} on ${p}`).toBeGreaterThan(0);
      expect(new Set(addresses), `${part} on ${p}`).toEqual(new Set(['127.0.0.1']));
    }
  });

  it('sends no request off 127.0.0.1, the sweeper included', async () => {
    // The sweeper runs every 5 s locally and reads every results database: let it run a few times.
    const wait = 12_000 - (Date.now() - upAt);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    expect(recorder.hits as RecordedHit[]).toEqual([]);
    expect(run.output()).not.toMatch(/amazonaws\.com|ENOTFOUND/);
  }, 30_000);

  it('stops everything on Ctrl-C, exits 0 and leaves only the data directory', async () => {
    const pid = run.child.pid!;
    run.interrupt();
    // npm itself gets the Ctrl-C too and ends with it (a shell shows 130) once the stack has stopped.
    expect([0, 'SIGINT', 130]).toContain(await run.exited);
    expect(run.output()).toMatch(/SIGINT: stopping\.\.\.\nstopped\.\n/);
    expect(readdirSync(state).filter((f) => f !== 'tour.vars')).toEqual([`postgres-${port}`]);
    expect(existsSync(path.join(state, `postgres-${port}`, 'postmaster.pid'))).toBe(false);
    const bundles = path.join(ROOT, '.sqljobber', 'esbuild');
    if (existsSync(bundles)) expect(readdirSync(bundles).filter((d) => d.startsWith(`${pid}-`))).toEqual([]);
    for (const [part, p] of Object.entries(ports)) expect(listenAddresses(p), part).toEqual([]);
  }, 60_000);
});
