import { InvalidRequestError } from '../errors.js';

const ETA = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Parses an ETA `yyyy-mm-dd hh:mm:ss` (UTC) into epoch ms; impossible dates are refused. */
export function parseEta(eta: string): number {
  const m = ETA.exec(eta);
  if (!m) throw new InvalidRequestError(`eta: expected "yyyy-mm-dd hh:mm:ss" (UTC), got ${JSON.stringify(eta)}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    back.getUTCHours() !== h ||
    back.getUTCMinutes() !== mi ||
    back.getUTCSeconds() !== s
  ) {
    throw new InvalidRequestError(`eta: ${JSON.stringify(eta)} is not a real date and time`);
  }
  return ms;
}
