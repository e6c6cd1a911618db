import { createSqlJobberClient, SqlJobberApiError, type SqlJobberClient } from '../../client/src/index.js';
import { token } from './tokenStore.js';

export { token };

/** The typed client, on the API that serves this console, acting for the caller's own tenant. */
export const api = createSqlJobberClient({ baseUrl: location.origin, token: token.get });

const byTenant = new Map<string, SqlJobberClient>();

/**
 * The client for a page about one tenant's job or group: with `tenant` (an
 * operator opened another tenant's job from the list), every request names it
 * in X-Tenant-Id, since job and group IDs are only unique within a tenant;
 * without, the caller's own.
 */
export function apiFor(tenant: string | undefined): SqlJobberClient {
  if (tenant === undefined) return api;
  let client = byTenant.get(tenant);
  if (!client) byTenant.set(tenant, (client = createSqlJobberClient({ baseUrl: location.origin, token: token.get, tenant })));
  return client;
}

/** A message for an error from the API (or the network). */
export function errorText(err: unknown): string {
  if (err instanceof SqlJobberApiError) {
    // A `forbidden` answer comes with a valid token that may not do this (an operator-only route): the service says what.
    if (err.status === 401 || (err.status === 403 && err.code !== 'forbidden')) return `${err.status}: the API wants a valid bearer token (set one with "Token" above)`;
    return `${err.status}: ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}
