/**
 * Explore queries against a direct SELECT, on a typed results table in a
 * PostgreSQL and a MariaDB results database: fast-check draws select, filter
 * and order combinations and page sizes; read page by page through the
 * results reader, the rows must be exactly the direct query's rows, in order,
 * none twice, none missing. Aggregates are checked against GROUP BY.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbType, ResultsConfig } from '../../../lib/config/types.js';
import type { DbPools } from '../../../lib/db/createDbPools.js';
import type { JobItem } from '../../../lib/jobs/types.js';
import { readJobResults } from '../../../lib/results/readJobResults.js';
import { finishedJob, readerDeps } from '../../support/resultsReader.js';
import { closeEngineDatabases, openEngineDatabases, type EngineDatabases } from '../../support/testDatabases.js';

const ROWS = 400;
const TABLE = 'results_explore';
const STATUSES = ['delivered', 'shipped', 'Pending', 'pending', 'cancelled'];

/** The table's columns, how each engine declares them, and how a test value is drawn and written. */
const COLS = {
  id: { pg: 'BIGINT', my: 'BIGINT' },
  big: { pg: 'BIGINT', my: 'BIGINT' },
  total: { pg: 'NUMERIC(14,2)', my: 'DECIMAL(14,2)' },
  ratio: { pg: 'DOUBLE PRECISION', my: 'DOUBLE' },
  status: { pg: 'TEXT', my: 'LONGTEXT' },
  day: { pg: 'DATE', my: 'DATE' },
  at: { pg: 'TIMESTAMP(6)', my: 'DATETIME(6)' },
  paid: { pg: 'BOOLEAN', my: 'BOOLEAN' },
  doc: { pg: 'JSONB', my: 'JSON' },
} as const;
type Col = keyof typeof COLS;
const ORDERABLE: Col[] = ['big', 'total', 'ratio', 'status', 'day', 'at', 'paid'];

/** Deterministic pseudo-random rows with NULLs, ties and values that sort differently as text. */
function rowValues(i: number): (string | null)[] {
  const h = (i * 2654435761) % 4294967296;
  const nul = (k: number) => (h >> k) % 9 === 0;
  return [
    String(i),
    nul(1) ? null : String(BigInt(h % 7) * 1_000_000_000_000_007n - 3_000_000_000_000_000n),
    nul(2) ? null : `${(h % 2000) - 700}.${String(h % 100).padStart(2, '0')}`,
    nul(3) ? null : String(((h % 1000) - 300) / 7),
    nul(4) ? null : STATUSES[h % STATUSES.length]!,
    nul(5) ? null : `2024-${String((h % 12) + 1).padStart(2, '0')}-${String((h % 28) + 1).padStart(2, '0')}`,
    nul(6) ? null : `2024-03-${String((h % 9) + 1).padStart(2, '0')} 10:${String(h % 60).padStart(2, '0')}:00.${h % 2 ? '5' : '25'}`,
    nul(7) ? null : h % 3 === 0 ? 'true' : 'false',
    nul(8) ? null : JSON.stringify({ kind: STATUSES[(h >> 3) % STATUSES.length], n: h % 10 }),
  ];
}

let pools: DbPools;
let dbs: EngineDatabases;

beforeAll(async () => {
  ({ pools, dbs } = await openEngineDatabases());
  for (const type of ['postgres', 'mysql'] as const) {
    const db = dbs[type];
    const key = type === 'postgres' ? 'pg' : 'my';
    const q = (n: string) => (type === 'postgres' ? `"${n}"` : `\`${n}\``);
    await db.query(`CREATE TABLE ${q(TABLE)} (${q('_row')} BIGINT PRIMARY KEY, ${Object.entries(COLS).map(([n, t]) => `${q(n)} ${t[key]}`).join(', ')})`);
    const rows = Array.from({ length: ROWS }, (_, i) => rowValues(i + 1));
    const ph = (r: number) => `(${Array.from({ length: 10 }, (_, c) => (type === 'postgres' ? `$${r * 10 + c + 1}` : '?')).join(', ')})`;
    const values = rows.flatMap((r, i) => [String(i + 1), ...r.map((v, c) => (type === 'mysql' && c === 7 && v !== null ? (v === 'true' ? '1' : '0') : v))]);
    await db.query(`INSERT INTO ${q(TABLE)} VALUES ${rows.map((_, i) => ph(i)).join(', ')}`, values);
  }
}, 60_000);

afterAll(async () => {
  await closeEngineDatabases(pools, dbs);
});

const job = (results: ResultsConfig): JobItem => finishedJob(results, { job_id: 'x', count: ROWS, results_table: TABLE });
const deps = (results: ResultsConfig) => readerDeps(pools, results, job(results));

/** A filter as the test draws it: the query-string pair, and the same condition in plain SQL for the direct SELECT. */
interface Drawn {
  param: [string, string];
  sql: (type: DbType) => string;
}

