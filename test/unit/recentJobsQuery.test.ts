/**
 * GET /jobs's query string: any query either parses or is refused with a 400
 * naming a parameter, never another error; cursors round-trip.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/loadConfig.js';
import { InvalidRequestError } from '../../lib/errors.js';
import { encodeRecentCursor, parseRecentJobsQuery } from '../../lib/jobs/recentJobsQuery.js';

const config = parseConfig('[queues.alpha]\n', 'test', {});
const NAMES = ['queue', 'state', 'task', 'limit', 'cursor'];

describe('GET /jobs query', () => {
  it('parses or refuses with a 400 naming the parameter, whatever comes', () => {
    const value = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', 'constructor', '__proto__', 'alpha', 'FAILURE', '0', '100', '1e2', '-1', ' 5'));
    const query = fc.dictionary(fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 6 })), value, { maxKeys: 5 });
    fc.assert(
      fc.property(query, (q) => {
        try {
          const parsed = parseRecentJobsQuery(q, config);
          expect(parsed.limit).toBeGreaterThanOrEqual(1);
          expect(parsed.limit).toBeLessThanOrEqual(100);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidRequestError);
          const named = [...NAMES, 'unknown query parameter'].some((n) => (err as Error).message.startsWith(n));
          expect(named, (err as Error).message).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('takes back the cursors it hands out, and the filters as given', () => {
    const cursor = encodeRecentCursor('2026-01-01T00:00:00.000Z#job-1');
    expect(parseRecentJobsQuery({ cursor, queue: 'alpha', state: 'SUCCESS', task: 't', limit: '7' }, config)).toEqual({
      filter: { queue: 'alpha', status: 'SUCCESS', task: 't' },
      limit: 7,
      before: '2026-01-01T00:00:00.000Z#job-1',
    });
    expect(parseRecentJobsQuery({}, config)).toEqual({ filter: {}, limit: 20 });
  });
});
