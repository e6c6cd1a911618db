import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/loadConfig.js';
import type { Config } from '../../lib/config/types.js';
import { ConfigError } from '../../lib/errors.js';
import { loadTasks, toTaskSummary } from '../../lib/tasks/loadTasks.js';
import { scratchDir } from '../support/scratchDir.js';

const BASE = '[db.main]\ntype = "postgres"\ndsn = "dbname=main"\n[results.res]\ntype = "postgres"\ndsn = "dbname=res"\n';

function config(extra = ''): Config {
  return parseConfig(`${BASE}${extra}`, 'config.toml', {});
}

function configProblems(extra: string): string[] {
  try {
    config(extra);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the config to be refused');
}

function tasksIn(text: string): string {
  const dir = scratchDir('sqljobber-guardrails-');
  writeFileSync(join(dir, 'a.sql'), text);
  return dir;
}

function taskProblems(text: string, cfg = config('[queues.q]')): string[] {
  const dir = tasksIn(text);
  try {
    loadTasks(dir, cfg);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => p.slice(dir.length));
  }
  throw new Error('expected the task files to be refused');
}

describe('guardrail tags', () => {
  it('reads max_rows, max_result_bytes (bytes or a size), max_cost and on_limit', () => {
    const dir = tasksIn(
      '-- name: a\n-- max_rows: 100_000\n-- max_result_bytes: 64MB\n-- max_cost: 1e6\n-- on_limit: Truncate\nSELECT 1\n' +
        '-- name: b\n-- max_result_bytes: 1GiB\n-- max_cost: 2500.5\nSELECT 1\n-- name: c\nSELECT 1',
    );
    const tasks = loadTasks(dir, config('[queues.q]'));
    expect(tasks.get('a')!.guardrails).toEqual({ maxRows: 100_000, maxResultBytes: 64_000_000, maxCost: 1_000_000, onLimit: 'truncate' });
    expect(tasks.get('b')!.guardrails).toEqual({ maxResultBytes: 1024 ** 3, maxCost: 2500.5 });
    expect(tasks.get('c')!.guardrails).toEqual({});
    expect(toTaskSummary(tasks.get('a')!).guardrails).toEqual({ max_rows: 100_000, max_result_bytes: 64_000_000, max_cost: 1_000_000, on_limit: 'truncate' });
    expect(toTaskSummary(tasks.get('b')!).guardrails).toEqual({ max_result_bytes: 1024 ** 3, max_cost: 2500.5, on_limit: 'fail' });
    expect(toTaskSummary(tasks.get('c')!)).not.toHaveProperty('guardrails');
  });

  it.each([
    ['-- max_rows: 0', '/a.sql:1: tag "max_rows": expected a whole number of rows from 1 to 9007199254740991 (got "0")'],
    ['-- max_rows: 1.5', '/a.sql:1: tag "max_rows": expected a whole number of rows from 1 to 9007199254740991 (got "1.5")'],
    ['-- max_result_bytes: lots', '/a.sql:1: tag "max_result_bytes": expected bytes from 1, or a size such as "64MB" or "1GiB" (got "lots")'],
    ['-- max_cost: -1', '/a.sql:1: tag "max_cost": expected a number above 0, the planner\'s estimate it may not pass (got "-1")'],
    ['-- on_limit: ignore', '/a.sql:1: tag "on_limit": expected "fail" or "truncate" (got "ignore")'],
    ['-- max_rows:', '/a.sql:2: tag "max_rows" needs a value'],
  ])('refuses %j naming the file and line', (tag, expected) => {
    const found = taskProblems(`-- name: t\n${tag}\nSELECT 1`);
    expect(found).toEqual([expected]);
  });
});

describe('guardrail defaults in config.toml', () => {
  it('a task\'s tags win over its queue\'s section, which wins over [app]', () => {
    const cfg = config('[app]\nmax_rows = 10\nmax_cost = 99.5\non_limit = "truncate"\n[queues.q]\nmax_rows = 20\nmax_result_bytes = "1kB"\n[queues.other]\n');
    expect(cfg.app.guardrails).toEqual({ maxRows: 10, maxCost: 99.5, onLimit: 'truncate' });
    expect(cfg.queues.q!.guardrails).toEqual({ maxRows: 20, maxResultBytes: 1000 });
    expect(cfg.queues.other!.guardrails).toBeUndefined();
    const dir = tasksIn('-- name: own\n-- queue: q\n-- max_rows: 30\n-- on_limit: fail\nSELECT 1\n-- name: queued\n-- queue: q\nSELECT 1\n-- name: app\n-- queue: other\nSELECT 1\n-- name: tagged\n-- queue: by_tag\nSELECT 1');
    const tasks = loadTasks(dir, cfg);
    expect(tasks.get('own')!.guardrails).toEqual({ maxRows: 30, maxResultBytes: 1000, maxCost: 99.5, onLimit: 'fail' });
    expect(tasks.get('queued')!.guardrails).toEqual({ maxRows: 20, maxResultBytes: 1000, maxCost: 99.5, onLimit: 'truncate' });
    expect(tasks.get('app')!.guardrails).toEqual({ maxRows: 10, maxCost: 99.5, onLimit: 'truncate' });
    // A queue only task tags declare takes [app]'s.
    expect(tasks.get('tagged')!.guardrails).toEqual({ maxRows: 10, maxCost: 99.5, onLimit: 'truncate' });
  });

  it('refuses bad values with the key path, every problem at once', () => {
    expect(configProblems('[app]\nmax_rows = -5\non_limit = "drop"\n[queues.q]\nmax_result_bytes = "1 parsec"\nmax_cost = 0\n')).toEqual([
      'app.max_rows: expected a whole number of rows from 1 to 9007199254740991 (got -5)',
      'app.on_limit: expected "fail" or "truncate" (got "drop")',
      'queues.q.max_result_bytes: expected bytes from 1, or a size such as "64MB" or "1GiB" (got "1 parsec")',
      'queues.q.max_cost: expected a number above 0, the planner\'s estimate it may not pass (got 0)',
    ]);
  });
});
