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

import type { Guardrails } from './guardrailValues.js';

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
  /** `orphan_after` in seconds: a job of this queue nobody asked about for this long is cancelled (a task's tag wins); absent: the `[app]` default. */
  orphanAfter?: number;
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
  /** Admission (docs/admission.md): the most jobs one tenant runs at once on this queue. */
  tenantConcurrency?: number;
  /** Admission: the most jobs one tenant has waiting on this queue; past it a submit answers 429. */
  tenantMaxQueued?: number;
  /** `admission = true` in the section: admission without tenant limits (priorities, an exact limit). */
  admission?: boolean;
  /** Guardrail defaults for this queue's tasks (`max_rows`, `max_result_bytes`, `max_cost`, `on_limit`); a task's tags win. */
  guardrails?: Guardrails;
}

/**
 * Whether a queue's jobs go through admission (lib/lifecycle/admitJobs.ts): slots
 * taken in DynamoDB before a job's message is sent, shared fairly between tenants,
 * by priority. On with either tenant limit, with `admission = true`, and always at
 * concurrency 1 (an SQS event source runs at least 2 at once, so only admission makes 1 exact).
 */
export function admissionOn(q: Pick<QueueConfig, 'concurrency' | 'tenantConcurrency' | 'tenantMaxQueued' | 'admission'>): boolean {
  if (q.admission !== undefined) return q.admission;
  return q.tenantConcurrency !== undefined || q.tenantMaxQueued !== undefined || q.concurrency === 1;
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
  /** `[app] orphan_after` in seconds: the default of every queue and task that sets none; absent: orphan cancel is off. */
  orphanAfter?: number;
  /** Guardrail defaults for every task (`max_rows`, `max_result_bytes`, `max_cost`, `on_limit`); a queue's section and a task's tags win. */
  guardrails?: Guardrails;
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
  /**
   * `cors_origins`: the browser origins, besides the API's own, that may call it
   * (lower case). Empty (the default): CORS is off when deployed, and any request
   * from another origin is refused.
   */
  corsOrigins: readonly string[];
  /**
   * `reserved_concurrency` (default 20): the concurrency reserved for, and the cap of,
   * each HTTP API function; the workers, the sweeper and the notify function then get
   * reservations of their own. 0: no reservations at all.
   */
  reservedConcurrency: number;
  /** `throttle_rate` (default 50): the HTTP API's steady-state requests per second. */
  throttleRate: number;
  /** `throttle_burst` (default 100): the HTTP API's burst of requests. */
  throttleBurst: number;
  /** The claim that names the caller's tenant (auth = "jwt"; default `sub`). */
  tenantClaim?: string;
  /** The scope (in `scope`, space-separated, or `scp`) that makes a caller an operator (auth = "jwt"; default `sqljobber/operator`). */
  operatorScope?: string;
  /** IAM principal ARNs whose requests are an operator's (auth = "iam"). */
  operatorArns?: readonly string[];
}

/** The `[api]` settings that say how callers authenticate (what the OpenAPI document shows). */
export type ApiAuthConfig = Pick<ApiConfig, 'auth' | 'jwtIssuer' | 'jwtAudience'>;

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

/** Exports to S3 (`[export]`): where a job's exported parts and manifest go. */
export interface ExportConfig {
  bucket: string;
  /** The key prefix every export object sits under; empty or ending with `/`. */
  prefix: string;
  /** How long a presigned URL of GET /jobs/{jobID}/export is valid, in seconds. */
  urlTtlS: number;
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

/** Traces (`[observability]`). */
export interface ObservabilityConfig {
  /** `otlp_endpoint`: where spans go, OTLP over HTTP (in AWS, the ADOT layer's collector). Absent: tracing is off. */
  otlpEndpoint?: string;
}

export interface Config {
  app: AppConfig;
  observability: ObservabilityConfig;
  notify: NotifyConfig;
  /** `[export]`: undefined when no bucket is configured (a job cannot ask for an export). */
  export?: ExportConfig;
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
