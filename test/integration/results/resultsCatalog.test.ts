/**
 * The results catalog and its sweeper against real PostgreSQL and MariaDB
 * results databases: expiry, idempotent recovery after a sweeper dies between
 * its drop and its delete, two sweepers at once, and a registration racing a sweep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsConfig } from '../../../lib/config/types.js';
import type { DbPools } from '../../../lib/db/createDbPools.js';
import { closeEngineDatabases, openEngineDatabases, type TestDatabase, type EngineDatabases } from '../../support/testDatabases.js';
import { sleep } from '../../support/until.js';
import { resultsDb } from '../../../lib/db/resultsDb.js';
import { CATALOG_TABLE } from '../../../lib/db/port/catalog.js';

let pools: DbPools;
let dbs: EngineDatabases;

beforeAll(async () => {
  ({ pools, dbs } = await openEngineDatabases());
});

afterAll(async () => {
  await closeEngineDatabases(pools, dbs);
});

const NOW = new Date('2030-01-01T00:00:00Z');
const past = (s = 1) => new Date(NOW.getTime() - s * 1000);
const future = (s = 3600) => new Date(NOW.getTime() + s * 1000);

describe.each(['postgres', 'mysql'] as const)('results catalog on %s', (type) => {
  let db: TestDatabase;
  let results: ResultsConfig;
  const q = (name: string) => (type === 'postgres' ? `"${name}"` : `\`${name}\``);

  async function tables(): Promise<string[]> {
    const rows =
      type === 'postgres'
        ? await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'results%' ORDER BY 1`)
        : await db.query(`SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'results%' ORDER BY 1`);
    return rows.map((r) => String(r[0]));
  }
  async function entries(): Promise<string[]> {
    return (await db.query(`SELECT table_name FROM ${q(CATALOG_TABLE)} ORDER BY table_name`)).map((r) => String(r[0]));
  }
  async function make(name: string, expiresAt: Date) {
    await db.query(`CREATE TABLE ${q(name)} (_row BIGINT PRIMARY KEY, v TEXT)`);
    await resultsDb(pools, results).register({ table: name, jobId: name.slice('results_'.length), expiresAt });
  }
  async function reset() {
    for (const t of await tables()) await db.query(`DROP TABLE ${q(t)}`);
    await db.query(`DELETE FROM ${q(CATALOG_TABLE)}`);
  }

  beforeAll(() => {
    db = dbs[type]!;
    results = db.results({ name: `res_${type}` });
  });

  it('drops expired tables and their entries, keeps the others, and moves an expiry on registering again', async () => {
    await make('results_old', past());
    await make('results_new', future());
    await make('results_Old', past(60)); // a different table: names are case-sensitive
    await resultsDb(pools, results).register({ table: 'results_gone', jobId: 'gone', expiresAt: past() }); // no table (a failed attempt)
    expect(await resultsDb(pools, results).sweep(NOW)).toEqual({ dropped: 3, skipped: [] });
    expect(await tables()).toEqual(['results_new']);
    expect(await entries()).toEqual(['results_new']);
    expect(await resultsDb(pools, results).sweep(NOW)).toEqual({ dropped: 0, skipped: [] });

    await resultsDb(pools, results).register({ table: 'results_new', jobId: 'new', expiresAt: past() });
    expect((await resultsDb(pools, results).sweep(NOW)).dropped).toBe(1);
    expect(await tables()).toEqual([]);
    expect(await entries()).toEqual([]);
  });

  it('sweeps in batches of `limit`, oldest expiry first', async () => {
    for (let i = 1; i <= 5; i++) await make(`results_b${i}`, past(100 - i));
    expect((await resultsDb(pools, results).sweep(NOW, 2)).dropped).toBe(2);
    expect(await tables()).toEqual(['results_b3', 'results_b4', 'results_b5']);
    expect((await resultsDb(pools, results).sweep(NOW, 2)).dropped).toBe(2);
    expect((await resultsDb(pools, results).sweep(NOW, 2)).dropped).toBe(1);
    expect(await entries()).toEqual([]);
  });

  it('a sweeper that dies between drop and delete leaves nothing the next sweep cannot finish', async () => {
    await reset();
    await make('results_c1', past(3));
    await make('results_c2', past(2));
    await make('results_c3', future());
    const crash = resultsDb(pools, results).sweep(NOW, 100, {
      afterDrop: (table) => {
        throw new Error(`sweeper died after dropping ${table}`);
      },
    });
    await expect(crash).rejects.toThrow('sweeper died after dropping results_c1');
    // The entry survived; PostgreSQL also rolled the drop back, MySQL's DDL had committed.
    expect(await entries()).toEqual(['results_c1', 'results_c2', 'results_c3']);
    expect(await tables()).toEqual(type === 'postgres' ? ['results_c1', 'results_c2', 'results_c3'] : ['results_c2', 'results_c3']);

    expect(await resultsDb(pools, results).sweep(NOW)).toEqual({ dropped: 2, skipped: [] });
    expect(await tables()).toEqual(['results_c3']);
    expect(await entries()).toEqual(['results_c3']);
  });

  it('two sweepers at once share the work and never fail on each other', async () => {
    await reset();
    for (let i = 0; i < 40; i++) await make(`results_p${String(i).padStart(2, '0')}`, past(1 + i));
    const [a, b] = await Promise.all([resultsDb(pools, results).sweep(NOW, 25), resultsDb(pools, results).sweep(NOW, 25)]);
    const more = await resultsDb(pools, results).sweep(NOW, 100);
    expect(a.dropped + b.dropped + more.dropped).toBe(40);
    expect(a.dropped + b.dropped).toBeGreaterThanOrEqual(25);
    expect(await tables()).toEqual([]);
    expect(await entries()).toEqual([]);
  });

  it('a registration racing a sweep of the same table waits for it, and its new expiry survives', async () => {
    await reset();
    await make('results_race', past());
    let registered = false;
    let registering: Promise<void> | undefined;
    const sweep = resultsDb(pools, results).sweep(NOW, 100, {
      afterDrop: async () => {
        // A new run of the same job ID registers while the sweeper is between drop and delete.
        registering = resultsDb(pools, results).register({ table: 'results_race', jobId: 'race', expiresAt: future() }).then(() => {
          registered = true;
        });
        await sleep(300);
        expect(registered).toBe(false);
      },
    });
    expect((await sweep).dropped).toBe(1);
    await registering;
    expect(registered).toBe(true);
    expect(await entries()).toEqual(['results_race']);
    expect((await resultsDb(pools, results).sweep(NOW)).dropped).toBe(0);
  });

  it('a table read by a long query is left for the next sweep, not waited on forever', async () => {
    await reset();
    await make('results_busy', past());
    // A reader holds the table: PostgreSQL in an open transaction; MariaDB through a metadata lock.
    const hold =
      type === 'postgres'
        ? db.query(`SELECT pg_sleep(2.5), count(*) FROM ${q('results_busy')}`)
        : db.query(`SELECT SLEEP(2.5), COUNT(*) FROM ${q('results_busy')}`);
    await sleep(300);
    const started = Date.now();
    const out = await resultsDb(pools, results).sweep(NOW, 100, { lockWaitSeconds: 1 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(out.dropped).toBe(0);
    expect(out.skipped).toHaveLength(1);
    expect(out.skipped[0]).toMatch(/^results_busy: .*lock/i);
    await hold;
    expect(await entries()).toEqual(['results_busy']);
    expect((await resultsDb(pools, results).sweep(NOW)).dropped).toBe(1);
    expect(await entries()).toEqual([]);
  });

  it('forgets the entry of a purged table', async () => {
    await reset();
    await make('results_purged', future());
    await db.query(`DROP TABLE ${q('results_purged')}`);
    await resultsDb(pools, results).forget('results_purged');
    expect(await entries()).toEqual([]);
  });
});
