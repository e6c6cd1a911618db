import { describe, expect, it } from 'vitest';
import type { Config, ResultsConfig } from '../../lib/config/types.js';
import { InvalidRequestError } from '../../lib/errors.js';
import { maxJobIdLength, parseJobRequest } from '../../lib/jobs/parseJobRequest.js';
import { parseEta } from '../../lib/jobs/parseEta.js';
import type { Task } from '../../lib/tasks/types.js';

const results = (resultsTable: string) => ({ resultsTable }) as ResultsConfig;
const config = {
  app: { defaultJobTtl: 3600, maxJobTtl: 86_400, logLevel: 'INFO' },
  db: {},
  results: { r1: results('results_%s'), r2: results('longer_results_prefix_%s') },
  queues: { q1: { name: 'q1', concurrency: 2, timeout: 60 }, q2: { name: 'q2', concurrency: 1, timeout: 60 } },
  source: 'test',
} as unknown as Config;
const task = { name: 't', dbs: ['a', 'b'], results: ['r1'], queue: 'q1', argCount: 2, raw: false, dialect: 'postgres' } as unknown as Task;
const ok = { args: ['1', '2'] };

function message(body: unknown): string {
  try {
    parseJobRequest(body, task, config);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidRequestError);
    return (err as Error).message;
  }
  throw new Error('expected the request to be refused');
}

