import { InvalidRequestError } from '../errors.js';
import { quoteInput } from '../quoteInput.js';

// Four digits: the year is at most 9999, so every ETA is a date JavaScript, DynamoDB and SQS all handle.
const ETA = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Parses an ETA `yyyy-mm-dd hh:mm:ss` (UTC) into epoch ms; impossible dates are refused. */
export function parseEta(eta: string): number {
  const m = ETA.exec(eta);
  if (!m) throw new InvalidRequestError(`eta: expected "yyyy-mm-dd hh:mm:ss" (UTC), got ${quoteInput(eta)}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  // Date.UTC reads years 0..99 as 1900..1999; setting the year afterwards does not.
  date.setUTCFullYear(y, mo - 1, d);
  const ms = date.getTime();
  if (
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== mo - 1 ||
    date.getUTCDate() !== d ||
    date.getUTCHours() !== h ||
    date.getUTCMinutes() !== mi ||
    date.getUTCSeconds() !== s
  ) {
    throw new InvalidRequestError(`eta: ${quoteInput(eta)} is not a real date and time`);
  }
  return ms;
}
