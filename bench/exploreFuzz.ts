/**
 * Explore fuzz benchmark (not a test): `npx tsx bench/exploreFuzz.ts [cases] [seed]`.
 *
 * Sends `cases` (default 10,000) hostile query strings for GET /jobs/{id}/results
 * (test/support/exploreFuzz.ts: names, operators, values, encodings) to the
 * results reader, against a results table on PostgreSQL and on MariaDB. Every
 * answer must be a 400 with a message or a page. Then the PostgreSQL server's
 * log must hold no error of the benchmark's database (MariaDB logs none; there,
 * a statement's error would have reached its request). Prints the answers by
 * kind and the rate; exits non-zero, with the query string, on the first breach.
 */
import fc from 'fast-check';
import { createDbPools } from '../lib/db/createDbPools.js';
import { createTestDatabase } from '../test/support/testDatabases.js';
import { FUZZ_QUERY, hostileQuery, pgLoggedErrors, sendHostile } from '../test/support/exploreFuzz.js';
import { runTask } from '../test/support/runTask.js';

const CASES = Number(process.argv[2] ?? 10_000);
const SEED = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);

const pools = createDbPools();
const pgDb = await createTestDatabase('postgres');
const myDb = await createTestDatabase('mysql');
let failed = false;
try {
  console.log(`exploreFuzz: ${CASES} hostile query strings per engine, seed ${SEED}`);
  for (const db of [pgDb, myDb]) {
    const results = db.results({ name: `fuzz_${db.type}` });
    await runTask(pools, { source: pgDb.db(), results, query: FUZZ_QUERY, args: [], table: 'results_fuzz', timeoutMs: 60_000 });
    const seen = { page: 0, '400': 0 };
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(hostileQuery, async (raw) => {
        seen[await sendHostile(pools, results, 'results_fuzz', raw)]++;
      }),
      { numRuns: CASES, seed: SEED },
    );
    const s = (performance.now() - started) / 1000;
    console.log(`  ${db.type}: ${seen.page} pages, ${seen['400']} refusals (400, or 409 for a cursor or run of another query), ${Math.round(CASES / s)}/s`);
  }
  const logged = pgLoggedErrors(pgDb.database);
  if (logged === undefined) console.log("  PostgreSQL's log: not readable here, not checked");
  else if (logged.length > 0) throw new Error(`PostgreSQL logged ${logged.length} error(s) for the benchmark's database:\n${logged.slice(0, 5).join('\n')}`);
  else console.log("  PostgreSQL's log: no error of the benchmark's database");
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  await pools.end();
  await Promise.all([pgDb.drop(), myDb.drop()]);
}
process.exit(failed ? 1 : 0);
