import * as z from 'zod';
import type { ApiConfig } from '../config/types.js';
import { groupBody } from '../groups/parseGroupRequest.js';
import { recentJobsQuery } from '../jobs/recentJobsQuery.js';
import { jobBody } from '../jobs/parseJobRequest.js';
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
  /** Error statuses the route answers besides 400 and 500. */
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
});

/**
 * Every HTTP route of the service. test/openapi/openApiDocument.test.ts holds this
 * list to the routes serverless.yml defines (lib/deploy/serviceDefinition.ts).
 */
export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'GET', path: '/tasks', operationId: 'getTasks', summary: 'The registered tasks, with their SQL', answer: z.array(answers.taskSummary) },
  {
    method: 'POST', path: '/tasks/{taskName}/jobs', operationId: 'submitJob', summary: 'Schedule a job of a task',
    body: jobBody, answer: answers.submittedJob, errors: [404, 409],
  },
  { method: 'GET', path: '/jobs', operationId: 'listJobs', summary: 'Recent jobs, newest first, keyset-paged', query: recentJobsQuery, answer: answers.recentJobsPage },
  { method: 'GET', path: '/jobs/{jobID}', operationId: 'getJob', summary: "A job's status", query: waitQuery, answer: answers.jobStatus, errors: [404] },
  {
    method: 'DELETE', path: '/jobs/{jobID}', operationId: 'cancelJob', summary: 'Cancel a job, or purge a finished one and its results',
    query: purgeQuery, answer: answers.cancelledJob, errors: [404, 409],
  },
  {
    method: 'GET', path: '/jobs/{jobID}/results', operationId: 'getResults', summary: "A page of a SUCCESS job's result rows (JSON or CSV)",
    query: resultsQuery, answer: answers.resultsPage, errors: [404, 409, 410, 413],
  },
  { method: 'GET', path: '/jobs/queue/{queue}', operationId: 'getQueueJobs', summary: 'Waiting jobs of a queue, oldest first', answer: z.array(answers.pendingJob), errors: [404] },
  { method: 'GET', path: '/queues', operationId: 'getQueues', summary: 'Each queue: concurrency, timeout, live counts', answer: z.array(answers.queueSummary) },
  { method: 'POST', path: '/groups', operationId: 'submitGroup', summary: 'Schedule a group of jobs, at most `concurrency` running at once', body: groupBody, answer: answers.submittedGroup, errors: [404, 409] },
  { method: 'GET', path: '/groups/{groupID}', operationId: 'getGroup', summary: "A group's status and its members", query: waitQuery, answer: answers.groupStatus, errors: [404] },
  {
    method: 'DELETE', path: '/groups/{groupID}', operationId: 'cancelGroup', summary: 'Cancel a group, or purge a finished one and its results',
    query: purgeQuery, answer: answers.cancelledGroup, errors: [404, 409],
  },
  { method: 'GET', path: '/openapi.json', operationId: 'getOpenApi', summary: 'This document', answer: z.record(z.string(), z.unknown()), bare: true },
  { method: 'GET', path: '/ui', operationId: 'getConsole', summary: 'The operator console', answer: 'text/html', public: true },
  { method: 'GET', path: '/ui/{proxy+}', operationId: 'getConsoleFile', summary: "The operator console's pages and files", answer: 'text/html', public: true },
];

const STATUS_TEXT: Record<number, string> = {
  400: 'bad input: the message names the field',
  404: 'unknown task, job, group or queue',
  409: "the request does not fit the job's or group's current state",
  410: 'the results table is gone',
  413: 'a single row is too large for any answer',
  500: 'our own fault; see the function logs',
};

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect): what a client sends, or what it gets back. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** `/ui/{proxy+}` (API Gateway's greedy parameter) as an OpenAPI path: `/ui/{proxy}`. */
export const openApiPath = (path: string) => path.replace(/\{(\w+)\+\}/g, '{$1}');

function securitySchemes(api: ApiConfig) {
  if (api.auth === 'jwt') {
    return { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: `a JWT from ${api.jwtIssuer ?? 'the configured issuer'}` } };
  }
  if (api.auth === 'iam') {
    return { sigv4: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'AWS Signature Version 4 (service execute-api), from a principal allowed execute-api:Invoke' } };
  }
  return {};
}

/**
 * The OpenAPI 3.1 document of every route (API_ROUTES), generated from the zod
 * schemas that validate the requests (lib/jobs/parseJobRequest.ts,
 * lib/groups/parseGroupRequest.ts, lib/jobs/listRecentJobs.ts) and from those of
 * the answers (./responseSchemas.ts). `api` sets the security scheme.
 */
export function openApiDocument(api: ApiConfig, version = '0.1.0') {
  const schemes = securitySchemes(api);
  const security = Object.keys(schemes).map((name) => ({ [name]: [] }));
  const schemas: Record<string, unknown> = { Error: jsonSchema(answers.errorEnvelope, 'output') };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    const path = openApiPath(route.path);
    const parameters: unknown[] = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    for (const [name, field] of Object.entries(route.query?.shape ?? {})) {
      const schema = jsonSchema(field as z.ZodType, 'input');
      const { description, ...rest } = schema;
      parameters.push({ name, in: 'query', required: !(field as z.ZodType).safeParse(undefined).success, schema: rest, ...(description ? { description } : {}) });
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
      for (const status of [400, ...(route.errors ?? []), 500]) {
        responses[String(status)] = { description: STATUS_TEXT[status], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
      }
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
  return {
    openapi: '3.1.0',
    info: {
      title: 'SQL Jobber',
      version,
      description: 'A job queue for deferred SQL read queries. Every JSON answer is {"status":"success","data":...} or {"status":"error","message":"...","data":null}.',
    },
    paths,
    components: { schemas, ...(Object.keys(schemes).length > 0 ? { securitySchemes: schemes } : {}) },
    ...(security.length > 0 ? { security } : {}),
  };
}
