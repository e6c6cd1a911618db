/**
 * Queues declared by tasks, as in dungbeetle: a task's `queue` tag names a queue
 * that exists without [queues.NAME], its concurrency from `conc` / `concurrency`.
 * The fixture under test/fixtures/dungbeetle/app is a dungbeetle v2 setup.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratchDir.js';
import { parseConfig } from '../../lib/config/loadConfig.js';
import { DEFAULT_QUEUE, type Config } from '../../lib/config/types.js';
import { deployNotes, deployService } from '../../lib/deploy/deployService.js';
import { admissionOn } from '../../lib/config/types.js';
import { packagedPaths } from '../../lib/deploy/packagedPaths.js';
import { localQueues, logicalId } from '../../lib/deploy/serviceDefinition.js';
import { ConfigError, InvalidRequestError } from '../../lib/errors.js';
import { parseJobRequest } from '../../lib/jobs/parseJobRequest.js';
import { loadConfigAndTasks } from '../../lib/tasks/loadConfigAndTasks.js';
import { loadTasks } from '../../lib/tasks/loadTasks.js';

const APP = join(import.meta.dirname, '../fixtures/dungbeetle/app');
const APP_DIRS = [join(APP, 'sql/pg'), join(APP, 'sql/extra')];
const DB = '[db.my_db]\ntype = "postgres"\ndsn = "dbname=src"\n[results.res]\ntype = "postgres"\ndsn = "dbname=res"\n';

function world(files: Record<string, Record<string, string>>, extraConfig = '') {
  const root = scratchDir('sqljobber-taskqueues-');
  const dirs = Object.entries(files).map(([dir, texts]) => {
    mkdirSync(join(root, dir), { recursive: true });
    for (const [name, text] of Object.entries(texts)) writeFileSync(join(root, dir, name), text);
    return join(root, dir);
  });
  writeFileSync(join(root, 'config.toml'), DB + extraConfig);
  return { root, dirs, configPath: join(root, 'config.toml') };
}

function load(files: Record<string, Record<string, string>>, extraConfig = '') {
  const w = world(files, extraConfig);
  return { ...w, ...loadConfigAndTasks({ configPath: w.configPath, sqlDirs: w.dirs }, {}) };
}

function problems(files: Record<string, Record<string, string>>, extraConfig = ''): string[] {
  const w = world(files, extraConfig);
  try {
    loadConfigAndTasks({ configPath: w.configPath, sqlDirs: w.dirs }, {});
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => p.replace(w.root, ''));
  }
  throw new Error('expected the task files to be refused');
}

describe('queues declared by tasks', () => {
  it("loads a dungbeetle v2 config and two task directories unchanged: every tagged queue exists", () => {
    const { config, tasks } = loadConfigAndTasks({ configPath: join(APP, 'config.toml'), sqlDirs: APP_DIRS }, {});
    expect([...tasks.tasks.keys()]).toEqual([
      'get_ledger_totals',
      'get_ledger_entries',
      'get_ledger_between',
      'sleep_for',
      'get_digest',
      'count_entries',
    ]);
    expect(config.queues).toEqual({
      ledger: { name: 'ledger', concurrency: 3, timeout: 300, declaredBy: 'tasks', concurrencyFrom: 'tag' },
      digest_low: { name: 'digest_low', concurrency: 2, timeout: 300, declaredBy: 'tasks', concurrencyFrom: 'tag' },
      [DEFAULT_QUEUE]: { name: DEFAULT_QUEUE, concurrency: 5, timeout: 300, declaredBy: 'default' },
    });
    expect(tasks.get('count_entries')!.queue).toBe(DEFAULT_QUEUE);
    expect(config.app.defaultJobTtl).toBe(60);
    expect(Object.isFrozen(config.queues.ledger)).toBe(true);
  });

  it('gives a queue without a conc tag the default concurrency, and drops the unused default queue', () => {
    const { config } = load({ sql: { 'a.sql': '-- name: a\n-- queue: test\nSELECT 1' } });
    expect(config.queues).toEqual({ test: { name: 'test', concurrency: 5, timeout: 300, declaredBy: 'tasks' } });
  });

  it('lets a [queues.NAME] section win: its concurrency when it sets one, its timeout always', () => {
    const files = { sql: { 'a.sql': '-- name: a\n-- queue: fixed\n-- conc: 9\nSELECT 1\n-- name: b\n-- queue: timed\n-- conc: 7\nSELECT 1' } };
    const { config } = load(files, '[queues.fixed]\nconcurrency = 4\n[queues.timed]\ntimeout = 600\n');
    expect(config.queues).toEqual({
      fixed: { name: 'fixed', concurrency: 4, timeout: 300, concurrencyFrom: 'config' },
      timed: { name: 'timed', concurrency: 7, timeout: 600, concurrencyFrom: 'tag' },
    });
  });

  it('applies a conc tag of a task without a queue tag to the queue it runs on', () => {
    const { config } = load({ sql: { 'a.sql': '-- name: a\n-- conc: 12\nSELECT 1' } });
    expect(config.queues[DEFAULT_QUEUE]).toMatchObject({ concurrency: 12, declaredBy: 'default' });
  });

  it('refuses two tasks that give one queue different concurrencies, naming both files and lines', () => {
    const found = problems({
      one: { 'a.sql': '-- name: a\n-- queue: test\n-- concurrency: 5\nSELECT 1' },
      two: { 'b.sql': '\n\n-- name: b\n-- queue: test\n-- conc: 6\nSELECT 1' },
    });
    expect(found).toEqual([
      '/two/b.sql:3: queue "test" gets concurrency 6 here but 5 at ' +
        `${found[0]!.split(' at ')[1]!.split(';')[0]}; give every task on a queue the same "-- conc:", or set it once in [queues.test]`,
    ]);
    expect(found[0]).toContain('/one/a.sql:1;');
  });

  it.each([
    ['-- name: a\n-- queue: test\n-- conc: 0\nSELECT 1', '/sql/a.sql:1: tag "conc" must be a whole number from 1 to 1000 (got "0")'],
    ['-- name: a\n-- queue: test\n-- conc: many\nSELECT 1', '/sql/a.sql:1: tag "conc" must be a whole number from 1 to 1000 (got "many")'],
    ['-- name: a\n-- queue: test\n-- concurrency: 1001\nSELECT 1', '/sql/a.sql:1: tag "concurrency" must be a whole number from 1 to 1000 (got "1001")'],
    ['-- name: a\n-- conc: 2\n-- concurrency: 3\nSELECT 1', '/sql/a.sql:1: tags "conc" (2) and "concurrency" (3) disagree; keep one'],
    ['-- name: a\n-- queue: a queue\nSELECT 1', '/sql/a.sql:1: invalid queue name "a queue": use 1 to 60 letters, digits, _ and - (it names an SQS queue and a worker function)'],
    ['-- name: a\n-- queue: test\n-- conc:\nSELECT 1', '/sql/a.sql:3: tag "conc" needs a value'],
  ])('refuses %j', (text, expected) => {
    expect(problems({ sql: { 'a.sql': text } })).toEqual([expected]);
  });

  it('reports problems in file and line order across directories', () => {
    const found = problems({
      one: { 'a.sql': '-- name: a\n-- queue: q\n-- conc: x\nSELECT 1\n-- name: b\n-- db: nope\nSELECT 1' },
      two: { 'b.sql': '-- name: a\nSELECT 1' },
    });
    expect(found.map((p) => p.split(': ')[0])).toEqual(['/one/a.sql:1', '/one/a.sql:5', '/two/b.sql:1']);
  });

  it('refuses a job request for a queue that does not exist, listing the queues', () => {
    const { config, tasks } = load({ sql: { 'a.sql': '-- name: a\n-- queue: test\nSELECT 1\n-- name: b\n-- queue: other\nSELECT 1' } });
    const task = tasks.get('a')!;
    expect(parseJobRequest({}, task, config).queue).toBe('test');
    expect(parseJobRequest({ queue: 'other' }, task, config).queue).toBe('other');
    for (const queue of ['missing', DEFAULT_QUEUE, 'constructor', 'toString']) {
      expect(() => parseJobRequest({ queue }, task, config)).toThrow(InvalidRequestError);
      expect(() => parseJobRequest({ queue }, task, config)).toThrow(`queue: unknown queue "${queue}"`);
    }
    expect(() => parseJobRequest({ queue: 'missing' }, task, config)).toThrow(/test, other/);
  });

  it('deploys a task-declared queue like a configured one: queue, dead-letter queue, worker with maximumConcurrency', () => {
    const { config } = loadConfigAndTasks({ configPath: join(APP, 'config.toml'), sqlDirs: APP_DIRS }, {});
    const names = { service: 'sql-jobber', stage: 'prod' };
    const service = deployService(config, names);
    const worker = service.functions['worker-ledger'] as unknown as { events: { sqs: { maximumConcurrency: number; arn: unknown } }[]; timeout: number };
    expect(worker.timeout).toBe(300);
    expect(worker.events[0]!.sqs.maximumConcurrency).toBe(3);
    expect(worker.events[0]!.sqs.arn).toEqual({ 'Fn::GetAtt': [logicalId('Queue', 'ledger'), 'Arn'] });
    expect((service.functions['worker-digest_low'] as unknown as typeof worker).events[0]!.sqs.maximumConcurrency).toBe(2);
    expect(service.resources[logicalId('Queue', 'ledger')]).toMatchObject({
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: 'sql-jobber-prod-ledger', VisibilityTimeout: 1800 },
    });
    expect(service.resources[logicalId('DeadLetter', 'ledger')]).toMatchObject({ Properties: { QueueName: 'sql-jobber-prod-ledger-dlq' } });
    expect(localQueues(config, names).map((q) => [q.queue, q.concurrency])).toEqual([
      ['ledger', 3],
      ['digest_low', 2],
      [DEFAULT_QUEUE, 5],
    ]);
  });

  it('a task queue of conc 1 has admission, so it runs one job at a time in AWS too (no note)', () => {
    const { config } = load({ sql: { 'a.sql': '-- name: a\n-- queue: solo\n-- conc: 1\nSELECT 1' } });
    expect(deployNotes(config)).toEqual([]);
    expect(admissionOn(config.queues.solo!)).toBe(true);
  });

  it('packages every task directory', () => {
    const root = join(APP, '..');
    const paths = packagedPaths(root, { configPath: join(APP, 'config.toml'), sqlDirs: APP_DIRS });
    expect(paths).toEqual({
      configPath: 'app/config.toml',
      sqlDir: 'app/sql/pg:app/sql/extra',
      patterns: ['app/config.toml', 'app/sql/pg/*.sql', 'app/sql/extra/*.sql'],
    });
    expect(() => packagedPaths(join(APP, 'sql/pg'), { configPath: 'config.toml', sqlDirs: ['.', '../extra'] })).toThrow(
      /SQL_JOBBER_SQL_DIR=\.\.\/extra: must be inside the service directory/,
    );
  });

  it('reads a directory given twice once, and refuses an empty list of directories', () => {
    const config: Config = parseConfig(DB, 'c', {});
    const w = world({ sql: { 'a.sql': '-- name: a\nSELECT 1' } });
    expect([...loadTasks([w.dirs[0]!, `${w.dirs[0]!}/.`], config).tasks.keys()]).toEqual(['a']);
    expect(() => loadTasks([], config)).toThrow('no task directory given');
  });

  it('keeps loadTasks on one directory, with the registry holding the queues', () => {
    const config: Config = parseConfig(DB, 'c', {});
    const w = world({ sql: { 'a.sql': '-- name: a\n-- queue: q1\nSELECT 1' } });
    const registry = loadTasks(w.dirs[0]!, config);
    expect(Object.keys(registry.queues)).toEqual(['q1']);
  });
});