const lit = (v: string) => `'${v.replaceAll("'", "''")}'`;
const OPS = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** Filters over the typed columns with values drawn from the data (so they match some rows). */
const filterArb: fc.Arbitrary<Drawn> = fc.oneof(
  fc.record({ col: fc.constantFrom<Col>('big', 'total', 'ratio', 'day', 'at', 'status'), op: fc.constantFrom(...(Object.keys(OPS) as (keyof typeof OPS)[])), row: fc.integer({ min: 1, max: ROWS }), not: fc.boolean() }).filter(
    ({ col, row }) => rowValues(row)[Object.keys(COLS).indexOf(col)] !== null,
  ).map(({ col, op, row, not }) => {
    const v = rowValues(row)[Object.keys(COLS).indexOf(col)]!;
    const typed = (type: DbType) => {
      if (col === 'status') return lit(v);
      if (col === 'ratio') return type === 'postgres' ? `${lit(v)}::float8` : `CAST(${lit(v)} AS DOUBLE)`;
      if (col === 'big') return type === 'postgres' ? `${v}::int8` : v;
      if (col === 'total') return v;
      if (col === 'day') return type === 'postgres' ? `DATE ${lit(v)}` : `DATE ${lit(v)}`;
      return type === 'postgres' ? `TIMESTAMP ${lit(v)}` : `CAST(${lit(v)} AS DATETIME(6))`;
    };
    return { param: [col, `${not ? 'not.' : ''}${op}.${v}`] as [string, string], sql: (t: DbType) => `${not ? 'NOT ' : ''}(${col} ${OPS[op]} ${typed(t)})` };
  }),
  fc.subarray(STATUSES, { minLength: 1 }).map((vs) => ({ param: ['status', `in.(${vs.join(',')})`] as [string, string], sql: () => `status IN (${vs.map(lit).join(', ')})` })),
  fc.record({ col: fc.constantFrom<Col>(...ORDERABLE, 'doc'), not: fc.boolean() }).map(({ col, not }) => ({
    param: [col, `${not ? 'not.' : ''}is.null`] as [string, string],
    sql: () => `${col} IS ${not ? 'NOT ' : ''}NULL`,
  })),
  fc.boolean().map((b) => ({ param: ['paid', `is.${b}`] as [string, string], sql: (t: DbType) => `paid = ${t === 'postgres' ? b : b ? 1 : 0}` })),
  fc.constantFrom('*end*', 'p*', '*ed').map((p) => ({
    param: ['status', `like.${p}`] as [string, string],
    sql: (t: DbType) => (t === 'postgres' ? `status LIKE ${lit(p.replaceAll('*', '%'))}` : `CONVERT(status USING utf8mb4) COLLATE utf8mb4_bin LIKE ${lit(p.replaceAll('*', '%'))}`),
  })),
  fc.constantFrom(...STATUSES).map((k) => ({
    param: ['doc->>kind', `eq.${k}`] as [string, string],
    sql: (t: DbType) => (t === 'postgres' ? `doc->>'kind' = ${lit(k)}` : `JSON_UNQUOTE(JSON_EXTRACT(doc, '$.kind')) = ${lit(k)}`),
  })),
);

const orderArb = fc.uniqueArray(fc.record({ col: fc.constantFrom(...ORDERABLE), desc: fc.boolean(), nulls: fc.constantFrom(undefined, 'first', 'last') }), {
  selector: (o) => o.col,
  minLength: 0,
  maxLength: 3,
});

type Order = { col: Col; desc: boolean; nulls: 'first' | 'last' | undefined }[];

function referenceOrder(type: DbType, order: Order): string {
  const terms = order.map(({ col, desc, nulls }) => {
    const nullsFirst = nulls === undefined ? !desc : nulls === 'first';
    if (type === 'postgres') return `${col} ${desc ? 'DESC' : 'ASC'} NULLS ${nullsFirst ? 'FIRST' : 'LAST'}`;
    return `(${col} IS NULL) ${nullsFirst ? 'DESC' : 'ASC'}, ${col} ${desc ? 'DESC' : 'ASC'}`;
  });
  terms.push(`_row ${order.at(-1)?.desc ? 'DESC' : 'ASC'}`);
  return terms.join(', ');
}

const orderParam = (order: Order) => order.map(({ col, desc, nulls }) => `${col}${desc ? '.desc' : ''}${nulls ? `.nulls${nulls}` : ''}`).join(',');

