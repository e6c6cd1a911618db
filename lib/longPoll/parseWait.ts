import { InvalidRequestError } from '../errors.js';

/** The longest long-poll: well inside API Gateway's 30 s integration timeout (the route's function stops at 29 s). */
export const MAX_WAIT_SECONDS = 20;

/**
 * The `?wait=N` query parameter of GET /jobs/{id} and GET /groups/{id}: whole
 * seconds, 1..20; absent means answer at once.
 *
 * @throws InvalidRequestError for anything else (`wait=0`, `wait=1.5`, `wait=abc`, `wait=21`).
 */
export function parseWait(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,2}$/.test(value) || Number(value) < 1 || Number(value) > MAX_WAIT_SECONDS) {
    throw new InvalidRequestError(`wait: expected whole seconds from 1 to ${MAX_WAIT_SECONDS} (got ${JSON.stringify(value)})`);
  }
  return Number(value);
}
