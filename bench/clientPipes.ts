/**
 * The database clients' own pipes for the engine benchmarks: `psql` and `mariadb`
 * command lines that export the benchmark query as tab-separated text and load
 * such text into a table, and a runner for `export | load` as real processes.
 */
import { spawn } from 'node:child_process';
import type { DbType } from '../lib/config/types.js';
import { BENCH_SERVERS, benchQuery } from './benchConfig.js';

/** A client command line. */
export interface Command {
  cmd: string;
  args: string[];
}

/**
 * The client command that prints the first `rows` rows of `src` as tab-separated
 * text (PostgreSQL: or in binary COPY format, with `binary`).
 */
export function exportCommand(type: DbType, database: string, rows: number, binary = false): Command {
  const { host, port, user } = BENCH_SERVERS[type];
  const query = benchQuery(type).replace(type === 'postgres' ? '$1' : '?', String(rows));
  const format = binary ? ' (FORMAT binary)' : '';
  return type === 'postgres'
    ? { cmd: 'psql', args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', host, '-p', String(port), '-U', user, '-d', database, '-c', `COPY (${query}) TO STDOUT${format}`] }
    : {
        cmd: 'mariadb',
        args: ['--quick', '--batch', '--skip-column-names', '-h', host, '-P', String(port), '-u', user, database, '-e', query],
      };
}

/** The client command that loads tab-separated text (PostgreSQL: or binary COPY, with `binary`) from its stdin into `table`. */
export function loadCommand(type: DbType, database: string, table: string, binary = false): Command {
  const { host, port, user } = BENCH_SERVERS[type];
  const format = binary ? ' (FORMAT binary)' : '';
  return type === 'postgres'
    ? { cmd: 'psql', args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', host, '-p', String(port), '-U', user, '-d', database, '-c', `COPY ${table} FROM STDIN${format}`] }
    : {
        cmd: 'mariadb',
        args: [
          '--local-infile=1',
          '-h',
          host,
          '-P',
          String(port),
          '-u',
          user,
          database,
          '-e',
          `LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE ${table} CHARACTER SET utf8mb4 ` +
            `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'`,
        ],
      };
}

/** A word for the shell, in single quotes. */
const shellWord = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
const shellLine = ({ cmd, args }: Command) => [cmd, ...args].map(shellWord).join(' ');

/**
 * Runs `producer | consumer` through bash, so the two processes share a real pipe
 * (Node connects a child's stdio with a socket, which `/dev/stdin` cannot open for
 * LOAD DATA); resolves with the elapsed ms once both exited 0.
 */
export function shellPipe(producer: Command, consumer: Command): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('bash', ['-c', `set -o pipefail; ${shellLine(producer)} | ${shellLine(consumer)}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`${producer.cmd} | ${consumer.cmd} exited with ${signal ?? code}: ${stderr.trim()}`));
    });
  });
}
