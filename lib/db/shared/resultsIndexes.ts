import type { Column, ColumnType } from '../port/types.js';

/** Kinds no index is built on: their values are not ordered nor compared (see the explore grammar). */
const UNINDEXED: ReadonlySet<ColumnType> = new Set(['JSON', 'BYTES', 'ARRAY']);

/** At most this many indexes per results table. */
export const MAX_RESULTS_INDEXES = 8;

/**
 * The indexes of a task's `index` tag that a results table with these columns
 * can have, each its columns in order; what cannot be built (a column the
 * results lack, or one of a kind nothing orders) is a warning and skipped, so a
 * tag never fails the job whose rows are all there.
 */
export function resultsIndexes(tag: readonly (readonly string[])[] | undefined, columns: readonly Column[]): { indexes: Column[][]; warnings: string[] } {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const indexes: Column[][] = [];
  const warnings: string[] = [];
  for (const names of (tag ?? []).slice(0, MAX_RESULTS_INDEXES)) {
    const index: Column[] = [];
    for (const name of names) {
      const column = byName.get(name);
      if (!column) warnings.push(`index (${names.join(', ')}): the results have no column "${name}"; index not built`);
      else if (UNINDEXED.has(column.type)) warnings.push(`index (${names.join(', ')}): "${name}" is ${column.type}, which is not indexed; index not built`);
      else {
        index.push(column);
        continue;
      }
      index.length = 0;
      break;
    }
    if (index.length > 0) indexes.push(index);
  }
  return { indexes, warnings };
}
