/**
 * A MariaDB server of one test's own (Debian's mariadbd on a data directory made
 * by mariadb-install-db, a free port, a private socket), which the test may
 * restart or kill at will: the shared server on 3306 serves other test files at
 * the same time and must never be touched.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { sleep } from './until.js';
import { freePort, waitPortClosed } from '../../scripts/stack/freePort.js';

export const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';

export interface PrivateMariadb {
  port: number;
  /** `mysql://root@127.0.0.1:PORT/DB` (no password). */
  url(db: string): string;
  /** Runs SQL (a fresh connection each time, so it works across restarts). */
  sql(sql: string, db?: string): Promise<Record<string, unknown>[]>;
  /** SIGKILL, then a start on the same port and data directory (crash recovery runs). */
  restart(): Promise<void>;
  /** SIGKILL: the server is gone, its clients' sockets reset; `start()` brings it back. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its files. */
  stop(): Promise<void>;
}

export interface PrivateMariadbOptions {
  /**
   * The server's `lower_case_table_names` (0 by default, as on Linux): 1 stores
   * and compares table names in lower case, as on Windows, macOS and some managed
   * MySQL services. Set for the data directory's life (it is made with it).
   */
  lowerCaseTableNames?: 0 | 1 | 2;
  /** The server's global `sql_mode` (MariaDB's default when absent). */
  sqlMode?: string;
}

/** Initialises a data directory in a temporary folder and starts a server on a free port. */
export async function startPrivateMariadb(options: PrivateMariadbOptions = {}): Promise<PrivateMariadb> {
  const lowerCase = options.lowerCaseTableNames === undefined ? [] : [`--lower-case-table-names=${options.lowerCaseTableNames}`];
  const sqlMode = options.sqlMode === undefined ? [] : [`--sql-mode=${options.sqlMode}`];
  const dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-mariadb-'));
  const dataDir = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  // A tmpdir of its own: a starting mariadbd deletes the `#sql*` files it finds in its
  // tmpdir, which in /tmp are the shared server's live temporary tables.
  const tmpDir = path.join(dir, 'tmp');
  mkdirSync(tmpDir);
  if (process.getuid?.() === 0) chmodSync(tmpDir, 0o777);
  const init = spawnSync(INSTALL_DB, ['--no-defaults', `--datadir=${dataDir}`, `--tmpdir=${tmpDir}`, ...asRoot, '--skip-test-db', '--auth-root-authentication-method=normal', ...lowerCase], {
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr}`);
  const port = await freePort();
  const errorLog = path.join(dir, 'error.log');
  let child: ChildProcess | undefined;

  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const proc = spawn(
      MARIADBD,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--tmpdir=${tmpDir}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${path.join(dir, 'mysqld.sock')}`,
        `--pid-file=${path.join(dir, 'mysqld.pid')}`,
        `--log-error=${errorLog}`,
        ...asRoot,
        // No grant checks: the test's root needs no password, and nothing here is shared.
        '--skip-grant-tables',
        '--local-infile=1',
        '--innodb-buffer-pool-size=32M',
        '--innodb-flush-log-at-trx-commit=0',
        '--skip-log-bin',
        ...lowerCase,
        ...sqlMode,
      ],
      { detached: true, stdio: 'ignore' },
    );
    child = proc;
    // A test process that ends without stop() (a timeout, a crash) must not leave the server running.
    const killOnExit = () => {
      try {
        process.kill(proc.pid!, 'SIGKILL');
      } catch {}
    };
    process.once('exit', killOnExit);
    proc.once('exit', () => process.off('exit', killOnExit));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`mariadbd exited at start:\n${tail(errorLog)}`);
      if (await answers(port)) return;
      if (Date.now() > deadline) throw new Error(`mariadbd did not accept connections on ${port}:\n${tail(errorLog)}`);
      await sleep(100);
    }
  };

  const kill = async () => {
    const proc = child;
    if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    try {
      process.kill(proc.pid, 'SIGKILL');
    } catch {}
    await exited;
    await waitPortClosed(port);
  };

  await start();
  return {
    port,
    url: (db) => `mysql://root@127.0.0.1:${port}/${db}`,
    async sql(text, db) {
      const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', database: db });
      conn.on('error', () => {});
      try {
        return (await conn.query(text))[0] as Record<string, unknown>[];
      } finally {
        await conn.end().catch(() => {});
      }
    },
    async restart() {
      await kill();
      await start();
    },
    kill,
    start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function answers(port: number): Promise<boolean> {
  try {
    const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
    conn.on('error', () => {});
    await conn.query('SELECT 1');
    await conn.end();
    return true;
  } catch {
    return false;
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}
