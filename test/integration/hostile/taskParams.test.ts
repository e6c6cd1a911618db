/**
 * Typed task parameters at submit, through the handlers, against DynamoDB Local
 * and fauxqs: 500 generated requests to the sample tasks (sql/sample.sql), each
 * with exactly one declared parameter wrong (a bad value, or a required one
 * missing), by name or in order, alone or as a group's member. Each must get a
 * 400 whose message names that parameter, before any AWS call: no job recorded,
 * no message queued.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskParam } from '../../../lib/tasks/params/types.js';
import { checkRefused } from '../../support/checkRefused.js';
import { startHandlerWorld, type HandlerWorld } from '../../support/handlerWorld.js';
import type { HostileCase } from '../../support/hostileRequests.js';
import { invalidValue, validValue } from '../../support/paramValues.js';

const SAMPLE = readFileSync(path.resolve(import.meta.dirname, '../../../sql/sample.sql'), 'utf8');
/** The sample's names, on databases nobody listens on: a refused request must never reach one. */
const CONFIG = `
[db.sample]
type = "postgres"
dsn = "postgres://nobody@127.0.0.1:9/none"

[results.sample_results]
type = "postgres"
dsn = "postgres://nobody@127.0.0.1:9/none"
`;

let world: HandlerWorld;

beforeAll(async () => {
  world = await startHandlerWorld({ config: CONFIG, tasks: SAMPLE });
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

interface Typed {
  name: string;
  params: readonly TaskParam[];
}

/** A request to `task` with parameter `bad` wrong and the others valid or left out. */
function badRequest(task: Typed): fc.Arbitrary<HostileCase> {
  return fc
    .record({
      bad: fc.nat(task.params.length - 1),
      missing: fc.boolean(),
      inOrder: fc.boolean(),
      inGroup: fc.boolean(),
      others: fc.tuple(...task.params.map((p) => fc.option(validValue(p), { nil: undefined }))),
      values: fc.tuple(...task.params.map((p) => invalidValue(p))),
    })
    .map(({ bad, missing, inOrder, inGroup, others, values }) => {
      const p = task.params[bad]!;
      // A missing value is wrong only for a required parameter; else the value is bad.
      const leaveOut = missing && p.required;
      const value = (i: number) => (i === bad ? (leaveOut ? undefined : values[i]) : task.params[i]!.required ? (others[i] ?? validOf(task.params[i]!)) : others[i]);
      let args: unknown;
      if (inOrder) {
        const list = task.params.map((_, i) => value(i) ?? null);
        // A list may end early after its last required item, unless that leaves the bad one out.
        args = leaveOut ? list.map((v, i) => (i === bad ? null : v)) : list;
      } else {
        args = Object.fromEntries(task.params.map((q, i) => [q.name, value(i)]).filter(([, v]) => v !== undefined));
      }
      const label = inOrder ? `args[${bad}] (${p.name})` : `args.${p.name}`;
      const job = { args };
      if (inGroup) {
        return {
          route: 'POST /groups',
          parts: { body: JSON.stringify({ jobs: [{ task: task.name, args: validArgs(task) }, { task: task.name, ...job }] }) },
          statuses: [400],
          mentions: ['jobs[1]', label],
          noCalls: true,
        } satisfies HostileCase;
      }
      return {
        route: 'POST /tasks/{taskName}/jobs',
        parts: { pathParameters: { taskName: task.name }, body: JSON.stringify(job) },
        statuses: [400],
        mentions: [label],
        noCalls: true,
      } satisfies HostileCase;
    });
}

/** One fixed valid value per type, for required parameters the generator left out. */
function validOf(p: TaskParam): unknown {
  return fc.sample(validValue(p), { numRuns: 1, seed: 1 })[0];
}

const validArgs = (task: Typed) => Object.fromEntries(task.params.filter((p) => p.required).map((p) => [p.name, validOf(p)]));

describe("the sample tasks' declared parameters at submit", () => {
  it('refuse 500 generated requests with one wrong parameter each: a 400 naming it, nothing recorded, nothing queued', async () => {
    const typed = [...world.app.tasks.tasks.values()].filter((t): t is typeof t & Typed => t.params !== undefined);
    expect(typed.map((t) => t.name).sort()).toEqual(['get_customers_by_country', 'get_orders_by_customer', 'get_sales_by_day', 'slow_query']);
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(...typed.map(badRequest)), async (c) => {
        expect(await checkRefused(world, c, false)).toBe(400);
        sent++;
      }),
      { numRuns: 500, endOnFailure: true },
    );
    expect(sent).toBe(500);
    expect(await world.itemCount()).toBe(0);
    expect(await world.messageCount()).toBe(0);
  }, 120_000);

  it('accept the same parameters right, by name or in order', async () => {
    for (const body of [{ args: { customer_id: '42' } }, { args: [42, 'total'] }, { args: ['42'] }]) {
      const answer = await world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName: 'get_orders_by_customer' }, body: JSON.stringify(body) });
      expect(answer.statusCode, answer.body).toBe(200);
    }
    expect(await world.itemCount()).toBe(3);
  });
});
