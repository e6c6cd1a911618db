import type { Config, QueueConfig } from '../config/types.js';
import { TTL_ATTRIBUTE, jobTableDefinition } from '../jobs/jobTable.js';
import { notifyFunctions, notifyResources } from './notifyResources.js';
import { exportResources } from './exportResources.js';
import { physicalQueueName, tableName, type ServiceNames } from './serviceNames.js';

/**
 * The parts of serverless.yml that depend on config.toml: one SQS queue, one
 * dead-letter queue and one worker function per configured queue, plus the
 * DynamoDB table. serverless.yml pulls these in through serverless/service.cjs.
 */

/** SQS visibility timeout must be at least 6x the function timeout (AWS guidance). */
export const VISIBILITY_FACTOR = 6;
/** Receives before a message is moved to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/** A CloudFormation logical ID for a queue (letters and digits only, unique per name). */
export function logicalId(prefix: string, name: string): string {
  const clean = name.replace(/[^A-Za-z0-9]/g, '');
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `${prefix}${clean}${hash.toString(36)}`;
}

export const workerFunctionName = (queue: string) => `worker-${queue}`;

/** The function serving the operator console (GET /ui, /ui/...). */
export const CONSOLE_FUNCTION = 'console';
/** Where Vite builds the console (relative to the service directory). */
export const CONSOLE_BUNDLE_DIR = 'console/dist';
/**
 * Functions whose routes have no authorizer: the console's static files hold no
 * data; the console sends the bearer token with each API call it makes.
 */
export const PUBLIC_FUNCTIONS: ReadonlySet<string> = new Set([CONSOLE_FUNCTION]);

/**
 * The pollers of a queue's event source (`maximumConcurrency`): AWS takes 2 at
 * least. A queue of concurrency 1 has admission (lib/config/types.ts, admissionOn),
 * which keeps it at 1 however many pollers run; the local bridge runs as many.
 */
export const eventSourcePollers = (q: Pick<QueueConfig, 'concurrency'>) => Math.max(2, q.concurrency);

/**
 * The workers' startup wrapper (relative to the service directory): it holds V8's young
 * generation at 32 MB whatever the function's memory gives (serverless/workerExecWrapper.sh).
 */
export const WORKER_EXEC_WRAPPER = 'serverless/workerExecWrapper.sh';

function workerFunction(q: QueueConfig) {
  return {
    handler: 'handlers/worker.handler',
    timeout: q.timeout,
    memorySize: 1024,
    // The code package is unpacked under /var/task; the local stack has no wrapper and ignores the variable.
    environment: { SQL_JOBBER_WORKER_QUEUE: q.name, AWS_LAMBDA_EXEC_WRAPPER: `/var/task/${WORKER_EXEC_WRAPPER}` },
    package: { patterns: [WORKER_EXEC_WRAPPER] },
    events: [
      {
        sqs: {
          arn: { 'Fn::GetAtt': [logicalId('Queue', q.name), 'Arn'] },
          batchSize: 1,
          maximumConcurrency: eventSourcePollers(q),
          functionResponseType: 'ReportBatchItemFailures',
        },
      },
    ],
  };
}

