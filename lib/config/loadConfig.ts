import { readFileSync } from 'node:fs';
import { parse, TomlError } from 'smol-toml';
// A namespace import lets esbuild drop the parts of zod we do not use (75 KB instead of 450 KB).
import * as z from 'zod';
import { DB_TYPE_NAMES, dbTypeNamed } from '../db/dialects.js';
import { ConfigError } from '../errors.js';
import { parseDsn } from './parseDsn.js';
import { SECRET_SOURCE, parseSecretRef } from './parseSecretRef.js';
import { NOTIFY_QUEUE, notifyFields, readNotifyConfig } from './notifyConfig.js';
import { exportFields, readExportConfig } from './exportConfig.js';
import { parseDurationMs } from './parseDurationMs.js';
import { type Guardrails, readMaxCost, readMaxResultBytes, readMaxRows, readOnLimit } from './guardrailValues.js';

export { parseDurationMs };
import {
  DEFAULT_QUEUE,
  QUEUE_NAME,
  QUEUE_NAME_RULE,
  type Config,
  type Connection,
  type DbConfig,
  type DbType,
  type QueueConfig,
  type ResultsConfig,
  type SecretRef,
} from './types.js';

type Env = Record<string, string | undefined>;

/** How secret references and environment variables in dsns are treated. */
export interface ConfigOptions {
  /**
   * Values of the secret references (`${ssm:...}`, `${secretsmanager:...}`), keyed by
   * the reference text (`ssm:/sqljobber/prod/source-dsn`). A dsn with a reference that
   * has no value here is kept unresolved (see `DbConfig.unresolvedSecrets`).
   */
  secrets?: Readonly<Record<string, string>>;
  /**
   * Validating for a deployment to AWS: a dsn may not take `${ENV}` variables (the
   * functions do not get the deployer's environment) nor hold a password (it would
   * ship in the code package); secrets must be `${ssm:...}` / `${secretsmanager:...}`.
   */
  deploy?: boolean;
}

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];
const DURATION_HINT = 'a duration such as "30s", "1h30m" or "500ms", or a number of seconds';
/**
 * The ceiling of `[app] max_job_ttl`: ten years. A job's expiry is turned into
 * dates, and JavaScript dates end in the year 275760; this keeps every expiry far
 * inside them.
 */
export const MAX_JOB_TTL_CEILING_S = 3650 * 86_400;


function integer(min: number, max: number | undefined, fallback: number) {
  const error = max === undefined ? `expected an integer >= ${min}` : `expected an integer from ${min} to ${max}`;
  const schema = z.int({ error }).min(min, { error });
  return (max === undefined ? schema : schema.max(max, { error })).default(fallback);
}

/** A duration key: `check` gets milliseconds and returns the stored value or a problem message. */
function duration(fallback: string, check: (ms: number) => number | string) {
  return z.unknown().optional().transform((input, ctx) => {
    const ms = parseDurationMs(input ?? fallback);
    const result = ms === undefined ? `expected ${DURATION_HINT}` : check(ms);
    if (typeof result === 'number') return result;
    ctx.addIssue({ code: 'custom', message: result, input });
    return z.NEVER;
  });
}

/** A duration that may be left out (then `undefined`): checked as `duration` when given. */
function optionalDuration(check: (ms: number) => number | string) {
  return z.unknown().optional().transform((input, ctx) => {
    if (input === undefined) return undefined;
    const ms = parseDurationMs(input);
    const result = ms === undefined ? `expected ${DURATION_HINT}` : check(ms);
    if (typeof result === 'number') return result;
    ctx.addIssue({ code: 'custom', message: result, input });
    return z.NEVER;
  });
}

/** `orphan_after`: whole seconds from 1 s to 7 days; off unless set. */
export const ORPHAN_AFTER_HINT = 'expected a duration such as "10m" or whole seconds, from 1s to 7d';
const orphanAfter = () => optionalDuration((ms) => (ms % 1000 === 0 && ms >= 1000 && ms <= 7 * 86_400_000 ? ms / 1000 : ORPHAN_AFTER_HINT));

function required(what: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? `is required (${what})` : `expected ${what}`);
}

