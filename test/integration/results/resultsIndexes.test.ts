/**
 * The `index` task tag: runTask builds the indexes on a PostgreSQL and a
 * MariaDB results table before the swap, `_row` last; a column the results lack,
 * or one of a kind nothing orders, is a warning and no index. An explore query's
 * filter and order then use the index on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbPools } from '../../../lib/db/createDbPools.js';
import { resultsDb } from '../../../lib/db/resultsDb.js';
import type { ResultsConfig } from '../../../lib/config/types.js';
import { runTask } from '../../support/runTask.js';
import { pageRangeSql } from '../../../lib/db/postgres/pageRangeSql.js';
import { compileAnchor, compilePage } from '../../../lib/results/explore/compileExplore.js';
import { parseExplore } from '../../../lib/results/explore/parseExplore.js';
import { planExplore } from '../../../lib/results/explore/planExplore.js';
import { closeEngineDatabases, openEngineDatabases, type EngineDatabases } from '../../support/testDatabases.js';

const QUERY = `SELECT g AS id, (g % 977)::numeric(12,2) AS total, CASE g % 4 WHEN 0 THEN 'delivered' WHEN 1 THEN 'shipped' ELSE 'pending' END AS status,
  date '2024-01-01' + (g % 300) AS order_date, jsonb_build_object('g', g) AS doc FROM generate_series(1, 30000) g`;

let pools: DbPools;
let dbs: EngineDatabases;

beforeAll(async () => {
  ({ pools, dbs } = await openEngineDatabases());
});

afterAll(async () => {
  await closeEngineDatabases(pools, dbs);
});

describe.each(['postgres', 'mysql'] as const)('index tag on %s', (type) => {
  it('builds the indexes before the swap, warns of what it cannot index, and explore queries use them', async () => {
    const results = dbs[type]!.results({ name: `res_${type}` });
    const out = await runTask(pools, {
      source: dbs.postgres!.db(),
      results,
      query: QUERY,
      args: [],
      table: 'results_idx',
      timeoutMs: 60_000,
      indexes: [['total'], ['status', 'order_date'], ['nope'], ['doc']],
    });
    expect(out.count).toBe(30000);
    expect(out.warnings).toEqual([
      'index (nope): the results have no column "nope"; index not built',
      'index (doc): "doc" is JSON, which is not indexed; index not built',
    ]);
    const db = dbs[type]!;
    const indexed =
      type === 'postgres'
        ? (await db.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'results_idx' AND indexdef LIKE '%USING btree%' ORDER BY indexdef`)).map((r) => r[0]!.replace(/^.*USING btree /, ''))
        : (
            await db.query(
              `SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'results_idx' AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME ORDER BY 1`,
            )
          ).map((r) => r[0]);
    expect(indexed).toEqual(
      type === 'postgres' ? ['(status NULLS FIRST, order_date NULLS FIRST, _row)', '(total NULLS FIRST, _row)'] : ['status,order_date,_row', 'total,_row'],
    );

    // An explore page ordered by the indexed column with a filter on it reads the index, not the table.
    const { explore } = resultsDb(pools, results);
    const columns = (await explore.columns('results_idx'))!;
    const plan = planExplore(parseExplore([['total', 'gte.500'], ['order', 'total']]).query, columns);
    const page = compilePage(explore.dialect, plan, 'results_idx', 100);
    const explain = await db.query(`EXPLAIN ${page.sql}`, page.params);
    const text = explain.map((r) => r.join(' ')).join('\n');
    if (type === 'postgres') expect(text).toMatch(/Index Scan using results_idx_total__row_idx|Index Scan using \w*total\w*/);
    else expect(explain[0]![5]).toBe('total'); // EXPLAIN's `key`: the index on (total, _row)
  });
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Every row's `_row` paged through by readPage in uneven pages, read as `rows` or by `each`; each row's `id` must be its `_row`. */
async function pageAll(results: ResultsConfig, table: string, how: 'rows' | 'each'): Promise<number[]> {
  const seen: number[] = [];
  for (let after = 0, limit = 1; ; limit = (limit * 7 + 3) % 4001 || 1) {
    const page = (await resultsDb(pools, results).readPage({ table, afterRow: after, limit }))!;
    let n = 0;
    const take = (row: number, id: string | null | undefined) => {
      expect(id).toBe(String(row));
      seen.push(row);
      after = row;
      n++;
    };
    if (how === 'rows') for await (const row of page.rows) take(row.row, row.values[0]);
    else await page.each((row, fields) => (take(row, fields[1]), true));
    if (n < limit) break;
  }
  return seen;
}