/** serverless.yml `functions`: the HTTP API routes and a worker per queue. */
export function functions(config: Config) {
  const http = (method: string, path: string, handler: string) => ({
    handler: `handlers/http/${handler}.handler`,
    timeout: 29,
    memorySize: 512,
    events: [{ httpApi: { method, path } }],
  });
  const out: Record<string, unknown> = {
    getTasks: http('GET', '/tasks', 'getTasks'),
    submitJob: http('POST', '/tasks/{taskName}/jobs', 'submitJob'),
    dryRun: http('POST', '/tasks/{taskName}/dry-run', 'dryRun'),
    getJob: http('GET', '/jobs/{jobID}', 'getJob'),
    getQueueJobs: http('GET', '/jobs/queue/{queue}', 'getQueueJobs'),
    getQueues: http('GET', '/queues', 'getQueues'),
    getQueueStats: http('GET', '/queues/stats', 'getQueueStats'),
    listJobs: http('GET', '/jobs', 'listJobs'),
    getOpenApi: http('GET', '/openapi.json', 'getOpenApi'),
    cancelJob: http('DELETE', '/jobs/{jobID}', 'cancelJob'),
    getResults: http('GET', '/jobs/{jobID}/results', 'getResults'),
    getExport: http('GET', '/jobs/{jobID}/export', 'getExport'),
    submitGroup: http('POST', '/groups', 'submitGroup'),
    getGroup: http('GET', '/groups/{groupID}', 'getGroup'),
    cancelGroup: http('DELETE', '/groups/{groupID}', 'cancelGroup'),
    submitSchedule: http('POST', '/schedules', 'submitSchedule'),
    listSchedules: http('GET', '/schedules', 'listSchedules'),
    getSchedule: http('GET', '/schedules/{scheduleID}', 'getSchedule'),
    deleteSchedule: http('DELETE', '/schedules/{scheduleID}', 'deleteSchedule'),
    pauseSchedule: http('POST', '/schedules/{scheduleID}/pause', 'pauseSchedule'),
    resumeSchedule: http('POST', '/schedules/{scheduleID}/resume', 'resumeSchedule'),
    // API Gateway's $default route: what no route above takes answers the error envelope with a code.
    routeNotFound: { handler: 'handlers/http/routeNotFound.handler', timeout: 10, memorySize: 256, events: [{ httpApi: { method: '*', path: '*' } }] },
    sweeper: { handler: 'handlers/sweeper.handler', timeout: 120, events: [{ schedule: 'rate(1 minute)' }] },
    // Makes the jobs of the schedules' due ticks (lib/lifecycle/evaluateSchedules.ts); minute resolution.
    scheduler: { handler: 'handlers/scheduler.handler', timeout: 55, events: [{ schedule: 'rate(1 minute)' }] },
    // The console's static files: the built bundle goes into this function's package only.
    [CONSOLE_FUNCTION]: {
      handler: 'handlers/http/getConsole.handler',
      timeout: 10,
      memorySize: 256,
      events: [{ httpApi: { method: 'GET', path: '/ui' } }, { httpApi: { method: 'GET', path: '/ui/{proxy+}' } }],
      package: { patterns: [`${CONSOLE_BUNDLE_DIR}/**`] },
    },
  };
  for (const q of Object.values(config.queues)) out[workerFunctionName(q.name)] = workerFunction(q);
  Object.assign(out, notifyFunctions(config));
  return out;
}

/** serverless.yml `resources.Resources`: queues, dead-letter queues and the table. */
export function resources(config: Config, names: ServiceNames) {
  const out: Record<string, unknown> = {};
  for (const q of Object.values(config.queues)) {
    const dlq = logicalId('DeadLetter', q.name);
    out[dlq] = {
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: `${physicalQueueName(names, q.name)}-dlq`, MessageRetentionPeriod: 1_209_600 },
    };
    out[logicalId('Queue', q.name)] = {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: physicalQueueName(names, q.name),
        VisibilityTimeout: q.timeout * VISIBILITY_FACTOR,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: MAX_RECEIVE_COUNT },
      },
    };
  }
  const table = jobTableDefinition(tableName(names));
  out.JobsTable = {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      ...table,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    },
  };
  Object.assign(out, notifyResources(config, names));
  Object.assign(out, exportResources(config));
  return out;
}

/** Queue definitions for the local stack (same names and attributes as in AWS). */
export function localQueues(config: Config, names: ServiceNames) {
  return Object.values(config.queues).map((q) => ({
    queue: q.name,
    name: physicalQueueName(names, q.name),
    concurrency: q.concurrency,
    attributes: { VisibilityTimeout: String(q.timeout * VISIBILITY_FACTOR) },
  }));
}
