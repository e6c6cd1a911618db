/**
 * The command line of `sql-jobber` (bin/sql-jobber.js), `npm start` and
 * `npm run check`: dungbeetle's flags where they still mean something here, and a
 * one-line answer for those that do not.
 */
import { parseArgs } from 'node:util';

export type CliCommand = 'start' | 'check';

/** What the command line asks for. Paths are as written (relative to the working directory). */
export type CliOptions =
  | { kind: 'run'; configPath?: string; sqlDirs?: string[]; port?: number }
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  /** Flags that cannot work here: one line each, saying what to do instead. Exit non-zero. */
  | { kind: 'refused'; lines: string[] };

/**
 * dungbeetle's flags that have no place in SQL Jobber, each with what replaces it.
 * Workers, queues and concurrency are deployment facts here (an SQS queue and a
 * worker function per queue), declared in the task files and config.toml.
 */
const REPLACED: Record<string, string> = {
  queue:
    'queues are named by each task\'s "-- queue:" tag (or [queues.NAME] in config.toml), and every queue gets its own workers; there is no queue per process',
  'queue-name':
    'queues are named by each task\'s "-- queue:" tag (or [queues.NAME] in config.toml), and every queue gets its own workers; there is no queue per process',
  'worker-concurrency':
    'set a queue\'s concurrency with its tasks\' "-- conc: N" tag or "concurrency = N" in [queues.NAME] of config.toml (default 5)',
  'worker-only':
    'every queue already runs in its own worker function, apart from the HTTP API; there is nothing to start without it',
  'worker-name': 'workers have no names: each queue has one worker function, sql-jobber-STAGE-worker-QUEUE',
  'new-config': 'copy config.toml.sample to config.toml and edit it (it explains every key)',
};

const HELP: Record<CliCommand, string> = {
  start: `Usage: sql-jobber [options]     (also: npm start -- [options])

Starts SQL Jobber locally (DynamoDB Local, SQS, the API and one worker per queue),
exactly as npm start does. Ctrl-C stops everything.

Options:
  --config PATH          config.toml to use (default ./config.toml; env SQL_JOBBER_CONFIG)
  --sql-directory DIR    a directory of *.sql task files; repeat for several
                         (default ./sql; env SQL_JOBBER_SQL_DIR, several joined with ":")
  --port N               HTTP port of the API (default 6060; env SQL_JOBBER_PORT)
  --server HOST:PORT     dungbeetle's form of --port (the API listens on 127.0.0.1)
  --version              print the version
  -h, --help             print this help

dungbeetle's --queue, --queue-name, --worker-name, --worker-concurrency, --worker-only
and --new-config are answered with what to do instead (docs/migration.md).`,
  check: `Usage: npm run check -- [options]

Loads config.toml and the task files and prepares every non-raw task on its
databases, printing ok or the database's error per task; exits non-zero on any error.

Options:
  --config PATH          config.toml to use (default ./config.toml; env SQL_JOBBER_CONFIG)
  --sql-directory DIR    a directory of *.sql task files; repeat for several (default ./sql)
  -h, --help             print this help`,
};

/** A problem with the command line itself (unknown flag, missing value). */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Reads the arguments after the script name.
 *
 * @throws CliError for an unknown flag, a flag without its value, or a bad port.
 */
export function parseCliOptions(argv: readonly string[], command: CliCommand = 'start'): CliOptions {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        'sql-directory': { type: 'string', multiple: true },
        port: { type: 'string' },
        server: { type: 'string' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        queue: { type: 'string' },
        'queue-name': { type: 'string' },
        'worker-concurrency': { type: 'string' },
        'worker-name': { type: 'string' },
        'worker-only': { type: 'boolean' },
        'new-config': { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message.split('\n')[0]}; see --help`);
  }
  if (values.help) return { kind: 'help', text: HELP[command] };
  if (values.version) return { kind: 'version' };
  const refused = Object.keys(REPLACED)
    .filter((flag) => values[flag] !== undefined)
    .map((flag) => `--${flag}: ${REPLACED[flag]}`);
  if (refused.length > 0) return { kind: 'refused', lines: refused };

  if (command === 'check' && (values.port !== undefined || values.server !== undefined)) {
    throw new CliError('--port and --server are for starting the stack, not for npm run check');
  }
  const port = values.port !== undefined ? readPort(String(values.port), '--port') : values.server !== undefined ? serverPort(String(values.server)) : undefined;
  const dirs = values['sql-directory'] as string[] | undefined;
  return {
    kind: 'run',
    ...(values.config === undefined ? {} : { configPath: String(values.config) }),
    ...(dirs === undefined ? {} : { sqlDirs: dirs }),
    ...(port === undefined ? {} : { port }),
  };
}

function readPort(text: string, flag: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new CliError(`${flag}: expected a port from 1 to 65535 (got "${text}")`);
  return port;
}

/** dungbeetle's `--server 127.0.0.1:6060`: the port is taken; the local API always listens on 127.0.0.1. */
function serverPort(text: string): number {
  const m = /^(.*):(\d+)$/.exec(text);
  if (!m) throw new CliError(`--server: expected HOST:PORT such as 127.0.0.1:6060 (got "${text}")`);
  const host = m[1]!;
  if (!['', '127.0.0.1', 'localhost', '0.0.0.0', '[::1]', '[::]'].includes(host)) {
    throw new CliError(`--server: the local API listens on 127.0.0.1 only; give --port ${m[2]} (got host "${host}")`);
  }
  return readPort(m[2]!, '--server');
}
