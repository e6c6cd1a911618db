/**
 * `npm start` (scripts/start.ts) fails fast with one line, and never leaves anything
 * behind: a taken port, a data directory owned by another npm start, a config that
 * would read AWS secrets, a Ctrl-C while it starts, a part that dies once it is up.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort, isPortOpen } from '../../../scripts/stack/freePort.js';
import { startRecorder } from '../../support/recorder.js';
import { runStart, type StartRun } from '../../support/runStart.js';

const START = [process.execPath, '--import', 'tsx', 'scripts/start.ts'];
const dirs: string[] = [];
const runs: StartRun[] = [];
afterEach(() => runs.splice(0).forEach((r) => r.kill()));
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-start-'));
  chmodSync(dir, 0o755); // as root the embedded PostgreSQL runs as `postgres`, which must reach it
  dirs.push(dir);
  return dir;
}

function start(env: Record<string, string>): StartRun {
  const run = runStart(env, START);
  runs.push(run);
  return run;
}

/** The lines that say why it failed: one, and no stack trace. */
function failureLines(output: string): string[] {
  expect(output).not.toMatch(/^\s+at /m);
  return output.split('\n').filter((l) => l.startsWith('SQL Jobber: cannot start') || l.includes(' died ('));
}

/** A task file that needs no particular data. */
function taskDir(): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'tasks.sql'), '-- name: one\nSELECT 1 AS one;\n');
  return dir;
}

describe('npm start refuses at once', () => {
  it('when its port is taken: one line naming the port and another one, nothing started', async () => {
    const port = await freePort();
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const state = tempDir();
    try {
      const run = start({ SQL_JOBBER_PORT: String(port), SQL_JOBBER_DATA_DIR: state, SQL_JOBBER_CONFIG: path.join(state, 'none.toml') });
      expect(await run.exited).toBe(1);
      expect(failureLines(run.output())).toEqual([
        `SQL Jobber: cannot start: 127.0.0.1:${port} is already in use (another npm start, or another program); stop it, or start on another port: SQL_JOBBER_PORT=${port + 1} npm start`,
      ]);
      expect(run.output()).not.toContain('is up');
      expect(readdirSync(state)).toEqual([]);
    } finally {
      server.close();
    }
  }, 30_000);

  it("when another npm start owns the embedded PostgreSQL's data directory: names its pid, leaves it alone", async () => {
    const port = await freePort();
    const state = tempDir();
    // This test process stands in for the other, live, npm start.
    const lock = path.join(state, `postgres-${port}.owner`);
    writeFileSync(lock, JSON.stringify({ pid: process.pid, port: 6060, pgPort: 16060 }));
    const run = start({ SQL_JOBBER_PORT: String(port), SQL_JOBBER_DATA_DIR: state, SQL_JOBBER_CONFIG: path.join(state, 'none.toml') });
    expect(await run.exited).toBe(1);
    const [line, ...more] = failureLines(run.output());
    expect(more).toEqual([]);
    expect(line).toContain(`belongs to another npm start (pid ${process.pid}, API on 127.0.0.1:6060), which keeps running`);
    expect(line).toContain('SQL_JOBBER_PORT=6061 npm start');
    expect(line).not.toMatch(/kill/i);
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
  }, 30_000);

  it('when the config reads AWS secrets: says how to run locally, and no request leaves 127.0.0.1', async () => {
    const recorder = await startRecorder();
    const dir = taskDir();
    try {
      writeFileSync(
        path.join(dir, 'aws.toml'),
        '[db.sales]\ntype = "postgres"\ndsn = "postgres://report:${ssm:/sqljobber/prod/sales-password}@sales.internal:5432/sales"\n' +
          '[results.res]\ntype = "postgres"\ndsn = "${secretsmanager:sqljobber/prod/res-dsn}"\n',
      );
      const run = start({
        SQL_JOBBER_PORT: String(await freePort()),
        SQL_JOBBER_DATA_DIR: dir,
        SQL_JOBBER_CONFIG: path.join(dir, 'aws.toml'),
        SQL_JOBBER_SQL_DIR: dir,
        AWS_ENDPOINT_URL: recorder.url,
        HTTPS_PROXY: recorder.url,
        NODE_USE_ENV_PROXY: '1',
        AWS_ACCESS_KEY_ID: 'AKIASHELLCREDENTIALS',
        AWS_SECRET_ACCESS_KEY: 'shell-secret',
      });
      expect(await run.exited).toBe(1);
      const output = run.output();
      expect(output).toContain('${ssm:/sqljobber/prod/sales-password}, ${secretsmanager:sqljobber/prod/res-dsn}: the local stack never calls AWS');
      expect(output).toContain('SQL_JOBBER_CONFIG=config.local.toml npm start');
      expect(output).not.toMatch(/^\s+at /m);
      expect(recorder.hits).toEqual([]);
    } finally {
      await recorder.stop();
    }
  }, 30_000);
});

