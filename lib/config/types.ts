/**
 * Glossary
 * - db: a source database that tasks read from (`[db.NAME]`).
 * - results: a results database that job results are written to (`[results.NAME]`).
 * - queue: an SQS queue with its own worker function and concurrency (`[queues.NAME]`).
 */

export type DbType = 'postgres' | 'mysql';

/** Connection settings parsed from any accepted DSN form. */
export interface Connection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Extra DSN parameters (query string or key=value pairs not mapped above). */
  params: Readonly<Record<string, string>>;
}

export interface DbConfig {
  name: string;
  type: DbType;
  /** The DSN as written, after `${ENV}` substitution (may hold a password: never log it). */
  dsn: string;
  connection: Connection;
  maxActive: number;
  maxIdle: number;
  /** Connect timeout in milliseconds. */
  connectTimeoutMs: number;
}

export interface ResultsConfig extends DbConfig {
  /** Table name pattern with one `%s` for the job ID; default `results_%s`. */
  resultsTable: string;
  /** PostgreSQL only: create results tables UNLOGGED. */
  unlogged: boolean;
}

export interface QueueConfig {
  name: string;
  /** Workers running at once for this queue (the event source's maximumConcurrency). */
  concurrency: number;
  /** Worker function timeout in seconds (at most 900). */
  timeout: number;
}

export interface AppConfig {
  /** Default results TTL in seconds for jobs that give none. */
  defaultJobTtl: number;
  logLevel: string;
}

export interface Config {
  app: AppConfig;
  db: Readonly<Record<string, DbConfig>>;
  results: Readonly<Record<string, ResultsConfig>>;
  queues: Readonly<Record<string, QueueConfig>>;
  /** The file the config was read from, for messages. */
  source: string;
}

export const DEFAULT_QUEUE = 'sqljob_queue';
