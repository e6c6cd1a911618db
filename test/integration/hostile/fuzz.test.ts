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
import { PROTOTYPE_NAMES, hostileString } from '../../support/hostileValues.js';

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
  listJobsQuery: 50,
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

  it('GET /tasks, /queues and /openapi.json ignore whatever query and headers come with them', async () => {
    const route = fc.constantFrom('GET /tasks', 'GET /queues', 'GET /openapi.json') as fc.Arbitrary<'GET /tasks' | 'GET /queues' | 'GET /openapi.json'>;
    const query = fc.dictionary(fc.oneof(fc.string(), fc.constantFrom(...PROTOTYPE_NAMES)), hostileString, { maxKeys: 4 });
    const headers = fc.dictionary(fc.string({ unit: 'grapheme-ascii', minLength: 1 }), fc.string(), { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(route, query, headers, async (r, queryStringParameters, h) => {
        world.calls.splice(0);
        const answer = await world.request(r, { queryStringParameters, headers: h });
        expect(answer.statusCode).toBe(200);
        if (r === 'GET /tasks') expect((answer.json?.data as { name: string }[]).map((t) => t.name)).toEqual(['two_args', 'no_args', 'my_two']);
        if (r === 'GET /queues') expect((answer.json?.data as { name: string }[]).map((q) => q.name)).toEqual(['fuzz_q', 'other_q']);
        if (r === 'GET /openapi.json') expect(answer.json).toMatchObject({ openapi: expect.stringMatching(/^3\.1/) });
        // Reads of the queues' counts at most.
        expect(world.calls.filter((c) => c !== 'SQS:GetQueueAttributes')).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('GET /queues/stats answers any query with its figures or a 400 naming the parameter, reading the recent index only', async () => {
    const key = fc.oneof(fc.constantFrom('window', 'queue', ...PROTOTYPE_NAMES), fc.string());
    const value = fc.oneof(fc.constantFrom('1h', '1d', 'fuzz_q', 'other_q', '__proto__'), hostileString);
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, value, { maxKeys: 3 }), async (queryStringParameters) => {
        world.calls.splice(0);
        const answer = await world.request('GET /queues/stats', { queryStringParameters });
        expect([200, 400], answer.body).toContain(answer.statusCode);
        if (answer.statusCode === 400) expect(answer.json?.message).toMatch(/^(window|queue|unknown query parameter)/);
        if (answer.statusCode === 200) expect((answer.json?.data as { jobs_read: number }).jobs_read).toBe(0);
        expect(world.calls.filter((c) => c !== 'DynamoDB:Query')).toEqual([]);
      }),
      { numRuns: 12 },
    );
  });

  it('GET /jobs with any valid filter, prototype names and unicode included, answers an empty page', async () => {
    const filter = fc.record(
      {
        task: fc.oneof(hostileString, fc.constantFrom(...PROTOTYPE_NAMES)).filter((t) => t.length >= 1 && t.length <= 256),
        queue: fc.constantFrom('fuzz_q', 'other_q'),
        state: fc.constantFrom('PENDING', 'STARTED', 'RETRY', 'SUCCESS', 'FAILURE', 'CANCELLED'),
        limit: fc.integer({ min: 1, max: 100 }).map(String),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(filter, async (queryStringParameters) => {
        world.calls.splice(0);
        const answer = await world.request('GET /jobs', { queryStringParameters });
        expect(answer.statusCode, answer.body).toBe(200);
        expect(answer.json?.data).toEqual({ jobs: [], next_cursor: null });
        expect(world.calls.every((c) => c === 'DynamoDB:Query')).toBe(true);
      }),
      // Each reads every shard of the recent index: a few runs are enough.
      { numRuns: 8 },
    );
    expect(await world.itemCount()).toBe(0);
  });
});
