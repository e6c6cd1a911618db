import { createSqlJobberClient, SqlJobberApiError } from '../../client/src/index.js';

const TOKEN_KEY = 'sqljobber.token';

/** The bearer token for JWT auth, kept in this browser only; none with auth "none". */
export const token = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set(value: string) {
    if (value.trim()) localStorage.setItem(TOKEN_KEY, value.trim());
    else localStorage.removeItem(TOKEN_KEY);
  },
};

/** The typed client, on the API that serves this console. */
export const api = createSqlJobberClient({ baseUrl: location.origin, token: token.get });

/** A message for an error from the API (or the network). */
export function errorText(err: unknown): string {
  if (err instanceof SqlJobberApiError) {
    if (err.status === 401 || err.status === 403) return `${err.status}: the API wants a valid bearer token (set one with "Token" above)`;
    return `${err.status}: ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}