describe('Ctrl-C while npm start starts', () => {
  // Once every other part runs and serverless offline builds its bundles: the point with the most to undo.
  // (Ctrl-C once up is in test/e2e/readmeTour.test.ts.)
  it.each([['serverless offline is starting', /SQS \(fauxqs\)\s+http:\/\/127\.0\.0\.1:(\d+)/]])('once %s: stops what has started, exits 0, leaves only the data directory', async (_when, line) => {
    const port = await freePort();
    const state = tempDir();
    const run = start({ SQL_JOBBER_PORT: String(port), SQL_JOBBER_DATA_DIR: state, SQL_JOBBER_CONFIG: path.join(state, 'none.toml') });
    const [, partPort] = await run.waitFor(line, 240_000);
    const pgPort = Number(/embedded PostgreSQL\s+127\.0\.0\.1:(\d+)/.exec(run.output())?.[1]);
    run.interrupt();
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(/SIGINT: stopping what has started\.\.\.\n[\s\S]*stopped\.\n$/);
    expect(run.output()).not.toContain('is up');
    expect(readdirSync(state)).toEqual([`postgres-${port}`]);
    expect(existsSync(path.join(state, `postgres-${port}`, 'postmaster.pid'))).toBe(false);
    for (const p of [Number(partPort), pgPort, port]) expect(await isPortOpen(p), `port ${p}`).toBe(false);
    const bundles = path.join(path.resolve(import.meta.dirname, '../../..'), '.sqljobber', 'esbuild');
    if (existsSync(bundles)) expect(readdirSync(bundles).filter((d) => d.startsWith(`${run.child.pid}-`))).toEqual([]);
  }, 300_000);
});

describe('a part of the local stack that dies', () => {
  it('makes npm start say which part and how, stop the rest, and exit 1', async () => {
    const dir = taskDir();
    writeFileSync(
      path.join(dir, 'config.toml'),
      '[db.pg]\ntype = "postgres"\ndsn = "postgres://postgres@127.0.0.1:5432/postgres"\n[results.res]\ntype = "postgres"\ndsn = "postgres://postgres@127.0.0.1:5432/postgres"\n',
    );
    const port = await freePort();
    const run = start({ SQL_JOBBER_PORT: String(port), SQL_JOBBER_DATA_DIR: dir, SQL_JOBBER_CONFIG: path.join(dir, 'config.toml'), SQL_JOBBER_SQL_DIR: dir });
    await run.waitFor(/SQL Jobber is up in/, 240_000);
    const java = descendants(run.child.pid!).find((pid) => readFileSafe(`/proc/${pid}/cmdline`).includes('DynamoDB'));
    expect(java, 'the DynamoDB Local process').toBeDefined();
    process.kill(java!, 'SIGKILL');
    expect(await run.exited).toBe(1);
    expect(failureLines(run.output())).toEqual(['SQL Jobber: DynamoDB Local died (exited (SIGKILL)); stopping the local stack']);
    expect(run.output()).toContain('stopped.');
    expect(await isPortOpen(port)).toBe(false);
  }, 300_000);
});

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The descendants of pid, from /proc/PID/stat (Linux). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    const stat = readFileSafe(`/proc/${entry}/stat`);
    if (stat) parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift()!;
    for (const [child, ppid] of parent) if (ppid === p) (out.push(child), queue.push(child));
  }
  return out;
}
