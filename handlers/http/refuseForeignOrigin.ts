import { OriginNotAllowedError } from '../../lib/errors.js';
import { readSettings } from '../../lib/settings.js';
import type { HttpEvent } from './httpRoute.js';

/** A header's value, whatever the case of its name (API Gateway lower-cases them; not every caller of a handler does). */
function header(event: HttpEvent, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** Whether `origin` (as a browser sends it) names the host the request came to. */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}

let configured: readonly string[] | undefined;
/** `[api] cors_origins`, as the deployment passes them to the functions (lib/settings.ts). */
export const configuredOrigins = (): readonly string[] => (configured ??= readSettings().corsOrigins);

/**
 * Refuses (403 `origin_not_allowed`) a request that a browser sent from a page of
 * another web origin than the API's own (its Host) or those `allowed` lists.
 * Browsers send `Origin` with every cross-origin request and every POST or
 * DELETE, and a page cannot forge it; a request without one (curl, an SDK, a
 * same-origin GET) is no browser acting for another site, and passes.
 *
 * CORS alone does not cover it: a "simple" request (a text/plain POST) runs
 * without a preflight, and the local stack's serverless offline sets
 * `access-control-allow-origin` to any origin on every answer but preflights.
 */
export function refuseForeignOrigin(event: HttpEvent, allowed: readonly string[]): void {
  const origin = header(event, 'origin');
  if (origin === undefined) return;
  const normalised = origin.trim().toLowerCase();
  if (allowed.includes(normalised)) return;
  if (isOwnOrigin(normalised, header(event, 'host') ?? event.requestContext?.domainName)) return;
  throw new OriginNotAllowedError(origin);
}