describe('pages of a postgres table with no `_row` index', () => {
  it('pages a table whose rows lie on disk out of `_row` order: each row once, in order, both ways', async () => {
    const results = dbs.postgres!.results({ name: 'res_disordered' });
    const db = dbs.postgres!;
    await db.query('CREATE TABLE disordered (_row BIGINT NOT NULL, id BIGINT)');
    // Written in a random order: the page's range comes out of order and the sorted read takes over.
    await db.query('INSERT INTO disordered SELECT g, g FROM generate_series(1, 5000) g ORDER BY random()');
    expect(await pageAll(results, 'disordered', 'rows')).toEqual(range(5000));
    expect(await pageAll(results, 'disordered', 'each')).toEqual(range(5000));
  });

  it('finds the rows a short range missed before its first block', async () => {
    const results = dbs.postgres!.results({ name: 'res_tail_first' });
    const db = dbs.postgres!;
    await db.query('CREATE TABLE tail_first (_row BIGINT NOT NULL, id BIGINT)');
    // The last 100 rows lie in the first block: the range of the last page starts in the last block, finds none in order and ends short.
    await db.query('INSERT INTO tail_first SELECT g, g FROM generate_series(4901, 5000) g');
    await db.query('INSERT INTO tail_first SELECT g, g FROM generate_series(1, 4900) g');
    for (const how of ['rows', 'each'] as const) {
      const page = (await resultsDb(pools, results).readPage({ table: 'tail_first', afterRow: 4900, limit: 500 }))!;
      const seen: number[] = [];
      if (how === 'rows') for await (const row of page.rows) seen.push(row.row);
      else await page.each((row) => (seen.push(row), true));
      expect(seen).toEqual(range(100).map((i) => 4900 + i));
    }
    expect(await pageAll(results, 'tail_first', 'rows')).toEqual(range(5000));

    // Told the table's row count (a job's), a page that runs in order up to it reads nothing more:
    // told 4900, the table ends there, and the 100 rows in the first block are not looked for.
    const told = (await resultsDb(pools, results).readPage({ table: 'tail_first', afterRow: 4800, limit: 500, rows: 4900 }))!;
    const seen: number[] = [];
    await told.each((row) => (seen.push(row), true));
    expect(seen).toEqual(range(100).map((i) => 4800 + i));
  });

  it('a results table has none, and a page reads its own blocks through a TID range: all rows, in order, none twice', async () => {
    const results = dbs.postgres!.results({ name: 'res_row_index' });
    const out = await runTask(pools, {
      source: dbs.postgres!.db(),
      results,
      query: `SELECT g AS id, repeat('x', g % 300) AS pad FROM generate_series(1, 20000) g`,
      args: [],
      table: 'results_rows',
      timeoutMs: 60_000,
    });
    expect(out.count).toBe(20000);
    const db = dbs.postgres!;
    expect(await db.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'results_rows'`)).toEqual([]);
    expect(await db.query(`SELECT conname FROM pg_constraint WHERE conrelid = 'results_rows'::regclass`)).toEqual([]);
    const [[pages]] = (await db.query(`SELECT pg_relation_size('results_rows') / 8192`)) as [[string]];
    expect(Number(pages)).toBeGreaterThan(300);

    // The statement a page runs: a TID range scan that reads the block search's probes and the page's own blocks, not the table.
    const sql = pageRangeSql([{ name: 'id', type: 'BIGINT' }], 'results_rows');
    const blocksRead = async (table: string) => {
      const [[json]] = (await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql.replaceAll('"results_rows"', `"${table}"`)}`, ['15000', '1001'])) as [[string]];
      const root = (typeof json === 'string' ? JSON.parse(json) : json)[0].Plan;
      expect(JSON.stringify(root)).toContain('Tid Range Scan');
      expect(root['Actual Rows']).toBe(1001);
      return Number(root['Shared Hit Blocks']) + Number(root['Shared Read Blocks']);
    };
    expect(await blocksRead('results_rows')).toBeLessThan(60);

    // Uneven pages over rows of uneven width: every `_row` once, in order.
    expect(await pageAll(results, 'results_rows', 'rows')).toEqual(range(20000));
    expect(await pageAll(results, 'results_rows', 'each')).toEqual(range(20000));

    // A reuse copy pages the same way.
    const copies = resultsDb(pools, results);
    await copies.register({ table: 'results_rows_copy', jobId: 'copy', expiresAt: new Date(Date.now() + 3_600_000), owner: 'run-2#1' });
    expect(await copies.copy('results_rows', 'results_rows_copy', { owner: 'run-2#1', signal: new AbortController().signal })).toBe(20000);
    expect(await blocksRead('results_rows_copy')).toBeLessThan(60);
    expect(await pageAll(results, 'results_rows_copy', 'each')).toEqual(range(20000));

    // An explore page after a cursor finds its anchor row by the same search, not by a full scan.
    const { explore } = resultsDb(pools, results);
    const columns = (await explore.columns('results_rows'))!;
    const anchor = compileAnchor(explore.dialect, planExplore(parseExplore([['order', 'id.desc']]).query, columns), 'results_rows', 15000);
    const [[json]] = (await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${anchor.sql}`, anchor.params)) as [[string]];
    const root = (typeof json === 'string' ? JSON.parse(json) : json)[0].Plan;
    expect(root['Actual Rows']).toBe(1);
    expect(Number(root['Shared Hit Blocks']) + Number(root['Shared Read Blocks'])).toBeLessThan(40);
    const values: (string | null)[][] = [];
    for await (const row of explore.values(anchor)) values.push(row);
    expect(values).toEqual([['15000']]);
  });

  it('a reuse copy of a table an earlier version wrote (a `_row` key, a task index) keeps the task index alone and pages in order', async () => {
    const results = dbs.postgres!.results({ name: 'res_legacy_copy' });
    const db = dbs.postgres!;
    // Variable widths: an INSERT would put later short rows in earlier blocks' free space.
    await db.query(`CREATE TABLE legacy_rows AS SELECT g::int8 AS _row, g AS id, repeat('y', (g * 7919) % 500) AS pad FROM generate_series(1, 20000) g`);
    await db.query('ALTER TABLE legacy_rows ADD PRIMARY KEY (_row)');
    await db.query('CREATE INDEX ON legacy_rows (id NULLS FIRST, _row)');
    const copies = resultsDb(pools, results);
    await copies.register({ table: 'legacy_copy', jobId: 'copy', expiresAt: new Date(Date.now() + 3_600_000), owner: 'run-2#1' });
    expect(await copies.copy('legacy_rows', 'legacy_copy', { owner: 'run-2#1', signal: new AbortController().signal })).toBe(20000);
    const defs = (await db.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'legacy_copy'`)).map((r) => r[0]!.replace(/^.*USING /, ''));
    expect(defs).toEqual(['btree (id NULLS FIRST, _row)']);
    // On disk in `_row` order: every row follows the one before it in a scan from the first block.
    const [[outOfOrder]] = (await db.query(`SELECT count(*) FROM (SELECT _row - lag(_row) OVER () AS step FROM (SELECT _row FROM legacy_copy) t) s WHERE step <> 1`)) as [[string]];
    expect(outOfOrder).toBe('0');
    expect(await pageAll(results, 'legacy_copy', 'rows')).toEqual(range(20000));
  });
});
