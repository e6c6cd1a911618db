import { MethodNotAllowedError, RouteNotFoundError } from '../../lib/errors.js';
import { API_ROUTES } from '../../lib/openapi/openApiDocument.js';
import { type HttpEvent, httpRoute } from './httpRoute.js';

/** A route's path as a pattern: `{name}` is one segment, `{name+}` (greedy) one or more. */
const pathPattern = (path: string) => {
  const segment = (s: string) => (/^\{\w+\+\}$/.test(s) ? '.+' : /^\{\w+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'));
  return new RegExp(`^${path.split('/').map(segment).join('/')}$`);
};

const ROUTES = API_ROUTES.map((r) => ({ method: r.method, pattern: pathPattern(r.path) }));

/** The methods of the routes whose path matches `path`. */
export function methodsOf(path: string): string[] {
  return [...new Set(ROUTES.filter((r) => r.pattern.test(path)).map((r) => r.method))];
}

/**
 * The catch-all route (API Gateway's `$default`): what no other route takes
 * gets the error envelope too, with a code, instead of the gateway's bare
 * `{"message":"Not Found"}`: a 405 `method_not_allowed` naming the methods when
 * the path is a route's, else a 404 `route_not_found`.
 */
export const makeHandler = () =>
  httpRoute(async (event: HttpEvent) => {
    const method = event.requestContext?.http?.method ?? 'GET';
    const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
    const allow = methodsOf(path);
    if (allow.length > 0 && !allow.includes(method)) throw new MethodNotAllowedError(method, path, allow);
    throw new RouteNotFoundError(method, path);
  });

export const handler = makeHandler();
