import { describe, expect, it } from 'vitest';
import type { Config, ResultsConfig } from '../../lib/config/types.js';
import { InvalidRequestError } from '../../lib/errors.js';
import { maxJobIdLength, parseJobRequest } from '../../lib/jobs/parseJobRequest.js';
import { parseEta } from '../../lib/jobs/parseEta.js';
import type { Task } from '../../lib/tasks/types.js';

const results = (resultsTable: string) => ({ resultsTable }) as ResultsConfig;
const config = {
  app: { defaultJobTtl: 3600, logLevel: 'INFO' },
  db: {},
  results: { r1: results('results_%s'), r2: results('longer_results_prefix_%s') },
  queues: { q1: { name: 'q1', concurrency: 2, timeout: 60 }, q2: { name: 'q2', concurrency: 1, timeout: 60 } },
  source: 'test',
} as unknown as Config;
const task = { name: 't', dbs: ['a', 'b'], results: ['r1'], queue: 'q1', argCount: 2, raw: false } as unknown as Task;
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

  it('keeps every valid field', () => {
    const req = parseJobRequest({ job_id: 'a:b-c_1', queue: 'q2', eta: '2030-01-02 03:04:05', retries: 3, ttl: 60, args: ['x', 5], db: 'b' }, task, config);
    expect(req).toEqual({ job_id: 'a:b-c_1', queue: 'q2', eta: '2030-01-02 03:04:05', etaMs: Date.UTC(2030, 0, 2, 3, 4, 5), retries: 3, ttl: 60, args: ['x', '5'], db: 'b' });
  });

  it.each([
    ['a body that is not an object', [1, 2], 'expected a JSON object'],
    ['a string body', 'x', 'expected a JSON object'],
    ['an unknown field', { ...ok, colour: 1 }, 'unknown field(s): colour'],
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
    ['an eta in another format', { ...ok, eta: '2030-01-02T03:04:05Z' }, 'eta: expected "yyyy-mm-dd hh:mm:ss"'],
    ['an impossible eta', { ...ok, eta: '2030-02-30 00:00:00' }, 'is not a real date'],
    ['an eta at hour 24', { ...ok, eta: '2030-01-01 24:00:00' }, 'is not a real date'],
    ['negative retries', { ...ok, retries: -1 }, 'retries: must not be negative'],
    ['fractional retries', { ...ok, retries: 1.5 }, 'retries: expected a whole number'],
    ['retries as a string', { ...ok, retries: '2' }, 'retries: expected a whole number'],
    ['too many retries', { ...ok, retries: 101 }, 'retries: must be at most 100'],
    ['negative ttl', { ...ok, ttl: -5 }, 'ttl: must not be negative'],
    ['zero ttl', { ...ok, ttl: 0 }, 'ttl: must be at least 1 second'],
    ['fractional ttl', { ...ok, ttl: 0.5 }, 'ttl: expected a whole number'],
    ['an unknown queue', { ...ok, queue: 'nope' }, 'queue: unknown queue "nope"'],
    ['a db not of the task', { ...ok, db: 'c' }, 'db: "c" is not one of task "t"\'s dbs'],
    ['another task name in the body', { ...ok, task: 'other' }, 'task: "other" does not match'],
  ])('refuses %s', (_what, body, expected) => {
    expect(message(body)).toContain(expected);
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
  it('refuses Feb 29 of a common year', () => {
    expect(() => parseEta('2023-02-29 00:00:00')).toThrow('is not a real date');
  });
});
