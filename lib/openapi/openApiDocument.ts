import { TENANT_PATTERN } from '../identity/identifyCaller.js';
import * as z from 'zod';
import type { ApiAuthConfig } from '../config/types.js';
import { ERROR_CODES, WIRE_ERROR_CODES } from '../errorCodes.js';
import { groupBody } from '../groups/parseGroupRequest.js';
import { recentJobsQuery } from '../jobs/recentJobsQuery.js';
import { queueStatsQuery } from '../queues/queueStatsQuery.js';
import { JOB_ID_CHARS, MAX_JOB_ID_LENGTH, RESERVED_JOB_IDS } from '../jobs/jobId.js';
import { jobBody, taskJobBody } from '../jobs/parseJobRequest.js';
import { scheduleBody } from '../schedules/parseScheduleRequest.js';
import { MAX_SCHEDULE_ID_LENGTH, SCHEDULE_ID_PATTERN } from '../schedules/scheduleId.js';
import type { TypedTask } from '../tasks/params/taskArgsSchema.js';

/** A task as the document needs it: those with declared parameters get a path of their own. */
type MaybeTypedTask = Omit<TypedTask, 'params'> & { params?: TypedTask['params'] };
// Copied, not imported: importing lib/results/readJobResults.ts would bundle its store calls (test/unit/openApiDocument.test.ts keeps them equal).
export const RESULTS_DEFAULT_LIMIT = 1000;
export const RESULTS_MAX_LIMIT = 10_000;
import * as answers from './responseSchemas.js';

/** One HTTP route as the document describes it. */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path as serverless.yml writes it (`{proxy+}` for a greedy parameter). */
  path: string;
  operationId: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The `data` of a success answer; a string is a non-JSON media type. */
  answer: z.ZodType | 'text/html';
  /** Error statuses the route answers besides 400, 403 and 500. */
  errors?: number[];
  /** Served without the API's authorizer (the console's static files). */
  public?: boolean;
  /** The answer is `answer` itself, not wrapped in the success envelope. */
  bare?: boolean;
}

const purgeQuery = z.object({
  purge: z.enum(['true', 'false']).optional().describe('true: delete a finished job (or group) and its results instead of cancelling'),
});

/** The longest long-poll of GET /jobs/{jobID} and GET /groups/{groupID}, seconds. */
export const MAX_WAIT_SECONDS = 20;

/** `?wait=N`: answer as soon as the job (group) is final, or after N seconds. */
const waitQuery = z.object({
  wait: z
    .string()
    .regex(/^\d{1,2}$/)
    .optional()
    .describe(`long-poll: answer as soon as it is final, or after this many seconds (1..${MAX_WAIT_SECONDS})`),
});

/** GET /jobs/{jobID}/results's query string (validated in lib/results/readJobResults.ts). */
const resultsQuery = z.object({
  limit: z.string().regex(/^[0-9]{1,6}$/).optional().describe(`rows per page, 1..${RESULTS_MAX_LIMIT} (default ${RESULTS_DEFAULT_LIMIT})`),
  cursor: z.string().optional().describe('the next_cursor of the previous page, unchanged'),
  format: z.enum(['json', 'csv']).optional().describe('csv: RFC 4180 with a header record (also with Accept: text/csv)'),
  select: z
    .string()
    .optional()
    .describe('columns and aggregates to answer, comma-separated: `order_id,total`, `alias:total`, `status,total.sum(),total.avg(),count()` (aggregates group by the plain columns); sum avg min max count. Default: every column'),
  order: z
    .string()
    .optional()
    .describe('`col[.asc|.desc][.nullsfirst|.nullslast]`, comma-separated; ties in `_row` order. NULL sorts as the smallest value unless told. Not on JSON, bytes or array columns'),
  run: z.string().optional().describe("the run_id of the job's status: another run answers 409 run_changed"),
  filters: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      'any other parameter filters a column: `col=[not.]op.value` with op eq neq gt gte lt lte like ilike (`*` is `%`) in (`in.(a,b,"c,d")`) is (`is.null`, `is.true`); several are ANDed, at most 20. A JSON column by a path: `doc->>kind=eq.x`. A column named like a reserved word, or with `. , : ( ) "` or `->`, in double quotes: `"order"=eq.1`',
    ),
});

/** GET /jobs/queue/{queue}'s query string. */
const queueJobsQuery = z.object({
  tenant: z.string().optional().describe("operators only: only this tenant's waiting jobs"),
});

