/**
 * `npm run check`: every non-raw task prepared on each of its databases, against
 * the real PostgreSQL and MariaDB servers; the CLI exits non-zero on any error.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/loadConfig.js';
import { loadTasks } from '../../lib/tasks/loadTasks.js';
import { checkTasks } from '../../scripts/checkTasks.js';
import { createTestDatabases, type TestDatabases } from '../support/testDatabases.js';

const TASKS = `
-- name: pg_ok
-- db: pg
SELECT id, name FROM items WHERE id = $1;

-- name: pg_broken
-- db: pg
SELECT id, nope FROM items;

-- name: pg_raw
-- db: pg
-- raw: 1
SELECT * FROM table_that_does_not_exist;

-- name: my_ok
-- db: my
SELECT id, name FROM items WHERE id = ?;

-- name: my_broken
-- db: my
SELEC id FROM items;

-- name: both
-- db: pg, pg2
SELECT count(*) FROM items;
`;

let dbs: TestDatabases;
let dir: string;
let configText: string;

beforeAll(async () => {
  dbs = await createTestDatabases('sqljobber_check');
  await dbs.pg('CREATE TABLE items (id bigint PRIMARY KEY, name text)');
  await dbs.mysql('CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT)');
  dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-check-'));
  writeFileSync(path.join(dir, 'tasks.sql'), TASKS);
  configText = `
[db.pg]
type = "postgres"
dsn = "${dbs.pgUrl}"
[db.pg2]
type = "postgres"
dsn = "host=127.0.0.1 port=5432 user=postgres dbname=${dbs.name}"
[db.my]
type = "mysql"
dsn = "${dbs.mysqlDsn}"
[results.res]
type = "postgres"
dsn = "${dbs.pgUrl}"
`;
  writeFileSync(path.join(dir, 'config.toml'), configText);
});

afterAll(async () => {
  await dbs?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('checkTasks', () => {
  it('prepares each non-raw task on each of its dbs and reports the database errors', async () => {
    const config = parseConfig(configText, 'config.toml', {});
    const checks = await checkTasks(config, loadTasks(dir, config));
    const by = Object.fromEntries(checks.map((c) => [`${c.task}@${c.db}`, c]));
    expect(Object.keys(by).sort()).toEqual(['both@pg', 'both@pg2', 'my_broken@my', 'my_ok@my', 'pg_broken@pg', 'pg_ok@pg', 'pg_raw@pg']);
    expect(by['pg_ok@pg']).toMatchObject({ ok: true, message: 'ok' });
    expect(by['my_ok@my']).toMatchObject({ ok: true, message: 'ok' });
    expect(by['both@pg2']).toMatchObject({ ok: true });
    expect(by['pg_raw@pg']).toMatchObject({ ok: true, message: 'raw: not prepared' });
    expect(by['pg_broken@pg']!.ok).toBe(false);
    expect(by['pg_broken@pg']!.message).toContain('column "nope" does not exist');
    expect(by['my_broken@my']!.ok).toBe(false);
    expect(by['my_broken@my']!.message).toContain('SQL syntax');
  });

  it('runs as `npm run check`, printing each task and exiting 1 on any error', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, SQL_JOBBER_CONFIG: path.join(dir, 'config.toml'), SQL_JOBBER_SQL_DIR: dir };
    const err = await run(process.execPath, ['--import', 'tsx', 'scripts/check.ts'], { env, cwd: path.resolve(import.meta.dirname, '../..') }).then(
      () => undefined,
      (e: { code: number; stdout: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stdout).toMatch(/FAIL {2}pg_broken on pg: .*column "nope" does not exist/);
    expect(err?.stdout).toContain('ok    pg_ok on pg');
    expect(err?.stdout).toContain('(5 ok, 2 failed)');
    // The test servers' admin users can write: a warning each, not a failure of its own.
    expect(err?.stdout).toContain('WARN  db pg: user "postgres" is a superuser');
    expect(err?.stdout).toMatch(/WARN {2}db my: may ALL PRIVILEGES.* on \*\.\*/);
  });
});

