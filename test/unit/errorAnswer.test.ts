/**
 * Every error answer is the envelope with a stable `code` beside `status`,
 * `message` and `data`: the error classes' (lib/errors.ts), the body checks'
 * (size, depth, JSON), what no route takes (404 / 405) and our own faults (500
 * `internal`, showing nothing of the fault). One table maps each code to its
 * HTTP status (lib/errorCodes.ts).
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { errorAnswer, httpRoute, jsonBody, type HttpEvent } from '../../handlers/http/httpRoute.js';
import { makeHandler as routeNotFound, methodsOf } from '../../handlers/http/routeNotFound.js';
import { ERROR_CODES, WIRE_ERROR_CODES } from '../../lib/errorCodes.js';
import * as errors from '../../lib/errors.js';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../../lib/limits.js';
import { newJobIdProblem } from '../../lib/jobs/jobId.js';

const quiet = () => ({ error() {} });
const body = (a: { body?: string }) => JSON.parse(String(a.body)) as Record<string, unknown>;
const event = (method: string, rawPath: string, extra: Partial<APIGatewayProxyEventV2> = {}) =>
  ({ version: '2.0', routeKey: '$default', rawPath, rawQueryString: '', headers: {}, isBase64Encoded: false, requestContext: { http: { method, path: rawPath } }, ...extra }) as unknown as HttpEvent;
const call = (h: ReturnType<typeof httpRoute>, e: HttpEvent) => h(e, {} as Context) as Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;

/** One instance of every error class of lib/errors.ts, by class name. */
const INSTANCES: Record<string, errors.SqlJobberError> = {
  InvalidRequestError: new errors.InvalidRequestError('x: bad'),
  TaskNotFoundError: new errors.TaskNotFoundError('t'),
  JobNotFoundError: new errors.JobNotFoundError('j'),
  GroupNotFoundError: new errors.GroupNotFoundError('g'),
  JobActiveError: new errors.JobActiveError('j', 'STARTED'),
  JobFinishedError: new errors.JobFinishedError('j', 'SUCCESS'),
  JobNotSucceededError: new errors.JobNotSucceededError('j', 'FAILURE'),
  CursorStaleError: new errors.CursorStaleError('j'),
  CursorQueryMismatchError: new errors.CursorQueryMismatchError('j'),
  ResultsQueryTimeoutError: new errors.ResultsQueryTimeoutError('j', 20),
  GroupActiveError: new errors.GroupActiveError('g', 'wait'),
  GroupFinishedError: new errors.GroupFinishedError('g', 'SUCCESS'),
  ResultsTableNameError: new errors.ResultsTableNameError('j', 't', 'why'),
  ResultsGoneError: new errors.ResultsGoneError('gone'),
  ExportNotFoundError: new errors.ExportNotFoundError('j'),
  ConfigError: new errors.ConfigError('config.toml', ['a: b']),
  PayloadTooLargeError: new errors.PayloadTooLargeError('body: too large'),
  QueueNotFoundError: new errors.QueueNotFoundError('q'),
  RowTooLargeError: new errors.RowTooLargeError('j', 1, 7e6),
  RouteNotFoundError: new errors.RouteNotFoundError('GET', '/x'),
  MethodNotAllowedError: new errors.MethodNotAllowedError('PUT', '/tasks', ['GET']),
  OriginNotAllowedError: new errors.OriginNotAllowedError('https://evil.example'),
  UnauthorizedError: new errors.UnauthorizedError('no token'),
  ForbiddenError: new errors.ForbiddenError('operators only'),
  RunChangedError: new errors.RunChangedError('j', 'r1', 'r2'),
  TenantQueueFullError: new errors.TenantQueueFullError('q', 10),
  ScheduleNotFoundError: new errors.ScheduleNotFoundError('s'),
  ScheduleExistsError: new errors.ScheduleExistsError('s'),
};