describe.each(['postgres', 'mysql'] as const)('explore on %s', (type) => {
  const results = () => dbs[type]!.results({ name: `res_${type}` });

  it('pages of random sizes equal a direct SELECT ... WHERE ... ORDER BY, no row twice or missing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(filterArb, { maxLength: 3 }),
        orderArb,
        fc.subarray(ORDERABLE),
        fc.array(fc.integer({ min: 1, max: 150 }), { minLength: 1, maxLength: 6 }),
        async (filters, order, select, sizes) => {
          const where = filters.length ? ` WHERE ${filters.map((f) => f.sql(type)).join(' AND ')}` : '';
          const expected = (await dbs[type]!.query(`SELECT _row FROM ${TABLE}${where} ORDER BY ${referenceOrder(type, order)}`)).map((r) => Number(r[0]));
          const params: [string, string][] = [['select', ['id', ...select].join(',')], ...filters.map((f) => f.param)];
          if (order.length) params.push(['order', orderParam(order)]);
          const got: number[] = [];
          let cursor: string | undefined;
          for (let i = 0; ; i++) {
            const limit = String(sizes[i % sizes.length]);
            const page = await readJobResults(deps(results()), 'x', { params: [...params, ['limit', limit], ...(cursor ? [['cursor', cursor] as [string, string]] : [])], prefer: i === 0 ? 'count=exact' : undefined });
            expect(page.count).toBe(expected.length);
            expect(page.columns.map((c) => c.name)).toEqual(['id', ...select]);
            for (const row of JSON.parse(page.body) as unknown[][]) got.push(Number(row[0]));
            cursor = page.next_cursor ?? undefined;
            if (!cursor) break;
            if (i > ROWS) throw new Error('endless paging');
          }
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('aggregates equal GROUP BY', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(filterArb, { maxLength: 2 }), fc.subarray(['status', 'paid', 'day'] as Col[], { maxLength: 2 }), fc.integer({ min: 1, max: 50 }), async (filters, groups, size) => {
        const where = filters.length ? ` WHERE ${filters.map((f) => f.sql(type)).join(' AND ')}` : '';
        const g = groups.join(', ');
        const orderRef = groups.map((c) => (type === 'postgres' ? `${c} ASC NULLS FIRST` : `${c} ASC`)).join(', ');
        const aggs = 'SUM(total), COUNT(*), MIN(big), MAX(ratio), AVG(total)';
        const expected = await dbs[type]!.query(`SELECT ${g ? `${g}, ` : ''}${aggs} FROM ${TABLE}${where}${g ? ` GROUP BY ${g} ORDER BY ${orderRef}` : ''}`);
        const params: [string, string][] = [['select', [...groups, 'total.sum()', 'count()', 'big.min()', 'ratio.max()', 'total.avg()'].join(',')], ...filters.map((f) => f.param)];
        const got: unknown[][] = [];
        let cursor: string | undefined;
        do {
          const page = await readJobResults(deps(results()), 'x', { params: [...params, ['limit', String(size)], ...(cursor ? [['cursor', cursor] as [string, string]] : [])], prefer: 'count=exact' });
          expect(page.count).toBe(g ? expected.length : 1);
          got.push(...(JSON.parse(page.body) as unknown[][]));
          cursor = page.next_cursor ?? undefined;
        } while (cursor);
        const norm = (v: unknown, i: number) => {
          if (v === null) return null;
          const col = groups[i];
          if (col === 'paid') return v === true || v === 't' || v === '1' ? '1' : '0';
          if (typeof v === 'number') return v;
          if (i >= groups.length && /^-?[\d.e+-]+$/.test(String(v))) return Number(v);
          return String(v);
        };
        expect(got.map((r) => r.map(norm))).toEqual(expected.map((r) => r.map(norm)));
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('counts only when asked (Prefer: count=exact); a count, once made, rides along in the cursor', async () => {
    const first = await readJobResults(deps(results()), 'x', { params: [['status', 'eq.shipped'], ['limit', '2']] });
    expect(first.count).toBeNull();
    const counted = await readJobResults(deps(results()), 'x', { params: [['status', 'eq.shipped'], ['limit', '2']], prefer: 'return=minimal, count=exact' });
    const [[n] = []] = await dbs[type]!.query(`SELECT COUNT(*) FROM ${TABLE} WHERE status = 'shipped'`);
    expect(counted.count).toBe(Number(n));
    const next = await readJobResults(deps(results()), 'x', { params: [['status', 'eq.shipped'], ['limit', '2'], ['cursor', counted.next_cursor!]] });
    expect(next.count).toBe(Number(n));
  });

  it('a cursor with other filters is a 409 cursor_query_mismatch', async () => {
    const page = await readJobResults(deps(results()), 'x', { params: [['status', 'eq.shipped'], ['limit', '2']] });
    expect(page.next_cursor).not.toBeNull();
    await expect(readJobResults(deps(results()), 'x', { params: [['status', 'eq.delivered'], ['cursor', page.next_cursor!]] })).rejects.toMatchObject({ statusCode: 409, code: 'cursor_query_mismatch' });
    await expect(readJobResults(deps(results()), 'x', { params: [['cursor', page.next_cursor!]] })).rejects.toMatchObject({ statusCode: 409, code: 'cursor_query_mismatch' });
  });
});