describe('checkTasks on tasks with parameters', () => {
  it("prepares each name an identifier allows, naming the declaration's line of one the source lacks", async () => {
    const typedDir = mkdtempSync(path.join(tmpdir(), 'sqljobber-check-params-'));
    try {
      const file = path.join(typedDir, 'typed.sql');
      writeFileSync(
        file,
        [
          '-- name: pg_sorted',
          '-- db: pg',
          '-- param: id bigint required',
          '-- param: sort identifier(id,name,ghost) default name',
          'SELECT id, name FROM items WHERE id > $1 ORDER BY {{sort}}',
          '-- name: my_sorted',
          '-- db: my',
          '-- param: sort identifier(name,spook) default name',
          '-- param: id bigint required',
          'SELECT id, name FROM items WHERE id > ? ORDER BY {{sort}}',
          '-- name: pg_fine',
          '-- db: pg',
          '-- param: col identifier(id,name) required',
          '-- param: ids bigint[]',
          '-- param: label text',
          'SELECT {{col}} FROM items WHERE id = ANY($1) OR name = $2',
          '-- name: pg_mistyped',
          '-- db: pg',
          '-- param: day date required',
          '-- param: one bigint',
          '-- param: many text[]',
          'SELECT id FROM items WHERE id = $1 OR id = ANY($2) OR name = $3::text',
        ].join('\n'),
      );
      const config = parseConfig(configText, 'config.toml', {});
      const checks = await checkTasks(config, loadTasks(typedDir, config));
      const by = Object.fromEntries(checks.map((c) => [c.task, c]));
      expect(by.pg_fine).toMatchObject({ ok: true, message: 'ok' });
      // PostgreSQL infers each placeholder's type: a declaration whose values it cannot read is named at its line.
      expect(by.pg_mistyped!.message.split('; ')).toEqual([
        `${file}:19: parameter "day" is declared date, but the statement reads $1 as bigint: declare the type the statement reads, or cast $1 to date`,
        `${file}:20: parameter "one" is declared bigint, but the statement reads $2 as bigint[]: declare bigint[] or cast $2`,
        `${file}:21: parameter "many" is declared text[], but the statement reads $3 as text: a list would arrive as one text: cast it ($3::text[]), or declare one value`,
      ]);
      expect(by.pg_sorted).toMatchObject({ ok: false });
      expect(by.pg_sorted!.message).toMatch(new RegExp(`^${file}:4: identifier parameter "sort" allows "ghost", which the statement cannot use: column "ghost" does not exist$`));
      expect(by.my_sorted!.message).toMatch(new RegExp(`^${file}:8: identifier parameter "sort" allows "spook", which the statement cannot use: .*Unknown column 'spook'`));
    } finally {
      rmSync(typedDir, { recursive: true, force: true });
    }
  });
});

describe('npm run check, as npm start reads the config', () => {
  const run = promisify(execFile);
  const cwd = path.resolve(import.meta.dirname, '../..');
  const check = (env: Record<string, string>) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/check.ts'], { env: { ...process.env, ...env }, cwd }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('without a config.toml, checks the sample tasks against the embedded PostgreSQL and says so', async () => {
    const state = mkdtempSync(path.join(tmpdir(), 'sqljobber-check-embedded-'));
    chmodSync(state, 0o755); // as root the server runs as `postgres`, which must reach it
    try {
      const r = await check({ SQL_JOBBER_CONFIG: path.join(state, 'absent.toml'), SQL_JOBBER_DATA_DIR: state, SQL_JOBBER_PORT: '6999' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('so, as npm start does, the tasks are checked against the embedded PostgreSQL: db "sample" (sqljobber_sample), results "sample_results" (sqljobber_results)');
      expect(r.stdout).toContain('(6 ok, 0 failed)');
      expect(r.stdout).toContain('ok    get_orders_by_customer on sample');
      // The server it started for the check is stopped and its lock removed.
      expect(existsSync(path.join(state, 'postgres-6999', 'postmaster.pid'))).toBe(false);
      expect(readdirSync(state)).toEqual(['postgres-6999']);
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a config whose dsns read AWS secrets, saying how to check locally, without calling AWS', async () => {
    const file = path.join(dir, 'aws.toml');
    writeFileSync(file, '[db.sales]\ntype = "postgres"\ndsn = "postgres://report:${ssm:/sqljobber/prod/sales-password}@sales.internal/sales"\n');
    const r = await check({ SQL_JOBBER_CONFIG: file, SQL_JOBBER_SQL_DIR: dir, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('${ssm:/sqljobber/prod/sales-password}: the local stack never calls AWS');
    expect(r.stderr).toContain('SQL_JOBBER_CONFIG=config.local.toml');
    expect(r.stdout).not.toContain('Task check');
  });
});

describe('npm run check on a dungbeetle setup', () => {
  it('takes --config and several --sql-directory flags and reports every task of the fixture ok', async () => {
    const app = path.resolve(import.meta.dirname, '../fixtures/dungbeetle/app');
    await dbs.pg('CREATE TABLE entries (id serial PRIMARY KEY, user_id int, amount numeric(12,2), entry_date date, "timestamp" timestamptz)');
    // The fixture's config, unchanged but for the DSNs.
    const config = readFileSync(path.join(app, 'config.toml'), 'utf8').replace(/^dsn = ".*"$/gm, `dsn = "${dbs.pgUrl}"`);
    writeFileSync(path.join(dir, 'dungbeetle.toml'), config);
    const args = ['--config', path.join(dir, 'dungbeetle.toml'), '--sql-directory', path.join(app, 'sql/pg'), '--sql-directory', path.join(app, 'sql/extra')];
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/check.ts', ...args], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, SQL_JOBBER_CONFIG: '', SQL_JOBBER_SQL_DIR: '' },
    });
    expect(stdout).toContain('queues ledger (concurrency 3, from the task files), digest_low (concurrency 2, from the task files), sqljob_queue (concurrency 5)');
    expect(stdout).toContain('(6 ok, 0 failed)');
    for (const task of ['get_ledger_totals', 'get_ledger_entries', 'get_ledger_between', 'sleep_for', 'get_digest']) expect(stdout).toContain(`ok    ${task} on my_db\n`);
    expect(stdout).toContain('ok    count_entries on my_db (raw: not prepared)');
  });
});
