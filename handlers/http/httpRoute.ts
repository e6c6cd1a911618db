import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { WireErrorCode } from '../../lib/errorCodes.js';
import { InvalidRequestError, MethodNotAllowedError, PayloadTooLargeError, SqlJobberError, TenantQueueFullError } from '../../lib/errors.js';
import { groupIdProblem } from '../../lib/groups/groupId.js';
import { jobIdProblem } from '../../lib/jobs/jobId.js';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../../lib/limits.js';
import { quoteInput } from '../../lib/quoteInput.js';
import { scheduleIdProblem } from '../../lib/schedules/scheduleId.js';
import { TENANT_SEPARATOR, TENANT_TAG_LENGTH } from '../../lib/identity/tenantScope.js';
import { jsonDepthOver } from './jsonDepth.js';
import { configuredOrigins, refuseForeignOrigin } from './refuseForeignOrigin.js';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

/** The error envelope: dungbeetle's `status`, `message` and `data`, plus the stable `code` (lib/errorCodes.ts). */
export interface ErrorEnvelope {
  status: 'error';
  code: WireErrorCode;
  message: string;
  data: unknown;
}

/**
 * The one place an error becomes an HTTP answer: an exposed SqlJobberError
 * answers its status, code, message and data; anything else is our own fault,
 * logged and answered as a 500 `internal` that shows nothing of it.
 */
export function errorAnswer(err: unknown, log: () => { error(msg: string, extra?: object): void } = () => console): HttpResult {
  if (err instanceof SqlJobberError && err.expose) {
    // Exposed means below 500: a code of the wire's. IDs in it are named as their tenant knows them.
    const body: ErrorEnvelope = { status: 'error', code: err.code as WireErrorCode, message: unscopeText(err.message), data: unscopeData(err.data) };
    const headers: Record<string, string> = err instanceof MethodNotAllowedError ? { allow: err.allow.join(', ') } : err instanceof TenantQueueFullError ? { 'retry-after': String(err.retryAfterSeconds) } : {};
    return json(err.statusCode, body, headers);
  }
  log().error('request failed', { error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : err });
  const body: ErrorEnvelope = { status: 'error', code: 'internal', message: 'internal error; see the function logs', data: null };
  return json(500, body);
}

/** A stored ID's tenant tag (lib/identity/tenantScope.ts) in a text: dropped, so an answer names IDs as the caller does. */
const SCOPED = new RegExp(`\\b[a-z2-7]{${TENANT_TAG_LENGTH}}${TENANT_SEPARATOR}`, 'g');
const unscopeText = (text: string) => text.replace(SCOPED, '');
const unscopeData = (data: unknown): unknown => (data === null || data === undefined ? data : JSON.parse(unscopeText(JSON.stringify(data))));

/**
 * The request body as JSON; an empty body is `undefined`. A body over
 * MAX_BODY_BYTES is a 413; malformed JSON, or JSON nested deeper than
 * MAX_JSON_DEPTH, a 400. Both limits are checked before the body is parsed.
 */
export function jsonBody(event: HttpEvent): unknown {
  if (!event.body) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_BODY_BYTES) throw new PayloadTooLargeError(`body: at most ${MAX_BODY_BYTES} bytes (got ${bytes})`);
  if (text.trim() === '') return undefined;
  if (jsonDepthOver(text, MAX_JSON_DEPTH)) throw new InvalidRequestError(`body: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidRequestError(`body: malformed JSON: ${(err as Error).message.slice(0, 200)}`);
  }
}

/**
 * A path parameter that API Gateway guarantees for the route, percent-decoded;
 * a malformed percent-encoding is a 400 naming the parameter. (HTTP APIs and
 * serverless offline hand parameters over decoded already, so `/jobs/%25`
 * arrives as "%", which is one: no ID or name may hold a "%".)
 */
export function pathParam(event: HttpEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new InvalidRequestError(`${name}: missing path parameter`);
  try {
    return decodeURIComponent(value);
  } catch {
    throw new InvalidRequestError(`${name}: malformed percent-encoding (got ${quoteInput(value)}); no ${name} holds a "%"`);
  }
}

/** A path's job ID; one that no job can have is a 400, answered without a lookup. */
export function pathJobId(event: HttpEvent, name = 'jobID'): string {
  const jobId = pathParam(event, name);
  const problem = jobIdProblem(jobId);
  if (problem) throw new InvalidRequestError(`${name}: ${problem}`);
  return jobId;
}

/** A path's group ID; one that no group can have is a 400, answered without a lookup. */
export function pathGroupId(event: HttpEvent, name = 'groupID'): string {
  const groupId = pathParam(event, name);
  const problem = groupIdProblem(groupId);
  if (problem) throw new InvalidRequestError(`${name}: ${problem}`);
  return groupId;
}

/** A path's schedule ID; one that no schedule can have is a 400, answered without a lookup. */
export function pathScheduleId(event: HttpEvent, name = 'scheduleID'): string {
  const scheduleId = pathParam(event, name);
  const problem = scheduleIdProblem(scheduleId);
  if (problem) throw new InvalidRequestError(`${name}: ${problem}`);
  return scheduleId;
}

/**
 * Wraps a route: its result becomes `{"status":"success","data":...}`; any error
 * becomes `{"status":"error","code":...,"message":...,"data":...}` with its HTTP
 * status (errorAnswer), the message hidden for our own faults (500). A browser
 * request from a web origin the API does not allow is refused first (403,
 * refuseForeignOrigin), before `fn` reads or changes anything.
 */
export function httpRoute(
  fn: (event: HttpEvent) => Promise<unknown>,
  log: () => { error(msg: string, extra?: object): void } = () => console,
  origins: () => readonly string[] = configuredOrigins,
) {
  return middy<HttpEvent, HttpResult>().handler(async (event) => {
    try {
      refuseForeignOrigin(event, origins());
      const data = await fn(event);
      if (data && typeof data === 'object' && 'statusCode' in data && 'body' in data) return data as HttpResult;
      return json(200, { status: 'success', data });
    } catch (err) {
      return errorAnswer(err, log);
    }
  });
}