/** dungbeetle also reads ClickHouse sources; say so plainly rather than "expected postgres or mysql". */
function dbTypeProblem(clickhouse: string) {
  return (issue: { input?: unknown }): string =>
    typeof issue.input === 'string' && issue.input.trim().toLowerCase() === 'clickhouse' ? clickhouse : required('"postgres" or "mysql"')(issue);
}
const DB_TYPES = DB_TYPE_NAMES;

const dbFields = {
  type: z.enum(DB_TYPES, {
    error: dbTypeProblem(
      'ClickHouse sources are not supported yet: SQL Jobber reads PostgreSQL and MySQL/MariaDB; ' +
        'remove this section, and its name from the tasks\' "-- db:" tags',
    ),
  }),
  dsn: z.string({ error: required('a string') }),
  max_active: integer(1, undefined, 10),
  max_idle: integer(0, undefined, 2),
  connect_timeout: duration('10s', (ms) => (ms >= 1 ? Math.round(ms) : `expected ${DURATION_HINT}, above 0`)),
};

const resultsFields = {
  ...dbFields,
  type: z.enum(DB_TYPES, { error: dbTypeProblem('a results database is PostgreSQL or MySQL/MariaDB (ClickHouse is not supported; dungbeetle does not write to it either)') }),
  results_table: z
    .string({ error: 'expected a string' })
    .default('results_%s')
    .superRefine((pattern, ctx) => {
      const problem = resultsTableProblem(pattern);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: pattern });
    }),
  // dungbeetle allows it on any type; it only changes anything for PostgreSQL.
  unlogged: z.boolean({ error: 'expected true or false' }).default(false),
};

/** A guardrail key (absent: not set here): its reader's value, or its problem. */
function guardrail<T>(read: (input: unknown) => { value: T } | { problem: string }) {
  return z.unknown().optional().transform((input, ctx): T | undefined => {
    if (input === undefined) return undefined;
    const r = read(input);
    if ('value' in r) return r.value;
    ctx.addIssue({ code: 'custom', message: r.problem, input });
    return z.NEVER;
  });
}

/** The guardrails' defaults, in `[app]` (every task) and `[queues.NAME]` (its tasks); a task's tags win (docs/tasks.md). */
const guardrailFields = {
  max_rows: guardrail(readMaxRows),
  max_result_bytes: guardrail(readMaxResultBytes),
  max_cost: guardrail(readMaxCost),
  on_limit: guardrail(readOnLimit),
};

/** The guardrails a section sets; undefined when it sets none. */
function guardrailsOf(section: { max_rows?: number; max_result_bytes?: number; max_cost?: number; on_limit?: 'fail' | 'truncate' }): Guardrails | undefined {
  const g: Guardrails = {
    ...(section.max_rows === undefined ? {} : { maxRows: section.max_rows }),
    ...(section.max_result_bytes === undefined ? {} : { maxResultBytes: section.max_result_bytes }),
    ...(section.max_cost === undefined ? {} : { maxCost: section.max_cost }),
    ...(section.on_limit === undefined ? {} : { onLimit: section.on_limit }),
  };
  return Object.keys(g).length > 0 ? g : undefined;
}

const queueFields = {
  ...guardrailFields,
  concurrency: integer(1, 1000, 5),
  // Admission (docs/admission.md): fair share between tenants, priorities, an exact queue limit.
  tenant_concurrency: z.int({ error: 'expected an integer from 1 to 1000' }).min(1, { error: 'expected an integer from 1 to 1000' }).max(1000, { error: 'expected an integer from 1 to 1000' }).optional(),
  tenant_max_queued: z
    .int({ error: 'expected an integer from 1 to 1000000' })
    .min(1, { error: 'expected an integer from 1 to 1000000' })
    .max(1_000_000, { error: 'expected an integer from 1 to 1000000' })
    .optional(),
  admission: z.boolean({ error: 'expected true or false' }).optional(),
  timeout: duration('300', (ms) =>
    ms % 1000 === 0 && ms >= 10_000 && ms <= 900_000
      ? ms / 1000
      : 'expected whole seconds from 10 to 900 (Lambda stops at 900 s), or a duration such as "5m"',
  ),
  // Orphan cancel: a job of this queue that nobody asked about for this long is cancelled (a task's tag wins).
  orphan_after: orphanAfter(),
};