describe('errorAnswer, the one mapping of errors to HTTP', () => {
  it('has an instance above of every error class lib/errors.ts exports', () => {
    const classes = Object.entries(errors).filter(([, v]) => typeof v === 'function' && v.prototype instanceof errors.SqlJobberError).map(([k]) => k);
    expect(Object.keys(INSTANCES).sort()).toEqual(classes.sort());
  });

  it.each(Object.entries(INSTANCES))('%s: its code, its code\'s status, and the envelope with the code added', (_, err) => {
    expect(err.statusCode).toBe(ERROR_CODES[err.code].status);
    const answer = errorAnswer(err, quiet);
    if (err.expose) {
      expect(answer.statusCode).toBe(err.statusCode);
      expect(body(answer)).toEqual({ status: 'error', code: err.code, message: err.message, data: err.data });
      expect(WIRE_ERROR_CODES).toContain(err.code);
    } else {
      expect(answer.statusCode).toBe(500);
      expect(body(answer)).toEqual({ status: 'error', code: 'internal', message: 'internal error; see the function logs', data: null });
    }
  });

  it('keeps the six 409 codes as they were, and adds the results explore cursor one, run_changed and schedule_exists', () => {
    expect(Object.keys(ERROR_CODES).filter((c) => ERROR_CODES[c as keyof typeof ERROR_CODES].status === 409)).toEqual([
      'job_active', 'job_finished', 'job_not_succeeded', 'cursor_stale', 'cursor_query_mismatch', 'run_changed', 'group_active', 'group_finished', 'schedule_exists',
    ]);
  });

  it('answers any other throw as a 500 internal, logging it and showing none of it', () => {
    const logged: unknown[] = [];
    const answer = errorAnswer(new TypeError('secret detail'), () => ({ error: (_m, extra) => logged.push(extra) }));
    expect(answer.statusCode).toBe(500);
    expect(body(answer)).toEqual({ status: 'error', code: 'internal', message: 'internal error; see the function logs', data: null });
    expect(JSON.stringify(logged)).toContain('secret detail');
  });

  it('codes are snake_case', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});

describe("the body checks' codes", () => {
  const route = httpRoute(async (e) => jsonBody(e), quiet);
  it.each([
    ['too large', 'x'.repeat(MAX_BODY_BYTES + 1), 413, 'payload_too_large'],
    ['too deep', '['.repeat(MAX_JSON_DEPTH + 1), 400, 'invalid_request'],
    ['malformed', '{"a":', 400, 'invalid_request'],
  ])('%s: %#', async (_, text, status, code) => {
    const answer = await call(route, event('POST', '/groups', { body: text }));
    expect(answer.statusCode).toBe(status);
    expect(body(answer)).toMatchObject({ status: 'error', code, data: null });
  });
});

describe('the catch-all route', () => {
  const handler = routeNotFound();

  it('answers a path no route has with 404 route_not_found', async () => {
    const answer = await call(handler, event('GET', '/no/such/route'));
    expect(answer.statusCode).toBe(404);
    expect(body(answer)).toEqual({ status: 'error', code: 'route_not_found', message: 'no route GET "/no/such/route"; GET /openapi.json lists the routes', data: null });
  });

  it.each([
    ['PUT', '/tasks', 'GET'],
    ['POST', '/jobs/abc', 'GET, DELETE'],
    ['PATCH', '/jobs/queue/q1', 'GET'],
    ['GET', '/groups', 'POST'],
  ])('answers %s %s with 405 method_not_allowed and Allow: %s', async (method, path, allow) => {
    const answer = await call(handler, event(method, path));
    expect(answer.statusCode).toBe(405);
    expect(answer.headers.allow).toBe(allow);
    expect(body(answer)).toMatchObject({ status: 'error', code: 'method_not_allowed', data: null });
  });

  it('matches one segment per parameter, and any depth for a greedy one', () => {
    expect(methodsOf('/jobs/a/results')).toEqual(['GET']);
    expect(methodsOf('/jobs/a/b/results')).toEqual([]);
    expect(methodsOf('/ui/assets/x.js')).toEqual(['GET']);
  });
});

describe('the reserved job ID', () => {
  it('refuses "queue" for a new job, and only the exact ID', () => {
    expect(newJobIdProblem('queue')).toContain('"queue" is reserved');
    for (const id of ['Queue', 'queue1', 'queues', 'my-queue']) expect(newJobIdProblem(id)).toBeUndefined();
  });
});
