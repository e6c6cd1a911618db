import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { InvalidRequestError, PayloadTooLargeError, SqlJobberError } from '../../lib/errors.js';
import { groupIdProblem } from '../../lib/groups/groupId.js';
import { jobIdProblem } from '../../lib/jobs/jobId.js';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../../lib/limits.js';
import { quoteInput } from '../../lib/quoteInput.js';
import { jsonDepthOver } from './jsonDepth.js';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

const json = (statusCode: number, body: unknown): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

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

/**
 * Wraps a route: its result becomes `{"status":"success","data":...}`; any error
 * becomes `{"status":"error","message":...,"data":null}` with its HTTP status,
 * the message hidden for our own faults (500).
 */
export function httpRoute(
  fn: (event: HttpEvent) => Promise<unknown>,
  log: () => { error(msg: string, extra?: object): void } = () => console,
) {
  return middy<HttpEvent, HttpResult>().handler(async (event) => {
    try {
      const data = await fn(event);
      if (data && typeof data === 'object' && 'statusCode' in data && 'body' in data) return data as HttpResult;
      return json(200, { status: 'success', data });
    } catch (err) {
      if (err instanceof SqlJobberError && err.expose) {
        return json(err.statusCode, { status: 'error', message: err.message, data: err.data });
      }
      log().error('request failed', { error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : err });
      return json(500, { status: 'error', message: 'internal error; see the function logs', data: null });
    }
  });
}
