import { describe, expect, it } from 'vitest';
import { copyable } from '../../lib/db/postgres/copyOut.js';
import { setArgsStatement, withArgsFromSettings } from '../../lib/db/postgres/settingArgs.js';

describe('arguments read from settings', () => {
  it('binds every argument in one set_config statement, values never in the text', () => {
    expect(setArgsStatement(2)).toBe("SELECT set_config('sqljobber.arg_1', $1, true), set_config('sqljobber.arg_2', $2, true)");
  });

  it('replaces each $n outside strings and comments by a once-per-query cast to its type', () => {
    const arg = (n: number, type: string) => `((SELECT current_setting('sqljobber.arg_${n}')::${type})::${type})`;
    expect(withArgsFromSettings("SELECT '$1', $2 /* $1 */, \"$1\", $1 -- $2", ['integer', 'text[]'])).toBe(
      `SELECT '$1', ${arg(2, 'text[]')} /* $1 */, "$1", ${arg(1, 'integer')} -- $2`,
    );
    expect(withArgsFromSettings('SELECT $1, $1', ['bpchar'])).toBe(`SELECT ${arg(1, 'bpchar')}, ${arg(1, 'bpchar')}`);
  });

  it('refuses a $n the server did not describe', () => {
    expect(() => withArgsFromSettings('SELECT $2', ['text'])).toThrow(/\$2/);
  });
});

describe('copyable', () => {
  it.each([
    ['SELECT 1', true],
    ['  -- a comment\n/* and /* nested */ one */ (WITH x AS (SELECT 1) SELECT * FROM x)', true],
    ['values (1)', true],
    ['TABLE t', true],
    ['SHOW TimeZone', false],
    ['EXPLAIN SELECT 1', false],
    ['', false],
  ] as const)('%j: %s', (query, expected) => {
    expect(copyable(query, true)).toBe(expected);
  });

  it('is never true with standard_conforming_strings off', () => {
    expect(copyable('SELECT 1', false)).toBe(false);
  });
});
