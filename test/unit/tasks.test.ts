import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratchDir.js';
import { parseConfig } from '../../lib/config/loadConfig.js';
import type { Config } from '../../lib/config/types.js';
import { ConfigError } from '../../lib/errors.js';
import { countArgs, firstStatement, numberedPlaceholders } from '../../lib/db/countArgs.js';
import { loadTasks, toTaskSummary } from '../../lib/tasks/loadTasks.js';
import { parseTaskFile, scanTaskFile } from '../../lib/tasks/parseTaskFile.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/dungbeetle');

const config = parseConfig(
  `
[db.my_db]
type = "postgres"
dsn = "postgres://u@127.0.0.1/src"
[db.my_db_replica]
type = "postgres"
dsn = "postgres://u@replica/src"
[db.my_mysql]
type = "mysql"
dsn = "root@tcp(127.0.0.1:3306)/shop"
[results.my_res]
type = "postgres"
dsn = "postgres://u@127.0.0.1/results"
[results.my_res_2]
type = "mysql"
dsn = "root@tcp(127.0.0.1:3306)/results"
[queues.sqljob_queue]
[queues.summarise]
concurrency = 2
`,
  'test config',
  {},
);

/** A config with one postgres db and results db and the given extra TOML. */
function smallConfig(extra = ''): Config {
  return parseConfig(`[db.main]\ntype = "postgres"\ndsn = "dbname=main"\n[results.res]\ntype = "postgres"\ndsn = "dbname=res"\n${extra}`, 'c', {});
}