const appFields = {
  log_level: z
    .string({ error: 'expected a string' })
    .refine((level) => LOG_LEVELS.includes(level.toUpperCase()), { error: `expected one of ${LOG_LEVELS.join(', ')}` })
    .transform((level) => level.toUpperCase())
    .default('INFO'),
  default_job_ttl: duration('1h', (ms) => (ms >= 1000 ? Math.ceil(ms / 1000) : `expected ${DURATION_HINT}, at least 1s`)),
  max_job_ttl: duration('30d', (ms) =>
    ms >= 1000 && ms <= MAX_JOB_TTL_CEILING_S * 1000 ? Math.ceil(ms / 1000) : `expected a duration such as "30d" or "12h", or a number of seconds, from 1s to 3650d`,
  ),
  // How long past its due time a waiting job's message may stay unseen before the sweeper sends it again.
  resend_after: duration('15m', (ms) => (ms >= 1000 ? ms : `expected ${DURATION_HINT}, at least 1s`)),
  // Orphan cancel's default for every queue and task that sets none; off unless set.
  orphan_after: orphanAfter(),
  ...guardrailFields,
};

const API_AUTH = ['iam', 'jwt', 'none'] as const;
/** A web origin as browsers send it: scheme, host, optional port; nothing after. */
const ORIGIN = /^https?:\/\/(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const apiFields = {
  auth: z.enum(API_AUTH, { error: 'expected "iam", "jwt" or "none"' }).default('iam'),
  // https, or a loopback http issuer that only a local run may use (a deployment refuses it, below).
  jwt_issuer: z
    .string({ error: 'expected a string' })
    .regex(/^(https:\/\/[^\s/]+\S*|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?(\/\S*)?)$/, {
      error: 'expected the https:// URL of the token issuer (or, for a local run only, http://127.0.0.1:PORT)',
    })
    .optional(),
  jwt_audience: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1, { error: 'expected at least one audience' })], {
      error: 'expected a string or a non-empty list of strings',
    })
    .optional(),
  // Browser origins allowed to call the API (deployed: API Gateway's CORS; everywhere: the Origin check of state-changing routes).
  cors_origins: z
    .array(
      z.string().regex(ORIGIN, { error: 'expected an origin such as "https://reports.example.com" (scheme, host and port only; no path, no "*")' }),
      { error: 'expected a list of origins such as ["https://reports.example.com"]' },
    )
    .default([]),
  // Capacity: see docs/security.md (Capacity).
  reserved_concurrency: integer(0, 1000, 20),
  throttle_rate: integer(1, 10_000, 50),
  throttle_burst: integer(1, 5000, 100),
  tenant_claim: z
    .string({ error: 'expected a string' })
    .regex(/^[A-Za-z0-9_:./-]{1,128}$/, { error: 'expected a claim name (letters, digits, "_", ":", ".", "/", "-")' })
    .optional(),
  operator_scope: z
    .string({ error: 'expected a string' })
    .regex(/^[\x21-\x7e]{1,256}$/, { error: 'expected one scope (printable characters, no spaces)' })
    .optional(),
  operator_arns: z
    .array(z.string().regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+$/, { error: 'expected an IAM principal ARN ("arn:aws:iam::123456789012:role/...")' }), {
      error: 'expected a list of IAM principal ARNs',
    })
    .optional(),
};

const vpcFields = {
  subnet_ids: z.array(z.string().regex(/^subnet-[0-9a-f]+$/, { error: 'expected a subnet ID ("subnet-...")' }), { error: 'expected a non-empty list of subnet IDs ("subnet-...")' }).min(1, {
    error: 'expected a non-empty list of subnet IDs ("subnet-...")',
  }),
  security_group_ids: z.array(z.string().regex(/^sg-[0-9a-f]+$/, { error: 'expected a security group ID ("sg-...")' }), { error: 'expected a non-empty list of security group IDs ("sg-...")' }).min(1, {
    error: 'expected a non-empty list of security group IDs ("sg-...")',
  }),
};

