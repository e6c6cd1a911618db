import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { InvalidRequestError, SqlJobberError } from '../../lib/errors.js';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

const json = (statusCode: number, body: unknown): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

/** The request body as JSON; an empty body is `undefined`, malformed JSON a 400. */
export function jsonBody(event: HttpEvent): unknown {
  if (!event.body) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidRequestError(`malformed JSON body: ${(err as Error).message}`);
  }
}

/** A path parameter that API Gateway guarantees for the route. */
export function pathParam(event: HttpEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new InvalidRequestError(`missing path parameter ${name}`);
  return decodeURIComponent(value);
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
