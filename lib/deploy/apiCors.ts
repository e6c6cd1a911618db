import type { ApiConfig } from '../config/types.js';

/** Request headers a browser may send from an allowed origin: the bearer token, JSON bodies, SigV4's. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-Amz-Date', 'X-Amz-Security-Token', 'X-Amz-Content-Sha256', 'X-Amz-User-Agent'];
/** Answer headers a page from an allowed origin may read (results paging). */
export const CORS_EXPOSED_HEADERS = ['X-Count', 'X-Next-Cursor'];
/** The one origin the local stack lists when `[api] cors_origins` lists none: no page is served from it. */
export const NO_BROWSER_ORIGIN = 'https://no-origin.invalid';
/** How long a browser may keep a preflight's answer, in seconds. */
export const CORS_MAX_AGE_S = 600;

/**
 * serverless.yml `provider.httpApi.cors`: only the origins `[api] cors_origins`
 * lists, never credentials (the API takes bearer tokens or SigV4 headers, no
 * cookies). Deployed with no origins listed, there is none: API Gateway then
 * answers no preflight, and CORS is off.
 *
 * Locally (`local`) it is always set, to the listed origins or to none at all:
 * without it serverless offline reflects any `Origin` back with
 * `access-control-allow-credentials: true`, which lets every web page a
 * developer opens call the local stack.
 */
export function httpApiCors(api: Pick<ApiConfig, 'corsOrigins'>, local: boolean) {
  if (api.corsOrigins.length === 0 && !local) return undefined;
  return {
    // serverless offline (hapi) refuses an empty list: locally, "none" is an origin no
    // page can have (.invalid is reserved, RFC 2606), so every foreign preflight fails.
    allowedOrigins: api.corsOrigins.length > 0 ? [...api.corsOrigins] : [NO_BROWSER_ORIGIN],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    allowedMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    exposedResponseHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_S,
  };
}
