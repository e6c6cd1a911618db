import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { runTask, type SourceRunTaskInput } from '../../support/runTask.js';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabases.js';
import { failure } from '../../support/until.js';

/**
 * READ ONLY is no sandbox on MySQL/MariaDB: a procedure may COMMIT the task's
 * transaction and then write, and a bare COMMIT or SET would run before the run
 * could see it returns no rows. The source prepares every statement first and
 * runs none the server describes without result columns (raw tasks included:
 * every run prepares, whatever was checked at start).
 */
let db: TestDatabase;
let pools: DbPools;

beforeAll(async () => {
  pools = createDbPools();
  db = await createTestDatabase('mysql');
  await db.query('CREATE TABLE victim (id int)');
  await db.query('CREATE PROCEDURE p() BEGIN COMMIT; INSERT INTO victim VALUES (1); SELECT 1 AS one; END');
  // A statement that marks the session when it runs: a counter in a table the task cannot see.
  await db.query('CREATE TABLE ran (n int)');
});

afterAll(async () => {
  await pools?.end();
  await db?.drop();
});

const input = (query: string): SourceRunTaskInput => ({ source: db.db(), results: db.results(), query, args: [], table: 'results_refused', timeoutMs: 30_000 });

it.each([
  'CALL p()',
  'COMMIT',
  'SET @sqljobber_probe = 1',
  'DO 1',
  'SELECT 1 INTO @sqljobber_probe',
])('refuses %j before it runs', async (query) => {
  const err = await failure(runTask(pools, input(query)));

  expect(String(err)).toMatch(/refused before it ran/);
  expect(await db.query('SELECT count(*) FROM victim')).toEqual([['0']]);
  expect(await db.query("SHOW TABLES LIKE 'results\\_refused'")).toEqual([]);
});

it('still runs a SELECT, and a procedure that only reads is still refused', async () => {
  await db.query('CREATE PROCEDURE only_reads() SELECT 2 AS two');
  const out = await runTask(pools, input('SELECT 1 AS one'));
  expect(out.count).toBe(1);

  expect(String(await failure(runTask(pools, input('CALL only_reads()'))))).toMatch(/refused before it ran/);
});