function dirWith(files: Record<string, string>): string {
  const dir = scratchDir('sqljobber-tasks-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The problems loadTasks reports, failing the test if it accepts the files. */
function loadProblems(dir: string, cfg: Config = config): string[] {
  try {
    loadTasks(dir, cfg);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(new RegExp(`^task files in ${dir}:`));
    return (err as ConfigError).problems;
  }
  throw new Error('expected the task files to be refused');
}

function parseProblems(text: string): string[] {
  try {
    parseTaskFile(text, 'q.sql');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the task file to be refused');
}

describe('countArgs', () => {
  it.each([
    ['SELECT * FROM t WHERE a = ? AND b = ?', 2],
    ['SELECT ?, ?, ?', 3],
    ["SELECT '?', 'it''s ?', 'back\\'slash ?' , ?", 1],
    ['SELECT "a ?", "say ""?""", "esc \\" ?" FROM t WHERE x = ?', 1],
    ['SELECT `odd?col`, `a``?` FROM t WHERE x = ?', 1],
    ['SELECT 1 -- why ?\n, ? # or ?\n, /* ? */ ?', 2],
    ['SELECT 5--?\n', 1], // MySQL needs a space after --: this is 5 - (-?)
    ['SELECT 1 /* a /* ? */ , ?', 1],
    ["SELECT $1, '$2', ? FROM t", 1],
    ['SELECT 1 --\n, ?', 1],
  ] as const)('mysql case %#', (query, expected) => {
    expect(countArgs(query, 'mysql')).toBe(expected);
  });

  it.each([
    ['SELECT * FROM t WHERE a = $1 AND b = $2', 2],
    ['SELECT $3, $1', 3],
    ['SELECT $1, $1, $1', 1],
    ["SELECT '$4', 'it''s $5', $2", 2],
    ["SELECT E'it\\'s $7', $1", 1],
    ["SELECT 'a\\', $2", 2],
    ['SELECT "col$9", "we""$8" FROM t WHERE x = $1', 1],
    ['SELECT $$ $5 $$, $tag$ $6 $$ $7 $tag$, $2', 2],
    ['SELECT $1::int, now()::date, $2::text[]', 2],
    ['SELECT 1 -- $9\n, $1 /* $8 /* nested $7 */ still $6 */', 1],
    ['SELECT a$1 FROM t', 0],
    ['SELECT ?, ? FROM t', 0],
    ['SELECT $10, $2', 10],
    ['SELECT 1', 0],
  ] as const)('postgres case %#', (query, expected) => {
    expect(countArgs(query, 'postgres')).toBe(expected);
  });
});

describe('numberedPlaceholders', () => {
  it.each([
    ['SELECT $1, $2', ['$1', '$2']],
    ["SELECT '$4', E'it\\'s $5', \"c$6\", $$ $7 $$, $t$ $8 $t$, $3 -- $9\n/* $9 */, $1::int", ['$3', '$1']],
    ['SELECT a$1, $10 FROM t', ['$10']],
    ['SELECT 1', []],
  ] as const)('finds the placeholders of case %#', (query, expected) => {
    const found = numberedPlaceholders(query, 'postgres');
    expect(found.map((p) => query.slice(p.start, p.end))).toEqual(expected);
    expect(found.map((p) => p.n)).toEqual(expected.map((t) => Number(t.slice(1))));
  });
});

describe('firstStatement', () => {
  it.each([
    ['SELECT 1', 'SELECT 1'],
    ['SELECT 1;\n-- done', 'SELECT 1'],
    ["SELECT ';', \";\", $$;$$ /* ; */ -- ;\n;;", "SELECT ';', \";\", $$;$$ /* ; */ -- ;\n"],
  ] as const)('cuts case %# at its first real semicolon', (query, expected) => {
    expect(firstStatement(query, 'postgres')).toBe(expected);
  });
});

describe('parseTaskFile', () => {
  it("parses goyesql's sample file", () => {
    const tasks = parseTaskFile(
      '-- name: simple\n-- raw: 1\nSELECT * FROM simple;\n\n-- name: multiline\nSELECT *\nFROM multiline\nWHERE line = 42;\n\n\n-- name: comments\n-- yoyo\n\nSELECT *\n-- inline\nFROM comments;\n',
      'valid.sql',
    );
    expect(tasks).toEqual([
      { name: 'simple', query: 'SELECT * FROM simple', tags: { raw: '1' }, params: [], file: 'valid.sql', line: 1, queryLine: 3 },
      { name: 'multiline', query: 'SELECT *\nFROM multiline\nWHERE line = 42', tags: {}, params: [], file: 'valid.sql', line: 5, queryLine: 6 },
      { name: 'comments', query: 'SELECT *\n-- inline\nFROM comments', tags: {}, params: [], file: 'valid.sql', line: 11, queryLine: 14 },
    ]);
  });

  it('tolerates --name:x, extra spaces, CRLF and a BOM', () => {
    const tasks = parseTaskFile('\uFEFF--name:first\r\n--db:a\r\nSELECT 1;\r\n\r\n   --   name  :   second   \r\n  --  results :  r1 , r2  \r\nSELECT 2\r\n', 'f.sql');
    expect(tasks.map(({ name, query, tags, line }) => ({ name, query, tags, line }))).toEqual([
      { name: 'first', query: 'SELECT 1', tags: { db: 'a' }, line: 1 },
      { name: 'second', query: 'SELECT 2', tags: { results: 'r1 , r2' }, line: 5 },
    ]);
  });

  it('reads tags until the SQL starts, skipping blank and comment lines as goyesql does', () => {
    const [task] = parseTaskFile('-- name: t\n-- Note: upper-case keys are prose\n\n-- db: main\n-- owner:\nSELECT 1\n-- queue: later\nFROM t', 'f.sql');
    expect(task!.tags).toEqual({ db: 'main', owner: '' });
    expect(task!.query).toBe('SELECT 1\n-- queue: later\nFROM t');
  });

  it('ignores comments before the first -- name:', () => {
    expect(parseTaskFile('-- header: stuff\n-- more\n\n-- name: t\nSELECT 1', 'f.sql')).toHaveLength(1);
  });

  it('keeps colons in tag values and task names', () => {
    const [task] = parseTaskFile('-- name: reports:daily.v2\n-- link: http://wiki/x\nSELECT 1', 'f.sql');
    expect(task).toMatchObject({ name: 'reports:daily.v2', tags: { link: 'http://wiki/x' } });
  });

  it.each([
    ['SELECT 1;\n-- name: t\nSELECT 2', 'q.sql:1: SQL before the first "-- name:" line; start each query with "-- name: <task name>"'],
    ['-- name: t\nSELECT 1\n-- name: t\nSELECT 2', 'q.sql:3: duplicate task name "t" (first defined at line 1)'],
    ['-- name: t\n-- db: main\n\n-- only a comment\n\n-- name: u\nSELECT 1', 'q.sql:1: task "t" has no SQL after its "-- name:" line'],
    ['-- name: t', 'q.sql:1: task "t" has no SQL after its "-- name:" line'],
    ['-- name:\nSELECT 1', 'q.sql:1: "-- name:" needs a task name'],
    ['-- name: my report\nSELECT 1', 'q.sql:1: invalid task name "my report": use letters, digits and _ . : -'],
    ['-- name: t\n-- db: a\n-- db: b\nSELECT 1', 'q.sql:3: duplicate tag "db" (already set at line 2)'],
    ['-- name: t\n-- queue:\nSELECT 1', 'q.sql:2: tag "queue" needs a value'],
  ])('refuses %j', (text, expected) => {
    expect(parseProblems(text)).toEqual([expected]);
  });

  it('collects every problem in a file', () => {
    const found = parseProblems('DELETE FROM x;\n-- name: a\n-- db:\nSELECT 1\n-- name: a\nSELECT 2\n-- name: b\n');
    expect(found).toEqual([
      'q.sql:1: SQL before the first "-- name:" line; start each query with "-- name: <task name>"',
      'q.sql:3: tag "db" needs a value',
      'q.sql:5: duplicate task name "a" (first defined at line 2)',
      'q.sql:7: task "b" has no SQL after its "-- name:" line',
    ]);
    expect(scanTaskFile('-- name: ok\nSELECT 1\n-- name: bad name\nSELECT 2', 'q.sql').tasks.map((t) => t.name)).toEqual(['ok']);
  });
});

describe('loadTasks', () => {
  const registry = loadTasks(FIXTURES, config);

  it('loads a realistic dungbeetle task directory, files in sorted order', () => {
    expect([...registry.tasks.keys()]).toEqual([
      'get_order_summary',
      'get_orders_by_date',
      'get_profit_summary',
      'get_profit_entries',
      'get_profit_entries_by_date',
      'slow_query',
    ]);
  });

  it('builds tasks from the tags', () => {
    expect(registry.get('get_profit_summary')).toEqual({
      name: 'get_profit_summary',
      query: 'SELECT SUM(amount) AS total, entry_date\nFROM entries\nWHERE user_id = $1\nGROUP BY entry_date',
      dbs: ['my_db'],
      results: ['my_res'],
      queue: 'summarise',
      raw: false,
      dialect: 'postgres',
      argCount: 1,
      tags: { db: 'my_db', queue: 'summarise', concurrency: '5', results: 'my_res' },
      guardrails: {},
      file: join(FIXTURES, 'profit.sql'),
      line: 6,
    });
    const entries = registry.get('get_profit_entries')!;
    expect(entries).toMatchObject({ dbs: ['my_db', 'my_db_replica'], results: ['my_res', 'my_res_2'], raw: true, argCount: 1, queue: 'sqljob_queue' });
    expect(entries.query).toMatch(/^SELECT \*, 'costs \$2 or \?'/);
    expect(entries.query).toMatch(/::text$/);
    expect(registry.get('get_profit_entries_by_date')).toMatchObject({ dbs: ['my_db'], results: ['my_res'], argCount: 3, line: 28 });
    expect(registry.get('slow_query')).toMatchObject({ timeout: 120, argCount: 1, queue: 'summarise' });
    expect(registry.get('get_order_summary')).toMatchObject({ dialect: 'mysql', argCount: 1 });
    expect(registry.get('get_orders_by_date')).toMatchObject({ dialect: 'mysql', argCount: 3, tags: { owner: 'reporting-team' } });
    expect(registry.get('nope')).toBeUndefined();
  });

  it('freezes tasks', () => {
    const task = registry.get('get_profit_summary')!;
    expect(Object.isFrozen(task)).toBe(true);
    expect(() => task.dbs.push('x')).toThrow(TypeError);
  });

  it('summarises a task for GET /tasks', () => {
    expect(toTaskSummary(registry.get('slow_query')!)).toEqual({
      name: 'slow_query',
      queue: 'summarise',
      dbs: ['my_db'],
      results: ['my_res'],
      raw: false,
      args: 1,
      timeout: 120,
      sql: registry.get('slow_query')!.query,
    });
    expect(toTaskSummary(registry.get('slow_query')!).sql).toMatch(/^SELECT/);
    expect(toTaskSummary(registry.get('get_profit_entries')!)).not.toHaveProperty('timeout');
  });

  it("loads dungbeetle's test.mysql.sql as written, untagged tasks using every db and results", () => {
    const dir = dirWith({
      'test.sql': `-- test.sql
-- concurrency parameter is associated with the queue.

-- name: get_profit_summary
-- db: my_db
-- concurrency: 5
-- queue: test
SELECT SUM(amount) AS total, entry_date FROM entries WHERE user_id = ? GROUP BY entry_date;

-- name: get_profit_entries_by_date
-- queue: test
SELECT * FROM entries WHERE user_id = ? AND timestamp > ? and timestamp < ?;

-- name: slow_query 
-- db: my_db
-- queue: test
SELECT SLEEP(?);`,
    });
    const cfg = parseConfig(
      '[db.my_db]\ntype = "mysql"\ndsn = "root@tcp(127.0.0.1:3306)/d"\n[results.a]\ntype = "mysql"\ndsn = "/r"\n[results.b]\ntype = "postgres"\ndsn = "dbname=r"\n[queues.test]',
      'c',
      {},
    );
    const tasks = loadTasks(dir, cfg);
    expect(tasks.get('get_profit_entries_by_date')).toMatchObject({ dbs: ['my_db'], results: ['a', 'b'], queue: 'test', argCount: 3 });
    expect(tasks.get('slow_query')).toMatchObject({ query: 'SELECT SLEEP(?)', argCount: 1 });
  });

  it('puts a task without a queue tag on the only queue', () => {
    const dir = dirWith({ 'a.sql': '-- name: t\nSELECT 1' });
    expect(loadTasks(dir, smallConfig('[queues.reports]')).get('t')!.queue).toBe('reports');
  });

  it.each([
    ['-- name: t\n-- db: my_db, ghost\nSELECT 1', '/a.sql:1: unknown db "ghost"; the config declares [db.my_db], [db.my_db_replica], [db.my_mysql]'],
    ['-- name: t\n-- db: my_db\n-- results: lost\nSELECT 1', '/a.sql:1: unknown results "lost"; the config declares [results.my_res], [results.my_res_2]'],
    ['-- name: t\n-- db: my_db\n-- queue: la/ter\nSELECT 1', '/a.sql:1: invalid queue name "la/ter": use 1 to 60 letters, digits, _ and - (it names an SQS queue and a worker function)'],
    ['-- name: t\n-- db: my_db, my_mysql\nSELECT 1', '/a.sql:1: its dbs mix dialects ("my_db" is postgres but "my_mysql" is mysql); name dbs of one type with "-- db:"'],
    ['-- name: t\nSELECT 1', '/a.sql:1: its dbs mix dialects ("my_db_replica" is postgres but "my_mysql" is mysql); name dbs of one type with "-- db:"'],
    ['-- name: t\n-- db: ,\nSELECT 1', '/a.sql:1: tag "db" lists no names'],
    ['-- name: t\n-- db: my_db\n-- raw: yes\nSELECT 1', '/a.sql:1: tag "raw" must be 1, true, 0 or false (got "yes")'],
    ['-- name: t\n-- db: my_db\n-- timeout: 901\nSELECT 1', '/a.sql:1: tag "timeout" must be seconds or a duration such as "5m", above 0 and at most 900s (got "901")'],
    ['-- name: t\n-- db: my_db\n-- timeout: 0s\nSELECT 1', '/a.sql:1: tag "timeout" must be seconds or a duration such as "5m", above 0 and at most 900s (got "0s")'],
    ['-- name: t\n-- db: my_db\n-- timeout: soon\nSELECT 1', '/a.sql:1: tag "timeout" must be seconds or a duration such as "5m", above 0 and at most 900s (got "soon")'],
    ['-- name: t\n-- db: my_db\n-- orphan_after: 1.5s\nSELECT 1', '/a.sql:1: tag "orphan_after" must be a duration such as "10m" or whole seconds, from 1s to 7d (got "1.5s")'],
    ['-- name: t\n-- db: my_db\n-- orphan_after: 8d\nSELECT 1', '/a.sql:1: tag "orphan_after" must be a duration such as "10m" or whole seconds, from 1s to 7d (got "8d")'],
  ])('refuses %j', (text, expected) => {
    const dir = dirWith({ 'a.sql': text });
    const found = loadProblems(dir);
    expect(found).toHaveLength(1);
    expect(found[0]).toBe(`${dir}${expected}`);
  });

  it('reads raw and timeout values', () => {
    const dir = dirWith({
      'a.sql': '-- name: a\n-- raw: TRUE\n-- timeout: 90\nSELECT 1\n-- name: b\n-- raw: 0\n-- timeout: 1m30s\nSELECT 1\n-- name: c\n-- raw: false\nSELECT 1',
    });
    const tasks = loadTasks(dir, smallConfig());
    expect([tasks.get('a'), tasks.get('b'), tasks.get('c')].map((t) => [t!.raw, t!.timeout])).toEqual([
      [true, 90],
      [false, 90],
      [false, undefined],
    ]);
  });

  it('asks for a queue tag when several queues exist and none is the default', () => {
    const dir = dirWith({ 'a.sql': '-- name: t\nSELECT 1' });
    expect(loadProblems(dir, smallConfig('[queues.a]\n[queues.b]'))).toEqual([
      `${join(dir, 'a.sql')}:1: no queue: add "-- queue: <name>" (the config declares [queues.a], [queues.b])`,
    ]);
  });

  it('asks for a db when the config has none', () => {
    const dir = dirWith({ 'a.sql': '-- name: t\nSELECT 1' });
    expect(loadProblems(dir, parseConfig('[results.r]\ntype = "mysql"\ndsn = "/r"', 'c', {}))).toEqual([
      `${join(dir, 'a.sql')}:1: no db to use: add a [db.<name>] section to the config and "-- db: <name>" here`,
    ]);
  });

  it('names both places of a name defined in two files', () => {
    const dir = dirWith({ 'a.sql': '-- name: x\n-- db: my_db\nSELECT 1', 'b.sql': '\n\n-- name: x\n-- db: my_db\nSELECT 2' });
    expect(loadProblems(dir)).toEqual([`${join(dir, 'b.sql')}:3: duplicate task name "x" (first defined at ${join(dir, 'a.sql')}:1)`]);
  });

  it('collects every problem across files', () => {
    const dir = dirWith({
      'a.sql': '-- name: a\nSELECT 1\n-- name: a\nSELECT 2',
      'b.sql': '-- name: b\n-- db: ghost\nSELECT 1',
      'c.txt': 'not a task file',
    });
    mkdirSync(join(dir, 'nested.sql'));
    expect(loadProblems(dir, smallConfig())).toEqual([
      `${join(dir, 'a.sql')}:3: duplicate task name "a" (first defined at line 1)`,
      `${join(dir, 'b.sql')}:1: unknown db "ghost"; the config declares [db.main]`,
    ]);
  });

  it('refuses a missing directory or one without task files', () => {
    const missing = join(tmpdir(), 'sqljobber-no-such-dir');
    expect(() => loadTasks(missing, config)).toThrow(`task files in ${missing}:\n  - ${missing}: directory not found`);
    const empty = dirWith({ 'README.md': '# no tasks' });
    expect(() => loadTasks(empty, config)).toThrow(`${empty}: no *.sql task files found`);
  });

  it('reads -- param: declarations, in order, with defaults checked for the engine', () => {
    const dir = dirWith({
      'p.sql': [
        '-- name: orders',
        '-- param: customer_id int required',
        '-- queue: summarise',
        '-- A note between tags.',
        '-- param: since date default 20240101',
        '-- param: sort identifier(total,order_date) default total',
        'SELECT $1::int, $2::date ORDER BY {{sort}}',
      ].join('\n'),
    });
    const task = loadTasks(dir, smallConfig('[queues.summarise]\n')).get('orders')!;
    expect(task.argCount).toBe(3);
    expect(task.tags).not.toHaveProperty('param');
    expect(task.params).toEqual([
      { name: 'customer_id', type: { kind: 'int' }, array: false, required: true, line: 2 },
      { name: 'since', type: { kind: 'date' }, array: false, required: false, default: '2024-01-01', line: 5 },
      { name: 'sort', type: { kind: 'identifier', values: ['total', 'order_date'] }, array: false, required: false, default: 'total', line: 6 },
    ]);
    expect(toTaskSummary(task).params).toEqual([
      { name: 'customer_id', type: 'int', array: false, required: true },
      { name: 'since', type: 'date', array: false, required: false, default: '2024-01-01' },
      { name: 'sort', type: 'identifier', array: false, required: false, default: 'total', values: ['total', 'order_date'] },
    ]);
  });

  it('names the file and line of each problem of a declaration', () => {
    const dir = dirWith({
      'p.sql': [
        '-- name: a',
        '-- db: main',
        '-- param: x int',
        '-- param: y int',
        '-- param: z numbr',
        'SELECT $1,',
        '  $3 ORDER BY {{s}}',
        '-- name: b',
        '-- db: my',
        '-- param: tags text[]',
        'SELECT ?',
      ].join('\n'),
    });
    const cfg = smallConfig('[db.my]\ntype = "mysql"\ndsn = "root@tcp(127.0.0.1:3306)/x"\n');
    const file = join(dir, 'p.sql');
    expect(loadProblems(dir, cfg)).toEqual([
      `${file}:4: parameter "y" is declared but never used: the SQL has no $2`,
      `${file}:5: parameter "z": unknown type "numbr"; use int, bigint, numeric, text, bool, date, timestamp, timestamptz, enum(a,b,...) or identifier(a,b,...), a list as TYPE[]`,
      `${file}:7: {{s}} has no declaration; declare it with "-- param: s identifier(a,b,...)"`,
      `${file}:7: $3 has no declaration (the task declares 2 value parameter(s): $1 = x, $2 = y)`,
      `${file}:10: parameter "tags": MySQL cannot bind a list; use one value, or several parameters`,
    ]);
  });

  it('names the line of a {{name}} in a task that declares no parameters', () => {
    const dir = dirWith({ 'p.sql': '-- name: a\n-- db: main\nSELECT 1\nORDER BY {{sort}}' });
    expect(loadProblems(dir, smallConfig())).toEqual([`${join(dir, 'p.sql')}:4: {{sort}} has no declaration; declare it with "-- param: sort identifier(a,b,...)"`]);
  });

  it('keeps a task without declarations as it was, {{...}} in its strings included', () => {
    const dir = dirWith({ 'p.sql': "-- name: a\nSELECT $1, '{{x}}'" });
    const task = loadTasks(dir, smallConfig()).get('a')!;
    expect(task).not.toHaveProperty('params');
    expect(task.argCount).toBe(1);
    expect(toTaskSummary(task)).not.toHaveProperty('params');
  });
});