const awsFields = {
  vpc: z.strictObject(vpcFields, { error: 'expected a table' }).optional(),
  alarm_topic_arn: z
    .string({ error: 'expected a string' })
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/, { error: 'expected an SNS topic ARN' })
    .optional(),
};

// Traces (lib/observability): OTLP over HTTP, to a collector (the ADOT layer's in AWS). Unset: tracing is off.
const observabilityFields = {
  otlp_endpoint: z
    .string({ error: 'expected a string' })
    .regex(/^https?:\/\/[^\s/?#]+[^\s?#]*$/, { error: 'expected the http:// or https:// URL of an OTLP/HTTP traces receiver, such as "http://localhost:4318/v1/traces"' })
    .optional(),
};

const table = { error: 'expected a table' };
const dbEntry = z.strictObject(dbFields, table);

function sectionOf<T extends z.ZodType>(pattern: RegExp, rule: string, entry: T) {
  return z.record(z.string().regex(pattern, { error: `invalid name; ${rule}` }), entry, table).prefault({});
}

const configSchema = z.strictObject(
  {
    app: z
      .strictObject(appFields, table)
      .superRefine((app, ctx) => {
        if (app.default_job_ttl > app.max_job_ttl) {
          const message = `must not be longer than app.max_job_ttl (${app.max_job_ttl} s), which caps every job's ttl`;
          ctx.addIssue({ code: 'custom', path: ['default_job_ttl'], message, input: app.default_job_ttl });
        }
      })
      .prefault({}),
    // dungbeetle's Redis broker/state settings: SQS and DynamoDB replace them, so any keys pass.
    job_queue: z.unknown().optional(),
    db: sectionOf(/^[A-Za-z0-9_-]+$/, 'use letters, digits, _ and -', dbEntry),
    results: sectionOf(/^[A-Za-z0-9_-]+$/, 'use letters, digits, _ and -', z.strictObject(resultsFields, table)),
    queues: sectionOf(
      QUEUE_NAME,
      QUEUE_NAME_RULE,
      z.strictObject(queueFields, table).superRefine((q, ctx) => {
        if (q.tenant_concurrency !== undefined && q.tenant_concurrency > q.concurrency) {
          const message = `must be at most the queue's concurrency (${q.concurrency}): one tenant cannot run more jobs than the queue`;
          ctx.addIssue({ code: 'custom', path: ['tenant_concurrency'], message, input: q.tenant_concurrency });
        }
        if (q.admission === false && (q.tenant_concurrency !== undefined || q.tenant_max_queued !== undefined || q.concurrency === 1)) {
          const message = 'cannot be false with tenant_concurrency, tenant_max_queued or concurrency = 1: those need admission';
          ctx.addIssue({ code: 'custom', path: ['admission'], message, input: q.admission });
        }
      }),
    ),
    api: z
      .strictObject(apiFields, table)
      .superRefine((api, ctx) => {
        const jwt = api.auth === 'jwt';
        for (const key of ['jwt_issuer', 'jwt_audience', 'tenant_claim', 'operator_scope'] as const) {
          if (key === 'tenant_claim' || key === 'operator_scope') {
            if (!jwt && api[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is only used with auth = "jwt"', input: api[key] });
            continue;
          }
          const input = api[key];
          if (jwt && input === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when auth = "jwt"', input });
          if (!jwt && input !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is only used with auth = "jwt"', input });
        }
      })
      .superRefine((api, ctx) => {
        if (api.auth !== 'iam' && api.operator_arns !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['operator_arns'], message: 'is only used with auth = "iam"', input: api.operator_arns });
        }
      })
      .prefault({}),
    aws: z.strictObject(awsFields, table).prefault({}),
    notify: z.strictObject(notifyFields, table).prefault({}),
    observability: z.strictObject(observabilityFields, table).prefault({}),
    export: z.strictObject(exportFields, table).prefault({}),
  },
  table,
);

const KNOWN_KEYS: Record<string, string[]> = {
  '': Object.keys(configSchema.shape),
  app: Object.keys(appFields),
  db: Object.keys(dbFields),
  results: Object.keys(resultsFields),
  queues: Object.keys(queueFields),
  api: Object.keys(apiFields),
  aws: Object.keys(awsFields),
  'aws.vpc': Object.keys(vpcFields),
  notify: Object.keys(notifyFields),
  observability: Object.keys(observabilityFields),
  export: Object.keys(exportFields),
};

/**
 * Parses and validates config.toml text (dungbeetle's sections plus `[queues]`),
 * substituting `${ENV_VAR}` in DSNs from `env`. The result is deep-frozen.
 *
 * @throws ConfigError naming `source` and listing every problem as `key.path: what is wrong`.
 */
export function parseConfig(text: string, source: string, env: Env, options: ConfigOptions = {}): Config {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text);
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const reason = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    throw new ConfigError(source, [`line ${err.line}, column ${err.column}: invalid TOML: ${reason}`]);
  }

  const parsed = configSchema.safeParse(doc, { reportInput: true });
  const problems = parsed.success ? [] : withoutTypoEchoes(parsed.error.issues).flatMap(formatIssue);
  const connections = readConnections(doc, env, options, problems);
  const notify = parsed.success ? readNotifyConfig(parsed.data.notify, options.deploy === true, problems) : undefined;
  const exportConfig = parsed.success ? readExportConfig(parsed.data.export, problems) : undefined;
  // A loopback http issuer serves a local run's own tests; API Gateway's JWT authorizer takes https issuers only.
  if (parsed.success && options.deploy && parsed.data.api.jwt_issuer?.startsWith('http://')) {
    problems.push(`api.jwt_issuer: ${JSON.stringify(parsed.data.api.jwt_issuer)} is for a local run only; a deployment needs the https:// URL of the token issuer`);
  }
  if (parsed.success && Object.hasOwn(parsed.data.queues, NOTIFY_QUEUE)) {
    problems.push(`queues.${NOTIFY_QUEUE}: the name is taken by the completion events' own queue; pick another name`);
  }
  if (!parsed.success || problems.length > 0 || !notify) throw new ConfigError(source, problems);

  const { app, db, results, queues, api, aws, observability } = parsed.data;
  const dbConfig = (section: string, name: string, entry: z.output<typeof dbEntry>): DbConfig => {
    const { dsn, connection, unresolved } = connections.get(`${section}.${name}`)!;
    return {
      name,
      type: dbType(entry.type)!,
      dsn,
      connection,
      maxActive: entry.max_active,
      maxIdle: entry.max_idle,
      connectTimeoutMs: entry.connect_timeout,
      ...(unresolved.length > 0 ? { unresolvedSecrets: unresolved } : {}),
    };
  };
  const secretRefs = new Map<string, SecretRef>();
  for (const c of connections.values()) for (const r of c.refs) if (!secretRefs.has(r.ref)) secretRefs.set(r.ref, r);
  const queueEntries = Object.entries(queues);
  const config: Config = {
    app: {
      logLevel: app.log_level,
      defaultJobTtl: app.default_job_ttl,
      maxJobTtl: app.max_job_ttl,
      resendAfterMs: app.resend_after,
      ...(app.orphan_after === undefined ? {} : { orphanAfter: app.orphan_after }),
      ...(guardrailsOf(app) ? { guardrails: guardrailsOf(app) } : {}),
    },
    notify,
    ...(exportConfig ? { export: exportConfig } : {}),
    api: {
      auth: api.auth,
      ...(api.jwt_issuer === undefined ? {} : { jwtIssuer: api.jwt_issuer }),
      jwtAudience: typeof api.jwt_audience === 'string' ? [api.jwt_audience] : (api.jwt_audience ?? []),
      // Browsers send origins in lower case (scheme and host); compare them so.
      corsOrigins: [...new Set(api.cors_origins.map((origin) => origin.toLowerCase()))],
      reservedConcurrency: api.reserved_concurrency,
      throttleRate: api.throttle_rate,
      throttleBurst: api.throttle_burst,
      ...(api.tenant_claim === undefined ? {} : { tenantClaim: api.tenant_claim }),
      ...(api.operator_scope === undefined ? {} : { operatorScope: api.operator_scope }),
      ...(api.operator_arns === undefined ? {} : { operatorArns: api.operator_arns }),
    },
    aws: {
      ...(aws.vpc ? { vpc: { subnetIds: aws.vpc.subnet_ids, securityGroupIds: aws.vpc.security_group_ids } } : {}),
      ...(aws.alarm_topic_arn === undefined ? {} : { alarmTopicArn: aws.alarm_topic_arn }),
    },
    observability: observability.otlp_endpoint === undefined ? {} : { otlpEndpoint: observability.otlp_endpoint },
    secretRefs: [...secretRefs.values()],
    db: Object.fromEntries(Object.entries(db).map(([name, entry]) => [name, dbConfig('db', name, entry)])),
    results: Object.fromEntries(
      Object.entries(results).map(([name, entry]): [string, ResultsConfig] => [
        name,
        { ...dbConfig('results', name, entry), resultsTable: entry.results_table, unlogged: entry.unlogged },
      ]),
    ),
    queues:
      queueEntries.length === 0
        ? { [DEFAULT_QUEUE]: { name: DEFAULT_QUEUE, ...queueDefaults(), declaredBy: 'default' } }
        : Object.fromEntries(
            queueEntries.map(([name, q]): [string, QueueConfig] => [
              name,
              {
                name,
                concurrency: q.concurrency,
                timeout: q.timeout,
                ...(q.tenant_concurrency === undefined ? {} : { tenantConcurrency: q.tenant_concurrency }),
                ...(q.tenant_max_queued === undefined ? {} : { tenantMaxQueued: q.tenant_max_queued }),
                ...(q.admission === undefined ? {} : { admission: q.admission }),
                ...(q.orphan_after === undefined ? {} : { orphanAfter: q.orphan_after }),
                ...(guardrailsOf(q) ? { guardrails: guardrailsOf(q) } : {}),
                ...(asTable(asTable(doc.queues)[name]).concurrency === undefined ? {} : { concurrencyFrom: 'config' as const }),
              },
            ]),
          ),
    source,
  };
  return deepFreeze(config);
}

/**
 * Reads and parses the config file at `path` (see {@link parseConfig}).
 *
 * @throws ConfigError naming the path when the file is missing, unreadable or invalid.
 */
export function loadConfig(path: string, env: Env, options: ConfigOptions = {}): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? `file not found; create it from config.toml.sample or set SQL_JOBBER_CONFIG to its path`
        : `cannot read the file: ${(err as Error).message}`;
    throw new ConfigError(path, [problem]);
  }
  return parseConfig(text, path, env, options);
}

