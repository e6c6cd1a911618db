/**
 * Typed task parameters on the real engines: a task file's declarations load,
 * a request's values become the canonical arguments, and the run binds them (and
 * places the identifier, quoted by the engine's rules) on PostgreSQL and
 * MariaDB/MySQL: booleans as each engine reads them, NULL for a parameter not
 * given, lists as PostgreSQL arrays.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbType } from '../../../lib/config/types.js';
import { parseConfig } from '../../../lib/config/loadConfig.js';
import type { DbPools } from '../../../lib/db/createDbPools.js';
import { bindTask } from '../../../lib/tasks/params/bindTask.js';
import { taskArgsSchema, type TypedTask } from '../../../lib/tasks/params/taskArgsSchema.js';
import { loadTasks } from '../../../lib/tasks/loadTasks.js';
import { runTask } from '../../support/runTask.js';
import { scratchDir } from '../../support/scratchDir.js';
import { closeEngineDatabases, openEngineDatabases, type EngineDatabases } from '../../support/testDatabases.js';

const TASKS: Record<DbType, string> = {
  postgres: `
-- name: orders
-- param: paid bool required
-- param: status enum(open,shipped)
-- param: since date default 2024-01-01
-- param: sort identifier(id,total) default id
-- param: ids int[] max 10
SELECT id, total FROM orders
WHERE paid = $1 AND ($2::text IS NULL OR status = $2) AND day >= $3 AND ($4::int[] IS NULL OR id = ANY($4))
ORDER BY {{sort}} DESC
`,
  mysql: `
-- name: orders
-- param: paid bool required
-- param: status enum(open,shipped)
-- param: since date default 2024-01-01
-- param: sort identifier(id,total) default id
SELECT id, total FROM orders
WHERE paid = ? AND status = COALESCE(?, status) AND day >= ?
ORDER BY {{sort}} DESC
`,
};

let pools: DbPools;
let dbs: EngineDatabases;

beforeAll(async () => {
  ({ pools, dbs } = await openEngineDatabases());
  for (const type of ['postgres', 'mysql'] as const) {
    const db = dbs[type];
    await db.query(`CREATE TABLE orders (id int PRIMARY KEY, total int, paid boolean, status text, day date)`);
    await db.query(
      `INSERT INTO orders VALUES (1, 30, true, 'open', '2024-02-01'), (2, 10, true, 'shipped', '2024-03-01'), (3, 20, false, 'open', '2024-03-01'), (4, 40, true, 'open', '2023-12-31')`,
    );
  }
});

afterAll(async () => {
  await closeEngineDatabases(pools, dbs);
});

describe.each(['postgres', 'mysql'] as const)('a task with declared parameters on %s', (type) => {
  let run: (args: unknown) => Promise<(string | null)[][]>;
  let n = 0;

  beforeAll(() => {
    const db = dbs[type]!;
    const dir = scratchDir('sqljobber-typed-');
    writeFileSync(join(dir, 'tasks.sql'), TASKS[type]);
    const dsn = type === 'postgres' ? 'postgres://unused/x' : 'mysql://unused/x'; // only the dialect matters here
    const config = parseConfig(`[db.src]\ntype = "${type}"\ndsn = "${dsn}"\n[results.res]\ntype = "${type}"\ndsn = "${dsn}"\n`, 'c', {});
    const task = loadTasks(dir, config).get('orders')! as TypedTask & { query: string };
    run = async (body) => {
      const canonical = taskArgsSchema(task).parse(body);
      const bound = bindTask(task, canonical);
      const table = `results_typed_${type}_${++n}`;
      await runTask(pools, { source: db.db(), results: db.results(), query: bound.query, args: bound.args, table, timeoutMs: 30_000 });
      return db.query(`SELECT id, total FROM ${type === 'postgres' ? `"${table}"` : `\`${table}\``} ORDER BY _row`);
    };
  });

  it('binds a boolean as the engine reads it, and NULL for what is not given', async () => {
    expect(await run({ paid: true })).toEqual([['2', '10'], ['1', '30']]);
    expect(await run({ paid: 'false' })).toEqual([['3', '20']]);
  });

  it('binds an enum, a date in either spelling, and places the identifier quoted', async () => {
    expect(await run({ paid: true, status: 'open', since: '20231201', sort: 'total' })).toEqual([['4', '40'], ['1', '30']]);
    expect(await run([true, null, '2024-03-01'])).toEqual([['2', '10']]);
  });

  it.runIf(type === 'postgres')('binds a list as a PostgreSQL array', async () => {
    expect(await run({ paid: true, ids: [1, '4', 2], since: '2000-01-01', sort: 'total' })).toEqual([['4', '40'], ['1', '30'], ['2', '10']]);
    // Every value given (no NULL): the run may take the COPY route, its arguments carried in settings.
    expect(await run({ paid: true, status: 'open', ids: [1, 4], since: '2000-01-01', sort: 'id' })).toEqual([['4', '40'], ['1', '30']]);
  });
});
