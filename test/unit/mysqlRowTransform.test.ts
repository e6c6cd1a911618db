import { describe, expect, it } from 'vitest';
import { mysqlRowTransform } from '../../lib/db/mysql/rowTransform.js';
import type { Column } from '../../lib/db/port/types.js';

const kinds = (from: Column['from']): Column[] =>
  (['DOUBLE', 'DECIMAL', 'TIMESTAMP', 'DATE'] as const).map((type) => ({ name: type.toLowerCase(), type, from }));

describe('mysqlRowTransform', () => {
  it('leaves the values of a MySQL source alone: no transform to run on every row', () => {
    expect(mysqlRowTransform(kinds('mysql')).transform).toBeUndefined();
  });

  it('still stores what a MySQL column cannot hold as NULL, from PostgreSQL or from a source of unknown engine', () => {
    for (const from of ['postgres', undefined] as const) {
      // Prepare
      const t = mysqlRowTransform(kinds(from));
      const row = ['NaN', '-Infinity', 'infinity', '-infinity'];

      // Act
      t.transform?.(row);

      // Assess
      expect(row, String(from)).toEqual([null, null, null, null]);
      expect(t.warnings()).toHaveLength(4);
    }
  });
});
