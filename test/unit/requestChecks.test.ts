import { describe, expect, it } from 'vitest';
import { jsonDepthOver } from '../../handlers/http/jsonDepth.js';
import { lookup } from '../../lib/config/lookup.js';
import { groupIdProblem } from '../../lib/groups/groupId.js';
import { jobIdProblem } from '../../lib/jobs/jobId.js';
import { quoteInput } from '../../lib/quoteInput.js';

describe('lookup', () => {
  const queues = Object.freeze({ reports: { name: 'reports' }, constructor: { name: 'constructor' } });
  it.each(['__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__'])('never finds the inherited %s', (name) => {
    expect(lookup(queues as Record<string, { name: string }>, name)).toBeUndefined();
  });
  it('finds what the section holds, a prototype name included', () => {
    expect(lookup(queues, 'reports')).toEqual({ name: 'reports' });
    expect(lookup(queues, 'constructor')).toEqual({ name: 'constructor' });
  });
});

describe('jsonDepthOver', () => {
  it.each([
    ['{}', 1],
    ['[[[]]]', 3],
    ['{"jobs":[{"args":["a"]}]}', 4],
    ['"[[[[[[["', 0],
    ['{"a":"\\"[[[[[["}', 1],
    ['[1,[2],[3,[4]]]', 3],
  ])('%s nests %i deep', (text, depth) => {
    expect(jsonDepthOver(text, depth)).toBe(false);
    expect(jsonDepthOver(text, depth - 1)).toBe(depth > 0);
  });
  it('stops at the first level past the limit', () => {
    expect(jsonDepthOver('['.repeat(5_000_000), 10)).toBe(true);
  });
});

describe('quoteInput', () => {
  it('quotes short values whole', () => {
    expect(quoteInput('a"b')).toBe('"a\\"b"');
    expect(quoteInput(12)).toBe('12');
    expect(quoteInput(undefined)).toBe('undefined');
  });
  it('cuts long ones after 80 characters, giving their length', () => {
    expect(quoteInput('x'.repeat(1000))).toBe(`"${'x'.repeat(80)}"… (1000 characters)`);
  });
});

describe('path IDs no job or group can have', () => {
  it.each([
    ['', 'may contain only'],
    ['x'.repeat(64), 'at most 63 characters (got 64)'],
    ['a b', 'may contain only'],
    ['a\u0000b', 'may contain only'],
    ['é', 'may contain only'],
  ])('job ID %j: %s', (id, problem) => {
    expect(jobIdProblem(id)).toContain(problem);
  });
  it('takes every ID a job can have', () => {
    expect(jobIdProblem('x'.repeat(63))).toBeUndefined();
    expect(jobIdProblem('0aa9e58d-7ec4-456e-a8d2-3a8d6076ee40')).toBeUndefined();
    expect(jobIdProblem('a:b_c-1')).toBeUndefined();
  });
  it('bounds group IDs at 128 characters', () => {
    expect(groupIdProblem('g'.repeat(128))).toBeUndefined();
    expect(groupIdProblem('g'.repeat(129))).toBe('at most 128 characters (got 129)');
    expect(groupIdProblem('%')).toContain('may contain only');
  });
});