/**
 * Every HTTP route of the service. test/openapi/openApiDocument.test.ts holds this
 * list to the routes serverless.yml defines (lib/deploy/serviceDefinition.ts).
 */
export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'GET', path: '/tasks', operationId: 'getTasks', summary: 'The registered tasks (their SQL for operators only)', answer: z.array(answers.taskSummary) },
  {
    method: 'POST', path: '/tasks/{taskName}/jobs', operationId: 'submitJob', summary: 'Schedule a job of a task',
    body: jobBody, answer: answers.submittedJob, errors: [404, 409, 429],
  },
  {
    method: 'POST', path: '/tasks/{taskName}/dry-run', operationId: 'dryRun',
    summary: "A job request's result columns and the planner's estimate, without running it (no job, no message)",
    body: jobBody, answer: answers.dryRun, errors: [404, 422],
  },
  { method: 'GET', path: '/jobs', operationId: 'listJobs', summary: 'Recent jobs, newest first, keyset-paged', query: recentJobsQuery, answer: answers.recentJobsPage },
  { method: 'GET', path: '/jobs/{jobID}', operationId: 'getJob', summary: "A job's status", query: waitQuery, answer: answers.jobStatus, errors: [404] },
  {
    method: 'DELETE', path: '/jobs/{jobID}', operationId: 'cancelJob', summary: 'Cancel a job, or purge a finished one and its results',
    query: purgeQuery, answer: answers.cancelledJob, errors: [404, 409],
  },
  {
    method: 'GET', path: '/jobs/{jobID}/results', operationId: 'getResults', summary: "A page of a SUCCESS job's result rows (JSON or CSV)",
    query: resultsQuery, answer: answers.resultsPage, errors: [404, 409, 410, 413, 422],
  },
  {
    method: 'GET', path: '/jobs/{jobID}/export', operationId: 'getExport', summary: "Presigned URLs of a SUCCESS job's export to S3: its manifest and parts",
    answer: answers.exportLinks, errors: [404, 409, 410],
  },
  { method: 'GET', path: '/jobs/queue/{queue}', operationId: 'getQueueJobs', summary: 'Waiting jobs of a queue, oldest first', query: queueJobsQuery, answer: z.array(answers.pendingJob), errors: [404] },
  { method: 'GET', path: '/queues', operationId: 'getQueues', summary: 'Each queue: concurrency, timeout, live counts (operators only)', answer: z.array(answers.queueSummary) },
  {
    method: 'GET', path: '/queues/stats', operationId: 'getQueueStats',
    summary: "Each queue's throughput, run time and queue wait (p50, p95), waiting and running counts and failure rate over the last hour or day, from the job records (operators only)",
    query: queueStatsQuery, answer: answers.queueStats,
  },
  { method: 'POST', path: '/groups', operationId: 'submitGroup', summary: 'Schedule a group of jobs, at most `concurrency` running at once', body: groupBody, answer: answers.submittedGroup, errors: [404, 409, 429] },
  { method: 'GET', path: '/groups/{groupID}', operationId: 'getGroup', summary: "A group's status and its members", query: waitQuery, answer: answers.groupStatus, errors: [404] },
  {
    method: 'DELETE', path: '/groups/{groupID}', operationId: 'cancelGroup', summary: 'Cancel a group, or purge a finished one and its results',
    query: purgeQuery, answer: answers.cancelledGroup, errors: [404, 409],
  },
  {
    method: 'POST', path: '/schedules', operationId: 'submitSchedule', summary: 'Record a schedule: a job of a task at each tick of a cron pattern, in a timezone',
    body: scheduleBody, answer: answers.scheduleStatus, errors: [409],
  },
  { method: 'GET', path: '/schedules', operationId: 'listSchedules', summary: "The tenant's schedules (an operator's: every tenant's), by next run", answer: z.array(answers.scheduleStatus) },
  { method: 'GET', path: '/schedules/{scheduleID}', operationId: 'getSchedule', summary: 'A schedule, its next run and its last run', answer: answers.scheduleStatus, errors: [404] },
  { method: 'DELETE', path: '/schedules/{scheduleID}', operationId: 'deleteSchedule', summary: 'Delete a schedule (the jobs it made stay)', answer: answers.deletedSchedule, errors: [404] },
  { method: 'POST', path: '/schedules/{scheduleID}/pause', operationId: 'pauseSchedule', summary: 'Pause a schedule: no tick makes a job until it is resumed', answer: answers.scheduleStatus, errors: [404] },
  {
    method: 'POST', path: '/schedules/{scheduleID}/resume', operationId: 'resumeSchedule', summary: 'Resume a schedule from its next tick (the paused ones are not caught up)',
    answer: answers.scheduleStatus, errors: [404],
  },
  { method: 'GET', path: '/openapi.json', operationId: 'getOpenApi', summary: 'This document', answer: z.record(z.string(), z.unknown()), bare: true },
  { method: 'GET', path: '/ui', operationId: 'getConsole', summary: 'The operator console', answer: 'text/html', public: true },
  { method: 'GET', path: '/ui/{proxy+}', operationId: 'getConsoleFile', summary: "The operator console's pages and files", answer: 'text/html', public: true },
];

