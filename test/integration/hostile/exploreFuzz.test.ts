/**
 * Hostile explore parameters against real results tables on PostgreSQL and
 * MariaDB (test/support/exploreFuzz.ts): 1,000 query strings per engine, every
 * answer a 400 with a message or a page; no request reaches a database as an
 * error. bench/exploreFuzz.ts runs 10,000.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbPools } from '../../../lib/db/createDbPools.js';
import { runTask } from '../../support/runTask.js';
import { FUZZ_QUERY, hostileQuery, pgLoggedErrors, sendHostile } from '../../support/exploreFuzz.js';
import { closeEngineDatabases, openEngineDatabases, type EngineDatabases } from '../../support/testDatabases.js';

const CASES = 1000;
let pools: DbPools;
let dbs: EngineDatabases;

beforeAll(async () => {
  ({ pools, dbs } = await openEngineDatabases());
  for (const type of ['postgres', 'mysql'] as const) {
    await runTask(pools, { source: dbs.postgres.db(), results: dbs[type]!.results({ name: `res_${type}` }), query: FUZZ_QUERY, args: [], table: 'results_fuzz', timeoutMs: 30_000 });
  }
}, 60_000);

afterAll(async () => {
  await closeEngineDatabases(pools, dbs);
});

describe.each(['postgres', 'mysql'] as const)('hostile explore parameters on %s', (type) => {
  it(`${CASES} query strings: each a 400 with a message or a page, never a database error`, async () => {
    const seen = { page: 0, '400': 0 };
    await fc.assert(
      fc.asyncProperty(hostileQuery, async (raw) => {
        seen[await sendHostile(pools, dbs[type]!.results({ name: `res_${type}` }), 'results_fuzz', raw)]++;
      }),
      { numRuns: CASES },
    );
    // Both kinds of answer happen: the fuzz reaches the database, not only the parser.
    expect(seen.page).toBeGreaterThan(CASES / 20);
    expect(seen['400']).toBeGreaterThan(CASES / 4);
  }, 120_000);
});

it("the PostgreSQL server's log holds no error of this file's database (where the log can be read)", () => {
  const logged = pgLoggedErrors(dbs.postgres!.database);
  if (logged === undefined) return;
  expect(logged).toEqual([]);
});
