/** The `-- index:` task tag: commas separate one-column indexes; with `;`, `;` separates indexes and `,` their columns. */
import { describe, expect, it } from 'vitest';
import { resultsIndexes } from '../../lib/db/shared/resultsIndexes.js';
import { parseIndexTag } from '../../lib/tasks/parseIndexTag.js';

describe('parseIndexTag', () => {
  it.each([
    ['total, status', [['total'], ['status']]],
    ['total; status,order_date', [['total'], ['status', 'order_date']]],
    ['total', [['total']]],
    [' a b ;c', [['a b'], ['c']]],
  ])('%j', (value, indexes) => expect(parseIndexTag(value)).toEqual({ indexes }));

  it.each([
    ['total,,status', /empty column name/],
    ['a;', /empty column name/],
    ['a,a;b', /names a column twice/],
    [Array.from({ length: 9 }, (_, i) => `c${i}`).join(','), /at most 8/],
  ])('refuses %j', (value, problem) => expect((parseIndexTag(value) as { problem: string }).problem).toMatch(problem));
});

describe('resultsIndexes', () => {
  it('skips an index with an unknown or unindexable column, with a warning', () => {
    const columns = [
      { name: 'total', type: 'DECIMAL' as const },
      { name: 'doc', type: 'JSON' as const },
    ];
    expect(resultsIndexes([['total'], ['total', 'doc'], ['x']], columns)).toEqual({
      indexes: [[columns[0]]],
      warnings: [
        'index (total, doc): "doc" is JSON, which is not indexed; index not built',
        'index (x): the results have no column "x"; index not built',
      ],
    });
  });
});
