import type { Config } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { httpApiSettings, routeAuthorizer } from './apiAuth.js';
import { apiThrottling, reservedConcurrency } from './apiCapacity.js';
import { httpApiCors } from './apiCors.js';
import { dlqAlarms } from './dlqAlarms.js';
import { jobAlarms } from './jobAlarms.js';
import { jobDashboard } from './jobDashboard.js';
import { FUNCTION_ACCESS, WORKER_ACCESS, type FunctionAccess } from './functionAccess.js';
import { functionRole, roleStatements } from './functionRole.js';
import { NOTIFY_FUNCTION, NOTIFY_QUEUE_ID } from './notifyResources.js';
import { PUBLIC_FUNCTIONS, functions, logicalId, resources, workerFunctionName } from './serviceDefinition.js';
import { physicalQueueName, type ServiceNames } from './serviceNames.js';

/** The parts of a serverless.yml function this module reads or sets. */
interface LambdaFunction {
  handler: string;
  name?: string;
  environment?: Record<string, string>;
  events?: Record<string, unknown>[];
  role?: string;
  reservedConcurrency?: number;
  vpc?: { subnetIds: string[]; securityGroupIds: string[] };
  /** What the function's code package holds besides its bundle (the console's files). */
  package?: { patterns: string[] };
}

/** AWS limits on generated names. */
const MAX_FUNCTION_NAME = 64;
const MAX_QUEUE_NAME = 80;

/** The environment flag that makes a function read the dsns' secrets at cold start (lib/settings.ts). */
export const RESOLVE_SECRETS_ENV = 'SQL_JOBBER_RESOLVE_SECRETS';

/** Logical ID of a function's own IAM role. */
export const roleLogicalId = (functionKey: string) => logicalId('Role', functionKey);

/**
 * Everything serverless.yml takes from config.toml, ready to deploy: the functions
 * of `functions()` each with its own least-privilege role (and, for those that use
 * databases, the VPC and the secret-reading flag), every HTTP route behind the
 * configured authorizer, and the resources of `resources()` plus the roles and a
 * dead-letter alarm per queue; each function's reserved concurrency, the HTTP API's
 * throttling (`extensions`) and CORS (lib/deploy/apiCapacity.ts, apiCors.ts).
 * `local`: for serverless offline (CORS set even with no origins listed).
 *
 * @throws ConfigError when a function has no entry in FUNCTION_ACCESS (its role
 *   would be unknown) or a generated name exceeds an AWS limit.
 */
