/**
 * Property-based fuzzing of every route and every field with hostile values
 * (prototype names, huge, unicode and NUL strings, lone surrogates, wrong types,
 * boundary and non-finite numbers, deep JSON, bodies that are not objects,
 * malformed percent-encoding), through the handlers, against DynamoDB Local and
 * fauxqs. Each request must get a 4xx with the error envelope naming what was
 * wrong, and leave no item in the table and no message in any queue.
 * bench/fuzz.ts runs the same properties far longer.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHandlerWorld, type HandlerWorld } from '../../support/handlerWorld.js';
import { checkRefused } from '../../support/checkRefused.js';
import { HOSTILE_KINDS } from '../../support/hostileRequests.js';

let world: HandlerWorld;

beforeAll(async () => {
  world = await startHandlerWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

/** Runs per kind: about 600 requests in all, some 10 s on a 2-core machine. */
const RUNS: Record<keyof typeof HOSTILE_KINDS, number> = {
  jobField: 120,
  jobUnknownField: 30,
  jobBadBody: 40,
  base64Body: 30,
  taskPath: 40,
  queuePath: 40,
  idRoutes: 100,
  groupField: 50,
  groupMember: 100,
  manyFields: 50,
};

describe('hostile requests', () => {
  it.each(Object.keys(HOSTILE_KINDS) as (keyof typeof HOSTILE_KINDS)[])('%s: a 4xx naming the field, nothing recorded, nothing queued', async (kind) => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(HOSTILE_KINDS[kind], async (c) => {
        const status = await checkRefused(world, c);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
      { numRuns: RUNS[kind], endOnFailure: true },
    );
    // The property ran, every answer was a 4xx, and the stores are as empty as they started.
    expect(await world.itemCount()).toBe(0);
    expect(await world.messageCount()).toBe(0);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(RUNS[kind]);
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
  });

  it('GET /tasks ignores whatever query and headers come with it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.string()), fc.dictionary(fc.string({ unit: 'grapheme-ascii' }), fc.string()), async (query, headers) => {
        world.calls.splice(0);
        const answer = await world.request('GET /tasks', { queryStringParameters: query, headers });
        expect(answer.statusCode).toBe(200);
        expect((answer.json?.data as { name: string }[]).map((t) => t.name)).toEqual(['two_args', 'no_args', 'my_two']);
        expect(world.calls).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});