/** What a `[queues.NAME]` section without keys gets: concurrency 5, timeout 300 s. */
export function queueDefaults(): Pick<QueueConfig, 'concurrency' | 'timeout'> {
  const q = z.strictObject(queueFields).parse({});
  return { concurrency: q.concurrency, timeout: q.timeout };
}

/** A placeholder for an unresolved secret: plain letters, so the rest of a URL or key=value dsn still parses. */
const placeholder = (i: number) => `sqljobbersecret${i}x`;
const NO_CONNECTION: Connection = Object.freeze({ host: '', port: 0, user: '', password: '', database: '', params: Object.freeze({}) });
const PASSWORD_PROBLEM =
  'holds a password, which would ship in the functions\' code package; store the password (or the whole dsn) in SSM Parameter Store ' +
  'or Secrets Manager and write it as ${ssm:/name} or ${secretsmanager:name} (docs/deploy.md)';

/**
 * Substitutes `${ENV}` and resolved secret references in every dsn and parses it;
 * problems never quote the DSN, which may hold a password.
 */
function readConnections(doc: Record<string, unknown>, env: Env, options: ConfigOptions, problems: string[]) {
  const connections = new Map<string, { dsn: string; connection: Connection; refs: SecretRef[]; unresolved: string[] }>();
  for (const section of ['db', 'results']) {
    for (const [name, entry] of Object.entries(asTable(doc[section]))) {
      const { type, dsn: written } = asTable(entry);
      if (typeof written !== 'string') continue;
      const path = `${section}.${name}.dsn`;
      const before = problems.length;
      const refs: SecretRef[] = [];
      const unresolved: string[] = [];
      const dsn = written.replace(/\$\{([^}]*)\}/g, (_, variable: string) => {
        if (SECRET_SOURCE.test(variable)) {
          try {
            refs.push(parseSecretRef(variable));
          } catch (err) {
            problems.push(`${path}: ${(err as Error).message}`);
            return '';
          }
          const value = options.secrets && Object.hasOwn(options.secrets, variable) ? options.secrets[variable] : undefined;
          if (value !== undefined) return value;
          unresolved.push(variable);
          return placeholder(unresolved.length - 1);
        }
        if (options.deploy) {
          problems.push(
            `${path}: \${${variable}} comes from the environment, which the deployed functions do not have; ` +
              'write secrets as ${ssm:/name} or ${secretsmanager:name} (docs/deploy.md)',
          );
          return '';
        }
        const value = Object.hasOwn(env, variable) ? env[variable] : undefined;
        if (value === undefined) problems.push(`${path}: environment variable ${variable} is not set`);
        return value ?? '';
      });
      const kind = dbType(type);
      if (problems.length > before || kind === undefined) continue;
      if (unresolved.length > 0) {
        // Resolved at cold start by the functions that use databases; here only what can be checked without the secret.
        let connection = NO_CONNECTION;
        try {
          connection = parseDsn(kind, dsn);
        } catch {
          // A dsn that is all (or mostly) secret only parses once resolved.
        }
        if (options.deploy && connection.password !== '' && !connection.password.includes('sqljobbersecret')) {
          problems.push(`${path}: ${PASSWORD_PROBLEM}`);
        }
        connections.set(`${section}.${name}`, { dsn: written, connection: NO_CONNECTION, refs, unresolved });
        continue;
      }
      try {
        const connection = parseDsn(kind, dsn);
        if (options.deploy && refs.length === 0 && connection.password !== '') problems.push(`${path}: ${PASSWORD_PROBLEM}`);
        connections.set(`${section}.${name}`, { dsn, connection, refs, unresolved });
      } catch (err) {
        problems.push(`${path}: ${(err as Error).message}`);
      }
    }
  }
  return connections;
}

