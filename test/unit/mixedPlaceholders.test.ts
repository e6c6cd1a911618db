/** A task that mixes `$n` and `?` placeholders is refused when the tasks load, naming the task and file:line. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/loadConfig.js';
import { ConfigError } from '../../lib/errors.js';
import { loadTasks } from '../../lib/tasks/loadTasks.js';

const config = parseConfig(
  '[db.pg]\ntype = "postgres"\ndsn = "postgres://h/d"\n[db.my]\ntype = "mysql"\ndsn = "root@tcp(h:3306)/d"\n[results.r]\ntype = "postgres"\ndsn = "postgres://h/r"\n',
  'config.toml',
  {},
);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function load(db: string, query: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-placeholders-'));
  dirs.push(dir);
  const file = path.join(dir, 'tasks.sql');
  writeFileSync(file, `-- name: first\n-- db: ${db}\nSELECT 1;\n\n-- name: report\n-- db: ${db}\n${query}\n`);
  try {
    return { task: loadTasks(dir, config).get('report'), file };
  } catch (err) {
    if (err instanceof ConfigError) return { problems: err.problems, file };
    throw err;
  }
}

describe('mixed placeholders', () => {
  it('refuses $n and ? in a PostgreSQL task, naming the task and its file:line', () => {
    const { problems, file } = load('pg', 'SELECT * FROM t WHERE a = $1 AND b = ?;');
    expect(problems).toEqual([`${file}:5: task "report" mixes $n and ? placeholders; its db is PostgreSQL, which takes $1..$n only: write each ? as the next $n`]);
  });

  it('refuses ? and $n in a MySQL task', () => {
    const { problems, file } = load('my', 'SELECT * FROM t WHERE a = ? AND b IN ($2);');
    expect(problems).toEqual([`${file}:5: task "report" mixes ? and $n placeholders ($2); its db is MySQL, which takes ? only: write each $n as ? in argument order`]);
  });

  it.each([
    ['pg', "SELECT * FROM t WHERE data ? $1 AND tags ?| array['a'] AND x ?& array['b']", 1],
    ['pg', "SELECT * FROM t WHERE a = $1 AND b = '?' -- why = ?\n AND c = \"?\"", 1],
    ['pg', 'SELECT * FROM t WHERE (data -> $1) ? $2', 2],
    ['my', "SELECT * FROM t WHERE a = ? AND b = '$1' AND c = ?", 2],
    ['my', 'SELECT price$1 FROM t WHERE a = ?', 1],
  ])('loads a %s task that uses one style: %j', (db, query, args) => {
    const { task, problems } = load(db, query);
    expect(problems).toBeUndefined();
    expect(task?.argCount).toBe(args);
  });
});