export function deployService(config: Config, names: ServiceNames, opts: { local?: boolean } = {}) {
  const fns = functions(config) as Record<string, LambdaFunction>;
  const res = resources(config, names);
  const problems: string[] = [];
  const queueIds = Object.values(config.queues).map((q) => logicalId('Queue', q.name));
  const workerQueue = new Map(Object.values(config.queues).map((q) => [workerFunctionName(q.name), q.name]));
  const authorizer = routeAuthorizer(config.api);

  for (const q of Object.values(config.queues)) {
    const dlq = `${physicalQueueName(names, q.name)}-dlq`;
    if (dlq.length > MAX_QUEUE_NAME) {
      problems.push(`queues.${q.name}: the dead-letter queue name "${dlq}" has ${dlq.length} characters (SQS allows ${MAX_QUEUE_NAME}); use a shorter queue name or stage`);
    }
  }
  for (const [key, fn] of Object.entries(fns)) {
    const queue = workerQueue.get(key);
    const access: FunctionAccess | undefined = queue === undefined ? FUNCTION_ACCESS[key] : WORKER_ACCESS;
    const functionName = fn.name ?? `${names.service}-${names.stage}-${key}`;
    if (!access) {
      problems.push(`function ${key}: no entry in FUNCTION_ACCESS (lib/deploy/functionAccess.ts), so its IAM role is unknown; list what its code calls there`);
      continue;
    }
    if (functionName.length > MAX_FUNCTION_NAME) {
      const where = queue === undefined ? `function ${key}` : `queues.${queue}`;
      problems.push(`${where}: the function name "${functionName}" has ${functionName.length} characters (Lambda allows ${MAX_FUNCTION_NAME}); use a shorter name or stage`);
    }
    const statements = roleStatements(access, {
      functionName,
      table: 'JobsTable',
      queues: queueIds,
      deadLetterQueues: Object.values(config.queues).map((q) => logicalId('DeadLetter', q.name)),
      ...(queue === undefined ? (key === NOTIFY_FUNCTION ? { ownQueue: NOTIFY_QUEUE_ID } : {}) : { ownQueue: logicalId('Queue', queue) }),
    }, config);
    res[roleLogicalId(key)] = functionRole(statements, `${names.service}-${names.stage}-${key}`.slice(0, 128));
    fn.role = roleLogicalId(key);
    if (access.databases) {
      fn.environment = { ...fn.environment, [RESOLVE_SECRETS_ENV]: 'true' };
      if (config.aws.vpc) fn.vpc = { subnetIds: [...config.aws.vpc.subnetIds], securityGroupIds: [...config.aws.vpc.securityGroupIds] };
    }
    const kind = concurrencyKind(key, fn);
    if (!kind) problems.push(`function ${key}: no rule for its reserved concurrency; add one to concurrencyKind (lib/deploy/deployService.ts)`);
    const reserved = kind && reservedConcurrency(config.api, kind);
    if (reserved !== undefined) fn.reservedConcurrency = reserved;
    for (const event of fn.events ?? []) {
      if (event.httpApi === undefined || !authorizer || PUBLIC_FUNCTIONS.has(key)) continue;
      // The short form "GET /path" has no room for an authorizer: write it out.
      const [method, path] = typeof event.httpApi === 'string' ? event.httpApi.split(/\s+/) : [];
      const route = typeof event.httpApi === 'string' ? { method, path } : (event.httpApi as Record<string, unknown>);
      event.httpApi = { ...route, authorizer };
    }
  }
  if (problems.length > 0) throw new ConfigError(config.source, problems);
  const cors = httpApiCors(config.api, opts.local === true);
  return {
    functions: fns,
    resources: { ...res, ...dlqAlarms(config, names), ...jobAlarms(config, names), ...jobDashboard(config, names) },
    extensions: apiThrottling(config.api),
    httpApi: { ...httpApiSettings(config.api), ...(cors ? { cors } : {}) },
  };
}

/** What a function's reservation follows, from its events: HTTP routes, an SQS source's pollers, or the sweeper's schedule. */
function concurrencyKind(key: string, fn: LambdaFunction): Parameters<typeof reservedConcurrency>[1] | undefined {
  for (const event of fn.events ?? []) {
    const sqs = event.sqs as { maximumConcurrency?: number } | undefined;
    if (sqs?.maximumConcurrency !== undefined) return { pollers: sqs.maximumConcurrency };
  }
  if (fn.events?.some((event) => event.httpApi !== undefined)) return { http: true };
  return key === 'sweeper' || key === 'scheduler' ? { sweeper: true } : undefined;
}

/**
 * The deployment note on reserved concurrency: how much the functions reserve, and
 * the account limit that needs (AWS keeps 100 unreserved); none when nothing is reserved.
 */
export function capacityNotes(config: Config, names: ServiceNames): string[] {
  const fns = Object.values(deployService(config, names).functions as Record<string, LambdaFunction>);
  const reserved = fns.reduce((sum, fn) => sum + (fn.reservedConcurrency ?? 0), 0);
  if (reserved === 0) return [];
  return [
    `the functions reserve ${reserved} of the account's Lambda concurrency ([api] reserved_concurrency = ${config.api.reservedConcurrency} for each HTTP function, ` +
      `plus what the workers, the sweeper and notify need); AWS keeps 100 unreserved, so the account's limit must be at least ${reserved + 100}. ` +
      'Lower it, or set it to 0 to reserve nothing (docs/security.md, Capacity).',
  ];
}

/**
 * Deployment notes worth printing, not errors: what AWS changes about the config.
 * None today: a queue of concurrency 1 runs 2 pollers but admits one job at a time
 * (lib/lifecycle/admitJobs.ts).
 */
export function deployNotes(_config: Config): string[] {
  return [];
}