describe('parseJobRequest', () => {
  it('fills defaults from the task and config', () => {
    expect(parseJobRequest(ok, task, config)).toEqual({ queue: 'q1', eta: null, retries: 0, ttl: 3600, args: ['1', '2'] });
  });

  it('keeps a priority from 0 to 9', () => {
    expect(parseJobRequest({ ...ok, priority: 9 }, task, config).priority).toBe(9);
    expect(parseJobRequest({ ...ok, priority: 0 }, task, config).priority).toBe(0);
  });

  it('keeps every valid field', () => {
    const req = parseJobRequest({ job_id: 'a:b-c_1', queue: 'q2', eta: '2030-01-02 03:04:05', retries: 3, ttl: 60, args: ['x', 5], db: 'b' }, task, config);
    expect(req).toEqual({ job_id: 'a:b-c_1', queue: 'q2', eta: '2030-01-02 03:04:05', etaMs: Date.UTC(2030, 0, 2, 3, 4, 5), retries: 3, ttl: 60, args: ['x', '5'], db: 'b' });
  });

  it.each([
    ['a body that is not an object', [1, 2], 'expected a JSON object'],
    ['a string body', 'x', 'expected a JSON object'],
    ['an unknown field', { ...ok, colour: 1 }, 'unknown field(s): "colour"'],
    ['a prototype name as a field', JSON.parse('{"__proto__": 1, "args": ["1", "2"]}'), 'unknown field(s): "__proto__"'],
    ['a JSON null body', null, 'body: expected a JSON object'],
    ['args not a list', { args: 'a,b' }, 'args: expected a list of strings'],
    ['an object inside args', { args: ['1', {}] }, 'args'],
    ['too few args', { args: ['1'] }, 'takes 2 argument(s), got 1'],
    ['too many args', { args: ['1', '2', '3'] }, 'takes 2 argument(s), got 3'],
    ['no args', {}, 'takes 2 argument(s), got 0'],
    ['a job_id with a space', { ...ok, job_id: 'a b' }, 'job_id: may contain only'],
    ['a job_id with a quote', { ...ok, job_id: 'a"; drop table x; --' }, 'job_id: may contain only'],
    ['an empty job_id', { ...ok, job_id: '' }, 'job_id: may contain only'],
    ['a job_id that is not a string', { ...ok, job_id: 12 }, 'job_id: expected a string'],
    ['a too long job_id', { ...ok, job_id: 'x'.repeat(42) }, 'job_id: at most 41 characters (got 42)'],
    ['101 args', { args: Array(101).fill('1') }, 'args: at most 100 arguments (got 101)'],
    ['an argument over 32 KiB', { args: ['é'.repeat(16_385), '2'] }, 'args[0]: at most 32768 bytes (got 32770)'],
    ['an argument one byte over 32 KiB', { args: ['x'.repeat(32_768), 'y'.repeat(32_769)] }, 'args[1]: at most 32768 bytes (got 32769)'],
    ['a NUL in an argument of a PostgreSQL task', { args: ['a\0b', '2'] }, 'args[0]: PostgreSQL text cannot hold NUL'],
    ['a lone surrogate in an argument', { args: ['\ud800', '2'] }, 'args[0]: not valid Unicode text'],
    ['a prototype name as the queue', { ...ok, queue: 'constructor' }, 'queue: unknown queue "constructor"'],
    ['a priority above 9', { ...ok, priority: 10 }, 'priority: must be at most 9'],
    ['a negative priority', { ...ok, priority: -1 }, 'priority: must not be negative'],
    ['a fractional priority', { ...ok, priority: 1.5 }, 'priority: expected a whole number'],
    ['a priority as a string', { ...ok, priority: '9' }, 'priority: expected a whole number'],
    ['__proto__ as the queue', { ...ok, queue: '__proto__' }, 'queue: unknown queue "__proto__"'],
    ['a prototype name as the db', { ...ok, db: 'toString' }, 'db: "toString" is not one of'],
    ['a ttl above max_job_ttl', { ...ok, ttl: 86_401 }, 'ttl: must be at most 86400 seconds ([app] max_job_ttl)'],
    ['an unsafe integer ttl', { ...ok, ttl: 2 ** 53 }, 'ttl: '],
    ['an infinite ttl', { ...ok, ttl: Infinity }, 'ttl: expected a whole number'],
    ['NaN retries', { ...ok, retries: NaN }, 'retries: expected a whole number'],
    ['an eta with a five-digit year', { ...ok, eta: '10000-01-01 00:00:00' }, 'eta: expected "yyyy-mm-dd hh:mm:ss"'],
    ['an eta with non-ASCII digits', { ...ok, eta: '２０３０-01-01 00:00:00' }, 'eta: expected "yyyy-mm-dd hh:mm:ss"'],
    ['a huge eta, echoed cut short', { ...ok, eta: 'e'.repeat(100_000) }, '… (100000 characters)'],
    ['an eta in another format', { ...ok, eta: '2030-01-02T03:04:05Z' }, 'eta: expected "yyyy-mm-dd hh:mm:ss"'],
    ['an impossible eta', { ...ok, eta: '2030-02-30 00:00:00' }, 'is not a real date'],
    ['an eta at hour 24', { ...ok, eta: '2030-01-01 24:00:00' }, 'is not a real date'],
    ['negative retries', { ...ok, retries: -1 }, 'retries: must not be negative'],
    ['fractional retries', { ...ok, retries: 1.5 }, 'retries: expected a whole number'],
    ['retries as a string', { ...ok, retries: '2' }, 'retries: expected a whole number'],
    ['too many retries', { ...ok, retries: 101 }, 'retries: must be at most 100'],
    ['negative ttl', { ...ok, ttl: -5 }, 'ttl: must not be negative'],
    ['fractional ttl', { ...ok, ttl: 0.5 }, 'ttl: expected a whole number'],
    ['an unknown queue', { ...ok, queue: 'nope' }, 'queue: unknown queue "nope"'],
    ['a db not of the task', { ...ok, db: 'c' }, 'db: "c" is not one of task "t"\'s dbs'],
    ['another task name in the body', { ...ok, task: 'other' }, 'task: "other" does not match'],
  ])('refuses %s', (_what, body, expected) => {
    expect(message(body)).toContain(expected);
  });

  it('takes args of 64 KiB together, each within 32 KiB', () => {
    expect(parseJobRequest({ args: ['x'.repeat(32_768), 'y'.repeat(32_768)] }, task, config).args[1]).toHaveLength(32_768);
  });

  it('refuses args over 64 KiB together on a task with more arguments', () => {
    const three = { ...task, argCount: 3 } as Task;
    expect(() => parseJobRequest({ args: ['x'.repeat(30_000), 'y'.repeat(30_000), 'z'.repeat(6_000)] }, three, config)).toThrow(
      'args: at most 65536 bytes all together (got 66000)',
    );
  });

  it('takes a NUL in an argument of a MySQL task, which stores it', () => {
    const my = { ...task, dialect: 'mysql' } as Task;
    expect(parseJobRequest({ args: ['a\0b', '2'] }, my, config).args[0]).toBe('a\0b');
  });

  it('takes a ttl of exactly max_job_ttl', () => {
    expect(parseJobRequest({ ...ok, ttl: 86_400 }, task, config).ttl).toBe(86_400);
  });

  it('never echoes more than 80 characters of a value', () => {
    expect(message({ ...ok, queue: 'q'.repeat(5000) }).length).toBeLessThan(200);
    expect(message({ ...ok, ['k'.repeat(5000)]: 1 }).length).toBeLessThan(200);
  });

  it('bounds job IDs by the longest results table pattern', () => {
    // 'longer_results_prefix_%s' leaves 63 - 22 = 41 characters
    expect(maxJobIdLength(config)).toBe(41);
    expect(parseJobRequest({ ...ok, job_id: 'x'.repeat(41) }, task, config).job_id).toHaveLength(41);
  });
});