const STATUS_TEXT: Record<number, string> = {
  400: 'bad input: the message names the field',
  401: 'no valid token',
  403: 'the caller may not do this, or a browser request from a web origin the API does not allow',
  404: 'unknown task, job, group, schedule or queue',
  409: "the request does not fit the current state of the job, group or schedule",
  410: 'the results table (or the export) is gone',
  413: 'a single row is too large for any answer',
  422: 'a filtered, sorted or aggregated read took longer than the API waits, or a dry run the source database could not describe or plan',
  429: "the tenant already has the queue's tenant_max_queued jobs waiting; nothing was recorded; the Retry-After header says when to submit again",
  500: 'our own fault; see the function logs',
};

/** An error status's description, with the codes its answers can carry. */
const statusText = (status: number) =>
  `${STATUS_TEXT[status]} (code: ${WIRE_ERROR_CODES.filter((c) => ERROR_CODES[c].status === status).join(', ')})`;

/**
 * A job ID as the path takes it: what JOB_ID_PATTERN allows, less the reserved
 * IDs, so that `/jobs/{jobID}/results` and `/jobs/queue/{queue}` never name the
 * same path (lib/jobs/jobId.ts).
 */
const JOB_ID_PARAMETER = {
  type: 'string',
  pattern: `^(?!(?:${RESERVED_JOB_IDS.join('|')})$)[${JOB_ID_CHARS}]{1,${MAX_JOB_ID_LENGTH}}$`,
  description: `letters, digits, "_", "-" and ":"; at most ${MAX_JOB_ID_LENGTH} characters; not ${RESERVED_JOB_IDS.map((id) => `"${id}"`).join(' or ')}, which GET /jobs/queue/{queue} holds`,
};

const SCHEDULE_ID_PARAMETER = {
  type: 'string',
  pattern: `^${SCHEDULE_ID_PATTERN.source.slice(1, -2)}{1,${MAX_SCHEDULE_ID_LENGTH}}$`,
  description: `letters, digits, "_" and "-"; at most ${MAX_SCHEDULE_ID_LENGTH} characters`,
};

/** The schema of a path parameter. */
const pathParameter = (name: string) => (name === 'jobID' ? JOB_ID_PARAMETER : name === 'scheduleID' ? SCHEDULE_ID_PARAMETER : { type: 'string' });

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect): what a client sends, or what it gets back. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** `/ui/{proxy+}` (API Gateway's greedy parameter) as an OpenAPI path: `/ui/{proxy}`. */
export const openApiPath = (path: string) => path.replace(/\{(\w+)\+\}/g, '{$1}');

function securitySchemes(api: ApiAuthConfig) {
  if (api.auth === 'jwt') {
    return { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: `a JWT from ${api.jwtIssuer ?? 'the configured issuer'}` } };
  }
  if (api.auth === 'iam') {
    return { sigv4: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'AWS Signature Version 4 (service execute-api), from a principal allowed execute-api:Invoke' } };
  }
  return {};
}

/** A task's name as a component name (`^[A-Za-z0-9._-]+$`); `:` is the one character a task name may have that a component's may not. */
export const taskSchemaName = (task: string) => `SubmitJobBody_${task.replace(/:/g, '_')}`;

/**
 * The path of each task with declared parameters: POST /tasks/NAME/jobs with the
 * task's own body (its `args` by name or in order, lib/tasks/params). A concrete
 * path wins over the templated /tasks/{taskName}/jobs, which stays for every task.
 */
