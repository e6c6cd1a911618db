import { InvalidRequestError } from '../../lib/errors.js';
import type { HttpEvent } from './httpRoute.js';

/** The `?purge=` query parameter of the DELETE routes. */
export function purgeFlag(event: HttpEvent): boolean {
  const purge = event.queryStringParameters?.purge;
  if (purge !== undefined && purge !== 'true' && purge !== 'false') {
    throw new InvalidRequestError(`purge: expected true or false (got ${JSON.stringify(purge)})`);
  }
  return purge === 'true';
}
