/**
 * The local stack a bench runs against, on a PostgreSQL database of its own: creates
 * the database and a temporary folder, writes the task file and config.toml there
 * (`config` gets the database's DSN), starts the stack, and stops all of it, the
 * database dropped, once: at `stop()`, or on Ctrl-C / SIGTERM (exit 130). `onStop`
 * adds what the bench opened itself, stopped first.
 */
import { stopOnInterrupt } from './stopOnInterrupt.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startLocalStack, type LocalStack } from '../scripts/localStack.js';
import { freePort } from '../scripts/stack/freePort.js';
import { stackClients, type StackClients } from '../test/support/stackClients.js';

export const BENCH_PG_ADMIN = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };

export interface BenchStack {
  stack: LocalStack;
  aws: StackClients;
  /** The bench's database. */
  database: string;
  /** How long the stack took to start. */
  startMs: number;
  onStop(stop: () => Promise<unknown>): void;
  stop(): Promise<void>;
}

export async function startBenchStack(opts: { name: string; tasks: string; config: (dsn: string) => string }): Promise<BenchStack> {
  const database = `sqljobber_${opts.name}_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(path.join(tmpdir(), `sqljobber-${opts.name}-`));
  const extra: (() => Promise<unknown>)[] = [];
  let stack: LocalStack | undefined;
  let aws: StackClients | undefined;
  let dbCreated = false;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of extra.reverse()) await s().catch(() => undefined);
      aws?.destroy();
      await stack?.stop().catch((err: unknown) => console.error(`stopping the stack: ${(err as Error).message}`));
      if (dbCreated) {
        const admin = new pg.Client(BENCH_PG_ADMIN);
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await admin.end();
      }
      rmSync(dir, { recursive: true, force: true });
      offInterrupt();
    })());
  const offInterrupt = stopOnInterrupt(stop);
  try {
    const admin = new pg.Client(BENCH_PG_ADMIN);
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    dbCreated = true;
    writeFileSync(path.join(dir, 'tasks.sql'), opts.tasks);
    writeFileSync(path.join(dir, 'config.toml'), opts.config(`postgres://postgres@127.0.0.1:5432/${database}`));
    const t0 = performance.now();
    stack = await startLocalStack({
      configPath: path.join(dir, 'config.toml'),
      sqlDir: dir,
      dataDir: path.join(dir, 'state'),
      port: await freePort(),
      log: (line) => (line.startsWith('bridge:') ? undefined : console.log(`  ${line}`)),
    });
    aws = stackClients(stack);
    return { stack, aws, database, startMs: Math.round(performance.now() - t0), onStop: (s) => void extra.push(s), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