function taskPaths(tasks: Iterable<MaybeTypedTask>, schemas: Record<string, unknown>, submit: Record<string, unknown>) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const task of tasks) {
    if (!task.params) continue;
    const typed = task as TypedTask;
    const name = taskSchemaName(task.name);
    schemas[name] = jsonSchema(taskJobBody(typed), 'input');
    const { parameters: _, ...rest } = submit as { parameters?: unknown };
    paths[`/tasks/${task.name}/jobs`] = {
      post: {
        ...rest,
        operationId: `submitJob_${task.name.replace(/[^A-Za-z0-9_]/g, '_')}`,
        summary: `Schedule a job of task ${task.name}`,
        requestBody: { required: typed.params.some((p) => p.required), content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } },
      },
    };
  }
  return paths;
}

/**
 * The OpenAPI 3.1 document of every route (API_ROUTES), generated from the zod
 * schemas that validate the requests (lib/jobs/parseJobRequest.ts,
 * lib/groups/parseGroupRequest.ts, lib/jobs/listRecentJobs.ts) and from those of
 * the answers (./responseSchemas.ts). `api` sets the security scheme. Each of
 * `tasks` that declares parameters gets its own path and job body.
 */
export function openApiDocument(api: ApiAuthConfig, version = '0.1.0', tasks: Iterable<MaybeTypedTask> = []) {
  const schemes = securitySchemes(api);
  const security = Object.keys(schemes).map((name) => ({ [name]: [] }));
  const schemas: Record<string, unknown> = { Error: jsonSchema(answers.errorEnvelope, 'output') };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    const path = openApiPath(route.path);
    const parameters: unknown[] = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => {
      const { description, ...schema } = pathParameter(name!) as { description?: string };
      return { name, in: 'path', required: true, schema, ...(description ? { description } : {}) };
    });
    for (const [name, field] of Object.entries(route.query?.shape ?? {})) {
      const schema = jsonSchema(field as z.ZodType, 'input');
      const { description, ...rest } = schema;
      // A map stands for parameters of any name (the results' filters): form style, exploded, as the query string carries them.
      const free = (rest as { type?: string }).type === 'object' ? { style: 'form', explode: true } : {};
      parameters.push({ name, in: 'query', required: !(field as z.ZodType).safeParse(undefined).success, schema: rest, ...free, ...(description ? { description } : {}) });
    }
    const responses: Record<string, unknown> = {};
    if (route.answer === 'text/html') {
      responses['200'] = { description: 'the page or file', content: { 'text/html': { schema: { type: 'string' } } } };
    } else {
      const name = `${route.operationId[0]!.toUpperCase()}${route.operationId.slice(1)}Answer`;
      schemas[name] = jsonSchema(route.bare ? route.answer : answers.success(route.answer), 'output');
      const content: Record<string, unknown> = { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } };
      if (route.operationId === 'getResults') content['text/csv'] = { schema: { type: 'string' } };
      responses['200'] = { description: route.summary, content };
      const auth = route.operationId === 'getOpenApi' ? [] : [401];
      for (const status of [400, ...auth, 403, ...(route.errors ?? []), 500]) {
        responses[String(status)] = {
          description: statusText(status),
          ...(status === 429 ? { headers: { 'Retry-After': { description: 'seconds to wait before submitting again', schema: { type: 'integer' } } } } : {}),
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      }
    }
    if (!route.public && route.operationId !== 'getOpenApi') {
      parameters.push({
        name: 'X-Tenant-Id',
        in: 'header',
        required: false,
        schema: { type: 'string', pattern: TENANT_PATTERN.source },
        description: 'the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim)',
      });
    }
    let requestBody: unknown;
    if (route.body) {
      const name = `${route.operationId[0]!.toUpperCase()}${route.operationId.slice(1)}Body`;
      schemas[name] = jsonSchema(route.body, 'input');
      requestBody = { required: false, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } };
    }
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
      ...(route.public ? { security: [] } : {}),
    };
  }
  Object.assign(paths, taskPaths(tasks, schemas, paths['/tasks/{taskName}/jobs']!.post as Record<string, unknown>));
  return {
    openapi: '3.1.0',
    info: {
      title: 'SQL Jobber',
      version,
      description:
        'A job queue for deferred SQL read queries. Every JSON answer is {"status":"success","data":...} or {"status":"error","code":"...","message":"...","data":...}, whose stable `code` says what went wrong.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    // Relative: the API that serves the document (locally http://127.0.0.1:6060, by default).
    servers: [{ url: '/', description: 'the API that serves this document' }],
    paths,
    components: { schemas, ...(Object.keys(schemes).length > 0 ? { securitySchemes: schemes } : {}) },
    // No scheme (auth none) says so: an empty requirement list, not a missing one.
    security,
  };
}
