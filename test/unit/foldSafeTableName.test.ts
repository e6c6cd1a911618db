/** Results table names for MySQL servers that fold table names to lower case: lower case only, and never shared. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldSafeTableName } from '../../lib/db/mysql/foldSafeTableName.js';
import { ResultsTableNameError } from '../../lib/errors.js';

const idChar = fc.constantFrom(...'ABCXYZabcxyz019_:-');
const jobId = fc.array(idChar, { minLength: 1, maxLength: 20 }).map((cs) => cs.join(''));

describe('foldSafeTableName', () => {
  it('escapes upper-case letters and the escape, and leaves other IDs as they are', () => {
    expect(foldSafeTableName('results_%s', 'ABC', 1)).toBe('results_:a:b:c');
    expect(foldSafeTableName('results_%s', 'a:B', 1)).toBe('results_a:::b');
    expect(foldSafeTableName('results_%s', '0aa9e58d-7ec4-456e-a8d2-3a8d6076ee40', 1)).toBe('results_0aa9e58d-7ec4-456e-a8d2-3a8d6076ee40');
    expect(foldSafeTableName('Jobs_%s_Rows', 'Q1', 2)).toBe('jobs_:q1_rows');
    expect(foldSafeTableName('res_', 'Ab', 1)).toBe('res_:ab');
  });

  it('gives IDs that differ (in case or otherwise) different names, all without upper case', () => {
    fc.assert(
      fc.property(jobId, jobId, (a, b) => {
        const [na, nb] = [foldSafeTableName('results_%s', a, 1), foldSafeTableName('results_%s', b, 1)];
        expect(na).toBe(na.toLowerCase());
        expect(na === nb).toBe(a === b);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a name past 63 characters, naming the job ID and the setting', () => {
    expect(foldSafeTableName('results_%s', 'A'.repeat(27) + 'b', 1)).toHaveLength(63);
    const err = (() => {
      try {
        return foldSafeTableName('results_%s', 'A'.repeat(28), 1);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ResultsTableNameError);
    expect((err as Error).message).toMatch(/^job ID "A{28}": its results table name "results_(:a){28}" is 64 characters, more than 63 \(.*lower_case_table_names=1/);
  });
});