function dbType(type: unknown): DbType | undefined {
  return dbTypeNamed(type);
}

function resultsTableProblem(pattern: string): string | undefined {
  const rest = pattern.replace('%s', '');
  if (pattern.split('%s').length !== 2) return 'expected exactly one "%s" (it is replaced by the job ID)';
  if (!/^[A-Za-z0-9_]*$/.test(rest)) return 'expected only letters, digits and _ around "%s"';
  if (rest.length > 40) return 'expected at most 40 characters besides "%s" (table names are limited to 63)';
  return undefined;
}

/**
 * A misspelt key gives "unknown key" and, when the key it meant is required, also
 * "is required" for that key: one mistake, one problem. A missing key in a table that
 * has an unknown key next to it is taken for that typo; the unknown key is reported.
 */
function withoutTypoEchoes(issues: z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const withUnknown = new Set(issues.filter((i) => i.code === 'unrecognized_keys').map((i) => i.path.map(String).join('.')));
  return issues.filter((issue) => {
    if (issue.input !== undefined || !issue.message.startsWith('is required')) return true;
    return !withUnknown.has(issue.path.slice(0, -1).map(String).join('.'));
  });
}

function formatIssue(issue: z.core.$ZodIssue): string[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const known = KNOWN_KEYS[path.join('.')] ?? KNOWN_KEYS[path[0] ?? ''];
    return issue.keys.map((key) => `${[...path, key].join('.')}: unknown key${known ? ` (expected one of: ${known.join(', ')})` : ''}`);
  }
  if (issue.code === 'invalid_key') return [`${path.join('.')}: ${issue.issues[0]?.message ?? issue.message}`];
  const got = issue.input === undefined ? '' : ` (got ${describe(issue.input)})`;
  return [`${path.join('.') || 'config'}: ${issue.message}${got}`];
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return `a date`;
  if (typeof value === 'object' && value !== null) return 'a table';
  return String(value);
}

function asTable(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
