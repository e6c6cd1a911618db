/**
 * Glossary
 * - db: a source database that tasks read from (`[db.NAME]`).
 * - results: a results database that job results are written to (`[results.NAME]`).
 * - queue: an SQS queue with its own worker function and concurrency (`[queues.NAME]`,
 *   or named by a task's `queue` tag, as in dungbeetle).
 * - secret reference: `${ssm:NAME}` or `${secretsmanager:NAME[#KEY]}` inside a dsn, read
 *   from SSM Parameter Store / Secrets Manager at cold start by the functions that
 *   use databases, never written into the deployed template or code package.
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
  /**
   * The secret references of a dsn that were not resolved in this process (a function
   * without database access, or the deploy step). Then `dsn` is the text as written,
   * `connection` is not usable and the database pools refuse this config.
   */
  unresolvedSecrets?: readonly string[];
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
  /**
   * Who declared the queue. Absent: a `[queues.NAME]` section. `tasks`: only the
   * `queue` tag of tasks, as in dungbeetle. `default`: nobody; the config has no
   * `[queues]` and this is the implicit `sqljob_queue`.
   */
  declaredBy?: 'tasks' | 'default';
  /**
   * Where `concurrency` comes from: the `[queues.NAME]` section (`config`, which
   * task tags do not change), a task's `conc` / `concurrency` tag (`tag`), or the
   * default of 5 (absent).
   */
  concurrencyFrom?: 'config' | 'tag';
}

export interface AppConfig {
  /** Default results TTL in seconds for jobs that give none. */
  defaultJobTtl: number;
  /** The longest `ttl` a job request may ask for, in seconds (`max_job_ttl`, default 30 days). */
  maxJobTtl: number;
  logLevel: string;
  /**
   * `[app] resend_after` in ms (default 15 min): a waiting job whose message is this
   * far past due and unclaimed gets it again from the sweeper (a lost message).
   */
  resendAfterMs: number;
}

/** Who may call the HTTP API (`[api]`). */
export type ApiAuth = 'iam' | 'jwt' | 'none';

export interface ApiConfig {
  /** `iam` (default): SigV4-signed requests; `jwt`: a JWT authorizer; `none`: open (explicit opt-out). */
  auth: ApiAuth;
  /** JWT issuer URL (auth = "jwt"). */
  jwtIssuer?: string;
  /** Accepted JWT audiences (auth = "jwt"). */
  jwtAudience: readonly string[];
}

/** Subnets and security groups for the functions that reach databases (`[aws.vpc]`). */
export interface VpcConfig {
  subnetIds: readonly string[];
  securityGroupIds: readonly string[];
}

/** Deployment settings that only matter in AWS (`[aws]`). */
export interface AwsConfig {
  vpc?: VpcConfig;
  /** SNS topic notified by the dead-letter queue alarms. */
  alarmTopicArn?: string;
}

/** A `${ssm:...}` or `${secretsmanager:...}` reference in a dsn. */
export interface SecretRef {
  /** The reference as written between `${` and `}`, e.g. `ssm:/sqljobber/prod/source-dsn`. */
  ref: string;
  source: 'ssm' | 'secretsmanager';
  /** Parameter or secret name, or its full ARN. */
  name: string;
  /** Secrets Manager: the field of a JSON secret (`#password`); absent: the whole secret string. */
  key?: string;
}

/** Completion events (`[notify]`): signed webhooks, an SNS topic, EventBridge. */
export interface NotifyConfig {
  /** Receivers of signed POSTs, from the operator's config only. */
  webhooks: readonly string[];
  /** The HMAC key, when written as a literal (local use). */
  webhookSecret?: string;
  /** The HMAC key's `${ssm:...}` / `${secretsmanager:...}` reference (AWS), read by the delivery function. */
  webhookSecretRef?: SecretRef;
  /** Publish to the stack's SNS topic. */
  sns: boolean;
  /** Put events on the default EventBridge bus (AWS only). */
  eventbridge: boolean;
  /** How long a refused webhook delivery is retried before it is dead-lettered, in ms (at most 24 h). */
  retryForMs: number;
}

export interface Config {
  app: AppConfig;
  notify: NotifyConfig;
  api: ApiConfig;
  aws: AwsConfig;
  /** Every secret reference in the dsns, once each, in file order. */
  secretRefs: readonly SecretRef[];
  db: Readonly<Record<string, DbConfig>>;
  results: Readonly<Record<string, ResultsConfig>>;
  queues: Readonly<Record<string, QueueConfig>>;
  /** The file the config was read from, for messages. */
  source: string;
}

export const DEFAULT_QUEUE = 'sqljob_queue';

/** A queue name: it becomes part of SQS queue and Lambda function names. */
export const QUEUE_NAME = /^[A-Za-z0-9_-]{1,60}$/;
export const QUEUE_NAME_RULE = 'use 1 to 60 letters, digits, _ and -';
