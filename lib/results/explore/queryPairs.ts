import { InvalidRequestError } from '../../errors.js';
import { quoteInput } from '../../quoteInput.js';

/** More parameters than any request needs: 20 filters, the reserved words, and room. */
export const MAX_PARAMS = 40;

/**
 * The query string's parameters in order, repeated ones kept apart (API
 * Gateway's `queryStringParameters` joins them with commas, which would make
 * `total=gte.1&total=lte.9` one value). `+` is a space; a malformed
 * percent-encoding is a 400 naming the parameter.
 */
export function queryPairs(raw: string | undefined, parsed?: Record<string, string | undefined>): [string, string][] {
  if (!raw) {
    // No raw query string (a direct invoke, a test's event): the parsed parameters are all there is.
    return Object.entries(parsed ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k, v] as [string, string]]));
  }
  const pairs: [string, string][] = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    if (pairs.length >= MAX_PARAMS) throw new InvalidRequestError(`query string: at most ${MAX_PARAMS} parameters`);
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    const key = decode(rawKey, rawKey);
    pairs.push([key, decode(rawValue, key)]);
  }
  return pairs;
}

function decode(text: string, name: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    throw new InvalidRequestError(`${quoteInput(name)}: malformed percent-encoding in the query string`);
  }
}