describe('parseEta', () => {
  it('reads UTC', () => {
    expect(new Date(parseEta('2024-02-29 23:59:59')).toISOString()).toBe('2024-02-29T23:59:59.000Z');
  });
  it('reads years before 100 as written, and 9999', () => {
    expect(new Date(parseEta('0050-06-01 00:00:00')).getUTCFullYear()).toBe(50);
    expect(new Date(parseEta('9999-12-31 23:59:59')).toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });

  it.each(['2030-13-01 00:00:00', '2030-00-10 00:00:00', '2030-04-31 00:00:00', '2030-01-01 00:60:00', '2030-01-01 00:00:60', '0000-02-30 00:00:00'])(
    'refuses %s',
    (eta) => {
      expect(() => parseEta(eta)).toThrow('is not a real date');
    },
  );

  it('refuses Feb 29 of a common year', () => {
    expect(() => parseEta('2023-02-29 00:00:00')).toThrow('is not a real date');
  });
});

describe('parseJobRequest for a task with declared parameters', () => {
  const params = [
    { name: 'customer_id', type: { kind: 'int' }, array: false, required: true, line: 2 },
    { name: 'since', type: { kind: 'date' }, array: false, required: false, default: '2024-01-01', line: 3 },
    { name: 'sort', type: { kind: 'identifier', values: ['total', 'day'] }, array: false, required: false, default: 'total', line: 4 },
  ];
  const typed = { ...task, argCount: 3, params } as unknown as Task;
  const refused = (body: unknown) => {
    try {
      parseJobRequest(body, typed, config, 'jobs[2]: ');
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidRequestError);
      return (err as Error).message;
    }
    throw new Error('expected the request to be refused');
  };

  it('records canonical values in declaration order, by name or in order, defaults filled in', () => {
    const byName = parseJobRequest({ args: { customer_id: '42', since: '20240105' } }, typed, config);
    expect(byName.args).toEqual(['42', '2024-01-05', 'total']);
    expect(parseJobRequest({ args: [42, '2024-01-05'] }, typed, config).args).toEqual(byName.args);
    expect(parseJobRequest({ args: [7, null, 'day'] }, typed, config).args).toEqual(['7', '2024-01-01', 'day']);
  });

  it.each([
    [{}, 'jobs[2]: args: required; task "t" takes customer_id'],
    [{ args: null }, 'jobs[2]: args: required; task "t" takes customer_id'],
    [{ args: 'x' }, 'jobs[2]: args: expected the parameters of task "t" by name (customer_id, since, sort), or a list of them in that order'],
    [{ args: { customer_id: 'x', sort: 'nope' } }, 'jobs[2]: args.customer_id: expected an integer from -2147483648 to 2147483647 (int), got "x"; args.sort: expected one of the names "total", "day", got "nope"'],
    [{ args: { since: '2024-01-01' } }, 'jobs[2]: args.customer_id: required; expected an integer from -2147483648 to 2147483647 (int)'],
    [{ args: ['1', '2024-02-30'] }, 'jobs[2]: args[1] (since): expected a date "yyyy-mm-dd" (date), got "2024-02-30"'],
    [{ args: { customer_id: 1, Customer_id: 2 } }, 'jobs[2]: args: unknown parameter(s) "Customer_id"; task "t" takes customer_id, since, sort'],
    ['{"args":{"customer_id":1,"__proto__":{"since":"2024-01-01"}}}', 'jobs[2]: args: unknown parameter(s) "__proto__"; task "t" takes customer_id, since, sort'],
    ['{"args":{"customer_id":1,"constructor":"x"}}', 'jobs[2]: args: unknown parameter(s) "constructor"; task "t" takes customer_id, since, sort'],
  ])('refuses %j, naming the parameter', (body, expected) => {
    expect(refused(typeof body === 'string' ? JSON.parse(body) : body)).toBe(expected);
  });

  it('keeps positional string arguments for a task without declarations', () => {
    expect(message({ args: { a: 1 } })).toBe('args: expected a list of strings');
  });
});

