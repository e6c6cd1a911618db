/**
 * Typed task parameters (lib/tasks/params): the declaration syntax, the canonical
 * values a request's arguments become, the checks against the SQL, and the
 * statement a run sends.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bindTask } from '../../lib/tasks/params/bindTask.js';
import { canonicalDecimal, integerPattern, INT_MAX, BIGINT_MAX } from '../../lib/tasks/params/canonicalValues.js';
import { parseParam } from '../../lib/tasks/params/parseParam.js';
import { resolveParams } from '../../lib/tasks/params/resolveParams.js';
import { argsIssueMessages, taskArgsSchema } from '../../lib/tasks/params/taskArgsSchema.js';
import { callerArgs } from '../../lib/tasks/params/callerArgs.js';
import type { Caller } from '../../lib/identity/caller.js';


const decl = (text: string) => parseParam({ text, line: 7 });

function params(lines: string[], query: string, dialect: 'postgres' | 'mysql' = 'postgres') {
  const problems: string[] = [];
  const out = resolveParams(lines.map((text, i) => ({ text, line: i + 2 })), { query, queryLine: 10 }, dialect, (line, m) => problems.push(`${line}: ${m}`));
  return { params: out, problems };
}

const typed = (lines: string[], query: string, dialect: 'postgres' | 'mysql' = 'postgres') => {
  const p = params(lines, query, dialect);
  expect(p.problems).toEqual([]);
  return { name: 't', dialect, query, params: p.params! };
};

describe('a -- param: declaration', () => {
  it('reads a name, a type and its options', () => {
    expect(decl('customer_id int required')).toEqual({ name: 'customer_id', type: { kind: 'int' }, array: false, required: true, line: 7 });
    expect(decl('since date default 2024-01-01')).toMatchObject({ type: { kind: 'date' }, defaultText: '2024-01-01', required: false });
    expect(decl('status enum(delivered, shipped,cancelled)')).toMatchObject({ type: { kind: 'enum', values: ['delivered', 'shipped', 'cancelled'] } });
    expect(decl('sort identifier(total,order_date) default total')).toMatchObject({ type: { kind: 'identifier', values: ['total', 'order_date'] }, defaultText: 'total' });
    expect(decl('tags text[] max 20')).toMatchObject({ type: { kind: 'text' }, array: true, max: 20 });
    expect(decl("note text default 'in transit'")).toMatchObject({ defaultText: 'in transit' });
    expect(decl('n INTEGER')).toMatchObject({ type: { kind: 'int' } });
  });

  it('makes an identifier without a default required (a NULL name cannot be placed)', () => {
    expect(decl('sort identifier(a,b)')).toMatchObject({ required: true });
  });

  it.each([
    ['', /needs a name and a type/],
    ['x', /needs a name and a type/],
    ['1x int', /invalid parameter name/],
    ['x integerish', /unknown type "integerish"/],
    ['x int required default 1', /required parameter has no default/],
    ['x int max 3', /"max" bounds a text's length or a list's items/],
    ['x text max 0', /max must be a whole number/],
    ['x int frobnicate', /unexpected "frobnicate"/],
    ['x int default', /"default" needs a value/],
    ['x enum(a,,b)', /empty value/],
    ['x enum(a,a)', /lists "a" twice/],
    ['x identifier(a b)', /not a plain name/],
    ['x identifier(a;drop)', /not a plain name/],
    ['x identifier(a,b)[]', /cannot be a list/],
    ["x text default 'open", /no closing quote/],
    ['tenant text from', /"from" takes "tenant" or "claim:NAME"/],
    ['tenant text from sub', /"from" takes "tenant" or "claim:NAME"/],
    ['tenant text from tenant required', /takes no "required" or "default"/],
    ['tenant text from claim:sub default x', /takes no "required" or "default"/],
    ['__proto__ int', /every object has a property of that name/],
    ['constructor int', /every object has a property of that name/],
    ['toString text', /every object has a property of that name/],
  ])('refuses "%s"', (text, message) => {
    expect(decl(text)).toMatch(message);
  });
});

describe('parameters from the caller', () => {
  const task = () => typed(['region text required', 'tenant text from claim:sub', 'org int from claim:org_id'], 'SELECT $1, $2, $3');
  const alice: Caller = { tenant: 'alice', operator: false, claims: { sub: 'alice', org_id: 7 } };

  it('reads "from tenant" and "from claim:NAME"', () => {
    expect(decl('t text from tenant')).toMatchObject({ from: { tenant: true } });
    expect(decl('t text from claim:https://example.com/org')).toMatchObject({ from: { claim: 'https://example.com/org' } });
  });

  it('are no request\'s to give, by name or in order, and come from the caller', () => {
    const t = task();
    const args = taskArgsSchema(t).parse({ region: 'eu' });
    expect(args).toEqual(['eu', null, null]);
    expect(taskArgsSchema(t).parse(['eu'])).toEqual(['eu', null, null]);
    expect(callerArgs(t, args, alice)).toEqual(['eu', 'alice', '7']);
    const sneaky = taskArgsSchema(t).safeParse({ region: 'eu', tenant: 'bob' });
    expect(sneaky.success).toBe(false);
    expect(sneaky.error!.issues.map((i) => i.message).join(' ')).toMatch(/"tenant" of task .* comes from the caller's identity/);
    expect(taskArgsSchema(t).safeParse(['eu', 'bob', '1']).success).toBe(false);
  });

  it('refuse a caller without the claim, or with one of the wrong type (403)', () => {
    expect(() => callerArgs(task(), ['eu', null, null], { ...alice, claims: { sub: 'alice' } })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => callerArgs(task(), ['eu', null, null], { ...alice, claims: { sub: 'alice', org_id: 'x' } })).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });
});

describe('canonical values', () => {
  it('writes decimals one way', () => {
    expect(['4.20', '4.2', '42e-1', '+04.2000', '0.42E1'].map(canonicalDecimal)).toEqual(Array(5).fill('4.2'));
    expect(['0', '-0', '0.000', '.0', '0e5'].map(canonicalDecimal)).toEqual(Array(5).fill('0'));
    expect(canonicalDecimal('1e+21')).toBe('1000000000000000000000');
    expect(canonicalDecimal('-1.5e-7')).toBe('-0.00000015');
    expect(canonicalDecimal('100')).toBe('100');
  });

  it('matches exactly the integers of a range', () => {
    for (const max of [INT_MAX, BIGINT_MAX]) {
      const re = integerPattern(max);
      for (const n of [0n, 1n, -1n, max, -max - 1n, max / 7n, -(max / 3n)]) expect(re.test(String(n)), String(n)).toBe(true);
      for (const bad of [max + 1n, -max - 2n, max * 10n]) expect(re.test(String(bad)), String(bad)).toBe(false);
      for (const bad of ['', '-', '01', '+1', '1.0', '1e3', ' 1', '-0']) expect(re.test(bad), bad).toBe(bad === '-0');
      fc.assert(fc.property(fc.bigInt({ min: -max * 4n, max: max * 4n }), (n) => re.test(String(n)) === (n >= -max - 1n && n <= max)));
    }
  });
});

describe('a task\'s args', () => {
  const task = typed(
    [
      'customer_id int required',
      'since date default 2024-01-01',
      'status enum(delivered,shipped,cancelled)',
      'sort identifier(total,order_date) default total',
      'tags text[] max 2',
      'paid bool',
      'at timestamptz',
      'amount numeric',
    ],
    'SELECT $1, $2, $3, $4::text[], $5, $6, $7 ORDER BY {{sort}}',
  );
  const schema = taskArgsSchema(task);
  const ok = (args: unknown) => {
    const out = schema.safeParse(args);
    if (!out.success) throw new Error(JSON.stringify(out.error.issues));
    return out.data;
  };

  it('are canonical, in declaration order, defaults filled in, absent optional ones NULL', () => {
    expect(ok({ customer_id: 42 })).toEqual(['42', '2024-01-01', null, 'total', null, null, null, null]);
    expect(ok({ customer_id: '42', since: '20240105', status: 'shipped', sort: 'order_date', tags: ['a', 'b"c'], paid: 'true', at: '2024-01-05T10:00:00+02:00', amount: '12.50' })).toEqual([
      '42', '2024-01-05', 'shipped', 'order_date', '{"a","b\\"c"}', 'true', '2024-01-05T08:00:00Z', '12.5',
    ]);
  });

  it('take the same values by name or in order', () => {
    const byName = ok({ customer_id: '7', since: '2024-02-29', paid: false, at: '2024-01-05 08:00Z', amount: 3 });
    expect(ok(['7', '2024-02-29', null, null, null, false, '2024-01-05T08:00:00.000Z', '3.0'])).toEqual(byName);
  });

  it.each([
    [{}, /args.customer_id: required; expected an integer/],
    [{ customer_id: 'x' }, /args.customer_id: expected an integer .* got "x"/],
    [{ customer_id: 2 ** 31 }, /args.customer_id: expected an integer/],
    [{ customer_id: 1.5 }, /args.customer_id/],
    [{ customer_id: 1, since: '2023-02-29' }, /args.since: expected a date/],
    [{ customer_id: 1, status: 'lost' }, /args.status: expected one of "delivered", "shipped", "cancelled"/],
    [{ customer_id: 1, sort: 'total; drop table x' }, /args.sort: expected one of the names/],
    [{ customer_id: 1, tags: ['a', 'b', 'c'] }, /args.tags: expected a list of at most 2 items/],
    [{ customer_id: 1, at: '2024-01-05 10:00' }, /args.at: expected a date and time with a UTC offset/],
    [{ customer_id: 1, amount: '1,5' }, /args.amount: expected a decimal/],
    [{ customer_id: 1, paid: 'yes' }, /args.paid: expected true or false/],
    [{ customer_id: 1, nope: 1 }, /args: unknown parameter\(s\) "nope"; task "t" takes customer_id, since/],
    [[1, 2], /args\[1\] \(since\): expected a date "yyyy-mm-dd" \(date\), got 2/],
    [[1, null, null, null, null, null, null, null, 9], /args: task "t" takes 1 to 8 argument\(s\) in this order: customer_id, since, .*; got 9/],
    [[], /args: task "t" takes 1 to 8 argument\(s\)/],
    [[null, null, null, null, null, null, null, null], /args\[0\] \(customer_id\): required|args\[0\] \(customer_id\): expected/],
  ])('refuse %j, naming the parameter', (args, message) => {
    const out = schema.safeParse(args);
    expect(out.success).toBe(false);
    const messages = argsIssueMessages({ ...out.error!.issues[0]!, path: ['args'] }, args, task);
    expect(messages.join('; ')).toMatch(message);
  });

  it('bind booleans as MySQL reads them', () => {
    const my = typed(['paid bool required'], 'SELECT ?', 'mysql');
    expect(taskArgsSchema(my).parse({ paid: true })).toEqual(['1']);
    expect(taskArgsSchema(my).parse(['false'])).toEqual(['0']);
  });
});

describe('declarations against the SQL', () => {
  it('report a parameter declared but never used, at its line', () => {
    expect(params(['a int', 'b int'], 'SELECT $1').problems).toEqual(['3: parameter "b" is declared but never used: the SQL has no $2']);
    expect(params(['a int', 'b int'], 'SELECT ?', 'mysql').problems).toEqual(['3: parameter "b" is declared but never used: the SQL has no the 2nd "?"']);
    expect(params(['s identifier(a)'], 'SELECT 1').problems).toEqual(['2: parameter "s" is declared but never used: place it with {{s}}']);
  });

  it('report a placeholder without a declaration, at its line', () => {
    expect(params(['a int'], 'SELECT $1,\n  $2').problems).toEqual(['11: $2 has no declaration (the task declares 1 value parameter(s): $1 = a)']);
    expect(params(['a int'], 'SELECT ?, ?', 'mysql').problems).toEqual(['10: the SQL has 2 "?" placeholders, but the task declares 1 value parameter(s): the 1st "?" = a']);
    expect(params(['a int'], 'SELECT $1\nORDER BY {{sort}}').problems).toEqual([
      '11: {{sort}} has no declaration; declare it with "-- param: sort identifier(a,b,...)"',
    ]);
    expect(params(['a int'], 'SELECT 1 ORDER BY {{a}}').problems[0]).toMatch(/\{\{a\}\} places a name, but parameter "a" is int/);
  });

  it('ignore placeholders in strings, quoted names and comments', () => {
    expect(params(['a int'], "SELECT $1, '{{x}}', '$2' -- $3 {{y}}\n, \"{{z}}\"").problems).toEqual([]);
  });

  it('report types the engine cannot bind, and bad defaults', () => {
    expect(params(['a text[]', 'b timestamptz'], 'SELECT ?, ?', 'mysql').problems).toEqual([
      '2: parameter "a": MySQL cannot bind a list; use one value, or several parameters',
      '3: parameter "b": MySQL has no timestamptz; use timestamp (and convert with CONVERT_TZ in the SQL)',
    ]);
    expect(params(['a int default x'], 'SELECT $1').problems[0]).toMatch(/^2: default of "a": expected an integer/);
    expect(params(['a int', 'a text'], 'SELECT $1').problems[0]).toMatch(/^3: parameter "a" is declared twice \(first at line 2\)/);
  });
});

describe('a run\'s statement', () => {
  const pg = typed(['n int required', 'sort identifier(total,public.orders,Odd) default total'], 'SELECT $1 ORDER BY {{sort}}, {{ sort }}');

  it('has the identifier quoted where {{name}} was, and only the values bound', () => {
    expect(bindTask(pg, ['5', 'total'])).toEqual({ query: 'SELECT $1 ORDER BY "total", "total"', args: ['5'] });
    expect(bindTask(pg, ['5', 'public.orders']).query).toBe('SELECT $1 ORDER BY "public"."orders", "public"."orders"');
    const my = typed(['sort identifier(total) default total', 'n int'], 'SELECT ? ORDER BY {{sort}}', 'mysql');
    expect(bindTask(my, ['total', null])).toEqual({ query: 'SELECT ? ORDER BY `total`', args: [null] });
  });

  it('refuses a name outside the allowlist, whatever the record holds', () => {
    expect(() => bindTask(pg, ['5', 'x" ; drop table t; --'])).toThrow(/not one of its names/);
    expect(() => bindTask(pg, ['5'])).toThrow(/takes 2 argument/);
  });

  it('is the task as written for a task without parameters', () => {
    expect(bindTask({ name: 'u', query: 'SELECT $1', dialect: 'postgres' }, ['x'])).toEqual({ query: 'SELECT $1', args: ['x'] });
  });
});

