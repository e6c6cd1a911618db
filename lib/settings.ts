import { delimiter } from 'node:path';

/**
 * Process settings, read from the environment once. This is the only module that
 * reads `process.env`; everything else receives a `Settings` object.
 */
export interface Settings {
  /** Path of config.toml (`SQL_JOBBER_CONFIG`, default ./config.toml). */
  configPath: string;
  /**
   * Directories of task files (`SQL_JOBBER_SQL_DIR`, default ./sql): several are
   * separated by the platform's path delimiter (`:`), as in PATH.
   */
  sqlDirs: readonly string[];
  /** DynamoDB table holding jobs and groups. */
  table: string;
  /** Prefix that, followed by a queue's physical name, gives its SQS URL. */
  queueUrlPrefix: string;
  /** Physical SQS queue name prefix (`<service>-<stage>-`). */
  queueNamePrefix: string;
  region: string;
  /** Local endpoints (serverless offline); unset in AWS. */
  dynamodbEndpoint?: string;
  sqsEndpoint?: string;
  /**
   * How long a running job's lease holds, in ms (`SQL_JOBBER_LEASE_MS`; unset: the
   * production 30 s). Only tests shorten it, to see a dead worker's job taken back sooner.
   */
  leaseMs?: number;
  /**
   * Whether this function reads the dsns' `${ssm:...}` / `${secretsmanager:...}`
   * secrets at cold start (`SQL_JOBBER_RESOLVE_SECRETS=true`): set by the deployment
   * on the functions that use databases, the only ones allowed to read them.
   */
  resolveSecrets: boolean;
  /** `<service>-<stage>` (`SQL_JOBBER_SERVICE`), the `service` dimension of the metrics. */
  service: string;
  /** The completion events' SNS topic (`SQL_JOBBER_NOTIFY_TOPIC_ARN`), set by the deployment when `[notify] sns = true`. */
  notifyTopicArn?: string;
  /**
   * The browser origins, besides the API's own, that may call the HTTP API
   * (`SQL_JOBBER_CORS_ORIGINS`, space-separated, lower case): `[api] cors_origins`,
   * which the deployment (and the local stack) passes on to the functions.
   */
  corsOrigins: readonly string[];
  /** The whole environment, for `${ENV}` substitution in DSNs. */
  env: Readonly<Record<string, string | undefined>>;
}

/** `SQL_JOBBER_SQL_DIR`'s list of directories: split on the path delimiter, empty parts dropped. */
export function splitSqlDirs(value: string): readonly string[] {
  return Object.freeze(value.split(delimiter).filter((dir) => dir !== ''));
}

/** The value of `SQL_JOBBER_SQL_DIR` for a list of directories. */
export function joinSqlDirs(dirs: readonly string[]): string {
  return dirs.join(delimiter);
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return Object.freeze({
    configPath: env.SQL_JOBBER_CONFIG || 'config.toml',
    sqlDirs: splitSqlDirs(env.SQL_JOBBER_SQL_DIR || 'sql'),
    table: env.SQL_JOBBER_TABLE || 'sql-jobber-dev-jobs',
    queueUrlPrefix: env.SQL_JOBBER_QUEUE_URL_PREFIX || '',
    queueNamePrefix: env.SQL_JOBBER_QUEUE_NAME_PREFIX ?? 'sql-jobber-dev-',
    region,
    dynamodbEndpoint: env.SQL_JOBBER_DYNAMODB_ENDPOINT || undefined,
    sqsEndpoint: env.SQL_JOBBER_SQS_ENDPOINT || undefined,
    leaseMs: leaseMs(env.SQL_JOBBER_LEASE_MS),
    resolveSecrets: env.SQL_JOBBER_RESOLVE_SECRETS === 'true',
    service: env.SQL_JOBBER_SERVICE || 'sql-jobber',
    notifyTopicArn: env.SQL_JOBBER_NOTIFY_TOPIC_ARN || undefined,
    corsOrigins: Object.freeze((env.SQL_JOBBER_CORS_ORIGINS ?? '').toLowerCase().split(/\s+/).filter((origin) => origin !== '')),
    env: Object.freeze({ ...env }),
  });
}

function leaseMs(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1000) throw new Error(`SQL_JOBBER_LEASE_MS must be a whole number of milliseconds >= 1000, got "${value}"`);
  return ms;
}
