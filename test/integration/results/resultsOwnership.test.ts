/**
 * 3: results tables of a reused job ID against real PostgreSQL and MariaDB. The
 * catalog records which attempt (`run_id#attempt`) holds a table's name; an older
 * attempt or run never swaps its table in over, drops, or forgets a newer one's,
 * and a crashed MySQL writer's temporary tables are swept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsConfig } from '../../../lib/config/types.js';
import type { DbPools } from '../../../lib/db/createDbPools.js';
import { runTask } from '../../support/runTask.js';
import { closeEngineDatabases, openEngineDatabases, type TestDatabase, type EngineDatabases } from '../../support/testDatabases.js';
import { failure } from '../../support/until.js';
import { resultsDb } from '../../../lib/db/resultsDb.js';
import { CATALOG_TABLE } from '../../../lib/db/port/catalog.js';
import { SupersededError } from '../../../lib/db/port/catalog.js';

let pools: DbPools;
let dbs: EngineDatabases;

beforeAll(async () => {
  ({ pools, dbs } = await openEngineDatabases());
});
afterAll(async () => {
  await closeEngineDatabases(pools, dbs);
});

const later = () => new Date(Date.now() + 3600_000);

describe.each(['postgres', 'mysql'] as const)('results table ownership on %s', (type) => {
  let db: TestDatabase;
  let results: ResultsConfig;
  const q = (name: string) => (type === 'postgres' ? `"${name}"` : `\`${name}\``);
  const query = type === 'postgres' ? 'SELECT $1::text AS v' : 'SELECT ? AS v';
  const exists = async (t: string) =>
    (type === 'postgres'
      ? await db.query(`SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = '${t}'`)
      : await db.query(`SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${t}'`)
    ).length > 0;
  const owner = async (t: string) => (await db.query(`SELECT owner FROM ${q(CATALOG_TABLE)} WHERE table_name = '${t}'`))[0]?.[0] ?? 'none';
  const rows = async (t: string) => (await db.query(`SELECT v FROM ${q(t)} ORDER BY _row`)).map((r) => String(r[0]));
  /** One attempt's write of `table`, as the worker does it: register (claiming the name), then run. */
  const attempt = async (table: string, who: string, value: string) => {
    await resultsDb(pools, results).register({ table, jobId: table, owner: who, expiresAt: later() });
    return () => runTask(pools, { source: db.db(), results, query, args: [value], table, timeoutMs: 10_000, owner: who });
  };

  beforeAll(() => {
    db = dbs[type]!;
    results = db.results({ name: `res_${type}` });
  });

  it('a stale attempt cannot swap its table in after a newer attempt registered: SupersededError, the newer table stays', async () => {
    const table = `results_stale_${type}`;
    const older = await attempt(table, 'run1#1', 'old');
    const newer = await attempt(table, 'run1#2', 'new');
    await newer();
    expect(await failure(older())).toBeInstanceOf(SupersededError);
    expect(await rows(table)).toEqual(['new']);
    expect(await owner(table)).toBe('run1#2');
    // Nor can it move the newer one's expiry.
    expect(await resultsDb(pools, results).renew({ table, owner: 'run1#1', expiresAt: new Date(Date.now() + 10_000) })).toBe(false);
    expect(await resultsDb(pools, results).renew({ table, owner: 'run1#2', expiresAt: later() })).toBe(true);
  });

  it('a cancelled run\'s cleanup leaves the next run\'s table of a reused ID alone, and drops its own', async () => {
    const table = `results_reused_${type}`;
    await (await attempt(table, 'runA#1', 'a'))();
    // Cancelled; the ID is reused and the next run has claimed the name (and written).
    await (await attempt(table, 'runB#1', 'b'))();
    expect(await resultsDb(pools, results).release(table, (o) => o === 'runA#1')).toBe(false);
    expect(await rows(table)).toEqual(['b']);
    expect(await resultsDb(pools, results).release(table, (o) => o === 'runB#1')).toBe(true);
    expect(await exists(table)).toBe(false);
    expect(await owner(table)).toBe('none');
  });

  it('a purge of an earlier run neither drops nor forgets a new run\'s table, so the sweeper still expires it', async () => {
    const table = `results_purge_${type}`;
    await (await attempt(table, 'runP#1', 'p'))();
    await resultsDb(pools, results).register({ table, jobId: table, owner: 'runQ#1', expiresAt: later() });
    const purgeOfP = (o: string | null) => o === null || o.startsWith('runP#');
    expect(await resultsDb(pools, results).release(table, purgeOfP)).toBe(false);
    expect(await owner(table)).toBe('runQ#1');
    expect(await exists(table)).toBe(true);
  });

  it.runIf(type === 'mysql')('sweeps the temporary tables a crashed writer left, once older than any writer runs', async () => {
    await db.query('CREATE TABLE `sqljobber_tmp_00dead00beef0000` (_row BIGINT PRIMARY KEY)');
    await db.query('CREATE TABLE `sqljobber_old_00dead00beef0000` (_row BIGINT PRIMARY KEY)');
    await db.query('CREATE TABLE `sqljobberXtmpXkeep` (_row BIGINT PRIMARY KEY)');
    expect(await resultsDb(pools, results).sweepLeftovers(3600)).toBe(0);
    await new Promise((r) => setTimeout(r, 2100));
    expect(await resultsDb(pools, results).sweepLeftovers(1)).toBe(2);
    expect(await exists('sqljobber_tmp_00dead00beef0000')).toBe(false);
    expect(await exists('sqljobber_old_00dead00beef0000')).toBe(false);
    expect(await exists('sqljobberXtmpXkeep')).toBe(true);
  });
});
