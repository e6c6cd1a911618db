/**
 * The results explore grammar, pure: parsing the query string into a query,
 * checking it against typed columns (every refusal a 400 naming what is wrong),
 * compiling it for both engines with values only as bound placeholders, and the
 * typed client's builder writing what the parser reads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteColumn, resultsQueryParams } from '../../client/src/resultsQuery.js';
import { engineFor } from '../../lib/db/engines.js';
import type { ExploreColumn } from '../../lib/db/port/exploreDialect.js';
import { compileCount, compilePage } from '../../lib/results/explore/compileExplore.js';
import { MAX_FILTERS, parseExplore } from '../../lib/results/explore/parseExplore.js';
import { planExplore } from '../../lib/results/explore/planExplore.js';
import { queryPairs } from '../../lib/results/explore/queryPairs.js';
import { typedValue } from '../../lib/results/explore/typedValue.js';

const pgExploreDialect = engineFor('postgres').explore.dialect;
const mysqlExploreDialect = engineFor('mysql').explore.dialect;

const COLUMNS: ExploreColumn[] = [
  { name: 'order_id', type: 'BIGINT', sqlType: 'bigint' },
  { name: 'total', type: 'DECIMAL', sqlType: 'numeric' },
  { name: 'status', type: 'TEXT', sqlType: 'text' },
  { name: 'paid', type: 'BOOLEAN', sqlType: 'boolean' },
  { name: 'order_date', type: 'DATE', sqlType: 'date' },
  { name: 'doc', type: 'JSON', sqlType: 'jsonb' },
  { name: 'blob', type: 'BYTES', sqlType: 'bytea' },
  { name: 'order', type: 'TEXT', sqlType: 'text' },
  { name: 'a.b', type: 'TEXT', sqlType: 'text' },
  { name: 'at', type: 'TIME', sqlType: 'time without time zone' },
];

const plan = (pairs: [string, string][]) => planExplore(parseExplore(pairs).query, COLUMNS, pgExploreDialect.valueProblem);
const refused = (pairs: [string, string][]) => {
  try {
    plan(pairs);
  } catch (err) {
    expect((err as { statusCode?: number }).statusCode).toBe(400);
    return (err as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(pairs)}`);
};

describe('parsing', () => {
  it('reads the issue examples', () => {
    const { query, paging } = parseExplore(
      queryPairs(
        'select=order_id,customer_name,total&total=gte.1000&status=in.(delivered,shipped)&customer_name=ilike.*silva*&paid=is.true&order=total.desc.nullslast,order_id&limit=500&cursor=abc',
      ),
    );
    expect(paging).toEqual({ limit: '500', cursor: 'abc' });
    expect(query.select).toEqual([
      { kind: 'column', column: 'order_id' },
      { kind: 'column', column: 'customer_name' },
      { kind: 'column', column: 'total' },
    ]);
    expect(query.filters.map((f) => [f.column, f.op, f.value])).toEqual([
      ['total', 'gte', '1000'],
      ['status', 'in', ['delivered', 'shipped']],
      ['customer_name', 'ilike', '*silva*'],
      ['paid', 'is', 'true'],
    ]);
    expect(query.order).toEqual([
      { target: { kind: 'column', column: 'total' }, desc: true, nulls: 'last' },
      { target: { kind: 'column', column: 'order_id' }, desc: false },
    ]);
    expect(parseExplore(queryPairs('select=status,total.sum(),total.avg(),count()')).query.select).toEqual([
      { kind: 'column', column: 'status' },
      { kind: 'aggregate', fn: 'sum', column: 'total' },
      { kind: 'aggregate', fn: 'avg', column: 'total' },
      { kind: 'aggregate', fn: 'count' },
    ]);
  });

  it('escapes reserved words and names with dots in double quotes; JSON paths with ->>', () => {
    const { query } = parseExplore([
      ['"order"', 'eq.1'],
      ['"a.b"', 'neq.x'],
      ['doc->items->0->>kind', 'eq.book'],
      ['select', '"a.b",n:"order"'],
    ]);
    expect(query.filters.map((f) => [f.column, f.path])).toEqual([
      ['order', []],
      ['a.b', []],
      ['doc', ['items', '0', 'kind']],
    ]);
    expect(query.select).toEqual([
      { kind: 'column', column: 'a.b' },
      { kind: 'column', column: 'order', alias: 'n' },
    ]);
  });

  it('keeps repeated filters apart (ANDed), which API Gateway would join', () => {
    expect(parseExplore(queryPairs('total=gte.1&total=lte.9')).query.filters).toHaveLength(2);
  });

  it.each([
    [[['total', 'gte.abc']], /"abc" does not fit the DECIMAL column/],
    [[['nope', 'eq.1']], /unknown column "nope"/],
    [[['total', 'between.1']], /unknown operator "between"/],
    [[['select', 'total.median()']], /unknown function "median"/],
    [[['order_date', 'eq.2024-02-30']], /does not fit the DATE column/],
    [[['order_id', 'eq.99999999999999999999']], /within 64 bits/],
    [[['order', 'doc']], /cannot order by the JSON column "doc"/],
    [[['order', 'blob.desc']], /cannot order by the BYTES column "blob"/],
    [[['select', 'status.sum()']], /sum\(\) takes a number column/],
    [[['status', 'like.abc\\']], /lone backslash/],
    [[['paid', 'is.maybe']], /is takes null, true, false or unknown/],
    [[['status', 'is.true']], /is.true takes a BOOLEAN column/],
    [[['doc', 'eq.x']], /filtered only with is.null or by a path/],
    [[['status->>a', 'eq.x']], /->> reads JSON/],
    [[['doc->a', 'eq.x']], /end a JSON path with ->>/],
    [[['order', 'a'], ['order', 'b']], /order: given more than once/],
    [[['select', 'status,count()'], ['order', 'total']], /not one of the groups/],
    [[['status', 'in.()']], /empty list/],
    [[['at', 'eq.100:00:00']], /from 00:00:00 to 24:00:00/],
    [[['at', 'eq.24:00:01']], /from 00:00:00 to 24:00:00/],
  ] as [[string, string][], RegExp][])('refuses %j with a 400 naming it', (pairs, message) => {
    expect(refused(pairs)).toMatch(message);
  });

  it(`refuses more than ${MAX_FILTERS} filters`, () => {
    expect(refused(Array.from({ length: MAX_FILTERS + 1 }, () => ['status', 'eq.x'] as [string, string]))).toMatch(/at most 20 filters/);
  });

  it('a malformed percent-encoding is a 400 naming the parameter', () => {
    expect(() => queryPairs('status=eq.%E0%A4%A')).toThrow(/"status": malformed percent-encoding/);
  });
});

describe('typed values', () => {
  it.each([
    ['BIGINT', '+42', '42'],
    ['DECIMAL', '.5', '0.5'],
    ['DOUBLE', '1e3', '1000'],
    ['BOOLEAN', 'TRUE', '1'],
    ['TIMESTAMP', '2024-03-01T10:00', '2024-03-01 10:00:00'],
    ['TIMESTAMPTZ', '2024-03-01 10:00:00Z', '2024-03-01 10:00:00+00'],
    ['UUID', 'A0EEBC999C0B4EF8BB6D6BB9BD380A11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  ] as const)('%s %s is %s', (kind, text, value) => expect(typedValue(kind, text)).toEqual({ value }));

  it('never accepts what a database would refuse: any string is a value or a problem, never a throw', () => {
    fc.assert(
      fc.property(fc.constantFrom('BIGINT', 'DECIMAL', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'TIME', 'INTERVAL', 'UUID', 'TEXT') , fc.string(), (kind, text) => {
        const out = typedValue(kind, text);
        expect('value' in out || 'problem' in out).toBe(true);
      }),
    );
  });
});

describe('compiling', () => {
  const pairs: [string, string][] = [
    ['status', "eq.x' OR 1=1 --"],
    ['total', 'gte.10'],
    ['doc->>kind', 'ilike.*b*'],
    ['order', 'total.desc,order_id'],
  ];

  it('binds every value: PostgreSQL $n placeholders in text order, typed by the column', () => {
    const out = compilePage(pgExploreDialect, plan(pairs), 'results_j', 10, { anchor: { row: 7, values: ['12.50', '3'] } });
    expect(out.sql).not.toContain('OR 1=1');
    const numbers = [...out.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(out.params).toHaveLength(numbers.length);
    expect(out.sql).toContain('"status" = $1::text');
    expect(out.sql).toContain('ORDER BY "total" DESC NULLS LAST, "order_id" ASC NULLS FIRST, "_row" ASC');
  });

  it('MySQL values as hex text, typed by CAST; NULL placement only where MySQL differs', () => {
    const out = compilePage(mysqlExploreDialect, plan([...pairs.slice(0, 3), ['order', 'total.nullslast,order_id.desc']]), 'results_j', 10);
    expect(out.sql).not.toContain('OR 1=1');
    expect(out.sql).toContain("`status` = _utf8mb4 X'");
    expect(out.sql).toContain("`total` >= CAST(_utf8mb4 X'3130' AS DECIMAL(65,30))");
    expect(out.sql).toContain('ORDER BY `total` IS NULL ASC, `total` ASC, `order_id` DESC, `_row` DESC');
  });

  it('aggregates group by the plain columns and count the groups', () => {
    const p = plan([['select', 'status,total.sum(),count()']]);
    expect(p.output.map((o) => [o.name, o.type])).toEqual([
      ['status', 'TEXT'],
      ['sum(total)', 'DECIMAL'],
      ['count', 'BIGINT'],
    ]);
    expect(compilePage(pgExploreDialect, p, 'r', 5, { offset: 10 }).sql).toBe(
      'SELECT 0, "status", SUM("total"), COUNT(*) FROM "r" GROUP BY "status" ORDER BY "status" ASC NULLS FIRST LIMIT 5 OFFSET 10',
    );
    expect(compileCount(pgExploreDialect, p, 'r').sql).toBe('SELECT COUNT(*) FROM (SELECT 1 AS one FROM "r" GROUP BY "status") AS explore_groups');
  });
});

describe("the typed client's builder", () => {
  it('writes what the parser reads, quoting names that need it', () => {
    const params = resultsQueryParams({
      select: ['status', { fn: 'sum', column: 'total' }, { fn: 'count', as: 'n' }],
      filters: [
        { column: 'order', op: 'eq', value: 'x' },
        { column: 'status', op: 'in', value: ['a,b', 'c'], not: true },
        { column: 'doc', path: ['kind'], op: 'eq', value: 'book' },
        { column: 'paid', op: 'is', value: null },
      ],
      order: [{ by: 'a.b', desc: true, nulls: 'first' }],
      limit: 5,
    });
    const { query, paging } = parseExplore(params);
    expect(paging.limit).toBe('5');
    expect(query.select).toEqual([
      { kind: 'column', column: 'status' },
      { kind: 'aggregate', fn: 'sum', column: 'total' },
      { kind: 'aggregate', fn: 'count', alias: 'n' },
    ]);
    expect(query.filters.map((f) => [f.column, f.path, f.op, f.not, f.value])).toEqual([
      ['order', [], 'eq', false, 'x'],
      ['status', [], 'in', true, ['a,b', 'c']],
      ['doc', ['kind'], 'eq', false, 'book'],
      ['paid', [], 'is', false, 'null'],
    ]);
    expect(query.order).toEqual([{ target: { kind: 'column', column: 'a.b' }, desc: true, nulls: 'first' }]);
  });

  it('quotes any name so that the parser reads it back', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('\0')), (name) => {
        const { query } = parseExplore([[quoteColumn(name, true), 'eq.1'], ['select', quoteColumn(name)]]);
        expect(query.filters[0]!.column).toBe(name);
        expect(query.select).toEqual([{ kind: 'column', column: name }]);
      }),
      { numRuns: 5000 },
    );
  });
});
